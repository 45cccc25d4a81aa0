"""The blocks officers build a survey from: sections holding questions of each type.

Every question block and every option has a stable id (Wagtail's block UUIDs), which the
question registry (`models.Question`, `models.Option`) is keyed by, so answers never depend on
labels or positions.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from portal.themes.blocks import ThemeChooserBlock

# The question types: QuestionStreamBlock's block names, which are also `models.Question.kind`.
SINGLE = "single_choice"
MULTIPLE = "multiple_choice"
LIKERT = "likert"
RANKING = "ranking"
TEXT = "text"
NUMBER = "number"
WHERE = "where_you_live"
MAP_PIN = "map_pin"
EQUALITY = "equality"
GRID = "statement_grid"  # a block only: each statement becomes a LIKERT question
KINDS = [
    (SINGLE, _("Single choice")), (MULTIPLE, _("Multiple choice")),
    (LIKERT, _("Agree or disagree")), (RANKING, _("Ranking")), (TEXT, _("Text")),
    (NUMBER, _("Number")), (WHERE, _("Where do you live")),
    (MAP_PIN, _("Show us where")), (EQUALITY, _("Equality monitoring")),
]

LIKERT_LABELS = {
    1: _("Strongly disagree"),
    2: _("Disagree"),
    3: _("Neither agree nor disagree"),
    4: _("Agree"),
    5: _("Strongly agree"),
}


class KeyBlock(blocks.CharBlock):
    """An id typed into no form: kept as it is in every translation.

    wagtail-localize offers every CharBlock to translators unless the block says which of its
    text is words (here: none).
    """

    def get_translatable_segments(self, value):
        return []

    def restore_translated_segments(self, value, segments):
        return value


class OptionBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Option"), max_length=200)
    theme = ThemeChooserBlock(
        label=_("Theme"), required=False,
        help_text=_("Tag this option with a theme so it counts as evidence for priorities."),
    )

    class Meta:
        icon = "list-ul"


class QuestionBlock(blocks.StructBlock):
    """Fields every question has."""

    question = blocks.CharBlock(label=_("Question"), max_length=300)
    help_text = blocks.CharBlock(label=_("Help text"), max_length=300, required=False)
    required = blocks.BooleanBlock(label=_("Answer required"), required=False, default=True)
    theme = ThemeChooserBlock(label=_("Theme"), required=False)
    # Skip logic: the stable ids of an earlier choice question and of its option, chosen on
    # the survey's "Skip conditions" screen (surveys.skip_logic), never typed here, so the
    # fields are hidden in the page editor. Conditions saved before ids were used held the
    # wording instead; migration 0007 turned them into ids, and the wording is still read.
    show_if_question = KeyBlock(
        label=_("Condition: earlier question"), max_length=300, required=False,
        form_classname="w-hidden",
    )
    show_if_answer = KeyBlock(
        label=_("Condition: answer to the earlier question"), max_length=200, required=False,
        form_classname="w-hidden",
    )

    class Meta:
        icon = "help"


class SingleChoiceBlock(QuestionBlock):
    options = blocks.ListBlock(OptionBlock(), label=_("Options"), min_num=2)

    class Meta:
        label = _("Single choice")
        icon = "radio-full"


class MultipleChoiceBlock(QuestionBlock):
    options = blocks.ListBlock(OptionBlock(), label=_("Options"), min_num=2)
    min_choices = blocks.IntegerBlock(label=_("Fewest choices"), required=False, min_value=0)
    max_choices = blocks.IntegerBlock(label=_("Most choices"), required=False, min_value=1)

    class Meta:
        label = _("Multiple choice")
        icon = "tick-inverse"


class LikertBlock(QuestionBlock):
    class Meta:
        label = _("Agree or disagree (5 points)")
        icon = "order"


class StatementBlock(blocks.StructBlock):
    statement = blocks.CharBlock(label=_("Statement"), max_length=300)
    theme = ThemeChooserBlock(
        label=_("Theme"), required=False,
        help_text=_("Leave empty to use the grid's theme."),
    )

    class Meta:
        icon = "order"


class GridBlock(QuestionBlock):
    """Several statements on one agree/disagree scale, one row each.

    Each statement is its own agree/disagree question in the registry (keyed by the statement's
    list item id, with the grid's id in `config["grid"]`), so results, exports, evidence and
    priorities treat it as any other; the answering form and results draw them as one table.
    """

    statements = blocks.ListBlock(StatementBlock(), label=_("Statements"), min_num=0)

    class Meta:
        label = _("Statement grid (agree or disagree)")
        icon = "table"

    def clean(self, value):
        value = super().clean(value)
        if not any(item.get("statement") for item in value["statements"]):
            message = _("Add at least one statement to the grid “%(question)s”.") % {
                "question": value.get("question") or ""}
            raise StructBlockValidationError(block_errors={
                "statements": ListBlockValidationError(non_block_errors=[message])})
        return value


class RankingBlock(QuestionBlock):
    options = blocks.ListBlock(OptionBlock(), label=_("Options to rank"), min_num=2)
    rank_count = blocks.IntegerBlock(
        label=_("How many to rank"), min_value=1, default=3,
        help_text=_("People put this many options in order: 1 for the most important."),
    )

    class Meta:
        label = _("Ranking")
        icon = "list-ol"


class TextQuestionBlock(QuestionBlock):
    long = blocks.BooleanBlock(label=_("Long answer"), required=False, default=False)
    max_length = blocks.IntegerBlock(
        label=_("Most characters"), min_value=1, max_value=10_000, default=500
    )

    class Meta:
        label = _("Text")
        icon = "pilcrow"


class NumberQuestionBlock(QuestionBlock):
    min_value = blocks.IntegerBlock(label=_("Smallest"), required=False)
    max_value = blocks.IntegerBlock(label=_("Largest"), required=False)

    class Meta:
        label = _("Number")
        icon = "decimal"


class WhereYouLiveBlock(QuestionBlock):
    """Postcode or neighbourhood: assigns the response to a neighbourhood."""

    class Meta:
        label = _("Where do you live")
        icon = "site"


class PlaceBlock(blocks.StructBlock):
    """A named place people can choose instead of marking the map."""

    name = blocks.CharBlock(label=_("Place name"), max_length=200)
    latitude = blocks.FloatBlock(label=_("Latitude"), min_value=-90, max_value=90,
                                 help_text=_("For example 51.5365"))
    longitude = blocks.FloatBlock(label=_("Longitude"), min_value=-180, max_value=180,
                                  help_text=_("For example -0.2487"))

    class Meta:
        icon = "pick"


class MapPinBlock(QuestionBlock):
    """"Show us where": a pin on a map, or a place from a list, or a postcode.

    The map is an enhancement: without JavaScript, or with a screen reader, people choose one
    of the places listed here or one of the survey's neighbourhoods, or enter a postcode.
    """

    places = blocks.ListBlock(
        PlaceBlock(), label=_("Named places"), min_num=0,
        help_text=_("Places people can choose from a list instead of using the map, for "
                    "example parks, stations or buildings. The survey's neighbourhoods are "
                    "always listed too."),
    )
    allow_postcode = blocks.BooleanBlock(
        label=_("Let people enter a postcode"), required=False, default=True,
    )

    class Meta:
        label = _("Show us where (map pin or list of places)")
        icon = "pick"


class EqualityBlock(blocks.StructBlock):
    """The equality-monitoring questions (ONS 2021 categories), each optional."""

    introduction = blocks.TextBlock(
        label=_("Introduction"), required=False,
        default=_("These questions help us check that we hear from everyone. Every question is "
                  "optional and your answers are kept separately from your other answers."),
    )

    class Meta:
        label = _("Equality monitoring")
        icon = "group"


class QuestionStreamBlock(blocks.StreamBlock):
    single_choice = SingleChoiceBlock()
    multiple_choice = MultipleChoiceBlock()
    likert = LikertBlock()
    statement_grid = GridBlock()
    ranking = RankingBlock()
    text = TextQuestionBlock()
    number = NumberQuestionBlock()
    where_you_live = WhereYouLiveBlock()
    map_pin = MapPinBlock()
    equality = EqualityBlock()


class SectionBlock(blocks.StructBlock):
    """One step of the survey."""

    title = blocks.CharBlock(label=_("Section title"), max_length=200)
    introduction = blocks.TextBlock(label=_("Introduction"), required=False)
    questions = QuestionStreamBlock(label=_("Questions"), min_num=1)

    class Meta:
        icon = "doc-full"
        label = _("Section")


class SurveySectionsBlock(blocks.StreamBlock):
    section = SectionBlock()
