"""The Wagtail admin's "Import boundaries" page and the neighbourhood snippets, as each role."""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.accounts.models import User
from portal.neighbourhoods.models import Locality, Neighbourhood

from .conftest import BRENT_WARDS

IMPORT_URL = "/admin/neighbourhoods/import/"
PASSWORD = "a-long-test-password"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_staff_mfa(settings):
    # Staff must normally set up an authenticator app before using the admin.
    settings.PORTAL_REQUIRE_STAFF_MFA = False


def make_user(role):
    if role == "superuser":
        return User.objects.create_superuser(email="admin@example.org", password=PASSWORD)
    user = User.objects.create_user(email=f"{role.split()[0].lower()}@example.org",
                                    password=PASSWORD)
    if role != "resident":
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def client_as(client):
    def log_in(role):
        client.force_login(make_user(role))
        return client
    return log_in


def upload(name, content):
    if isinstance(content, dict):
        content = json.dumps(content)
    if isinstance(content, str):
        content = content.encode()
    return SimpleUploadedFile(name, content, content_type="application/geo+json")


def post_file(client, file, follow=False, **fields):
    return client.post(IMPORT_URL, {"file": file, **fields}, follow=follow)


def page_messages(response):
    return [str(message).strip() for message in response.context["messages"]]


def test_import_url_is_where_the_menu_points():
    assert reverse("neighbourhoods_import_boundaries") == IMPORT_URL


def test_superuser_imports_a_real_ward_file(client_as, wards_dir):
    client = client_as("superuser")
    page = client.get(IMPORT_URL)
    assert page.status_code == 200
    assert b'enctype="multipart/form-data"' in page.content
    assert b"Import boundaries" in page.content

    response = post_file(client, upload("brent.geojson", BRENT_WARDS.read_bytes()), follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "wagtailsnippets_neighbourhoods_neighbourhood:list")
    assert Neighbourhood.objects.count() == 21
    assert page_messages(response) == [
        "Boundaries imported: 21 neighbourhoods created, 0 updated and 0 unchanged."]
    assert b"Harlesden" in response.content  # the snippet listing shows the new neighbourhoods


def test_import_with_locality_and_explicit_property_names(client_as, wards_dir):
    brent = Locality.objects.create(name="Brent", slug="brent")
    client = client_as("superuser")
    response = post_file(client, upload("brent.json", BRENT_WARDS.read_bytes()),
                         code_property="WD13CD", name_property="WD13NM", locality=brent.pk)
    assert response.status_code == 302
    assert brent.neighbourhoods.count() == 21


def test_dry_run_saves_nothing_and_says_so(client_as, wards_dir):
    client = client_as("superuser")
    response = post_file(client, upload("brent.geojson", BRENT_WARDS.read_bytes()),
                         follow=True, dry_run="on")
    assert response.redirect_chain[-1][0] == IMPORT_URL
    assert Neighbourhood.objects.count() == 0
    [message] = page_messages(response)
    assert message.startswith("Dry run, nothing was saved: 21 neighbourhoods would be created")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bad.geojson", "{oops", "The file is not valid JSON (line 1, column 2"),
        ("wards.txt", "{}", "Choose a .geojson or .json file."),
        ("empty.geojson", "", "The submitted file is empty."),
        ("point.geojson", {"type": "Point", "coordinates": [0, 51]},
         "must hold a GeoJSON FeatureCollection"),
    ],
)
def test_unreadable_file_is_shown_on_the_form(client_as, name, content, expected):
    response = post_file(client_as("superuser"), upload(name, content))

    assert response.status_code == 200
    assert expected in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert 'href="#id_file"' in response.content.decode()
    assert Neighbourhood.objects.count() == 0


def test_file_over_5_mb_is_refused(client_as):
    big = upload("big.geojson", b" " * (5 * 1024 * 1024 + 1))
    response = post_file(client_as("superuser"), big)
    assert response.status_code == 200
    assert "Choose a file of 5 MB or less" in response.content.decode()


def test_bad_feature_is_listed_and_nothing_saved(client_as, brent_wards):
    brent_wards["features"][2]["geometry"]["coordinates"][0] = [
        [lat, lng] for lng, lat in brent_wards["features"][2]["geometry"]["coordinates"][0]]

    response = post_file(client_as("superuser"), upload("brent.geojson", brent_wards))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Feature 3 (E05000087 Brondesbury Park): Latitude and longitude appear to be " \
           "swapped" in html
    assert Neighbourhood.objects.count() == 0


def test_wrong_property_name_is_shown_next_to_its_field(client_as, brent_wards):
    response = post_file(client_as("superuser"), upload("brent.geojson", brent_wards),
                         code_property="CODE")
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["code_property"] == [
        "No feature has a property called “CODE”. The features have these properties: "
        "WD13CD, WD13CDO, WD13NM, WD13NMW."]
    assert 'href="#id_code_property"' in html


def test_unguessable_property_names_must_be_given(client_as, brent_wards):
    for feature in brent_wards["features"]:
        feature["properties"] = {"ref": feature["properties"]["WD13CD"]}
    response = post_file(client_as("superuser"), upload("brent.geojson", brent_wards))
    errors = response.context["form"].errors
    assert "Say which property holds each feature's code" in errors["code_property"][0]
    assert "properties: ref." in errors["name_property"][0]


# Who may import: role -> allowed. Officers hold neighbourhoods.add_neighbourhood from the
# role-groups migration; councillors may only view neighbourhoods; VCS members and residents
# cannot reach the admin at all.
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("superuser", True),
        ("Officers", True),
        ("Councillors", False),
        ("VCS organisations", False),
        ("resident", False),
    ],
)
def test_who_may_import(client_as, wards_dir, role, allowed):
    client = client_as(role)

    page = client.get(IMPORT_URL)
    response = post_file(client, upload("brent.geojson", BRENT_WARDS.read_bytes()))

    if allowed:
        assert page.status_code == 200
        assert response.status_code == 302
        assert Neighbourhood.objects.count() == 21
    else:
        assert page.status_code in (302, 403)
        assert response.status_code in (302, 403)
        assert response.get("Location", "") != reverse(
            "wagtailsnippets_neighbourhoods_neighbourhood:list")
        assert Neighbourhood.objects.count() == 0


@pytest.mark.parametrize(("role", "shown"), [("Officers", True), ("Councillors", False)])
def test_menu_item_shown_only_to_those_who_may_import(client_as, role, shown):
    home = client_as(role).get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    assert ("Import boundaries" in home.content.decode()) is shown
    assert IMPORT_URL in home.content.decode() if shown else True


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_snippet_listing_searches_and_filters_by_locality(client_as, brent_wards,
                                                          gateshead_wards):
    from portal.neighbourhoods.boundary_import import import_boundaries

    import_boundaries(brent_wards, "WD13CD", "WD13NM", locality="Brent")
    import_boundaries(gateshead_wards, "WD13CD", "WD13NM", locality="Gateshead")
    client = client_as("Officers")
    listing = reverse("wagtailsnippets_neighbourhoods_neighbourhood:list")
    gateshead = Locality.objects.get(name="Gateshead")

    filtered = client.get(listing, {"locality": gateshead.pk})
    assert filtered.status_code == 200
    html = filtered.content.decode()
    assert "Low Fell" in html and "Harlesden" not in html
    assert "E05001080" in html  # the code column

    searched = client.get(listing, {"q": "harles"})
    assert "Harlesden" in searched.content.decode()
    assert "Low Fell" not in searched.content.decode()

    localities = client.get(reverse("wagtailsnippets_neighbourhoods_locality:list"))
    assert "Gateshead" in localities.content.decode()


@pytest.mark.parametrize(("role", "shown"), [("Officers", True), ("Councillors", False)])
def test_neighbourhood_listing_links_to_the_import(client_as, role, shown):
    listing = client_as(role).get(reverse("wagtailsnippets_neighbourhoods_neighbourhood:list"))
    assert listing.status_code == 200
    assert (IMPORT_URL in listing.content.decode()) is shown


def test_snippet_form_checks_the_boundary(client_as):
    client = client_as("Officers")
    add_url = reverse("wagtailsnippets_neighbourhoods_neighbourhood:add")
    assert client.get(add_url).status_code == 200
    fields = {"name": "Test Ward", "slug": "test-ward", "code": "T1", "population": ""}
    bow_tie = {"type": "Polygon", "coordinates": [[
        [-0.25, 51.53], [-0.24, 51.54], [-0.24, 51.53], [-0.25, 51.54], [-0.25, 51.53]]]}

    refused = client.post(add_url, {**fields, "boundary": json.dumps(bow_tie)})
    assert refused.status_code == 200
    assert "it crosses itself" in refused.content.decode()
    assert not Neighbourhood.objects.exists()

    square = {"type": "Polygon", "coordinates": [[
        [-0.25, 51.53], [-0.25, 51.54], [-0.24, 51.54], [-0.24, 51.53], [-0.25, 51.53]]]}
    saved = client.post(add_url, {**fields, "boundary": json.dumps(square)})
    assert saved.status_code == 302
    neighbourhood = Neighbourhood.objects.get(code="T1")
    assert neighbourhood.bbox == (-0.25, 51.53, -0.24, 51.54)
