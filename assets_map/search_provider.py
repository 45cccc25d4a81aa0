"""What the asset map offers the site search (registered under
`extension_points.SEARCH_PROVIDERS`): published assets with their categories, services,
accessibility features and themes, and the organisations that run them.

Candidates come from plain case-insensitive substring queries (`portal.search.matching`),
so the search behaves the same on SQLite and PostgreSQL and needs no index to be rebuilt.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.search.hits import SearchHit, SearchQuery
from portal.search.matching import rank_by_terms
from portal.themes.models import Theme

from .category_names import category_name
from .models import ACCESSIBILITY_FEATURES, Asset, AssetCategory, Organisation, Service
from .places import asset_base_url, asset_url

TITLE, NAMES, TEXT, THEMES = 10.0, 4.0, 1.0, 0.5
ASSET_LOOKUPS = ("name", "summary", "description", "category__name", "languages",
                 "organisation__name")
# More words that mean each accessibility feature, besides its label.
FEATURE_WORDS = {
    "step_free_access": gettext_lazy("wheelchair ramp level access"),
    "accessible_toilet": gettext_lazy("disabled toilet"),
    "hearing_loop": gettext_lazy("induction loop deaf"),
    "bsl": gettext_lazy("BSL sign language deaf interpreter"),
}


def feature_text(name: str, label) -> str:
    return f"{label} {FEATURE_WORDS.get(name, '')}"


def features_for(term: str) -> list[str]:
    """The accessibility features one of whose words starts with `term` ("bsl", "hearing")."""
    if len(term) < 3:
        return []
    return [name for name, label in ACCESSIBILITY_FEATURES
            if any(word.startswith(term)
                   for word in feature_text(name, label).casefold().replace("(", " ")
                   .replace(")", " ").split())]


def _asset_extra(term: str):
    services = Service.objects.filter(
        Q(name__icontains=term) | Q(description__icontains=term)
        | Q(eligibility__icontains=term), asset=OuterRef("pk"))
    # Theme and category words in every language: a Welsh reader searches in Welsh.
    theme_keys = Theme.all_locales.filter(
        Q(name__icontains=term) | Q(description__icontains=term)).values("translation_key")
    themes = Asset.themes.through.objects.filter(
        theme__translation_key__in=theme_keys, asset_id=OuterRef("pk"))
    category_keys = AssetCategory.all_locales.filter(name__icontains=term).values(
        "translation_key")
    condition = (Q(Exists(services)) | Q(Exists(themes))
                 | Q(category__translation_key__in=category_keys))
    for name in features_for(term):
        condition |= Q(**{name: True})
    return condition


class AssetSearchProvider:
    kind = "asset"
    label = gettext_lazy("Places and services")
    page_models = ()

    def published(self, neighbourhood=None):
        assets = Asset.objects.published()
        if neighbourhood is not None:
            assets = assets.filter(neighbourhood=neighbourhood)
        return assets

    def search(self, query: SearchQuery) -> list[SearchHit]:
        """Published assets with any of the terms, as hits with their services and features."""
        found = rank_by_terms(self.published(query.neighbourhood), query.terms, ASSET_LOOKUPS,
                              _asset_extra, query.limit)
        assets = list(found.select_related("category", "organisation", "neighbourhood")
                      .prefetch_related("services", "themes"))
        base = asset_base_url(query.request)
        return [self.hit(asset, base) for asset in assets]

    def hit(self, asset, base: str) -> SearchHit:
        features = [(name, label) for name, label in ACCESSIBILITY_FEATURES
                    if getattr(asset, name)]
        services = list(asset.services.all())
        fields = [(asset.name, TITLE), (asset.category.name, NAMES), (asset.summary, TEXT),
                  (asset.description, TEXT), (asset.languages, TEXT)]
        fields += [(service.name, NAMES) for service in services]
        fields += [(f"{service.description} {service.eligibility}", TEXT)
                   for service in services]
        fields += [(feature_text(name, label), NAMES) for name, label in features]
        if asset.organisation is not None:
            fields.append((asset.organisation.name, TEXT))
        fields += [(f"{theme.name} {theme.description}", THEMES)
                   for theme in asset.themes.all()]
        meta = [category_name(asset.category)]
        if asset.neighbourhood is not None:
            meta.append(asset.neighbourhood.name)
        return SearchHit(
            key=f"asset:{asset.uuid}", kind=self.kind, title=asset.name,
            url=asset_url(asset, base), fields=fields,
            snippet=asset.summary or asset.description
            or ", ".join(service.name for service in services),
            extracts=[f"{service.name}: {service.description or service.eligibility}"
                      for service in services],
            meta=" · ".join(meta), tags=tuple(str(label) for _name, label in features),
        )

    def vocabulary(self):
        published = Asset.objects.published()
        yield from published.values_list("name", flat=True)[:5000]
        yield from published.values_list("category__name", flat=True).distinct()
        yield from (Service.objects.filter(asset__status=Asset.PUBLISHED)
                    .values_list("name", flat=True).distinct()[:2000])
        yield from (str(label) for _name, label in ACCESSIBILITY_FEATURES)
        yield from (str(words) for words in FEATURE_WORDS.values())

    def nearby(self, location, limit: int):
        """The published assets nearest a point, and the asset map sorted by distance from
        its postcode."""
        assets = (self.published().select_related("category", "neighbourhood")
                  .near(location.latitude, location.longitude)[:limit])
        base = asset_base_url()
        hits = []
        for asset in assets:
            hit = self.hit(asset, base)
            distance = asset.distance_m or 0
            hit.meta = (_("%(category)s, about %(distance)s m away") % {
                "category": category_name(asset.category), "distance": round(distance, -1)}
                if distance >= 50 else
                _("%(category)s, under 50 m away") % {"category": category_name(asset.category)})
            hits.append(hit)
        more = f"{base}?postcode={location.postcode.replace(' ', '+')}" if base else ""
        return hits, more


def _public_organisations():
    published = Asset.objects.published()
    return Organisation.objects.filter(
        Q(Exists(published.filter(organisation=OuterRef("pk"))))
        | Q(Exists(Service.objects.filter(organisation=OuterRef("pk"),
                                          asset__status=Asset.PUBLISHED))))


def _organisation_extra(term: str):
    services = Service.objects.filter(
        Q(name__icontains=term) | Q(description__icontains=term),
        organisation=OuterRef("pk"), asset__status=Asset.PUBLISHED)
    return Q(Exists(services))


class OrganisationSearchProvider:
    """Organisations that run a published asset or offer a service at one (public fields
    only), linked to their main place's page, or to their website without one."""

    kind = "organisation"
    label = gettext_lazy("Organisations")
    page_models = ()

    def search(self, query: SearchQuery) -> list[SearchHit]:
        organisations = _public_organisations()
        if query.neighbourhood is not None:
            organisations = organisations.filter(
                Q(assets__status=Asset.PUBLISHED, assets__neighbourhood=query.neighbourhood)
                | Q(services__asset__status=Asset.PUBLISHED,
                    services__asset__neighbourhood=query.neighbourhood)).distinct()
        found = list(rank_by_terms(organisations, query.terms, ("name", "description"),
                                   _organisation_extra, query.limit)
                     .prefetch_related("services"))
        places = self._places([organisation.pk for organisation in found])
        base = asset_base_url(query.request)
        hits = []
        for organisation in found:
            services = [service.name for service in organisation.services.all()]
            slug = places.get(organisation.pk)
            url = f"{base}{slug}/" if base and slug else organisation.website
            hits.append(SearchHit(
                key=f"organisation:{organisation.uuid}", kind=self.kind,
                title=organisation.name, url=url,
                fields=[(organisation.name, TITLE), (organisation.description, TEXT),
                        *[(name, NAMES) for name in services]],
                snippet=organisation.description))
        return hits

    def _places(self, organisation_ids) -> dict[int, str]:
        """Each organisation's main published asset's slug (hubs first)."""
        places: dict[int, str] = {}
        for pk, slug in (Asset.objects.published().filter(organisation_id__in=organisation_ids)
                         .order_by("-is_hub", "name").values_list("organisation_id", "slug")):
            places.setdefault(pk, slug)
        missing = [pk for pk in organisation_ids if pk not in places]
        for pk, slug in (Service.objects.filter(organisation_id__in=missing,
                                                asset__status=Asset.PUBLISHED)
                         .order_by("-asset__is_hub", "asset__name")
                         .values_list("organisation_id", "asset__slug")):
            places.setdefault(pk, slug)
        return places

    def vocabulary(self):
        return _public_organisations().values_list("name", flat=True)[:5000]


assets = AssetSearchProvider()
organisations = OrganisationSearchProvider()
