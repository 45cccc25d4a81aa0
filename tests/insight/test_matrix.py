"""The coding matrix's services: version 1, each change a new version, keys kept across
versions, the problems that stop a change, and items coded under an old version keeping it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from insight import matrix
from insight.matrix import ServiceRow, SubThemeRow
from insight.models import CodingMatrix, InsightItem, MatrixService, MatrixSubTheme
from portal.themes.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def themes():
    return {theme.slug: theme for theme in Theme.objects.all()}


def rows_of(version):
    return ([SubThemeRow(theme_id=row.theme_id, name=row.name, position=row.position,
                         key=row.key) for row in version.sub_themes.order_by("position")],
            [ServiceRow(name=row.name, key=row.key) for row in version.services.all()])


@pytest.fixture
def filled(themes, officer):
    """Version 2: version 1 (made empty) filled with sub-themes and services."""
    base = matrix.current_matrix()
    proposal = matrix.propose(base, [
        SubThemeRow(themes["access-to-health"].pk, "GP appointments", 1),
        SubThemeRow(themes["access-to-health"].pk, "Pharmacy", 2),
        SubThemeRow(themes["housing"].pk, "Damp and mould", 1),
    ], [ServiceRow("Harness Harlesden GP practice"), ServiceRow("Housing repairs")])
    assert proposal.ok, proposal.problems
    return matrix.save_new_version(proposal, officer, "Sub-themes from the Healthwatch log")


def test_current_matrix_makes_version_1_once_with_no_sub_themes():
    first = matrix.current_matrix()
    assert first.number == 1 and not first.sub_themes.exists()
    assert matrix.current_matrix() == first
    assert CodingMatrix.objects.count() == 1


def test_a_change_is_a_new_version_with_keys_made_from_names(filled, officer):
    assert filled.number == 2 and filled.created_by == officer
    assert filled.notes == "Sub-themes from the Healthwatch log"
    assert sorted(filled.sub_themes.values_list("key", flat=True)) == [
        "damp-and-mould", "gp-appointments", "pharmacy"]
    assert sorted(filled.services.values_list("key", flat=True)) == [
        "harness-harlesden-gp-practice", "housing-repairs"]
    assert CodingMatrix.objects.get(number=1).sub_themes.count() == 0  # untouched


def test_rename_add_retire_and_reorder_keep_keys(filled, themes, officer):
    subs, services = rows_of(filled)
    gp, pharmacy, damp = (next(r for r in subs if r.key == k) for k in (
        "gp-appointments", "pharmacy", "damp-and-mould"))
    gp.name, gp.position, pharmacy.position = "Getting a GP appointment", 5, 1
    subs.remove(damp)
    subs.append(SubThemeRow(themes["housing"].pk, "Repairs not done", 1))
    services[0].name = services[0].name + " (Harlesden Medical Centre)"
    proposal = matrix.propose(filled, subs, services)
    assert proposal.ok, proposal.problems
    assert "Renamed “GP appointments” to “Getting a GP appointment” under Access to health " \
        "services" in proposal.changes
    assert "Removed “Damp and mould” from Housing" in proposal.changes
    assert "Added “Repairs not done” under Housing" in proposal.changes
    assert "Reordered the sub-themes of Access to health services" in proposal.changes
    newer = matrix.save_new_version(proposal, officer, "Split repairs from damp")
    rows = {row.key: row for row in newer.sub_themes.all()}
    assert set(rows) == {"gp-appointments", "pharmacy", "repairs-not-done"}
    assert rows["gp-appointments"].name == "Getting a GP appointment"
    assert (rows["pharmacy"].position, rows["gp-appointments"].position) == (1, 2)
    # filled as it was
    assert {r.key: r.name for r in filled.sub_themes.all()} == {
        "gp-appointments": "GP appointments", "pharmacy": "Pharmacy",
        "damp-and-mould": "Damp and mould"}
    assert matrix.changes_from_previous(newer) == proposal.changes


def test_items_coded_under_an_old_version_keep_it(filled, themes, officer):
    item = InsightItem.objects.create(
        origin=InsightItem.COMMENT, origin_id=1, text="Could not get a GP appointment for weeks",
        received_on=datetime.date(2026, 9, 1), source="survey", matrix=filled,
        service=filled.services.get(key="harness-harlesden-gp-practice"))
    gp = filled.sub_themes.get(key="gp-appointments")
    item.sub_themes.set([gp])
    before = list(MatrixSubTheme.objects.filter(matrix=filled).values())
    subs, services = rows_of(filled)
    subs[0].name = "Renamed once more"
    newer = matrix.save_new_version(matrix.propose(filled, subs, services), officer, "Rename")
    item.refresh_from_db()
    assert item.matrix == filled and list(item.sub_themes.all()) == [gp]
    assert item.service.matrix == filled
    assert list(MatrixSubTheme.objects.filter(matrix=filled).values()) == before
    assert newer.sub_themes.count() == 3 and not newer.items.exists()
    assert MatrixService.objects.filter(matrix=newer).count() == 2


def test_translate_follows_keys_and_drops_retired(filled, themes, officer):
    subs, services = rows_of(filled)
    damp = next(r for r in subs if r.key == "damp-and-mould")
    subs.remove(damp)
    subs[0].name = "GP access"
    newer = matrix.save_new_version(matrix.propose(filled, subs, services), officer, "Tidy")
    old = list(filled.sub_themes.all())
    mapped = matrix.translate(old, newer)
    by_key = {row.key: mapped[row.pk] for row in old}
    assert by_key["damp-and-mould"] is None
    assert by_key["gp-appointments"].matrix == newer
    assert by_key["gp-appointments"].key == "gp-appointments"
    assert matrix.translate([row.pk for row in old], newer) == mapped
    assert matrix.translate([], newer) == {}


def test_a_retired_key_is_used_again_for_the_same_name_and_clashes_get_a_suffix(filled, themes,
                                                                                officer):
    subs, services = rows_of(filled)
    subs = [r for r in subs if r.key != "pharmacy"]
    subs[0].name = "GP access" if subs[0].key == "gp-appointments" else subs[0].name
    newer = matrix.save_new_version(matrix.propose(filled, subs, services), officer, "Retire")
    subs, services = rows_of(newer)
    health = themes["access-to-health"].pk
    subs += [SubThemeRow(health, "Pharmacy", 3), SubThemeRow(health, "GP appointments", 4)]
    newest = matrix.save_new_version(matrix.propose(newer, subs, services), officer, "Bring back")
    keys = dict(newest.sub_themes.filter(theme_id=health).values_list("name", "key"))
    assert keys["Pharmacy"] == "pharmacy"
    assert keys["GP appointments"] == "gp-appointments-2"  # the renamed row still has it


@pytest.mark.parametrize("change, message", [
    (lambda subs, services, t: subs.append(SubThemeRow(t["housing"].pk, " damp  AND mould")),
     "“damp AND mould” is already a sub-theme of “Housing”"),
    (lambda subs, services, t: subs.append(SubThemeRow(t["housing"].pk, "   ")),
     "Enter a name for the sub-theme under “Housing”, or remove it."),
    (lambda subs, services, t: services.append(ServiceRow("housing repairs")),
     "“housing repairs” is already in the services list"),
    (lambda subs, services, t: services.append(ServiceRow("")),
     "Enter a name for the service, or remove it."),
    (lambda subs, services, t: subs.append(SubThemeRow(t["housing"].pk, "Lifts", key="lifts")),
     "“Lifts” is not in version 2 any more"),
    (lambda subs, services, t: None, "Nothing has changed"),
])
def test_problems_stop_a_change(filled, themes, officer, change, message):
    subs, services = rows_of(filled)
    change(subs, services, themes)
    proposal = matrix.propose(filled, subs, services)
    assert not proposal.ok
    assert any(message in problem.message for problem in proposal.problems)
    with pytest.raises(ValidationError):
        matrix.save_new_version(proposal, officer, "Notes")
    assert CodingMatrix.objects.count() == 2


def test_a_sub_theme_under_an_inactive_theme_is_refused(filled, themes):
    Theme.objects.filter(slug="housing").update(is_active=False)
    subs, services = rows_of(filled)
    subs.append(SubThemeRow(themes["access-to-health"].pk, "Dentists"))
    proposal = matrix.propose(filled, subs, services)
    assert [p.message for p in proposal.problems] == [
        "“Housing” is no longer an active theme, so “Damp and mould” cannot be under it: "
        "remove the sub-theme or choose an active theme."]


def test_notes_are_required_and_a_stale_base_is_refused(filled, themes, officer):
    subs, services = rows_of(filled)
    subs[0].name = "First rename"
    proposal = matrix.propose(filled, subs, services)
    with pytest.raises(ValidationError, match="Say what changed"):
        matrix.save_new_version(proposal, officer, "  ")
    matrix.save_new_version(proposal, officer, "Saved first")
    with pytest.raises(ValidationError, match="Someone saved version 3"):
        matrix.save_new_version(proposal, officer, "Saved second, from the same base")
    assert CodingMatrix.objects.count() == 3


def test_subtheme_choices_are_grouped_by_theme_in_order(filled, themes, django_assert_num_queries):
    with django_assert_num_queries(1):
        choices = matrix.subtheme_choices(filled)
    gp = filled.sub_themes.get(key="gp-appointments").pk
    pharmacy = filled.sub_themes.get(key="pharmacy").pk
    damp = filled.sub_themes.get(key="damp-and-mould").pk
    assert choices == [("Access to health services", [(gp, "GP appointments"),
                                                      (pharmacy, "Pharmacy")]),
                       ("Housing", [(damp, "Damp and mould")])]
    Theme.objects.filter(slug="housing").update(is_active=False)
    assert [group for group, _ in matrix.subtheme_choices(filled)] == ["Access to health services"]
    assert len(matrix.subtheme_choices(filled, include_inactive=True)) == 2
    assert [name for _, name in matrix.service_choices(filled)] == [
        "Harness Harlesden GP practice", "Housing repairs"]
    assert matrix.subtheme_choices() == matrix.subtheme_choices(filled)  # filled is the current one


def test_history_counts_items_per_version_in_one_query(filled, django_assert_num_queries):
    InsightItem.objects.bulk_create([InsightItem(
        origin=InsightItem.COMMENT, origin_id=n, text="Damp in the bedroom again",
        received_on=datetime.date(2026, 9, 1), source="survey", matrix=filled) for n in range(3)])
    versions = list(CodingMatrix.objects.order_by("-number"))
    with django_assert_num_queries(3):  # items, sub-themes, services: one GROUP BY each
        history = matrix.version_history(versions)
    assert [(row["version"].number, row["items"], row["sub_themes"], row["services"])
            for row in history] == [(2, 3, 3, 2), (1, 0, 0, 0)]
