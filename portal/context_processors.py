from django.conf import settings


def portal(request):
    """Settings every template may need."""
    return {
        "PORTAL_MAP_TILES_URL": settings.PORTAL_MAP_TILES_URL,
        "PORTAL_MAP_TILES_ATTRIBUTION": settings.PORTAL_MAP_TILES_ATTRIBUTION,
        "PORTAL_MAP_CENTER": settings.LEAFLET_CONFIG["DEFAULT_CENTER"],
        "PORTAL_MAP_ZOOM": settings.LEAFLET_CONFIG["DEFAULT_ZOOM"],
    }
