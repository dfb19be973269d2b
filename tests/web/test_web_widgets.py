"""The checkbox lists written directly give exactly the HTML of Django's own templates."""

from __future__ import annotations

import pytest
from django import forms

from par_score.web.workspace.widgets import CheckboxList

CHOICES = [("a", 'Văn bản <1> & "x"'), ("b'x", "Kế hoạch — 2"), ("c", "C")]


@pytest.mark.parametrize("value", [None, [], ["a"], ["a", "b'x"], ["không có"]])
@pytest.mark.parametrize("attrs", [None, {"id": "id_documents"}, {"id": 'i"d', "class": "c<x"}, {"disabled": True}])
def test_same_html_as_django_templates(value, attrs):
    expected = forms.CheckboxSelectMultiple(choices=CHOICES).render("documents-documents", value, attrs)
    assert CheckboxList(choices=CHOICES).render("documents-documents", value, attrs) == expected


def test_groups_of_choices_go_through_the_templates():
    grouped = [("Nhóm <1>", [("a", "A"), ("b", "B")]), ("c", "C")]
    expected = forms.CheckboxSelectMultiple(choices=grouped).render("topics", ["b"], {"id": "id_topics"})
    assert CheckboxList(choices=grouped).render("topics", ["b"], {"id": "id_topics"}) == expected


def test_a_bound_form_renders_as_with_django_widget():
    class Plain(forms.Form):
        documents = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple, required=False)

    class Direct(forms.Form):
        documents = forms.MultipleChoiceField(choices=CHOICES, widget=CheckboxList, required=False)

    data = {"documents": ["c"]}
    assert str(Direct(data).as_div()) == str(Plain(data).as_div())
    assert str(Direct().as_div()) == str(Plain().as_div())
