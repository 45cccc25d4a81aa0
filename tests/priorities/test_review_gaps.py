"""Review gaps: oversized population figures, cited priorities, admin query counts."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail import hooks

from portal.errors import InputError
from priorities import registry, services
from priorities.models import PopulationFigure, PrioritySnapshot, SnapshotPriority

from .conftest import add_feedback

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
BIG_CSV = ("neighbourhood,characteristic,category,people\n"
           "Harlesden,age,16_24,900\n"
           f"Harlesden,age,25_34,{HUGE}\n"
           "Kilburn,age,25_34,10000001\n"
           "Kilburn,age,35_44,²\n")
MESSAGE = "People must be a whole number from 0 to 10,000,000, not “{}”."


@pytest.fixture
def officer_client(client, officer, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    return client


# Population figures too big ----------------------------------------------------------------


@pytest.mark.parametrize("dry_run", [False, True])
def test_admin_upload_of_too_big_people_gives_row_errors(officer_client, areas, dry_run):
    data = {"file": SimpleUploadedFile("population.csv", BIG_CSV.encode())}
    if dry_run:
        data["dry_run"] = "on"
    response = officer_client.post(reverse("priorities_admin:import_population"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 rows have problems. Nothing was saved." in html
    for row, value in ((3, HUGE), (4, "10000001"), (5, "²")):
        assert f"Row {row}: {MESSAGE.format(value)}" in html
    assert not PopulationFigure.objects.exists()


@pytest.mark.parametrize("options", [[], ["--dry-run"]])
def test_command_with_too_big_people_lists_rows(tmp_path, areas, options):
    path = tmp_path / "population.csv"
    path.write_text(BIG_CSV, encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="3 rows have problems"):
        call_command("import_population", str(path), *options, stdout=out)
    assert f"Row 3: {MESSAGE.format(HUGE)}" in out.getvalue()
    assert f"Row 4: {MESSAGE.format('10000001')}" in out.getvalue()
    assert not PopulationFigure.objects.exists()
    path.write_text("neighbourhood,characteristic,category,people\nHarlesden,age,16_24,"
                    "10000000\n", encoding="utf-8")
    call_command("import_population", str(path), stdout=out)
    assert PopulationFigure.objects.get().people == 10_000_000


# Cited priorities --------------------------------------------------------------------------


@pytest.fixture
def adopted(areas, themes, officer):
    add_feedback(areas["Harlesden"], [themes["housing"]])
    priority = services.take_snapshot(areas["Harlesden"], officer).priorities.get()
    return services.decide(priority, SnapshotPriority.ADOPTED, "Clear need.", officer)


@pytest.fixture
def citing_plan(adopted):
    def plans_citing(priority):
        if priority.pk == adopted.pk:
            return [{"title": "Harlesden neighbourhood plan", "url": "/plans/harlesden/"}]
        return []

    with hooks.register_temporarily(registry.CITATIONS, plans_citing):
        yield plans_citing


def test_cited_adopted_priority_cannot_be_set_aside(adopted, citing_plan, officer):
    with pytest.raises(InputError) as error:
        services.decide(adopted, SnapshotPriority.SET_ASIDE, "Changed our minds.", officer)
    assert error.value.code == "cited_by_plan"
    assert error.value.message == ("Harlesden neighbourhood plan cites this priority: change "
                                   "the plan first.")
    with pytest.raises(InputError):
        services.decide(adopted, SnapshotPriority.ADOPTED, "A new reason.", officer)
    adopted.refresh_from_db()
    assert adopted.is_adopted and adopted.rationale == "Clear need."
    # Saving the same decision again changes nothing and is allowed.
    services.decide(adopted, SnapshotPriority.ADOPTED, "Clear need.", officer)


def test_several_citations_are_all_named(adopted, citing_plan, officer):
    def more(priority):
        return [{"title": "Brent borough plan", "url": "/plans/brent/"}]

    with hooks.register_temporarily(registry.CITATIONS, more), pytest.raises(InputError) as error:
        services.decide(adopted, SnapshotPriority.SET_ASIDE, "No.", officer)
    assert error.value.message == ("Harlesden neighbourhood plan, Brent borough plan cite this "
                                   "priority: change the plans first.")


def test_uncited_adopted_priority_can_still_be_set_aside(adopted, officer):
    assert registry.citations(adopted) == []
    services.decide(adopted, SnapshotPriority.SET_ASIDE, "Changed our minds.", officer)
    adopted.refresh_from_db()
    assert adopted.decision == SnapshotPriority.SET_ASIDE


def test_admin_shows_the_citation_error_next_to_the_decision(officer_client, adopted,
                                                             citing_plan):
    snapshot = adopted.snapshot
    response = officer_client.post(
        reverse("priorities_admin:decide", args=[snapshot.pk, adopted.pk]),
        {f"p{adopted.pk}-decision": "set_aside", f"p{adopted.pk}-rationale": "No longer."})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Harlesden neighbourhood plan cites this priority: change the plan first." in html
    assert f'href="#id_p{adopted.pk}-decision"' in html
    adopted.refresh_from_db()
    assert adopted.is_adopted


# Admin query counts ------------------------------------------------------------------------


def _fill(areas, themes, officer, neighbourhoods, items):
    names = list(themes)
    for index in range(items):
        area = neighbourhoods[index % len(neighbourhoods)]
        add_feedback(area, [themes[names[index % len(names)]],
                            themes[names[(index * 7) % len(names)]]],
                     people=3, when=date(2025, 1 + index % 12, 1),
                     source=["ward_surgery", "healthwatch", "outreach"][index % 3])
    for area in neighbourhoods:
        snapshot = services.take_snapshot(area, officer)
        for priority in snapshot.priorities.all():
            services.decide(priority, SnapshotPriority.ADOPTED, "Evidence.", officer)


def _urls(areas):
    snapshot = PrioritySnapshot.objects.filter(neighbourhood=areas["Harlesden"]).latest("pk")
    return {"overview": reverse("priorities_admin:overview"),
            "neighbourhood": reverse("priorities_admin:neighbourhood",
                                     args=[areas["Harlesden"].pk]),
            "snapshot": reverse("priorities_admin:snapshot", args=[snapshot.pk]),
            "trends": reverse("priorities_admin:trends") + "?group_by=theme",
            "trends_area": reverse("priorities_admin:trends") + "?group_by=neighbourhood"}


@pytest.mark.parametrize("page", ["overview", "neighbourhood", "snapshot", "trends",
                                  "trends_area"])
def test_admin_query_counts_do_not_grow_with_rows(officer_client, areas, themes, officer,
                                                  page, django_assert_max_num_queries):
    from django.core.cache import cache

    every = sorted(areas.values(), key=lambda n: n.name)
    _fill(areas, themes, officer, every[:3], 6)
    cache.clear()
    url = _urls(areas)[page]
    with django_assert_max_num_queries(80) as small:
        assert officer_client.get(url).status_code == 200
    _fill(areas, themes, officer, every, 150)
    cache.clear()
    url = _urls(areas)[page]
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = officer_client.get(url)
    assert response.status_code == 200
