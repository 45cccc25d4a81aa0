"""The admin: officers upload the files and read the areas and needs; nobody edits them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.deprivation.models import NeighbourhoodNeed, StatisticalArea

from .conftest import BRENT_LSOAS, IMD_FILE, POPULATION_FILE

pytestmark = pytest.mark.django_db
IMPORT = "deprivation_import"


@pytest.fixture(autouse=True)
def no_staff_mfa(settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False  # staff normally set up an authenticator first


def upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def files(**overrides):
    chosen = {"boundaries": upload(BRENT_LSOAS), "imd": upload(IMD_FILE),
              "population": upload(POPULATION_FILE)}
    chosen.update(overrides)
    return chosen


def test_an_officer_imports_and_sees_what_was_skipped(client, officer, data):
    client.force_login(officer)
    page = client.get(reverse(IMPORT))
    assert page.status_code == 200 and b"Import deprivation data" in page.content
    done = client.post(reverse(IMPORT), files(), follow=True)
    assert done.status_code == 200
    text = done.content.decode()
    assert "173 areas created" in text and "126 areas skipped" in text
    assert StatisticalArea.objects.count() == 173


def test_problems_are_listed_on_the_form_and_nothing_is_saved(client, officer, data, tmp_path):
    client.force_login(officer)
    bad = tmp_path / "imd.csv"
    bad.write_text(IMD_FILE.read_text().replace('"13,163",5', '"13,163",12'))
    page = client.post(reverse(IMPORT), files(imd=upload(bad)))
    assert page.status_code == 200
    assert "a decile must be from 1 to 10" in page.content.decode()
    assert not StatisticalArea.objects.exists()
    wrong = client.post(reverse(IMPORT), files(imd=upload(IMD_FILE, "imd.xlsx")))
    assert "Choose a .csv file" in wrong.content.decode()


def test_the_lists_are_read_only_for_officers(client, officer, demo_site):
    client.force_login(officer)
    area = StatisticalArea.objects.get(code="E01000601")
    need = NeighbourhoodNeed.objects.first()
    listing = client.get(reverse("deprivation_areas:index"), {"q": "E01000601"})
    assert listing.status_code == 200 and b"Brent 021B" in listing.content
    assert client.get(reverse("deprivation_needs:index")).status_code == 200
    inspect = client.get(reverse("deprivation_areas:inspect", args=[area.pk]))
    assert inspect.status_code == 200 and b"1192" in inspect.content.replace(b",", b"")
    assert client.get(reverse("deprivation_needs:inspect", args=[need.pk])).status_code == 200
    for name in ("deprivation_areas:edit", "deprivation_areas:delete"):
        assert client.get(reverse(name, args=[area.pk])).status_code in (302, 403)
    assert client.get(reverse("deprivation_areas:add")).status_code in (302, 403)


def test_residents_cannot_import(client, resident):
    client.force_login(resident)
    response = client.get(reverse(IMPORT))
    assert response.status_code in (302, 403)
