"""Checkbox lists written out in Python: the same HTML as Django's checkbox_select.html, without rendering three
nested templates per choice. A criterion page offers the agency's documents in several forms, so a part with a
hundred documents costs hundreds of template includes per page; this is where its rendering time went."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html writes them."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"')
    return "".join(out)


class CheckboxList(forms.CheckboxSelectMultiple):
    """CheckboxSelectMultiple rendered directly; anything the direct writing does not cover (groups of choices,
    values or labels that are not text, another renderer or templates) goes through Django's templates as before."""

    def render(self, name, value, attrs=None, renderer=None):
        default = renderer is None or type(renderer) is DjangoTemplates
        html = self._direct(self.get_context(name, value, attrs)["widget"]) if default else None
        if html is None:
            return super().render(name, value, attrs, renderer)
        return mark_safe(html)  # every value in it is escaped in _direct

    def _direct(self, widget: dict) -> str | None:
        if self.template_name != CheckboxList.template_name or self.option_template_name != (
            CheckboxList.option_template_name
        ):
            return None
        parts = []
        wid = widget["attrs"].get("id")
        css = widget["attrs"].get("class")
        parts.append("<div")
        if wid:
            parts.append(f' id="{conditional_escape(str(wid))}"')
        if css:
            parts.append(f' class="{conditional_escape(str(css))}"')
        parts.append(">")
        for group, options, _ in widget["optgroups"]:
            if group:
                return None
            for option in options:
                if not isinstance(option["value"], str) or not isinstance(option["label"], str):
                    return None
                option_id = option["attrs"].get("id")
                label_for = f' for="{conditional_escape(str(option_id))}"' if option_id else ""
                parts.append(
                    f"<div>\n    <label{label_for}>"
                    f'<input type="{option["type"]}" name="{conditional_escape(option["name"])}"'
                    f' value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>\n'
                    f" {conditional_escape(option['label'])}</label>\n\n</div>"
                )
        parts.append("\n</div>")
        return "".join(parts)
