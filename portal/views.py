"""Site-wide views that are not pages: brand stylesheet, robots.txt, health check, and the
branded page for a form refused by the CSRF check."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from portal import health
from portal.pages.models import PortalSettings


@require_GET
@cache_control(max_age=300, public=True)
def brand_css(request):
    """The brand colour as CSS custom properties, so templates need no inline styles under CSP."""
    portal_settings = PortalSettings.for_request(request)
    css = (
        ":root {\n"
        f"  --brand: {portal_settings.brand_colour};\n"
        f"  --brand-text: {portal_settings.brand_text_colour};\n"
        "}\n"
    )
    return HttpResponse(css, content_type="text/css; charset=utf-8")


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /account/", "Disallow: /accounts/",
             f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the SVG icon."""
    return redirect(static("portal/favicon.svg"), permanent=True)


@require_GET
@never_cache
def healthz(request):
    """For load balancers: 200 when the database answers, is migrated and tasks are being run;
    503 with the failing check named otherwise (portal.health)."""
    result = health.report()
    return JsonResponse(result, status=200 if result["status"] == "ok" else 503)


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check (CSRF_FAILURE_VIEW): the portal's own page, in its
    layout and under its CSP, instead of Django's unbranded one with an inline style."""
    response = render(request, "403_csrf.html", {"reason": reason}, status=403)
    response["Cache-Control"] = "no-store"
    return response
