"""The trail from evidence to action: which plan actions a survey or forum page led to.

Surveys and forums publish "you said, we did"; locality plans record what is being done. The
core imports neither side, so the app that knows about actions (plans) registers a provider
from its `AppConfig.ready()`, and the survey and forum templates ask the registry through the
`{% trail_actions page %}` tag (portal/templatetags/trail_tags.py).
"""

from __future__ import annotations

from collections.abc import Callable

_providers: list[Callable] = []


def register_outcome_provider(provider: Callable) -> Callable:
    """Register `provider(page) -> list[dict]` (once). Each dict has at least `title` and
    `url`; plans also give `status`, `status_label`, `priority`, `plan_title` and `plan_url`."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister_outcome_provider(provider: Callable) -> None:
    """Remove a provider (for tests)."""
    if provider in _providers:
        _providers.remove(provider)


def actions_for_page(page) -> list[dict]:
    """Plain dicts describing the actions `page` (a survey or forum) led to, from every
    provider."""
    if page is None or getattr(page, "pk", None) is None:
        return []
    actions: list[dict] = []
    for provider in _providers:
        actions.extend(provider(page))
    return actions
