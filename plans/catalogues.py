"""What plans take from the core's venue and organisation catalogues (filled by the asset map
through `portal.extension_points`): plans store keys and copies, never asset map objects."""

from collections import Counter

from django.utils.translation import gettext as _

from portal.extension_points import organisations, venues


def venue_details(keys) -> list[dict]:
    """Name, place and kind of each hub or asset key, copied into the action so the plan reads
    and maps well without asking the asset map again."""
    details = []
    for key in keys or []:
        venue = venues.find(key)
        if venue is None:
            continue
        details.append({
            "key": venue.key, "name": venue.name, "address": venue.address,
            "postcode": venue.postcode,
            "latitude": venue.latitude, "longitude": venue.longitude, "url": venue.url,
            "is_hub": venue.is_hub,
        })
    return details


def partner_organisations(actions) -> dict:
    """Key -> `portal.extension_points.Organisation` for the partner organisations the actions
    name that the catalogue still offers (one look-up for the whole plan)."""
    keys = [key for action in actions for key in (action.partner_organisation_keys or [])]
    return {organisation.key: organisation for organisation in organisations.find_many(keys)}


def _name(marker) -> str:
    return " ".join(str(marker.get("name", "")).split()).casefold()


def describe_markers(markers: list[dict]) -> list[dict]:
    """Give each numbered map marker a ``detail`` that tells it apart in the map's key: its
    postcode, and for places that share a name, their address as well (from the copy kept in
    the action, else from the catalogue, one look-up); places that still read the same are
    told apart by their number on the map. Returns the markers, changed in place."""
    shared = {name for name, count in Counter(map(_name, markers)).items() if count > 1}
    missing = [m["key"] for m in markers if _name(m) in shared and not m.get("address")]
    if missing:
        found = {venue.key: venue for venue in venues.find_many(missing)}
        for marker in markers:
            if marker["key"] in found and not marker.get("address"):
                marker["address"] = found[marker["key"]].address
    for marker in markers:
        parts = [marker.get("address", "")] if _name(marker) in shared else []
        parts.append(marker.get("postcode", ""))
        marker["detail"] = ", ".join(part for part in parts if part)
    labels = Counter((_name(m), m["detail"]) for m in markers)
    for marker in markers:
        if labels[(_name(marker), marker["detail"])] > 1:
            number = _("number %(number)s on the map") % {"number": marker["number"]}
            marker["detail"] = ", ".join(part for part in (marker["detail"], number) if part)
    return markers
