import logging
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import DatabaseError, transaction
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Page, Site

from .query import clean_query

logger = logging.getLogger(__name__)


@require_GET
def search(request):
    """Site search over live public pages, ten results a page."""
    query = clean_query(request.GET.get("q", ""))
    results = Page.objects.none()
    if query:
        site_pages = Page.objects.live().public().filter(locale=Locale.get_active()).specific()
        site = Site.find_for_request(request)
        if site is not None:
            site_pages = site_pages.descendant_of(site.root_page, inclusive=True)
        results = site_pages.search(query)
    paginator = Paginator(results, 10)
    failed = False
    try:
        # A savepoint, so a query the backend refuses leaves the request's transaction usable.
        with transaction.atomic():
            page = _page(paginator, request.GET.get("page", 1))
            list(page)
    except DatabaseError:
        logger.warning("The search backend refused the query %r", query, exc_info=True)
        failed = True
        page = None
    return render(request, "search/search.html", {
        "query": query,
        "results": page,
        "search_failed": failed,
        "query_prefix": urlencode({"q": query}) + "&",
    }, status=400 if failed else 200)


def _page(paginator, number):
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)
