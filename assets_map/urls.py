"""Public, language-prefixed URLs: organisations' self-service (the map is a Wagtail page)."""

from django.urls import path

from . import views

app_name = "assets_map"

urlpatterns = [
    path("organisations/", views.my_organisations, name="my_organisations"),
    path("organisations/still-correct/<str:token>/", views.verify_link, name="verify_link"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/join/", views.organisation_search, name="organisation_search"),
    path("organisations/invitations/<str:token>/", views.invitation, name="invitation"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/members/", views.member_add, name="member_add"),
    path("organisations/<slug:slug>/join/", views.join_request_create, name="join_request"),
    path("organisations/<slug:slug>/requests/<id:pk>/", views.join_request_decide,
         name="join_request_decide"),
    path("organisations/<slug:slug>/assets/new/", views.asset_edit, name="asset_create"),
    path("organisations/<slug:slug>/assets/<id:pk>/edit/", views.asset_edit, name="asset_edit"),
    path("organisations/<slug:slug>/assets/<id:pk>/preview/", views.asset_preview,
         name="asset_preview"),
    path("organisations/<slug:slug>/assets/<id:pk>/submit/", views.asset_submit,
         name="asset_submit"),
    path("organisations/<slug:slug>/assets/<id:pk>/verify/", views.asset_verify,
         name="asset_verify"),
]
