"""The live rankings are cached until evidence, weights or themes change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from priorities.models import FeedbackItem, ScoringWeights
from priorities.ranking import evidence_version, live_ranking

from .conftest import add_feedback

pytestmark = pytest.mark.django_db


def test_cache_is_invalidated_by_new_evidence(areas, themes):
    harlesden = areas["Harlesden"]
    add_feedback(harlesden, [themes["housing"]])
    assert [p["theme_id"] for p in live_ranking(harlesden)["priorities"]] == [
        themes["housing"].pk]
    with CaptureQueriesContext(connection) as queries:
        live_ranking(harlesden)  # cached: read from the cache, whose table is in the database
    assert [query["sql"] for query in queries if "portal_cache" not in query["sql"]] == []
    add_feedback(harlesden, [themes["mental-health"]], when=None)
    add_feedback(harlesden, [themes["mental-health"]])
    ranking = live_ranking(harlesden)
    assert ranking["priorities"][0]["theme_id"] == themes["mental-health"].pk
    # Deleting evidence and changing weights invalidate too.
    FeedbackItem.objects.filter(themes=themes["mental-health"]).delete()
    assert live_ranking(harlesden)["priorities"][0]["theme_id"] == themes["housing"].pk
    version = evidence_version()
    ScoringWeights.objects.create(neighbourhood=harlesden, surveys=2, forums=1, feedback=1)
    assert evidence_version() != version
    assert live_ranking(harlesden)["weights"]["surveys"] == 2.0
