"""The improvement planner: which changes of evidence gain the most points, by when, and for which agency.

- apply.py           the one place a proposed change becomes evidence (change + bundle → new bundle)
- propose.py         each leaf below its maximum asks its scale kind (the `plan` hook) for proposals; every
                     proposal is applied and re-scored through the engine and must give exactly its promised points
- select.py          the smallest set of changes reaching a target (exact multiple-choice knapsack)
- target.py          a target in points or percent of the self-assessed maximum
- wording.py         changes in words a department head can act on
- build.py           run → Plan: options per leaf, feasibility as of a date, agencies, survey items, target
- model.py           the Plan as data (plan.json)
- view.py            the plan as plain rows of text, for reports
- responsibility.py  lead and co-responsible agencies of a leaf
"""

from par_score.planning.apply import apply_changes
from par_score.planning.build import make_plan
from par_score.planning.model import Plan
from par_score.planning.target import Target, parse_target

__all__ = ["Plan", "Target", "apply_changes", "make_plan", "parse_target"]
