"""Open data endpoints and hostile parameters: non-finite or out-of-range bounding boxes are a
400 as documented, unknown or malformed Open Referral ids a JSON 404 straight away (no
redirect first), and `openapi_url` names an OpenAPI document describing these endpoints."""

import uuid

import pytest
from jsonschema import Draft202012Validator

from assets_map.openapi import LISTS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("bbox", [
    "NaN,NaN,NaN,NaN", "nan,51.5,-0.1,51.6", "-inf,-inf,inf,inf", "-0.3,51.5,1e309,51.6",
    "-0.3,51.5,-0.1,Infinity", "-200,51.5,-0.1,51.6", "-0.3,-91,-0.1,51.6", "-0.3,51.5,-0.1,95",
])
def test_a_non_finite_or_impossible_bbox_is_a_400(client, map_page, bbox):
    response = client.get("/api/assets.geojson", {"bbox": bbox})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["bbox"]


def test_a_whole_world_bbox_is_fine(client, map_page, make_asset):
    make_asset("Harlesden Library")
    response = client.get("/api/assets.geojson", {"bbox": "-180,-90,180,90"})
    assert response.status_code == 200 and len(response.json()["features"]) == 1


def test_a_long_query_string_is_cached_under_a_short_key(client, map_page, make_asset):
    make_asset("Harlesden Library")
    response = client.get("/api/assets.geojson", {"unused": "x" * 100_000})
    assert response.status_code == 200 and len(response.json()["features"]) == 1


@pytest.mark.parametrize("kind", ["services", "organizations", "service_at_locations"])
# Fixed values: pytest-xdist's workers must collect the same parameters.
@pytest.mark.parametrize("identifier", [
    "0b6c2a8e-5d0f-4c43-9f43-0c5a3e6f2d11", "not-a-uuid", "1", "..%2F..%2Fetc",
    "0B6C2A8E-5D0F-4C43-9F43-0C5A3E6F2D11", "x" * 300])
def test_unknown_or_malformed_oruk_ids_are_a_json_404_at_once(client, map_page, kind,
                                                              identifier):
    response = client.get(f"/api/openreferral/{kind}/{identifier}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_openapi_url_names_an_openapi_document_of_these_endpoints(client, map_page):
    details = client.get("/api/openreferral/").json()
    assert details["openapi_url"] == "http://testserver/api/openreferral/openapi.json"
    response = client.get(details["openapi_url"])
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["servers"] == [{"url": "http://testserver/api/openreferral"}]
    for path in [*LISTS, *(f"{p}/{{id}}" for p in LISTS), "/"]:
        assert "get" in document["paths"][path], path
        # every path it names answers
        url = path.replace("{id}", str(uuid.uuid4()))
        assert client.get("/api/openreferral" + url).status_code in {200, 404}
    Draft202012Validator.check_schema(document["components"]["schemas"]["Page"])
