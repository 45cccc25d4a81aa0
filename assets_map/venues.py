"""The asset map's venue provider: published assets (hubs first) as venues for other apps."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _

from portal.venues import Venue

PREFIX = "asset:"


class AssetVenueProvider:
    """Offers published assets as venues, keyed "asset:<uuid>" (stable across renames)."""

    def _published(self):
        from .models import Asset

        return Asset.objects.published()

    def choices(self):
        """(key, label) for every published asset: hubs first, labelled as hubs."""
        rows = self._published().order_by("-is_hub", "name").values_list(
            "uuid", "name", "postcode", "is_hub")
        for key, name, postcode, is_hub in rows:
            label = f"{name}, {postcode}" if postcode else name
            if is_hub:
                label = _("Hub: %(name)s") % {"name": label}
            yield f"{PREFIX}{key}", label

    def find(self, key: str) -> Venue | None:
        if not key or not key.startswith(PREFIX):
            return None
        try:
            value = uuid.UUID(key[len(PREFIX):])
        except ValueError:
            return None
        asset = self._published().filter(uuid=value).first()
        if asset is None:
            return None
        from .services import asset_base_url, asset_url

        return Venue(
            key=key, name=asset.name, address=asset.address, postcode=asset.postcode,
            latitude=asset.latitude, longitude=asset.longitude,
            url=asset_url(asset, asset_base_url()), is_hub=asset.is_hub,
        )


provider = AssetVenueProvider()
