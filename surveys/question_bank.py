"""The question bank: standard questions an officer adds to a survey with one click.

Each entry builds the raw StreamField data of one question block of `surveys.blocks` (the
same shape Wagtail stores), with a fresh block id and fresh option ids, so a question added
twice, or to two surveys, is two questions. The equality-monitoring entry is the portal's
`EqualityBlock` (the ONS harmonised questions of `surveys.equality`), not a copy of its lists.
Templates (`templates_library`) are built from the same entries.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.themes.models import Theme

from .blocks import EQUALITY, GRID, LIKERT, MULTIPLE, RANKING, SINGLE, TEXT, WHERE

# Groups the bank screen lists its questions under, in order.
ABOUT_YOU, SATISFACTION, PRIORITIES, ENGAGEMENT = "about_you", "satisfaction", "priorities", \
    "engagement"
GROUPS = [
    (ABOUT_YOU, _("About the person answering")),
    (SATISFACTION, _("Satisfaction")),
    (PRIORITIES, _("Priorities")),
    (ENGAGEMENT, _("Taking part")),
]

SATISFACTION_SCALE = [
    _("Very satisfied"), _("Fairly satisfied"), _("Neither satisfied nor dissatisfied"),
    _("Fairly dissatisfied"), _("Very dissatisfied"),
]
HOW_HEARD = [
    _("A leaflet or letter through the door"), _("The council's website or email"),
    _("Social media"), _("A poster or notice board"), _("A community group or organisation"),
    _("A neighbourhood forum or event"), _("Friends, family or neighbours"), _("Other"),
]
BELONGING = [
    _("Very strongly"), _("Fairly strongly"), _("Not very strongly"), _("Not at all strongly"),
    _("Don't know"),
]
# A theme ranking offers at most this many themes, so it stays answerable on a phone.
MOST_THEMES = 8


class BankError(ValueError):
    """A bank question cannot be built (for example too few themes to rank)."""


@dataclass(frozen=True)
class BankQuestion:
    key: str
    group: str
    title: object  # lazy translation
    description: object
    kind: str
    build: object = field(repr=False)  # () -> block value (raw)
    once: bool = False  # at most one per survey

    def block(self) -> dict:
        """The raw block (type, value, id) to store in a section's questions."""
        return {"type": self.kind, "value": self.build(), "id": new_id()}


def new_id() -> str:
    return str(uuid.uuid4())


def options(labels, themes=None) -> list[dict]:
    """Raw ListBlock items for option labels, each with a fresh id (and a theme id or None)."""
    themes = themes or [None] * len(labels)
    return [{"type": "item", "value": {"label": str(label), "theme": theme}, "id": new_id()}
            for label, theme in zip(labels, themes, strict=True)]


def question(text, *, required=True, help_text="", **extra) -> dict:
    """A question block's raw value: the fields every question has, then its own."""
    return {"question": str(text), "help_text": str(help_text), "required": required,
            "theme": None, "show_if_question": "", "show_if_answer": "", **extra}


NEIGHBOURHOOD_STATEMENTS = [
    _("People in this neighbourhood pull together to improve it"),
    _("People from different backgrounds get on well together here"),
    _("I feel safe outside in my neighbourhood after dark"),
    _("I know where to get help with money, housing or health nearby"),
]


def statements(texts) -> list[dict]:
    """Raw ListBlock items of a statement grid, each with a fresh id."""
    return [{"type": "item", "value": {"statement": str(text), "theme": None}, "id": new_id()}
            for text in texts]


def _theme_ranking() -> dict:
    themes = list(Theme.objects.active().order_by("name")[:MOST_THEMES])
    if len(themes) < 2:
        raise BankError(gettext("A ranking of themes needs at least two active themes. Add "
                                "themes under Snippets first."))
    return question(
        _("Which of these matter most for your neighbourhood? Put up to three in order, 1 for "
          "the most important."),
        options=options([theme.name for theme in themes], [theme.pk for theme in themes]),
        rank_count=3)


def _satisfaction(text, help_text=""):
    return lambda: question(text, help_text=help_text, options=options(SATISFACTION_SCALE))


BANK = [
    BankQuestion(
        "where_you_live", ABOUT_YOU, _("Where do you live?"),
        _("Postcode or neighbourhood: counts the answers for the right neighbourhood."),
        WHERE, lambda: question(_("Where do you live?"),
                                help_text=_("Your postcode, or choose your neighbourhood.")),
        once=True),
    BankQuestion(
        "equality", ABOUT_YOU, _("Equality monitoring (ONS harmonised questions)"),
        _("Age band, sex, gender identity, ethnic group, religion, long-lasting health "
          "conditions or disability, sexual orientation and unpaid care: each optional, kept "
          "apart from the other answers."),
        EQUALITY, lambda: {"introduction": gettext(
            "These questions help us check that we hear from everyone. Every question is "
            "optional and your answers are kept separately from your other answers.")},
        once=True),
    BankQuestion(
        "satisfaction_area", SATISFACTION,
        _("How satisfied are you with your local area as a place to live?"),
        _("Five-point scale from very satisfied to very dissatisfied."), SINGLE,
        _satisfaction(_("Overall, how satisfied or dissatisfied are you with your local area "
                        "as a place to live?"))),
    BankQuestion(
        "satisfaction_council", SATISFACTION,
        _("How satisfied are you with the way the council runs things?"),
        _("Five-point scale from very satisfied to very dissatisfied."), SINGLE,
        _satisfaction(_("Overall, how satisfied or dissatisfied are you with the way the "
                        "council runs things?"))),
    BankQuestion(
        "satisfaction_service", SATISFACTION,
        _("How satisfied were you with the service you used?"),
        _("Five-point scale; edit the wording to name the service."), SINGLE,
        _satisfaction(_("How satisfied or dissatisfied were you with the service you used?"))),
    BankQuestion(
        "rank_themes", PRIORITIES, _("Rank the themes that matter most"),
        _("A ranking of the portal's active themes; each option counts as evidence for its "
          "theme's priority."), RANKING, _theme_ranking),
    BankQuestion(
        "influence", PRIORITIES,
        _("I can influence decisions affecting my local area"),
        _("Agree or disagree, five points."), LIKERT,
        lambda: question(_("I can influence decisions affecting my local area"))),
    BankQuestion(
        "neighbourhood_statements", PRIORITIES,
        _("Statements about your neighbourhood"),
        _("A statement grid: pulling together, getting on, feeling safe, knowing where to get "
          "help, each on one agree or disagree scale."), GRID,
        lambda: question(_("How much do you agree or disagree with each statement?"),
                         statements=statements(NEIGHBOURHOOD_STATEMENTS))),
    BankQuestion(
        "anything_else", PRIORITIES, _("Anything else you want to tell us?"),
        _("A long free-text answer, optional."), TEXT,
        lambda: question(_("Is there anything else you want to tell us?"), required=False,
                         long=True, max_length=2000)),
    BankQuestion(
        "belonging", ENGAGEMENT,
        _("How strongly do you feel you belong to your neighbourhood?"),
        _("The Community Life Survey's belonging question."), SINGLE,
        lambda: question(_("How strongly do you feel you belong to your immediate "
                           "neighbourhood?"), options=options(BELONGING))),
    BankQuestion(
        "how_heard", ENGAGEMENT, _("How did you hear about this survey?"),
        _("Multiple choice: leaflet, website, social media, posters, groups, forums, word of "
          "mouth."), MULTIPLE,
        lambda: question(_("How did you hear about this survey?"), required=False,
                         options=options(HOW_HEARD), min_choices=None, max_choices=None)),
]
BY_KEY = {entry.key: entry for entry in BANK}


def grouped() -> list[tuple[str, object, list[BankQuestion]]]:
    """(group key, group title, entries) in the screen's order."""
    return [(key, title, [entry for entry in BANK if entry.group == key])
            for key, title in GROUPS]


def used_once_kinds(raw_sections) -> set[str]:
    """The block types a survey already has that may appear only once (equality, where)."""
    once = {entry.kind for entry in BANK if entry.once}
    return {child["type"] for section in raw_sections
            for child in section["value"]["questions"] if child["type"] in once}


def add_to_sections(raw_sections: list, entry: BankQuestion, section: int | None) -> list:
    """`raw_sections` with the entry's block appended to section `section` (an index), or to a
    new section at the end when `section` is None. Raises BankError when it may not be added."""
    if entry.once and entry.kind in used_once_kinds(raw_sections):
        raise BankError(gettext("This survey already has “%(title)s”; a survey can ask it only "
                                "once.") % {"title": entry.title})
    block = entry.block()
    if section is None:
        group_title = dict(GROUPS)[entry.group]
        return [*raw_sections, {"type": "section", "id": new_id(), "value": {
            "title": str(group_title), "introduction": "", "questions": [block]}}]
    if not 0 <= section < len(raw_sections):
        raise BankError(gettext("Choose one of the survey's sections, or a new section."))
    updated = list(raw_sections)
    target = dict(updated[section])
    target["value"] = {**target["value"],
                       "questions": [*target["value"]["questions"], block]}
    updated[section] = target
    return updated
