"""The blocks officers build a survey from: sections holding questions of each type.

Every question block and every option has a stable id (Wagtail's block UUIDs), which the
question registry (`models.Question`, `models.Option`) is keyed by, so answers never depend on
labels or positions.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

LIKERT_LABELS = {
    1: _("Strongly disagree"),
    2: _("Disagree"),
    3: _("Neither agree nor disagree"),
    4: _("Agree"),
    5: _("Strongly agree"),
}


class OptionBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Option"), max_length=200)
    theme = SnippetChooserBlock(
        "themes.Theme", label=_("Theme"), required=False,
        help_text=_("Tag this option with a theme so it counts as evidence for priorities."),
    )

    class Meta:
        icon = "list-ul"


class QuestionBlock(blocks.StructBlock):
    """Fields every question has."""

    question = blocks.CharBlock(label=_("Question"), max_length=300)
    help_text = blocks.CharBlock(label=_("Help text"), max_length=300, required=False)
    required = blocks.BooleanBlock(label=_("Answer required"), required=False, default=True)
    theme = SnippetChooserBlock("themes.Theme", label=_("Theme"), required=False)
    show_if_question = blocks.CharBlock(
        label=_("Show only if the answer to the question"), max_length=300, required=False,
        help_text=_("Copy the wording of a choice question in an earlier section."),
    )
    show_if_answer = blocks.CharBlock(
        label=_("was"), max_length=200, required=False,
        help_text=_("Copy the wording of one of that question's options."),
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
    ranking = RankingBlock()
    text = TextQuestionBlock()
    number = NumberQuestionBlock()
    where_you_live = WhereYouLiveBlock()
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
