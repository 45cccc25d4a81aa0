"""An adopted priority that a plan cites cannot be set aside or re-reasoned until the plan
changes; functions under the CITATIONS hook say what cites it."""

import pytest
from django.urls import reverse
from wagtail import hooks

from portal.errors import InputError
from priorities import registry
from priorities.models import SnapshotPriority
from priorities.snapshots import decide, take_snapshot

from .conftest import add_feedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, officer, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    return client


@pytest.fixture
def adopted(areas, themes, officer):
    add_feedback(areas["Harlesden"], [themes["housing"]])
    priority = take_snapshot(areas["Harlesden"], officer).priorities.get()
    return decide(priority, SnapshotPriority.ADOPTED, "Clear need.", officer)


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
        decide(adopted, SnapshotPriority.SET_ASIDE, "Changed our minds.", officer)
    assert error.value.code == "cited_by_plan"
    assert error.value.message == ("Harlesden neighbourhood plan cites this priority: change "
                                   "the plan first.")
    with pytest.raises(InputError):
        decide(adopted, SnapshotPriority.ADOPTED, "A new reason.", officer)
    adopted.refresh_from_db()
    assert adopted.is_adopted and adopted.rationale == "Clear need."
    # Saving the same decision again changes nothing and is allowed.
    decide(adopted, SnapshotPriority.ADOPTED, "Clear need.", officer)


def test_several_citations_are_all_named(adopted, citing_plan, officer):
    def more(priority):
        return [{"title": "Brent borough plan", "url": "/plans/brent/"}]

    with hooks.register_temporarily(registry.CITATIONS, more), pytest.raises(InputError) as error:
        decide(adopted, SnapshotPriority.SET_ASIDE, "No.", officer)
    assert error.value.message == ("Harlesden neighbourhood plan, Brent borough plan cite this "
                                   "priority: change the plans first.")


def test_uncited_adopted_priority_can_still_be_set_aside(adopted, officer):
    assert registry.citations(adopted) == []
    decide(adopted, SnapshotPriority.SET_ASIDE, "Changed our minds.", officer)
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
