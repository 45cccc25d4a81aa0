"""The insight admin's addresses (mounted under /admin/insight/ by wagtail_hooks)."""

from django.urls import include, path

from . import (
    classifier_views,
    coding_views,
    import_views,
    matrix_views,
    safeguarding_views,
    trend_views,
)

app_name = "insight"

urlpatterns = [
    path("", include(coding_views.urlpatterns)),  # "insight:coding" is the landing page
    path("imports/", include(import_views.urlpatterns)),
    path("matrix/", include(matrix_views.urlpatterns)),
    path("suggestions/", include(classifier_views.urlpatterns)),
    path("trends/", include(trend_views.urlpatterns)),
    path("safeguarding/", include(safeguarding_views.urlpatterns)),
]
