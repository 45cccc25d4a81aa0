"""Forms of the coding screen: the filters (GET), one item's coding and the bulk actions.

The choices (themes, the current matrix's sub-themes and services) are read once per request
into `CodingChoices` and shared by the forms and the list, which renders its own inputs so a
page of items costs no query per item.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme
from priorities.models import FeedbackItem

from . import coding
from .models import CodingMatrix, InsightItem, MatrixService, MatrixSubTheme

SURVEY = "survey"
MAX_BULK = 200
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"]


def source_choices() -> list[tuple[str, str]]:
    """The channels: community feedback's sources, then survey comments."""
    return [*FeedbackItem.SOURCE_CHOICES, (SURVEY, _("Survey comment"))]


@dataclass
class CodingChoices:
    """What an item can be coded with: active themes (all themes for filtering), and the
    current matrix version's sub-themes (grouped by theme) and services. Three queries."""

    matrix: CodingMatrix | None
    themes: list[Theme]
    all_themes: list[Theme]
    sub_themes: list[MatrixSubTheme]
    services: list[MatrixService]

    @classmethod
    def load(cls) -> CodingChoices:
        matrix = coding.current_matrix()
        all_themes = list(Theme.objects.order_by("name"))
        subs = (list(MatrixSubTheme.objects.filter(matrix=matrix).select_related("theme")
                     .order_by("theme__name", "position", "name")) if matrix else [])
        services = list(MatrixService.objects.filter(matrix=matrix).order_by("name")
                        ) if matrix else []
        return cls(matrix, [t for t in all_themes if t.is_active], all_themes, subs, services)

    def sub_theme_groups(self) -> list[tuple[str, list[tuple[int, str]]]]:
        groups: dict[str, list[tuple[int, str]]] = {}
        for sub in self.sub_themes:
            groups.setdefault(sub.theme.name, []).append((sub.pk, sub.name))
        return list(groups.items())


class FilterForm(forms.Form):
    """The coding screen's filters. Invalid ones are reported and left out; the rest apply."""

    status = forms.ChoiceField(label=_("Coding"), required=False, choices=[
        (coding.UNCODED, _("Not coded yet")), (coding.CODED, _("Coded")),
        (coding.ALL, _("All items"))])
    flag = forms.ChoiceField(label=_("Flags"), required=False, choices=[
        ("", _("Any")), (coding.FLAGGED, _("Flagged for safeguarding")),
        (coding.NEEDS_REVIEW, _("Needs review"))])
    theme = forms.TypedChoiceField(label=_("Theme"), required=False, coerce=int,
                                   empty_value=None)
    sub_theme = forms.TypedChoiceField(label=_("Sub-theme"), required=False, coerce=int,
                                       empty_value=None)
    source = forms.ChoiceField(label=_("Source"), required=False)
    origin = forms.ChoiceField(label=_("Kind"), required=False,
                               choices=[("", _("Any kind")), *InsightItem.ORIGINS])
    neighbourhood = forms.ModelChoiceField(label=_("Neighbourhood"), required=False,
                                           queryset=Neighbourhood.objects.none(),
                                           empty_label=_("Any neighbourhood"))
    date_from = forms.DateField(label=_("From"), required=False, input_formats=DATE_FORMATS,
                                widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"invalid": _(
                                    "Enter the “from” date as a real date, like 2026-10-31")})
    date_to = forms.DateField(label=_("To"), required=False, input_formats=DATE_FORMATS,
                              widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"invalid": _(
                                  "Enter the “to” date as a real date, like 2026-10-31")})
    language = forms.ChoiceField(label=_("Language"), required=False)
    q = forms.CharField(label=_("Words in the text"), required=False, max_length=200)

    def __init__(self, *args, choices: CodingChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("Any theme")),
                                        *[(t.pk, t.name) for t in choices.all_themes]]
        self.fields["sub_theme"].choices = [("", _("Any sub-theme")),
                                            *choices.sub_theme_groups()]
        self.fields["source"].choices = [("", _("Any source")), *source_choices()]
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.order_by("name")
        self.fields["language"].choices = [("", _("Any language")), *settings.LANGUAGES]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The “to” date must be the same as or after the "
                                        "“from” date"))
        return data


class ItemCodingForm(forms.Form):
    """One item's coding, as posted from its form on the screen."""

    themes = forms.TypedMultipleChoiceField(
        label=_("Themes"), required=False, coerce=int,
        error_messages={"invalid_choice": _("Choose themes from the list")})
    sub_themes = forms.TypedMultipleChoiceField(
        label=_("Sub-themes"), required=False, coerce=int,
        error_messages={"invalid_choice": _(
            "Choose sub-themes of the current coding matrix (the page may be out of date: "
            "reload it)")})
    sentiment = forms.ChoiceField(label=_("Sentiment"), required=False,
                                  choices=[("", _("Not set")), *InsightItem.SENTIMENTS])
    service = forms.TypedChoiceField(
        label=_("Service or provider"), required=False, coerce=int, empty_value=None,
        error_messages={"invalid_choice": _("Choose a service of the current coding matrix")})
    safeguarding = forms.BooleanField(label=_("Safeguarding concern"), required=False)
    accept = forms.TypedChoiceField(label=_("Accept a suggestion"), required=False, coerce=int,
                                    empty_value=None)
    next = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args, choices: CodingChoices, **kwargs):
        super().__init__(*args, **kwargs)
        theme_pairs = [(t.pk, t.name) for t in choices.themes]
        # Retired themes an item already has may stay on it; they are not offered to add.
        self.fields["themes"].choices = [(t.pk, t.name) for t in choices.all_themes]
        self.fields["accept"].choices = [("", "")] + theme_pairs
        self.fields["sub_themes"].choices = [(s.pk, s.name) for s in choices.sub_themes]
        self.fields["service"].choices = [("", "")] + [(s.pk, s.name) for s in choices.services]

    def theme_ids(self) -> list[int]:
        chosen = list(self.cleaned_data["themes"])
        if self.cleaned_data.get("accept"):
            chosen.append(self.cleaned_data["accept"])
        return chosen


def _ids(values) -> list[int]:
    ids = []
    for value in values:
        if not str(value).isdigit():
            raise forms.ValidationError(_("Choose items from the list"))
        ids.append(int(value))
    return ids


class BulkForm(forms.Form):
    """A bulk action on the ticked items, or on every item of the page."""

    ADD_THEME, SET_SENTIMENT, REVIEWED = "add_theme", "sentiment", "reviewed"
    action = forms.ChoiceField(label=_("Action"), choices=[
        (ADD_THEME, _("Add a theme")), (SET_SENTIMENT, _("Set the sentiment")),
        (REVIEWED, _("Mark reviewed"))])
    theme = forms.TypedChoiceField(label=_("Theme to add"), required=False, coerce=int,
                                   empty_value=None)
    sentiment = forms.ChoiceField(label=_("Sentiment to set"), required=False,
                                  choices=[("", _("Choose")), *InsightItem.SENTIMENTS])
    scope = forms.ChoiceField(label=_("Apply to"), widget=forms.RadioSelect, initial="selected",
                              choices=[("selected", _("The items I ticked")),
                                       ("page", _("Every item on this page"))])

    def __init__(self, *args, choices: CodingChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("Choose"))] + [(t.pk, t.name)
                                                              for t in choices.themes]

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == self.ADD_THEME and not data.get("theme"):
            self.add_error("theme", _("Choose the theme to add"))
        if action == self.SET_SENTIMENT and not data.get("sentiment"):
            self.add_error("sentiment", _("Choose the sentiment to set"))
        key = "page_items" if data.get("scope") == "page" else "items"
        try:
            ids = _ids(self.data.getlist(key) if hasattr(self.data, "getlist") else [])
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        if not ids:
            raise forms.ValidationError(_("Tick at least one item, or choose “Every item on "
                                          "this page”"))
        if len(ids) > MAX_BULK:
            raise forms.ValidationError(_("Choose at most %(n)s items at a time")
                                        % {"n": MAX_BULK})
        data["ids"] = ids
        return data
