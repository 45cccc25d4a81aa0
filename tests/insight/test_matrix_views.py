"""The coding matrix pages: who may read and who may edit, saving a version through the form,
every bad edit getting a clear message with nothing typed lost, the history and an old version."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from insight import matrix
from insight.matrix import ServiceRow, SubThemeRow
from insight.models import CodingMatrix, InsightItem
from portal.themes.models import Theme
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db

READERS = {"officer", "councillor", "superuser"}
EDITORS = {"officer", "superuser"}


@pytest.fixture(autouse=True)
def no_mfa(settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False


@pytest.fixture
def version(officer):
    """Version 2, with two sub-themes under Housing, one under Access to health, a service."""
    themes = {theme.slug: theme.pk for theme in Theme.objects.all()}
    proposal = matrix.propose(matrix.current_matrix(), [
        SubThemeRow(themes["housing"], "Damp and mould", 1),
        SubThemeRow(themes["housing"], "Repairs", 2),
        SubThemeRow(themes["access-to-health"], "GP appointments", 1),
    ], [ServiceRow("Housing repairs")])
    return matrix.save_new_version(proposal, officer, "First sub-themes")


def form_data(version, **changes):
    """The edit form as a browser posts it untouched, with `changes` over it."""
    subs = list(version.sub_themes.order_by("theme__name", "position", "name"))
    services = list(version.services.order_by("name"))
    data = {"based_on": version.number, "notes": "",
            "sub-TOTAL_FORMS": len(subs) + 3, "sub-INITIAL_FORMS": len(subs),
            "service-TOTAL_FORMS": len(services) + 2, "service-INITIAL_FORMS": len(services)}
    for n, row in enumerate(subs):
        data.update({f"sub-{n}-key": row.key, f"sub-{n}-theme": row.theme_id,
                     f"sub-{n}-name": row.name, f"sub-{n}-position": row.position})
    for n in range(len(subs), len(subs) + 3):
        data.update({f"sub-{n}-key": "", f"sub-{n}-theme": "", f"sub-{n}-name": "",
                     f"sub-{n}-position": ""})
    for n, row in enumerate(services):
        data.update({f"service-{n}-key": row.key, f"service-{n}-name": row.name})
    for n in range(len(services), len(services) + 2):
        data.update({f"service-{n}-key": "", f"service-{n}-name": ""})
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ROLES)
def test_who_may_read_and_who_may_edit(role, client, people, version):
    if role != "anonymous":
        client.force_login(people[role])
    pages = [reverse("insight:matrix"), reverse("insight:matrix_version", args=[1])]
    for url in pages:
        response = client.get(url)
        if role in READERS:
            assert response.status_code == 200
            assert "Damp and mould" in response.content.decode() or url.endswith("/1/")
        else:
            assert response.status_code in (302, 403)
    edit = client.get(reverse("insight:matrix_edit"))
    posted = client.post(reverse("insight:matrix_edit"), form_data(
        version, **{"sub-1-name": "Repairs not done", "notes": "Clearer name"}))
    if role in EDITORS:
        assert edit.status_code == 200 and posted.status_code == 302
        assert CodingMatrix.current().number == 3
    else:
        assert edit.status_code in (302, 403) and posted.status_code in (302, 403)
        assert CodingMatrix.current().number == 2
    if role == "councillor":
        html = client.get(reverse("insight:matrix")).content.decode()
        assert "Only officers can change the coding matrix." in html
        assert reverse("insight:matrix_edit") not in html


def test_an_officer_adds_renames_retires_and_reorders_through_the_form(client, officer,
                                                                       version):
    client.force_login(officer)
    page = client.get(reverse("insight:matrix_edit")).content.decode()
    assert "Save as version 3" in page and 'value="Damp and mould"' in page
    housing = Theme.objects.get(slug="housing").pk
    # Rows are in theme order: GP appointments (Access), Damp and mould, Repairs (Housing).
    data = form_data(version, **{
        "sub-0-name": "Getting a GP appointment", "sub-1-DELETE": "on",
        "sub-2-position": "0", "sub-3-theme": housing, "sub-3-name": "Overcrowding",
        "service-1-name": "Brent Adult Social Care", "notes": "Healthwatch asked for it"})
    response = client.post(reverse("insight:matrix_edit"), data, follow=True)
    assert "Version 3 of the coding matrix saved." in response.content.decode()
    newest = CodingMatrix.current()
    assert newest.number == 3 and newest.created_by == officer
    assert list(newest.sub_themes.filter(theme_id=housing).order_by("position")
                .values_list("name", "key")) == [("Repairs", "repairs"),
                                                 ("Overcrowding", "overcrowding")]
    assert newest.sub_themes.get(key="gp-appointments").name == "Getting a GP appointment"
    assert sorted(newest.services.values_list("name", flat=True)) == [
        "Brent Adult Social Care", "Housing repairs"]
    assert version.sub_themes.count() == 3  # the old version as it was


@pytest.mark.parametrize("changes, message, kept", [
    ({"sub-3-theme": "HOUSING", "sub-3-name": "damp and  mould", "notes": "More"},
     "“damp and mould” is already a sub-theme of “Housing”", 'value="damp and  mould"'),
    ({"sub-1-name": "  ", "notes": "Blanked"},
     "Enter a name for the sub-theme under “Housing”, or remove it.", "Blanked"),
    ({"sub-3-name": "Lifts out of order", "notes": "Lifts"},
     "Choose the theme this sub-theme is under.", 'value="Lifts out of order"'),
    ({"sub-3-theme": "RETIRED", "sub-3-name": "Old theme idea", "notes": "Old"},
     "“Retired theme” is no longer an active theme", 'value="Old theme idea"'),
    ({"notes": "Nothing really"}, "Nothing has changed", "Nothing really"),
    ({"sub-1-name": "Mould in flats"}, "Say what changed and why, for the version history.",
     'value="Mould in flats"'),
    ({"service-1-name": "housing REPAIRS", "notes": "Twice"},
     "“housing REPAIRS” is already in the services list", 'value="housing REPAIRS"'),
    ({"sub-3-theme": "HOUSING", "sub-3-name": "Lifts", "sub-3-position": "first",
      "notes": "Order"}, "Enter the order as a whole number, like 1 or 2.", 'value="first"'),
    ({"sub-3-theme": "HOUSING", "sub-3-name": "L" * 121, "notes": "Long"},
     "Keep the name to 120 characters or fewer (it has 121).", "L" * 121),
])
def test_bad_edits_get_a_clear_message_and_keep_what_was_typed(client, officer, version,
                                                               changes, message, kept):
    retired = Theme.objects.create(name="Retired theme", slug="retired-theme",
                                   is_active=False)
    housing = Theme.objects.get(slug="housing").pk
    swap = {"HOUSING": housing, "RETIRED": retired.pk}
    changes = {key: swap.get(value, value) for key, value in changes.items()}
    client.force_login(officer)
    response = client.post(reverse("insight:matrix_edit"), form_data(version, **changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message.replace("“", "&ldquo;") in html or message in html
    assert kept in html
    assert CodingMatrix.current().number == 2


def test_a_version_saved_meanwhile_is_reported_and_the_edit_kept(client, officer, version):
    client.force_login(officer)
    data = form_data(version, **{"sub-1-name": "Mould in bedrooms", "notes": "Mine"})
    subs = [SubThemeRow(r.theme_id, r.name, r.position, r.key) for r in version.sub_themes.all()]
    subs[0].name = "Someone else's rename"
    matrix.save_new_version(matrix.propose(version, subs, [ServiceRow(
        "Housing repairs", "housing-repairs")]), officer, "Theirs")
    response = client.post(reverse("insight:matrix_edit"), data)
    assert response.status_code == 200
    assert "Someone saved version 3 while you were editing" in response.content.decode()
    assert 'value="Mould in bedrooms"' in response.content.decode()
    assert CodingMatrix.current().number == 3
    assert 'name="based_on" value="3"' in response.content.decode()
    data["based_on"] = 3  # the officer checks and saves again, now on version 3
    assert client.post(reverse("insight:matrix_edit"), data).status_code == 302
    assert CodingMatrix.current().sub_themes.filter(name="Mould in bedrooms").exists()


def test_a_tampered_management_form_is_an_error_not_a_crash(client, officer, version):
    client.force_login(officer)
    data = form_data(version, **{"notes": "x"})
    del data["sub-TOTAL_FORMS"]
    response = client.post(reverse("insight:matrix_edit"), data)
    assert response.status_code == 200 and "There is a problem" in response.content.decode()


def test_history_and_an_old_version(client, councillor, version, officer):
    InsightItem.objects.bulk_create([InsightItem(
        origin=InsightItem.COMMENT, origin_id=n, text="Mould on the bedroom wall",
        received_on=datetime.date(2026, 9, 1), source="survey", matrix=version)
        for n in range(4)])
    subs = [SubThemeRow(r.theme_id, r.name, r.position, r.key) for r in version.sub_themes.all()]
    subs = [row for row in subs if row.key != "repairs"]
    matrix.save_new_version(matrix.propose(version, subs, [ServiceRow(
        "Housing repairs", "housing-repairs")]), officer, "Repairs folded into damp")
    client.force_login(councillor)
    with CaptureQueriesContext(connection) as three_versions:
        html = client.get(reverse("insight:matrix")).content.decode()
    assert "4 items coded under it" in html and "Repairs folded into damp" in html
    assert "Version 3" in html and "(current)" in html
    old = client.get(reverse("insight:matrix_version", args=[2])).content.decode()
    assert "This is an old version" in old and "Repairs" in old
    assert "4 items are coded under this version." in old
    newest = client.get(reverse("insight:matrix_version", args=[3])).content.decode()
    assert "Removed &ldquo;Repairs&rdquo; from Housing" in newest or \
        "Removed “Repairs” from Housing" in newest
    assert client.get(reverse("insight:matrix_version", args=[99])).status_code == 404
    for number in range(4, 10):  # more versions: the same queries (no query per version)
        CodingMatrix.objects.create(number=number, notes=f"Version {number} notes")
    with CaptureQueriesContext(connection) as nine_versions:
        assert "Version 9 notes" in client.get(reverse("insight:matrix")).content.decode()
    assert len(nine_versions) == len(three_versions)
