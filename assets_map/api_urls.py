"""Open data, outside the language prefix: GeoJSON, CSV and Open Referral UK 3.0."""

from django.urls import path, re_path

from . import openreferral_views, views

app_name = "assets_map_api"

urlpatterns = [
    path("assets.geojson", views.assets_geojson, name="geojson"),
    path("assets.csv", views.assets_csv, name="csv"),
    path("openreferral/", openreferral_views.api_details, name="oruk"),
    path("openreferral/services", openreferral_views.service_list, name="oruk_services"),
    path("openreferral/services/<uuid:pk>", openreferral_views.service_detail,
         name="oruk_service"),
    path("openreferral/organizations", openreferral_views.organization_list,
         name="oruk_organizations"),
    path("openreferral/organizations/<uuid:pk>", openreferral_views.organization_detail,
         name="oruk_organization"),
    path("openreferral/service_at_locations", openreferral_views.service_at_location_list,
         name="oruk_service_at_locations"),
    path("openreferral/service_at_locations/<uuid:pk>",
         openreferral_views.service_at_location_detail, name="oruk_service_at_location"),
    path("openreferral/openapi.json", openreferral_views.openapi_document, name="oruk_openapi"),
    # Last: a malformed id or an unknown address is a JSON 404, not a redirect to add a slash.
    re_path(r"^openreferral/(?P<path>.*)$", openreferral_views.not_found),
]
