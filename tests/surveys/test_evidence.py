"""Survey answers as evidence for priorities: rows from theme-tagged answers."""

import pytest

from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme
from surveys import evidence
from surveys.models import Question

from .conftest import q

pytestmark = pytest.mark.django_db


def test_evidence_rows_from_theme_tagged_answers(answered):
    housing = Theme.objects.active().first()
    ranking = q(answered, Question.RANKING)
    ranking.options.filter(label="Housing").update(theme=housing)
    single = q(answered, Question.SINGLE)
    single.options.filter(label="Yes").update(theme=housing)
    rows = list(evidence.rows())
    harlesden = Neighbourhood.objects.get(name="Harlesden").pk
    by_source = {(r.source, r.neighbourhood_id): r for r in rows}
    ranked = by_source[("survey_ranking", harlesden)]
    assert (ranked.theme_id, ranked.count, ranked.weight) == (housing.pk, 6, 6.0)
    kilburn = Neighbourhood.objects.get(name="Kilburn").pk
    assert by_source[("survey_ranking", kilburn)].weight == round(3 * 2 / 3, 3)
    assert by_source[("survey_choice", harlesden)].count == 6
    assert all(hasattr(r, "date") for r in rows)
