from django.urls import path

from . import views

urlpatterns = [
    path("", views.profile, name="account_profile"),
    path("data/", views.download_data, name="account_download_data"),
    path("delete/", views.delete_account, name="account_delete"),
]
