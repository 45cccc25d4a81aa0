"""Placeholder until this part is built (a helper owns it)."""

from django.http import HttpResponse
from django.urls import path


def placeholder(request):
    return HttpResponse("Coding")


urlpatterns = [path("", placeholder, name="coding")]
