"""Locality plans: the published plan for a neighbourhood or locality, and its monthly progress.

A `LocalityPlanPage` cites adopted priorities from a priority snapshot (priorities) and
sets out, for each, actions with a lead, partners, dates and status; resources, measures, risks,
governance and contacts. Repeated content is one InlinePanel per kind (Wagtail does not nest
inline panels well), so each action names its priority and the page form checks that it is one
of the plan's. Officers record progress as `ActionUpdate`s, from which the monthly highlight
report is built; printed versions are cached as `PlanPdf` rows.
"""

from .contents import (
    PlanAction,
    PlanBudgetLine,
    PlanContact,
    PlanMeasure,
    PlanPriority,
    PlanRisk,
)
from .pages import LocalityPlanIndexPage, LocalityPlanPage, LocalityPlanPageQuerySet
from .progress import (
    ActionEvidence,
    ActionUpdate,
    ActionUpdateQuerySet,
    PlanPdf,
    PlanPdfQuerySet,
)

__all__ = [
    "ActionEvidence", "ActionUpdate", "ActionUpdateQuerySet", "LocalityPlanIndexPage",
    "LocalityPlanPage", "LocalityPlanPageQuerySet", "PlanAction", "PlanBudgetLine",
    "PlanContact", "PlanMeasure", "PlanPdf", "PlanPdfQuerySet", "PlanPriority", "PlanRisk",
]
