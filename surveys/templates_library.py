"""Survey templates: whole surveys an officer starts from, shipped with the portal.

A template is a list of sections of questions, most of them from the question bank
(`question_bank`), written in Python so that every word goes through gettext and an officer
working in Welsh starts from a Welsh survey. Starting from a template creates a draft
`SurveyPage` with fresh block ids (every survey made from it is a different survey) and no
dates in its draft: the officer schedules it on the edit page. The wording follows what the
councils' neighbourhood papers in the design's context documents ask residents about:
neighbourhood priorities such as financial hardship, housing and school readiness; how
services are experienced; and whether a forum was worth the evening.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import copying
from .blocks import GRID, LIKERT, SINGLE, TEXT
from .models import SurveyPage
from .question_bank import BY_KEY, SATISFACTION_SCALE, new_id, options, question, statements

PRIVACY_NOTICE = _(
    "<p>The council holds your answers to plan services with the people who live here. We "
    "keep them for two years, and publish only totals in which no one can be identified. To "
    "see, correct or delete your answers, contact the council's data protection officer.</p>")
# Placeholder window kept on the page row (its columns may not be empty); the draft the officer
# edits has no dates, so they must be chosen before the survey is saved.
ROW_WINDOW = timedelta(days=28)


def _own(kind, build):
    """A question written for one template (not in the bank)."""
    return lambda: {"type": kind, "value": build(), "id": new_id()}


def _bank(key):
    return BY_KEY[key].block


@dataclass(frozen=True)
class SurveyTemplate:
    key: str
    title: object
    description: object
    introduction: object
    estimated_minutes: int
    sections: tuple  # ((title, introduction, (block builders...)), ...)

    def raw_sections(self) -> list:
        """Raw StreamField data with fresh ids: each call is a different set of questions."""
        return [{"type": "section", "id": new_id(), "value": {
            "title": str(title), "introduction": str(introduction),
            "questions": [build() for build in builders]}}
            for title, introduction, builders in self.sections]


_ABOUT_YOU = (_("About you"), _("So we can count your answers for the right neighbourhood."),
              (_bank("where_you_live"),))
_EQUALITY = (_("Equality monitoring"), "", (_bank("equality"),))

TEMPLATES = [
    SurveyTemplate(
        "neighbourhood_priorities", _("Neighbourhood priorities"),
        _("What residents want changed first: a ranking of the themes, what works, what does "
          "not, and whether people feel heard. Feeds the neighbourhood's priorities."),
        _("Tell us what matters most where you live. Your answers help set the priorities in "
          "your neighbourhood's plan."), 8,
        (_ABOUT_YOU,
         (_("What matters most"), "", (
             _bank("rank_themes"),
             _own(TEXT, lambda: question(
                 _("What is the one thing that would most improve life in your "
                   "neighbourhood?"), required=False, long=True, max_length=1000)),
             _own(TEXT, lambda: question(
                 _("What works well in your neighbourhood and should be kept?"),
                 required=False, long=True, max_length=1000)),
         )),
         (_("Your neighbourhood"), "", (
             _bank("satisfaction_area"), _bank("belonging"), _bank("influence"),
             _bank("how_heard"),
         )),
         _EQUALITY)),
    SurveyTemplate(
        "service_satisfaction", _("Service satisfaction"),
        _("How people found a service: which one, how satisfied they were, how easy it was to "
          "reach and what should change."),
        _("Tell us about a council or community service you used recently, so we can make it "
          "better."), 5,
        (_ABOUT_YOU,
         (_("The service you used"), "", (
             _own(SINGLE, lambda: question(
                 _("Which service did you use?"), help_text=_("Choose the one you used most "
                                                             "recently."),
                 options=options([_("Family hub"), _("Advice drop-in"), _("Library"),
                                  _("Housing office"), _("Other")]))),
             _bank("satisfaction_service"),
             _own(LIKERT, lambda: question(_("The service was easy to get to"))),
             _own(LIKERT, lambda: question(_("Staff understood what I needed"))),
             _own(TEXT, lambda: question(_("What should we change about the service?"),
                                         required=False, long=True, max_length=1000)),
         )),
         _EQUALITY)),
    SurveyTemplate(
        "forum_feedback", _("Forum feedback"),
        _("Feedback after a neighbourhood forum: was it worth coming, could people have their "
          "say, and do they know what happens next."),
        _("Thank you for coming to the neighbourhood forum. Tell us how it went so the next "
          "one is better."), 3,
        ((_("The forum"), "", (
            _own(SINGLE, lambda: question(
                _("Overall, how satisfied or dissatisfied were you with the forum?"),
                options=options(SATISFACTION_SCALE))),
            _own(GRID, lambda: question(
                _("How much do you agree or disagree with each statement about the forum?"),
                statements=statements([
                    _("I had the chance to say what I wanted to say"),
                    _("The council officers listened to what people said"),
                    _("I understand what will happen next")]))),
            _own(TEXT, lambda: question(_("What would make the next forum better?"),
                                        required=False, long=True, max_length=1000)),
            _bank("how_heard"),
         )),
         _ABOUT_YOU,
         _EQUALITY)),
]
BY_TEMPLATE_KEY = {template.key: template for template in TEMPLATES}


@transaction.atomic
def start_survey(template: SurveyTemplate, parent, *, user=None, title: str = "") -> SurveyPage:
    """Create a draft survey under `parent` from `template` (new ids), with a first revision
    whose dates are empty. Raises `question_bank.BankError` when a question cannot be built."""
    title = title.strip() or str(template.title)
    now = timezone.now()
    page = SurveyPage(
        title=title, slug=copying.free_slug(parent, title), live=False,
        has_unpublished_changes=True, introduction=str(template.introduction),
        privacy_notice=str(PRIVACY_NOTICE), estimated_minutes=template.estimated_minutes,
        opens_at=now + ROW_WINDOW, closes_at=now + 2 * ROW_WINDOW,
        sections=template.raw_sections(), owner=user)
    parent.add_child(instance=page)
    revision = page.save_revision(user=user, log_action=True, clean=False)
    revision.content = {**revision.content, **dict.fromkeys(copying.CLEARED_IN_DRAFT)}
    revision.save(update_fields=["content"])
    return page


def template_choices():
    """(key, title, description) of every template, for the chooser."""
    return [(t.key, str(t.title), str(t.description)) for t in TEMPLATES]
