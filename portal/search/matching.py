"""Finding candidates in the database the same way on SQLite and PostgreSQL: each term is a
case-insensitive substring of one of the listed fields (or meets an extra condition), and
items are ranked by how many of the terms they match, in one query with no duplicates."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import BaseExpression


def term_condition(term: str, lookups: Iterable[str],
                   extra: Callable[[str], Q | BaseExpression | None] | None = None):
    """`term` in any of `lookups` (field paths of single-valued relations, or
    `Exists(...)` for many-valued ones from `extra`)."""
    condition = Q()
    for lookup in lookups:
        condition |= Q(**{f"{lookup}__icontains": term})
    more = extra(term) if extra else None
    if more is not None:
        more = more if isinstance(more, Q) else Q(more)
        condition = condition | more if condition else more
    return condition


def rank_by_terms(queryset, terms: Iterable[str], lookups: Iterable[str],
                  extra: Callable[[str], Q | BaseExpression | None] | None = None,
                  limit: int = 200):
    """The rows of `queryset` matching at least one term, most terms first, then by the
    model's ordering; annotated with `search_terms` (the number matched), at most `limit`.

    Many-valued relations belong in `extra` as `Exists` subqueries: joining them would
    repeat rows."""
    lookups = list(lookups)
    whens = [When(term_condition(term, lookups, extra), then=Value(1)) for term in terms]
    if not whens:
        return queryset.none()
    total = sum((Case(when, default=Value(0), output_field=IntegerField()) for when in whens),
                Value(0))
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering or ["pk"])
    return (queryset.annotate(search_terms=total).filter(search_terms__gt=0)
            .order_by("-search_terms", *ordering)[:limit])
