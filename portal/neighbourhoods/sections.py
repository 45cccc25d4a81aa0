"""The sections feature apps add to a neighbourhood page, rendered once and then served from
the shared cache until content changes (`content_cache`): a dozen queries a request saved.

Each provider (the `NEIGHBOURHOOD_SECTION` hook) may add `fresh_until` (an aware datetime) to
its section: when what it shows goes out of date by itself (a survey closing, a forum ending).
The sections show nobody's own data, so one copy serves everyone in a language on a host.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal import extension_points

from .content_cache import cached


def neighbourhood_sections(neighbourhood, request) -> list[dict]:
    """`[{"title", "html"}]`: each section's heading and its rendered template, in hook order."""
    host = request.get_host() if request is not None else ""
    key = f"neighbourhood-sections:{neighbourhood.pk}:{get_language()}:{host}"
    sections = cached(key, lambda: _render(neighbourhood, request))
    return [{"title": section["title"], "html": mark_safe(section["html"])}
            for section in sections]


def _render(neighbourhood, request):
    sections = extension_points.neighbourhood_sections(neighbourhood, request)
    rendered = [{"title": str(section["title"]),
                 "html": str(render_to_string(section["template"],
                                              {"section": section["context"]}, request))}
                for section in sections]
    ends = [section["fresh_until"].timestamp() for section in sections
            if section.get("fresh_until")]
    return rendered, min(ends, default=None)
