"""Public forum URLs. Prefixes start with "forum-" so they cannot collide with page slugs."""

from django.urls import path

from . import views

app_name = "forums"

urlpatterns = [
    path("forum-event/<id:page_id>/register/", views.register, name="register"),
    path("forum-event/<id:page_id>/vote/", views.vote, name="vote"),
    path("forum-event/<id:page_id>/calendar.ics", views.event_calendar, name="event_calendar"),
    path("forum-registration/<slug:token>/", views.registration_detail, name="registration"),
    path("forum-registration/<slug:token>/confirm/", views.confirm, name="confirm"),
    path("forum-registration/<slug:token>/cancel/", views.cancel, name="cancel"),
    path("forum-registration/<slug:token>/calendar.ics", views.registration_calendar,
         name="registration_calendar"),
    path("forum-calendar/<slug:slug>.ics", views.neighbourhood_calendar,
         name="neighbourhood_calendar"),
]
