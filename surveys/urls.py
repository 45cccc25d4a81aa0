from django.urls import path  # noqa: F401

from . import draft_views, paper

urlpatterns = [
    path("survey-paper/<id:page_id>/", paper.paper_form, name="survey_paper_form"),
    path("survey-save/<id:page_id>/", draft_views.save_by_email, name="survey_draft_save"),
    path("survey-save/<id:page_id>/start-again/", draft_views.start_again,
         name="survey_start_again"),
    path("survey-resume/<slug:token>/", draft_views.resume, name="survey_draft_resume"),
]
