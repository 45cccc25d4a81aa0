"""What plans add to the core's neighbourhood pages (the NEIGHBOURHOOD_SECTION hook)."""

from django.utils.translation import gettext as _

from .models import LocalityPlanPage


def neighbourhood_section(neighbourhood, request) -> dict | None:
    """The "plan for this neighbourhood" section: its own plans, or else its locality's."""
    published = LocalityPlanPage.objects.published()
    plans = list(published.filter(neighbourhood=neighbourhood)[:3])
    if not plans and neighbourhood.locality_id:
        plans = list(published.filter(locality_id=neighbourhood.locality_id)[:3])
    if not plans:
        return None
    return {"title": _("Locality plan"), "template": "plans/neighbourhood_section.html",
            "context": {"plans": plans}}
