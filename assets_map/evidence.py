"""Evidence rows for priorities and plans: published assets per neighbourhood and theme.

`rows()` yields plain dicts, the shape every feature app's evidence module shares:
neighbourhood (id), theme (id), source ("assets_map"), weight, count, date. Here `count` is the
number of published assets in the neighbourhood serving the theme (from their location and
their themes); `weight` is 1.0 (assets are supply, not demand: consumers decide whether many
assets lower a priority or confirm it); `date` is the latest "last checked" date among them.
Statistics about assets are not about people, so no small-number suppression applies.
"""

from django.db.models import Count, Max

from .models import Asset

SOURCE = "assets_map"


def rows(neighbourhood=None):
    """One row per (neighbourhood, theme) with at least one published asset."""
    qs = Asset.objects.published().filter(neighbourhood__isnull=False, themes__isnull=False)
    if neighbourhood is not None:
        qs = qs.filter(neighbourhood=neighbourhood)
    for row in (qs.values("neighbourhood", "themes")
                .annotate(count=Count("id", distinct=True), date=Max("last_verified"))
                .order_by("neighbourhood", "themes")):
        yield {"neighbourhood": row["neighbourhood"], "theme": row["themes"], "source": SOURCE,
               "weight": 1.0, "count": row["count"], "date": row["date"]}
