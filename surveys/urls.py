from django.urls import path  # noqa: F401

from . import paper

urlpatterns = [
    path("survey-paper/<id:page_id>/", paper.paper_form, name="survey_paper_form"),
]
