"""Site search: one form over pages, assets, organisations, forums and surveys."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import postcodes, service
from .forms import SearchForm
from .query import query_terms, split_postcode

PER_PAGE = 10


@require_GET
def search(request):
    """Ten results a page, filtered by kind and neighbourhood; a postcode in the words also
    gets its neighbourhood and the nearest places."""
    form = SearchForm(request.GET or None, kinds=service.kinds())
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    query = data.get("q", "")
    kind, neighbourhood = data.get("kind", ""), data.get("neighbourhood")
    postcode, words = split_postcode(query)
    postcode_answer = postcodes.answer(postcode, service.providers(), request) \
        if postcode else None
    outcome = service.search(words, kind=kind, neighbourhood=neighbourhood, request=request) \
        if words else service.Outcome()
    paginator = Paginator(outcome.results, PER_PAGE)
    page = _page(paginator, request.GET.get("page", 1))
    filters = {"q": query, "kind": kind,
               "neighbourhood": neighbourhood.slug if neighbourhood else ""}
    return render(request, "search/search.html", {
        "form": form,
        "query": query,
        "words": words,
        "no_words": bool(query) and not postcode and not query_terms(words),
        "truncated": getattr(form, "truncated", False),
        "results": page,
        "every_word": outcome.every_word,
        "suggestion": outcome.suggestion,
        "suggestion_url": "?" + urlencode({**_kept(filters), "q": outcome.suggestion})
        if outcome.suggestion else "",
        "postcode": postcode_answer,
        "filtered": bool(kind or neighbourhood),
        "search_failed": outcome.failed,
        "query_prefix": urlencode(_kept(filters)) + "&",
    }, status=400 if outcome.failed else 200)


def _kept(filters: dict) -> dict:
    return {key: value for key, value in filters.items() if value}


def _page(paginator, number):
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)
