"""Open Referral UK 3.0 (HSDS 3.0 profile) records built from published assets.

Mapping: a portal Service is an ORUK `service`; the asset it is offered at is its `location`
(physical, with a postal address); their pairing is a `service_at_location`; the organisation
running the service (or, failing that, the asset) is its `organization`. Only published assets
appear. No person's contact details are exported: no emails, no phones, only organisations'
websites. Every id is a UUID: stored ones for rows, derived (uuid5) ones for addresses,
schedules, accessibility entries, cost options and service-at-location pairs.
"""

from __future__ import annotations

import math
import uuid

from django.db.models import Q

from .models import ACCESSIBILITY_FEATURES, WEEKDAYS, OpeningHours, Organisation, Service

PROFILE = "https://raw.githubusercontent.com/openreferraluk/uk-profile/refs/heads/main/"
VERSION = "3.0"
RRULE_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
DEFAULT_PER_PAGE, MAX_PER_PAGE = 50, 500


def derived_id(base: uuid.UUID, kind: str) -> str:
    return str(uuid.uuid5(base, kind))


def published_services():
    return (Service.objects.filter(asset__status="published")
            .select_related("asset", "organisation", "asset__organisation")
            .order_by("asset__name", "sort_order", "id"))


def published_organisations():
    return Organisation.objects.filter(
        Q(assets__status="published") | Q(services__asset__status="published")
    ).distinct().order_by("name")


def organization(org: Organisation) -> dict:
    record = {"id": str(org.uuid), "name": org.name,
              "description": org.description or org.name}
    if org.website:
        record["website"] = org.website
    identifiers = []
    if org.charity_number:
        identifiers.append({"id": derived_id(org.uuid, "charity"),
                            "organization_id": str(org.uuid),
                            "identifier_scheme": "GB-CHC", "identifier_type": "Charity number",
                            "identifier": org.charity_number})
    if org.company_number:
        identifiers.append({"id": derived_id(org.uuid, "company"),
                            "organization_id": str(org.uuid),
                            "identifier_scheme": "GB-COH", "identifier_type": "Company number",
                            "identifier": org.company_number})
    record["organization_identifiers"] = identifiers
    return record


def _provider(service: Service) -> Organisation | None:
    return service.organisation or service.asset.organisation


def location(asset) -> dict:
    lines = [part.strip() for part in (asset.address or "").split(",") if part.strip()]
    record = {
        "id": str(asset.uuid), "location_type": "physical", "name": asset.name,
        "description": asset.summary or asset.name,
        "latitude": round(asset.latitude, 6), "longitude": round(asset.longitude, 6),
        "addresses": [{
            "id": derived_id(asset.uuid, "address"), "location_id": str(asset.uuid),
            "address_1": lines[0] if lines else asset.name,
            "city": lines[-1] if len(lines) > 1 else "",
            "state_province": "", "postal_code": asset.postcode, "country": "GB",
            "address_type": "physical",
        }],
        "accessibility": [
            {"id": derived_id(asset.uuid, f"access:{name}"), "location_id": str(asset.uuid),
             "description": str(label)}
            for name, label in ACCESSIBILITY_FEATURES if getattr(asset, name)
        ],
    }
    if asset.external_id:
        record["external_identifier"] = asset.external_id
        record["external_identifier_type"] = "portal import"
    return record


def _schedules(service: Service, hours) -> list[dict]:
    return [{
        "id": derived_id(service.uuid, f"schedule:{period.weekday}:{period.opens}"),
        "service_id": str(service.uuid), "freq": "WEEKLY",
        "byday": RRULE_DAYS[period.weekday],
        "opens_at": period.opens.strftime("%H:%M"), "closes_at": period.closes.strftime("%H:%M"),
        "description": str(dict(WEEKDAYS)[period.weekday]),
    } for period in hours]


def _description(service: Service) -> str:
    parts = [service.description or service.asset.summary or service.name]
    if service.eligibility:
        parts.append(f"Who it is for: {service.eligibility}")
    if service.how_to_access:
        parts.append(f"How to access it: {service.how_to_access}")
    return "\n\n".join(parts)


def service_at_location_id(service: Service) -> str:
    return derived_id(service.uuid, "service_at_location")


def service_summary(service: Service) -> dict:
    """A service as in a list (compiled/service_list.json)."""
    provider = _provider(service)
    record = {
        "id": str(service.uuid), "name": service.name, "description": _description(service),
        "status": "active",
        "last_modified": service.asset.updated_at.isoformat(),
    }
    if provider:
        record["organization_id"] = str(provider.uuid)
    url = service.asset.website or (provider.website if provider else "")
    if url:
        record["url"] = url
    if service.asset.last_verified:
        record["assured_date"] = service.asset.last_verified.isoformat()
    return record


def service_full(service: Service, hours) -> dict:
    """A service with its organisation, locations, schedules and costs (compiled/service.json)."""
    record = service_summary(service)
    provider = _provider(service)
    if provider:
        record["organization"] = organization(provider)
    record["service_at_locations"] = [{
        "id": service_at_location_id(service), "service_id": str(service.uuid),
        "location_id": str(service.asset.uuid), "location": location(service.asset),
    }]
    record["schedules"] = _schedules(service, hours)
    if service.cost:
        record["cost_options"] = [{"id": derived_id(service.uuid, "cost"),
                                   "service_id": str(service.uuid),
                                   "amount_description": service.cost}]
    return record


def service_at_location(service: Service) -> dict:
    return {"id": service_at_location_id(service), "service_id": str(service.uuid),
            "location_id": str(service.asset.uuid), "location": location(service.asset)}


def page(items, number, per_page, build) -> dict:
    """An ORUK paginated list: total_items, total_pages, page_number, size, ..., contents."""
    total = items.count()
    total_pages = max(1, math.ceil(total / per_page))
    number = min(max(1, number), total_pages)
    rows = list(items[(number - 1) * per_page: number * per_page])
    contents = build(rows)
    return {"total_items": total, "total_pages": total_pages, "page_number": number,
            "size": len(contents), "first_page": number == 1,
            "last_page": number == total_pages, "empty": total == 0, "contents": contents}


def hours_for(services) -> dict:
    """Opening hours by asset id for the assets of some services (one query)."""
    by_asset = {}
    for period in OpeningHours.objects.filter(asset_id__in={s.asset_id for s in services}):
        by_asset.setdefault(period.asset_id, []).append(period)
    return by_asset
