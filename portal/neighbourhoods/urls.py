from django.urls import path

from . import views

app_name = "neighbourhoods"

urlpatterns = [
    path("boundaries.geojson", views.boundaries_geojson, name="boundaries_geojson"),
    path("locate", views.locate, name="locate"),
]
