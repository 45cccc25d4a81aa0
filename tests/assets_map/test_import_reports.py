"""The asset imports report every value they cut, leave out or refuse (row, column, what
happened), refuse NUL bytes, and take hostile files without a server error."""

import json

import pytest

from assets_map.importers import import_assets_csv, import_openreferral
from assets_map.models import Asset

pytestmark = pytest.mark.django_db

PORTAL = "external_id,name,category,postcode,latitude,longitude,address,summary,website\n"
LIBRARIES = "name,id,address,postcode,lat,lng,closed,url\n"


def portal_row(external_id="a-1", name="Harlesden Hall", address="", summary="", website=""):
    return (f'{external_id},"{name}",community-centre,NW10 8SE,,,"{address}","{summary}",'
            f'"{website}"\n')


def test_a_long_name_is_refused_not_cut(demo_site):
    report = import_assets_csv((PORTAL + portal_row(name="N" * 5000)).encode())
    assert report.errors == [(2, "The “name” is 5,000 characters long; it may have at most 200.")]
    assert not Asset.objects.exists()


def test_a_long_library_name_is_refused_and_a_long_one_keeps_within_the_limit(demo_site):
    rows = (f'{"N" * 5000},1,"1 High St",NW10 8SE,,,,\n'
            f'{"M" * 195},2,"1 High St",NW10 8SE,,,,\n')
    report = import_assets_csv((LIBRARIES + rows).encode())
    assert [line for line, _message in report.errors] == [2]
    assert len(Asset.objects.get(external_id="library:2").name) <= 200


def test_a_long_address_and_summary_are_cut_with_a_warning(demo_site):
    report = import_assets_csv(
        (PORTAL + portal_row(address="A" * 500, summary="S" * 400)).encode())
    assert report.created == 1
    assert (2, "The “address” was 500 characters long; only its first 300 were imported."
            ) in report.warnings
    assert (2, "The “summary” was 400 characters long; only its first 300 were imported."
            ) in report.warnings
    assert len(Asset.objects.get().address) == 300
    assert any("(warning): The “address” was 500" in line for line in report.lines())


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files.example.org/",
                                 "https://" + "x" * 300 + ".org"])
def test_a_library_website_that_is_not_http_is_left_out_and_reported(demo_site, url):
    report = import_assets_csv((LIBRARIES + f'Kilburn,3,"1 High St",NW6 6NN,,,,{url}\n').encode())
    assert report.created == 1 and Asset.objects.get().website == ""
    [warning] = [message for _line, message in report.warnings if "website" in message]
    assert "is not a web address starting with http:// or https://" in warning
    assert "imported without a website" in warning


def test_a_portal_row_with_a_javascript_website_is_refused(demo_site):
    report = import_assets_csv((PORTAL + portal_row(website="javascript:alert(1)")).encode())
    assert "is not a web address" in report.errors[0][1] and not Asset.objects.exists()


@pytest.mark.parametrize("row", [
    portal_row(name="Harles\x00den Hall"),
    portal_row(address="1 High\x00 Street"),
])
def test_a_nul_byte_refuses_the_row(demo_site, row):
    report = import_assets_csv((PORTAL + row).encode())
    assert "null character (NUL)" in report.errors[0][1]
    assert not Asset.objects.exists()


def test_a_name_with_a_line_break_is_refused(demo_site):
    report = import_assets_csv((PORTAL + portal_row(name="Harlesden\r\nHall")).encode())
    assert "line breaks" in report.errors[0][1] and not Asset.objects.exists()


def test_a_field_over_the_csv_limit_skips_its_row_and_the_rest_import(demo_site):
    text = (PORTAL + portal_row(external_id="a-1", summary="x" * 200_000)
            + portal_row(external_id="a-2", name="Kilburn Hall"))
    report = import_assets_csv(text.encode())
    assert [line for line, _message in report.errors] == [2]
    assert "longer than 131,072 characters" in report.errors[0][1]
    assert list(Asset.objects.values_list("external_id", flat=True)) == ["a-2"]


def test_a_header_over_the_csv_limit_is_refused(demo_site):
    report = import_assets_csv(("name," + "x" * 200_000 + "\n").encode())
    assert "longer than 131,072 characters" in report.errors[0][1]


def test_deeply_nested_open_referral_json_is_refused(demo_site):
    report = import_openreferral(b"[" * 100_000 + b"]" * 100_000)
    assert "nested too deeply" in report.errors[0][1]


def oruk_service(**changes):
    service = {
        "id": "5d8f7e1c-58a5-4fa4-9a77-3c6f3a0b7f10", "name": "Advice drop-in",
        "organization": {"id": "org-1", "name": "Harlesden Advice"},
        "service_at_locations": [{"location": {
            "id": "loc-1", "name": "Harlesden Hall", "latitude": 51.5386,
            "longitude": -0.2505,
            "addresses": [{"address_1": "1 High Street", "city": "London",
                           "postal_code": "NW10 8SE"}]}}],
    }
    service.update(changes)
    return json.dumps(service).encode()


def test_open_referral_cuts_and_refusals_are_reported(demo_site):
    report = import_openreferral(oruk_service(name="S" * 500))
    assert "“name” is 500 characters long" in report.errors[0][1]
    report = import_openreferral(oruk_service(name="Advice\x00drop-in"))
    assert "null characters" in report.errors[0][1]
    report = import_openreferral(oruk_service(name=["not", "text"]))
    assert "must be text" in report.errors[0][1]
    assert not Asset.objects.exists()
    location = json.loads(oruk_service())["service_at_locations"][0]["location"]
    location["addresses"][0]["address_1"] = "A" * 400
    report = import_openreferral(oruk_service(service_at_locations=[{"location": location}]))
    assert report.created == 1
    assert any("“address” was 408 characters long" in message
               for _number, message in report.warnings)


def test_an_open_referral_organisation_website_that_is_not_http_is_left_out(demo_site):
    from assets_map.models import Organisation

    report = import_openreferral(oruk_service(organization={
        "id": "org-2", "name": "Harlesden Advice", "website": "javascript:alert(1)"}))
    assert report.created == 1 and Organisation.objects.get().website == ""
    assert any("“javascript:alert(1)” is not a web address" in message and "left out" in message
               for _number, message in report.warnings)
