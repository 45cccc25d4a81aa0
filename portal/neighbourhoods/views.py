"""Open-data endpoints: neighbourhood boundaries as GeoJSON and point look-up."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .geometry import point_in_uk
from .models import Neighbourhood
from .services import neighbourhood_for_point, neighbourhoods_geojson


@require_GET
@cache_control(max_age=300, public=True)
def boundaries_geojson(request):
    """Every neighbourhood's boundary as an RFC 7946 FeatureCollection."""
    neighbourhoods = Neighbourhood.objects.only("name", "code", "boundary")
    return JsonResponse(neighbourhoods_geojson(neighbourhoods),
                        content_type="application/geo+json")


@require_GET
def locate(request):
    """Which neighbourhood covers ?lat=&lng=; 400 with a message for bad input, 404 if none."""
    try:
        lat = float(request.GET.get("lat", ""))
        lng = float(request.GET.get("lng", ""))
    except ValueError:
        return JsonResponse(
            {"error": _("Give lat and lng as decimal degrees, like lat=51.54&lng=-0.25.")},
            status=400,
        )
    if not point_in_uk(lat, lng):
        return JsonResponse({"error": _("That point is outside the UK.")}, status=400)
    neighbourhood = neighbourhood_for_point(lat, lng)
    if neighbourhood is None:
        return JsonResponse({"error": _("No neighbourhood covers that point.")}, status=404)
    return JsonResponse({"code": neighbourhood.code, "name": neighbourhood.name})
