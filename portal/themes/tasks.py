"""Keeping the themes' search index up to date, in the background like modelsearch's own."""

from django_tasks import task
from modelsearch import index


@task()
def index_theme(pk: int) -> None:
    """Index one theme row, in any language (modelsearch's own task reads `Theme.objects`,
    which sees the default language only)."""
    from .models import Theme

    theme = Theme.all_locales.filter(pk=pk).first()
    if theme is not None:
        index.insert_or_update_object(theme)
