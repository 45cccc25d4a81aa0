from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Page, Site

MAX_QUERY_LENGTH = 200


@require_GET
def search(request):
    """Site search over live public pages, ten results a page."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = Page.objects.none()
    if query:
        site_pages = Page.objects.live().public().filter(locale=Locale.get_active()).specific()
        site = Site.find_for_request(request)
        if site is not None:
            site_pages = site_pages.descendant_of(site.root_page, inclusive=True)
        results = site_pages.search(query)
    paginator = Paginator(results, 10)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    return render(request, "search/search.html", {"query": query, "results": page})
