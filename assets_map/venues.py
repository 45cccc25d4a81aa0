"""The asset map's venue provider: published assets (hubs first) as venues for other apps."""

from __future__ import annotations

import uuid

from django.db.models import Q
from django.utils.translation import gettext as _

from portal.extension_points import Organisation as PublicOrganisation
from portal.extension_points import Venue

from .models import Asset, Organisation
from .places import asset_base_url, asset_url

PREFIX = "asset:"


class AssetVenueProvider:
    """Offers published assets as venues, keyed "asset:<uuid>" (stable across renames)."""

    def _published(self):
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
        return Venue(
            key=key, name=asset.name, address=asset.address, postcode=asset.postcode,
            latitude=asset.latitude, longitude=asset.longitude,
            url=asset_url(asset, asset_base_url()), is_hub=asset.is_hub,
        )


provider = AssetVenueProvider()


class AssetOrganisationProvider:
    """Offers organisations that run, or offer a service at, a published asset, keyed
    "organisation:<uuid>", with public fields only: the name and the organisation's published
    website (or, without one, the page of a published asset it runs)."""

    PREFIX = "organisation:"

    def _public(self):
        return Organisation.objects.filter(
            Q(assets__status=Asset.PUBLISHED) | Q(services__asset__status=Asset.PUBLISHED)
            | Q(hosted_at__status=Asset.PUBLISHED)).distinct()

    def choices(self):
        for key, name in self._public().order_by("name").values_list("uuid", "name"):
            yield f"{self.PREFIX}{key}", name

    def find_many(self, keys):
        values = []
        for key in keys:
            try:
                values.append(uuid.UUID(key.removeprefix(self.PREFIX)))
            except (ValueError, AttributeError):
                continue
        if not values:
            return []
        rows = list(self._public().filter(uuid__in=values).values_list(
            "id", "uuid", "name", "website"))
        without_website = [row[0] for row in rows if not row[3]]
        asset_slugs = {}
        if without_website:
            for organisation_id, slug in (Asset.objects.published()
                                          .filter(organisation_id__in=without_website)
                                          .order_by("-is_hub", "name")
                                          .values_list("organisation_id", "slug")):
                asset_slugs.setdefault(organisation_id, slug)
        base = asset_base_url() if asset_slugs else ""
        return [PublicOrganisation(
            key=f"{self.PREFIX}{value}", name=name,
            url=website or (f"{base}{asset_slugs[pk]}/" if base and pk in asset_slugs else ""))
            for pk, value, name, website in rows]

    def find(self, key: str):
        if not key or not key.startswith(self.PREFIX):
            return None
        found = self.find_many([key])
        return found[0] if found else None


organisation_provider = AssetOrganisationProvider()
