"""What plans take from the core's venue and organisation catalogues (filled by the asset map
through `portal.extension_points`): plans store keys and copies, never asset map objects."""

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
            "key": venue.key, "name": venue.name, "postcode": venue.postcode,
            "latitude": venue.latitude, "longitude": venue.longitude, "url": venue.url,
            "is_hub": venue.is_hub,
        })
    return details


def partner_organisations(actions) -> dict:
    """Key -> `portal.extension_points.Organisation` for the partner organisations the actions
    name that the catalogue still offers (one look-up for the whole plan)."""
    keys = [key for action in actions for key in (action.partner_organisation_keys or [])]
    return {organisation.key: organisation for organisation in organisations.find_many(keys)}
