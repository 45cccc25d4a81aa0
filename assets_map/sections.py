"""What the asset map adds to other parts of the portal (neighbourhood pages, data export)."""

from django.utils.translation import gettext as _

from .models import Asset, JoinRequest, OrganisationMembership, Submission
from .places import asset_base_url, asset_url

SECTION_LIMIT = 10


def neighbourhood_assets(neighbourhood, request):
    """The neighbourhood page's "Community assets" section: a few, and a link to all."""
    qs = Asset.objects.published().filter(neighbourhood=neighbourhood)
    assets = list(qs.select_related("category").order_by("-is_hub", "name")[:SECTION_LIMIT])
    if not assets:
        return None
    base = asset_base_url(request)
    return {
        "title": _("Community assets"),
        "template": "assets_map/neighbourhood_assets.html",
        "context": {
            "assets": [(asset, asset_url(asset, base)) for asset in assets],
            "count": qs.count(),
            "more_url": f"{base}?neighbourhood={neighbourhood.slug}" if base else "",
            "neighbourhood": neighbourhood,
        },
    }


def personal_data(user):
    """Organisations a person belongs to, what they submitted and asked to join (all deleted
    with the account: memberships and requests cascade, submissions lose their author)."""
    return {
        "organisations": [
            {"organisation": m.organisation.name, "role": m.role,
             "since": m.created_at.isoformat()}
            for m in OrganisationMembership.objects.filter(user=user).select_related("organisation")
        ],
        "submissions": [
            {"asset": s.asset.name, "submitted_at": s.submitted_at.isoformat(),
             "status": s.status, "reason": s.reason}
            for s in Submission.objects.filter(submitted_by=user).select_related("asset")
        ],
        "requests_to_join": [
            {"organisation": r.organisation.name, "message": r.message,
             "asked_at": r.created_at.isoformat(), "status": r.status, "role_given": r.role,
             "decided_at": r.decided_at.isoformat() if r.decided_at else None,
             "reason": r.reason}
            for r in JoinRequest.objects.filter(user=user).select_related("organisation")
        ],
    }
