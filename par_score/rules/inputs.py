"""What a scored item reads, as declared in a catalogue: documents on a topic, an indicator the unit reports, a
statistic supplied by an outside body, or a survey item.

`kind` names the evidence section the input is looked up in; `figure` is what a scale kind reads from it (a
statistic is read exactly like an indicator, from its own section).
"""

from __future__ import annotations

from typing import ClassVar, Literal

from par_score.rules.fields import Code, DeclarationModel, Identifier
from par_score.vocabulary import Combine


class DocumentInput(DeclarationModel):
    kind: ClassVar[str] = "document"
    figure: ClassVar[str] = "document"
    document: Identifier
    # any: any document on the topic counts; all_of: one from the lead agency and one from each co-responsible agency
    # (a co-signed document sent by several of them counts for each)
    combine: Literal[Combine.ANY, Combine.ALL_OF] = Combine.ANY

    @property
    def key(self) -> str:
        return self.document


class IndicatorInput(DeclarationModel):
    kind: ClassVar[str] = "indicator"
    figure: ClassVar[str] = "indicator"
    indicator: Identifier
    ratio_may_exceed_one: bool = False
    # one: a single figure; sum: one figure per contributor (agency, unit), numerators, denominators or values summed
    combine: Literal[Combine.ONE, Combine.SUM] = Combine.ONE
    # count: numerator and denominator count things (whole numbers); amount: money, rates, points (decimals allowed)
    figures: Literal["count", "amount"] = "count"

    @property
    def key(self) -> str:
        return self.indicator


class StatisticInput(DeclarationModel):
    kind: ClassVar[str] = "statistic"
    figure: ClassVar[str] = "indicator"
    statistic: Identifier
    ratio_may_exceed_one: bool = False
    combine: ClassVar[str] = Combine.ONE  # a statistic is one figure, from the body that supplies it
    figures: ClassVar[str] = "amount"  # published figures (rates, money) may have decimals

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
