"""What a scored item reads, as declared in a catalogue: documents on a topic, an indicator the unit reports, a
statistic supplied by an outside body, or a survey item.

`kind` names the evidence section the input is looked up in; `figure` is what a scale kind reads from it (a
statistic is read exactly like an indicator, from its own section).
"""

from __future__ import annotations

from typing import ClassVar

from par_score.rules.fields import Code, DeclarationModel, Identifier


class DocumentInput(DeclarationModel):
    kind: ClassVar[str] = "document"
    figure: ClassVar[str] = "document"
    document: Identifier

    @property
    def key(self) -> str:
        return self.document


class IndicatorInput(DeclarationModel):
    kind: ClassVar[str] = "indicator"
    figure: ClassVar[str] = "indicator"
    indicator: Identifier
    ratio_may_exceed_one: bool = False

    @property
    def key(self) -> str:
        return self.indicator


class StatisticInput(DeclarationModel):
    kind: ClassVar[str] = "statistic"
    figure: ClassVar[str] = "indicator"
    statistic: Identifier
    ratio_may_exceed_one: bool = False

    @property
    def key(self) -> str:
        return self.statistic


class SurveyInput(DeclarationModel):
    kind: ClassVar[str] = "survey"
    figure: ClassVar[str] = "survey"
    survey: Code

    @property
    def key(self) -> str:
        return self.survey


LeafInput = DocumentInput | IndicatorInput | StatisticInput | SurveyInput
PartInput = DocumentInput | IndicatorInput | StatisticInput
