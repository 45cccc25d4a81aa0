"""Fast open data: each asset's GeoJSON feature is stored when it changes, the collection is
joined from stored features (byte-identical to the builder it replaced), cached under the
normalised filters, with an ETag and 304; hostile parameters are a 400, unknown ones ignored."""

import io
import json
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db.models import CharField
from django.db.models.functions import Cast

from assets_map import moderation, opendata, places
from assets_map.features import feature_texts
from assets_map.importers import import_assets_csv
from assets_map.models import Asset, AssetCategory, Organisation
from assets_map.search import search_assets
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme

from .conftest import KILBURN

pytestmark = pytest.mark.django_db
URL = "/api/assets.geojson"


def reference_geojson(qs, base_url: str) -> dict:
    """The builder the stored features replaced (assets_map/opendata.py before issue 19),
    kept verbatim as the reference for the body."""
    rows = list(qs.annotate(checked=Cast("last_verified", CharField())).values_list(
        "id", "slug", "name", "summary", "address", "postcode", "latitude", "longitude",
        "is_hub", "checked", "category_id", "organisation_id", "neighbourhood_id",
    ))
    if not rows:
        return {"type": "FeatureCollection", "features": []}
    slugs = dict(Theme.objects.values_list("pk", "slug"))
    names = dict(Theme.objects.values_list("pk", "name"))
    themes = defaultdict(list)
    pairs = Asset.themes.through.objects.filter(asset__in=qs.order_by().values("pk"))
    for asset_id, theme_id in sorted(pairs.values_list("asset_id", "theme_id"),
                                     key=lambda pair: (pair[0], names[pair[1]])):
        themes[asset_id].append(slugs[theme_id])
    categories = {pk: (name, slug) for pk, name, slug in
                  AssetCategory.objects.values_list("pk", "name", "slug")}
    organisations = dict(Organisation.objects.values_list("pk", "name"))
    neighbourhoods = {pk: (name, code) for pk, name, code in
                      Neighbourhood.objects.values_list("pk", "name", "code")}
    features = []
    for (pk, slug, name, summary, address, postcode, lat, lng, hub, checked, category_id,
         organisation_id, neighbourhood_id) in rows:
        category, category_slug = categories[category_id]
        area, code = neighbourhoods.get(neighbourhood_id, (None, None))
        features.append({
            "type": "Feature", "id": slug,
            "geometry": {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]},
            "properties": {
                "name": name, "summary": summary, "category": category,
                "category_slug": category_slug,
                "organisation": organisations.get(organisation_id),
                "address": address, "postcode": postcode, "neighbourhood": area,
                "neighbourhood_code": code, "themes": themes.get(pk, []), "hub": hub,
                "last_checked": checked, "url": f"{base_url}{slug}/" if base_url else None,
            },
        })
    return {"type": "FeatureCollection", "features": features}


def reference_bytes(filters=None) -> bytes:
    body = reference_geojson(search_assets(filters or {}), places.asset_base_url())
    return json.dumps(body, separators=(",", ":")).encode()


def names(client, query=""):
    return [f["properties"]["name"] for f in client.get(f"{URL}?{query}").json()["features"]]


def stored(asset) -> dict:
    return json.loads(Asset.objects.get(pk=asset.pk).geojson_feature)


@pytest.fixture
def demo(demo_site):
    call_command("load_demo_assets", stdout=io.StringIO())


def test_the_body_is_identical_to_the_old_builder_for_the_demo(demo, client):
    assert Asset.objects.filter(geojson_feature="").count() == 0  # built by the loader
    body = client.get(URL).content
    assert body == reference_bytes() and len(json.loads(body)["features"]) > 100
    theme = Theme.objects.filter(assets__isnull=False).first()
    assert client.get(f"{URL}?theme={theme.slug}").content == reference_bytes({"theme": theme})
    near = client.get(f"{URL}?postcode=NW6+6NN").json()["features"]
    assert len(near) == len(json.loads(body)["features"])


def test_stored_features_follow_saves_and_the_names_they_show(map_page, make_asset, client):
    org = Organisation.objects.create(name="Brent Libraries")
    asset = make_asset("Harlesden Library", organisation=org)
    assert stored(asset)["properties"]["organisation"] == "Brent Libraries"
    asset.name = "Harlesden Hub"
    asset.save()
    asset.themes.add(Theme.objects.get(slug="housing"))
    assert stored(asset)["properties"]["name"] == "Harlesden Hub"
    assert stored(asset)["properties"]["themes"] == ["housing"]
    org.name = "Brent Council Libraries"
    org.save()
    category = asset.category
    category.name = "Public library"
    category.save()
    hood = Neighbourhood.objects.get(pk=asset.neighbourhood_id)
    hood.name = "Harlesden and Kensal Green"
    hood.save()
    properties = stored(asset)["properties"]
    assert properties["organisation"] == "Brent Council Libraries"
    assert properties["category"] == "Public library"
    assert properties["neighbourhood"] == "Harlesden and Kensal Green"
    Theme.objects.get(slug="housing").assets.clear()
    org.delete()
    assert stored(asset)["properties"]["themes"] == []
    assert stored(asset)["properties"]["organisation"] is None
    assert client.get(URL).content == reference_bytes()


def test_bulk_import_builds_each_feature(map_page, client, library):
    Theme.objects.filter(slug="housing").update(name="Housing")
    csv = ("external_id,name,category,organisation,latitude,longitude,themes,hub\n"
           f"t:1,Kilburn Library,library,Brent Libraries,{KILBURN[0]},{KILBURN[1]},housing,yes\n"
           f"t:2,Kilburn Hall,library,,{KILBURN[0]},{KILBURN[1]},,no\n").encode()
    report = import_assets_csv(csv, dry_run=True)
    assert report.created == 2 and not Asset.objects.exists()
    report = import_assets_csv(csv)
    assert report.created == 2 and report.errors == []
    kilburn = Asset.objects.get(external_id="t:1")
    assert stored(kilburn)["properties"]["themes"] == ["housing"]
    assert stored(kilburn)["properties"]["organisation"] == "Brent Libraries"
    assert client.get(URL).content == reference_bytes()
    assert feature_texts() == dict(Asset.objects.values_list("pk", "geojson_feature"))


def test_moderation_publishing_and_deleting_change_the_collection(
        map_page, make_asset, client, officer, vcs_member):
    draft = make_asset("Kilburn Food Bank", at=KILBURN, status=Asset.DRAFT)
    make_asset("Harlesden Library")
    assert names(client) == ["Harlesden Library"]
    submission = moderation.submit_for_moderation(draft, vcs_member)
    moderation.approve(submission, officer)
    assert names(client) == ["Harlesden Library", "Kilburn Food Bank"]
    assert stored(draft)["properties"]["last_checked"] is not None
    draft.refresh_from_db()
    draft.status = Asset.ARCHIVED
    draft.save(update_fields=["status", "updated_at"])
    assert names(client) == ["Harlesden Library"]
    Asset.objects.get(name="Harlesden Library").delete()
    assert names(client) == []


def test_a_feature_missing_after_a_raw_bulk_create_is_built_when_served(map_page, client,
                                                                        library):
    Asset.objects.bulk_create([Asset(name='Say "url":"x"', slug="odd", category=library,
                                     latitude=KILBURN[0], longitude=KILBURN[1],
                                     status=Asset.PUBLISHED, summary='"url":"/evil/"')])
    feature = client.get(URL).json()["features"][0]
    assert feature["properties"]["url"] == "/community-assets/odd/"
    assert feature["properties"]["summary"] == '"url":"/evil/"'
    assert Asset.objects.get().geojson_feature
    assert client.get(URL).content == reference_bytes()


def test_an_empty_queryset_is_an_empty_collection(map_page):
    from assets_map.features import collection

    assert collection(Asset.objects.none(), "/x/") == b'{"type":"FeatureCollection","features":[]}'


def test_without_a_map_page_urls_are_null(demo_site, make_asset, client):
    make_asset("Harlesden Library", summary='"url":"x"')
    feature = client.get(URL).json()["features"][0]
    assert feature["properties"]["url"] is None
    assert feature["properties"]["summary"] == '"url":"x"'


def test_filters_are_normalised_into_one_key_and_etag(map_page, make_asset, client):
    make_asset("Harlesden Library", step_free_access=True, bsl=True)
    first = client.get(f"{URL}?features=bsl&features=step_free_access&hubs=&q=library")
    same = [
        "q=library&features=step_free_access&features=bsl",
        "features=bsl&features=step_free_access&features=bsl&q=library&utm_source=news&_=17",
    ]
    for query in same:
        assert client.get(f"{URL}?{query}")["ETag"] == first["ETag"], query
    assert client.get(f"{URL}?q=Library")["ETag"] != first["ETag"]
    assert (client.get(f"{URL}?postcode=nw66nn")["ETag"]
            == client.get(f"{URL}?postcode=NW6+6NN")["ETag"])
    assert "ETag" not in client.get(f"{URL}?open_now=on")  # changes by the minute


def test_large_bodies_are_joined_each_time_small_ones_cached(map_page, make_asset, client,
                                                             monkeypatch):
    asset = make_asset("Harlesden Library")
    assert names(client) == ["Harlesden Library"]
    text = Asset.objects.get().geojson_feature.replace("Harlesden Library", "Changed")
    Asset.objects.filter(pk=asset.pk).update(geojson_feature=text)  # no signal, no new version
    assert names(client) == ["Harlesden Library"]  # small: from the cache
    monkeypatch.setattr(opendata, "MAX_CACHED_BYTES", 10)
    opendata.assets_changed()
    assert names(client) == ["Changed"]
    Asset.objects.filter(pk=asset.pk).update(geojson_feature=text.replace("Changed", "Again"))
    assert names(client) == ["Again"]  # over the limit: joined from the stored features


def test_if_none_match_gets_a_304_until_an_asset_changes(map_page, make_asset, client):
    asset = make_asset("Harlesden Library")
    etag = client.get(URL)["ETag"]
    for header in [etag, f"W/{etag}", f'"other", {etag}', "*"]:
        response = client.get(URL, headers={"If-None-Match": header})
        assert response.status_code == 304 and response.content == b"", header
        assert response["ETag"] == etag
    assert client.get(URL, headers={"If-None-Match": '"other"'}).status_code == 200
    asset.name = "Harlesden Hub"
    asset.save()
    response = client.get(URL, headers={"If-None-Match": etag})
    assert response.status_code == 200 and response["ETag"] != etag


@pytest.mark.parametrize(("query", "field"), [
    ("q=" + "x" * 101, "q"),
    ("bbox=" + ",".join(["1" * 60] * 4), "bbox"),
    ("theme=housing&theme=health", "theme"),
    ("hubs=on&hubs=on", "hubs"),
    ("category=" + "a" * 100_000, "category"),
    ("&".join(["features=bsl"] * 6), "features"),
])
def test_hostile_parameters_are_a_400_naming_the_accepted_ones(map_page, client, query, field):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    data = response.json()
    assert field in data["errors"]
    if "accepted" in data:
        assert {"q", "bbox", "theme", "features"} <= set(data["accepted"])


def test_too_many_parameters_is_a_400(map_page, client):
    response = client.get(URL + "?" + "&".join(f"p{n}=1" for n in range(10_001)))
    assert response.status_code == 400


def test_the_data_migration_builds_the_same_features_from_historical_models(
        map_page, make_asset):
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from assets_map.features import refresh_features

    asset = make_asset("Harlesden Library", organisation=Organisation.objects.create(name="B"))
    asset.themes.add(Theme.objects.get(slug="housing"))
    expected = Asset.objects.get().geojson_feature
    Asset.objects.update(geojson_feature="")
    state = MigrationLoader(connection).project_state(("assets_map", "0007_asset_geojson_feature"))
    assert refresh_features(registry=state.apps) == 1
    assert Asset.objects.get().geojson_feature == expected
