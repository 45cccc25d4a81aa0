"""Where assets are: their neighbourhoods, and the addresses of their public pages."""

from __future__ import annotations

from django.utils import translation
from wagtail.models import Locale

from portal.neighbourhoods.models import Neighbourhood
from portal.neighbourhoods.services import NeighbourhoodLocator
from portal.request_memo import remembered

from .features import features_changed
from .models import Asset, AssetMapPage


def map_page() -> AssetMapPage | None:
    """The live asset map page in the active language (or any, if it is not translated);
    looked up once a request (portal.request_memo)."""
    return remembered("assets_map.map_page", translation.get_language(), _find_map_page)


def _find_map_page() -> AssetMapPage | None:
    pages = AssetMapPage.objects.live().order_by("pk")
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        return pages.first()
    return pages.filter(locale=locale).first() or pages.first()


def asset_base_url(request=None) -> str:
    """The URL prefix of asset pages ("/community-assets/"), or "" without a live map page."""
    page = map_page()
    return page.get_url(request) if page else ""


def asset_url(asset, base: str) -> str:
    """An asset's page under `base` (from asset_base_url), or "" when there is no map page."""
    return f"{base}{asset.slug}/" if base else ""


def recompute_neighbourhoods() -> int:
    """Re-derive every asset's neighbourhood from the current boundaries; returns changes.

    Built from the rows rather than the shared locator, which may not have noticed a boundary
    change yet.
    """
    locator = NeighbourhoodLocator(Neighbourhood.objects.values_list("id", "code", "boundary"))
    rows = list(Asset.objects.values_list("id", "latitude", "longitude", "neighbourhood_id"))
    found = locator.locate_many([(lat, lng) for _, lat, lng, _n in rows])
    changed = [Asset(id=row[0], neighbourhood_id=new)
               for row, new in zip(rows, found, strict=True) if row[3] != new]
    Asset.objects.bulk_update(changed, ["neighbourhood_id"], batch_size=500)
    if changed:
        features_changed([asset.pk for asset in changed])  # shows the neighbourhood's name
    return len(changed)
