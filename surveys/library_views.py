"""Admin: start a survey from a template, and add questions from the question bank.

Both write drafts only (a new draft page; a new draft revision of a survey) and return the
officer to Wagtail's edit page with a message, where the survey is checked and published as
any other. Who may: `surveys.start_from_template` (on the parent index page) and
`surveys.add_bank_question` (on the survey), in `rules.py`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import question_bank, templates_library
from .models import SurveyIndexPage, SurveyPage

NEW_SECTION = "new"


class StartFromTemplateForm(forms.Form):
    template = forms.ChoiceField(
        label=gettext_lazy("Template"), widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose a template to start from."),
                        "invalid_choice": gettext_lazy("Choose one of the templates listed.")})
    parent = forms.TypedChoiceField(
        label=gettext_lazy("Where the survey goes"), coerce=int,
        help_text=gettext_lazy("The survey index page it is listed on."),
        error_messages={"required": gettext_lazy("Choose where the survey goes."),
                        "invalid_choice": gettext_lazy("Choose one of the survey index pages "
                                                       "listed.")})
    title = forms.CharField(
        label=gettext_lazy("Title (optional)"), max_length=255, required=False,
        help_text=gettext_lazy("Leave empty to use the template's name; you can change it "
                               "later."))

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [
            (key, f"{title}: {description}")
            for key, title, description in templates_library.template_choices()]
        self.fields["parent"].choices = [(parent.pk, parent.title) for parent in parents]


class BankForm(forms.Form):
    section = forms.ChoiceField(
        label=gettext_lazy("Add to section"),
        error_messages={"invalid_choice": gettext_lazy("Choose one of the survey's sections, "
                                                       "or a new section.")})
    question = forms.ChoiceField(
        choices=[(entry.key, entry.key) for entry in question_bank.BANK],
        error_messages={"required": gettext_lazy("Choose a question to add."),
                        "invalid_choice": gettext_lazy("That question is not in the bank.")})

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [
            *((str(index), title) for index, title in enumerate(sections)),
            (NEW_SECTION, _("A new section at the end, named after the question's group"))]
        self.fields["section"].initial = NEW_SECTION


def _parents(user) -> list:
    return [parent for parent in SurveyIndexPage.objects.order_by("path")
            if user.has_perm("surveys.start_from_template", parent)]


def start_from_template(request):
    """Choose a template and where the survey goes; creates a draft and opens its edit page."""
    parents = _parents(request.user)
    if not parents:
        raise PermissionDenied
    initial = {"parent": request.GET.get("parent")} if request.GET.get("parent") else None
    form = StartFromTemplateForm(request.POST or None, parents=parents, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        template = templates_library.BY_TEMPLATE_KEY[data["template"]]
        parent = next(parent for parent in parents if parent.pk == data["parent"])
        try:
            page = templates_library.start_survey(template, parent, user=request.user,
                                                  title=data["title"])
        except question_bank.BankError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _(
                "Draft survey “%(title)s” created from the template “%(template)s”. Set when it "
                "opens and closes, check its questions, then publish it.") % {
                "title": page.title, "template": template.title})
            return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(request, "surveys/admin/start_from_template.html", {
        "form": form, "header_title": _("New survey from a template"),
        "page_title": _("New survey from a template"), "header_icon": "doc-full",
    }, status=400 if form.errors else 200)


def _section_titles(raw_sections) -> list[str]:
    return [section["value"].get("title") or _("Section %(number)s") % {"number": index}
            for index, section in enumerate(raw_sections, start=1)]


def add_bank_question(request, pk):
    """The question bank for one survey: each question added with one button to the survey's
    latest draft, in the section chosen; back to the edit page with a message."""
    survey = get_object_or_404(SurveyPage, pk=pk)
    if not request.user.has_perm("surveys.add_bank_question", survey):
        raise PermissionDenied
    draft = survey.get_latest_revision_as_object()
    raw = draft.sections.get_prep_value()
    form = BankForm(request.POST or None, sections=_section_titles(raw))
    if request.method == "POST" and form.is_valid():
        entry = question_bank.BY_KEY[form.cleaned_data["question"]]
        section = form.cleaned_data["section"]
        try:
            draft.sections = question_bank.add_to_sections(
                raw, entry, None if section == NEW_SECTION else int(section))
        except question_bank.BankError as error:
            form.add_error(None, str(error))
        else:
            draft.save_revision(user=request.user, log_action=True, clean=False)
            messages.success(request, _("“%(question)s” added to the draft of “%(survey)s”.")
                             % {"question": entry.title, "survey": survey.title})
            return redirect("wagtailadmin_pages:edit", survey.pk)
    return TemplateResponse(request, "surveys/admin/question_bank.html", {
        "form": form, "survey": survey, "groups": question_bank.grouped(),
        "header_title": _("Question bank"), "header_icon": "help",
        "page_title": _("Question bank: %(survey)s") % {"survey": survey.title},
    }, status=400 if form.errors else 200)


library_admin_urls = ([
    path("new-from-template/", start_from_template, name="start_from_template"),
    path("<id:pk>/question-bank/", add_bank_question, name="question_bank"),
], "surveys_library")
