"""Open Referral UK 3.0 endpoints (read-only, paginated, no personal data)."""

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import openapi
from . import openreferral as oruk


def _json(data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _paging(request):
    try:
        number = int(request.GET.get("page", 1))
        per_page = int(request.GET.get("per_page", oruk.DEFAULT_PER_PAGE))
    except ValueError:
        return None
    return number, max(1, min(per_page, oruk.MAX_PER_PAGE))


def _list(request, items, build):
    paging = _paging(request)
    if paging is None:
        return _json({"error": "page and per_page must be whole numbers"}, status=400)
    return _json(oruk.page(items, *paging, build))


@require_safe
def api_details(request):
    return _json({"version": oruk.VERSION, "profile": oruk.PROFILE,
                  "openapi_url": request.build_absolute_uri(
                      reverse("assets_map_api:oruk_openapi"))})


@require_safe
def openapi_document(request):
    """The OpenAPI 3 document describing these endpoints (assets_map/openapi.py)."""
    return _json(openapi.document(request.build_absolute_uri(reverse("assets_map_api:oruk"))))


def not_found(request, path=""):
    """Any other address under the API: a JSON 404 at once. Without it the 404 of an unknown
    id became a redirect to the same address with a slash (APPEND_SLASH), then a page 404."""
    return _json({"error": "Not found"}, status=404)


@require_safe
def service_list(request):
    return _list(request, oruk.published_services(),
                 lambda rows: [oruk.service_summary(s) for s in rows])


@require_safe
def service_detail(request, pk):
    service = oruk.published_services().filter(uuid=pk).first()
    if service is None:
        return not_found(request)
    return _json(oruk.service_full(service, oruk.hours_for([service]).get(service.asset_id, [])))


@require_safe
def organization_list(request):
    return _list(request, oruk.published_organisations(),
                 lambda rows: [oruk.organization(o) for o in rows])


@require_safe
def organization_detail(request, pk):
    org = oruk.published_organisations().filter(uuid=pk).first()
    if org is None:
        return not_found(request)
    return _json(oruk.organization(org))


@require_safe
def service_at_location_list(request):
    return _list(request, oruk.published_services(),
                 lambda rows: [oruk.service_at_location(s) for s in rows])


@require_safe
def service_at_location_detail(request, pk):
    # The id is derived from the service's (uuid5), so find the service by recomputing ids
    # over the uuids alone (cheap), then load that one service.
    wanted = str(pk)
    for service_uuid in oruk.published_services().values_list("uuid", flat=True):
        if oruk.derived_id(service_uuid, "service_at_location") == wanted:
            service = oruk.published_services().get(uuid=service_uuid)
            return _json(oruk.service_at_location(service))
    return not_found(request)
