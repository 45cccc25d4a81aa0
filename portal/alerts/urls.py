from django.urls import path

from . import views

urlpatterns = [
    path("", views.follow, name="alerts_follow"),
    path("confirm/<str:token>/", views.confirm, name="alerts_confirm"),
    path("manage/", views.manage, name="alerts_manage"),
    path("manage/<str:token>/", views.manage_link, name="alerts_manage_link"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="alerts_unsubscribe"),
]
