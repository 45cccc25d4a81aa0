"""Site-wide views that are not pages: brand stylesheet, robots.txt, health check."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

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
def healthz(request):
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
