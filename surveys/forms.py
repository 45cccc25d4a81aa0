"""One form per survey step, built from the question registry, with GOV.UK-style messages."""

import math

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.deprivation.services import area_for_point
from portal.neighbourhoods.geocoding import PostcodeError, place_postcode
from portal.neighbourhoods.models import Neighbourhood
from portal.neighbourhoods.services import get_locator

from .blocks import LIKERT_LABELS
from .models import Option, Question, Response, SurveyPage
from .results import language_name

HONEYPOT = "website"


def field_name(question) -> str:
    return f"q{question.pk}"


def rank_field_name(question, option) -> str:
    return f"q{question.pk}_o{option.pk}"


def neighbourhood_field_name(question) -> str:
    return f"q{question.pk}_n"


def postcode_field_name(question) -> str:
    return f"q{question.pk}_postcode"


def point_field_names(question) -> tuple[str, str]:
    """The hidden latitude and longitude fields the map fills in."""
    return f"q{question.pk}_lat", f"q{question.pk}_lng"


def map_neighbourhoods(question) -> list[tuple[int, str]]:
    """(id, name) of the neighbourhoods a "show us where" question offers: the survey's, or all."""
    targeted = list(Neighbourhood.objects.filter(surveys=question.survey_id).order_by("name")
                    .values_list("pk", "name"))
    return targeted or list(Neighbourhood.objects.order_by("name").values_list("pk", "name"))


def _selection_hint(help_text, config) -> str:
    """A multiple-choice question's help text with how many to select, if limited."""
    low, high = config.get("min"), config.get("max")
    hint = help_text
    if low and high:
        hint = f"{help_text} " + str(_("Select between %(low)d and %(high)d.")
                                     % {"low": low, "high": high})
    elif high:
        hint = f"{help_text} " + str(_("Select up to %(high)d.") % {"high": high})
    elif low:
        hint = f"{help_text} " + str(_("Select at least %(low)d.") % {"low": low})
    return hint.strip()


def likert_points(scale_order=None, questions=()) -> list[int]:
    """The agree/disagree points in the survey's one order (online, paper and keying).

    Without `scale_order` it is read from the questions' survey, once, and only when one of
    them is an agree/disagree question.
    """
    if scale_order is None:
        likert = next((q for q in questions if q.kind == Question.LIKERT), None)
        if likert is not None and Question.survey.is_cached(likert):  # from survey.questions
            scale_order = getattr(likert.survey, "scale_order", None)
        elif likert is not None:
            scale_order = (SurveyPage.objects.filter(pk=likert.survey_id)
                           .values_list("scale_order", flat=True).first())
    points = [5, 4, 3, 2, 1]
    return points[::-1] if scale_order == SurveyPage.DISAGREE_FIRST else points


def grid_items(items: list[dict]) -> list[dict]:
    """A step's items with each statement grid's rows (consecutive agree/disagree questions
    sharing `config["grid"]`) merged into one "grid" item: {"kind": "grid", "label", "help",
    "rows": [row items], "points": the scale's labels in the order its radios run}."""
    merged = []
    for item in items:
        grid_id = (item["question"].config or {}).get("grid")
        if not grid_id or "field" not in item:
            merged.append(item)
            continue
        if merged and merged[-1]["kind"] == "grid" and merged[-1]["id"] == grid_id:
            merged[-1]["rows"].append(item)
            continue
        config = item["question"].config
        merged.append({"kind": "grid", "id": grid_id, "question": item["question"],
                       "label": config.get("grid_label", ""), "help": config.get("grid_help", ""),
                       "rows": [item],
                       "points": [label for _value, label in item["field"].field.choices]})
    return merged


class SectionForm(forms.Form):
    """The questions of one step. `answers()` turns cleaned data into Answer rows."""

    def __init__(self, questions, *args, honeypot=False, all_optional=False, scale_order=None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.scale_points = likert_points(scale_order, questions)
        self.rank_errors = {}
        self.neighbourhood_id = None
        self.area_code = ""  # the statistical area (LSOA) of a geocoded home postcode
        self.map_answers = {}
        self.map_targets = {}
        self.all_optional = all_optional
        for question in questions:
            required = question.required and not all_optional
            self._add_fields(question, required)
        if honeypot:
            self.fields[HONEYPOT] = forms.CharField(
                label=_("Leave this field empty"), required=False,
                widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
            )

    def _add_fields(self, question, required):
        name, label = field_name(question), question.label
        help_text = question.help_text
        options = [(str(o.pk), o.label) for o in question.options.all()]
        config = question.config or {}
        if question.kind in (Question.SINGLE, Question.EQUALITY):
            self.fields[name] = forms.ChoiceField(
                label=label, help_text=help_text, required=required, choices=options,
                widget=forms.RadioSelect,
                error_messages={"required": _("Select an answer to “%(q)s”") % {"q": label},
                                "invalid_choice": _("Select one of the options given. The "
                                                    "page may have changed: check your answer.")},
            )
        elif question.kind == Question.MULTIPLE:
            self.fields[name] = forms.MultipleChoiceField(
                label=label, help_text=_selection_hint(help_text, config), required=required,
                choices=options,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": _("Select at least one answer to “%(q)s”")
                                % {"q": label},
                                "invalid_choice": _("Select only the options given. The page "
                                                    "may have changed: check your answers.")},
            )
        elif question.kind == Question.LIKERT:
            self.fields[name] = forms.ChoiceField(
                label=label, help_text=help_text, required=required,
                choices=[(str(point), LIKERT_LABELS[point]) for point in self.scale_points],
                widget=forms.RadioSelect,
                error_messages={"required": _("Select how much you agree with “%(q)s”")
                                % {"q": label},
                                "invalid_choice": _("Select one of the options given.")},
            )
        elif question.kind == Question.RANKING:
            count = config.get("rank_count") or len(options)
            choices = [("", _("Not ranked"))] + [(str(n), str(n)) for n in range(1, count + 1)]
            for option in question.options.all():
                self.fields[rank_field_name(question, option)] = forms.ChoiceField(
                    label=option.label, required=False, choices=choices,
                    error_messages={"invalid_choice": _("Choose a rank from the list.")},
                )
        elif question.kind == Question.TEXT:
            widget = forms.Textarea(attrs={"rows": 5}) if config.get("long") else forms.TextInput
            self.fields[name] = forms.CharField(
                label=label, help_text=help_text, required=required, widget=widget,
                error_messages={"required": _("Enter your answer to “%(q)s”") % {"q": label}},
            )
        elif question.kind == Question.NUMBER:
            self.fields[name] = forms.CharField(
                label=label, help_text=help_text, required=required,
                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                error_messages={"required": _("Enter a number for “%(q)s”") % {"q": label}},
            )
        elif question.kind == Question.WHERE:
            self._add_where_fields(question)
        elif question.kind == Question.MAP_PIN:
            self._add_map_fields(question, required)

    def _add_where_fields(self, question):
        self.fields[field_name(question)] = forms.CharField(
            label=_("Postcode"), required=False, max_length=10,
            widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
        )
        self.fields[neighbourhood_field_name(question)] = forms.ChoiceField(
            label=_("Or choose your neighbourhood"), required=False,
            choices=[("", _("Choose a neighbourhood"))] + [
                (str(pk), name) for pk, name in
                Neighbourhood.objects.order_by("name").values_list("pk", "name")],
            error_messages={"invalid_choice": _("Choose a neighbourhood from the list.")},
        )

    def _add_map_fields(self, question, required):
        places = [(f"p{o.pk}", o.label) for o in question.options.all()]
        neighbourhoods = map_neighbourhoods(question)
        self.map_targets[question.pk] = {pk for pk, _name in neighbourhoods}
        choices = [("", _("Choose a place"))]
        if places:
            choices.append((_("Places"), places))
        choices.append((_("Neighbourhoods"),
                        [(f"n{pk}", name) for pk, name in neighbourhoods]))
        with_postcode = (question.config or {}).get("postcode", True)
        self.fields[field_name(question)] = forms.ChoiceField(
            label=_("Choose a place from the list"), required=False, choices=choices,
            help_text=(_("Or enter a postcode near it below.") if with_postcode else ""),
            error_messages={"invalid_choice": _("Choose a place from the list. The page may "
                                                "have changed: check your answer.")},
        )
        if with_postcode:
            self.fields[postcode_field_name(question)] = forms.CharField(
                label=_("Or enter a postcode near the place"), required=False, max_length=10,
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )
        lat_name, lng_name = point_field_names(question)
        for name in (lat_name, lng_name):
            self.fields[name] = forms.CharField(required=False, max_length=30,
                                                widget=forms.HiddenInput)

    # Validation -----------------------------------------------------------------------------
    def clean(self):
        cleaned = super().clean()
        if cleaned.get(HONEYPOT):
            raise forms.ValidationError(_("Leave the field “Leave this field empty” empty, then "
                                          "continue."))
        for question in self.questions:
            name = field_name(question)
            if question.kind == Question.MULTIPLE and cleaned.get(name):
                self._check_selection_count(question, cleaned[name])
            elif question.kind == Question.RANKING:
                self._clean_ranking(question)
            elif question.kind == Question.TEXT and cleaned.get(name):
                limit = question.config.get("max_length") or 500
                if len(cleaned[name]) > limit:
                    self.add_error(name, ngettext(
                        "Your answer must be %(limit)d character or fewer. It has %(length)d.",
                        "Your answer must be %(limit)d characters or fewer. It has %(length)d.",
                        limit) % {"limit": limit, "length": len(cleaned[name])})
            elif question.kind == Question.NUMBER and cleaned.get(name):
                self._clean_number(question, cleaned)
            elif question.kind == Question.WHERE:
                self._clean_where(question, cleaned)
            elif question.kind == Question.MAP_PIN:
                self._clean_map_pin(question, cleaned)
        return cleaned

    def _check_selection_count(self, question, chosen):
        low, high = question.config.get("min"), question.config.get("max")
        name = field_name(question)
        if low and len(chosen) < low:
            self.add_error(name, ngettext(
                "Select at least %(n)d answer to “%(q)s”. You selected %(got)d.",
                "Select at least %(n)d answers to “%(q)s”. You selected %(got)d.", low)
                % {"n": low, "q": question.label, "got": len(chosen)})
        elif high and len(chosen) > high:
            self.add_error(name, ngettext(
                "Select no more than %(n)d answer to “%(q)s”. You selected %(got)d.",
                "Select no more than %(n)d answers to “%(q)s”. You selected %(got)d.", high)
                % {"n": high, "q": question.label, "got": len(chosen)})

    def _clean_ranking(self, question):
        options = list(question.options.all())
        names = [rank_field_name(question, o) for o in options]
        if any(name in self.errors for name in names):
            return
        ranks = [int(self.cleaned_data[name]) for name in names if self.cleaned_data.get(name)]
        expected = question.config.get("rank_count") or len(options)
        message = None
        if len(ranks) != len(set(ranks)):
            message = _("Give each rank to only one option in “%(q)s”.")
        elif ranks and sorted(ranks) != list(range(1, len(ranks) + 1)):
            message = _("Use the ranks in order from 1, with none missing, in “%(q)s”.")
        elif ranks and len(ranks) != expected or (
                not ranks and question.required and not self.all_optional):
            message = ngettext("Rank %(n)d option in “%(q)s”, from 1 to %(n)d.",
                               "Rank %(n)d options in “%(q)s”, from 1 to %(n)d.", expected)
        if message:
            text = message % {"q": question.label, "n": expected}
            self.rank_errors[question.pk] = text
            self.add_error(names[0], text)

    def _clean_number(self, question, cleaned):
        name = field_name(question)
        raw = cleaned[name].strip().replace(",", "")
        try:
            number = int(raw)
        except ValueError:
            self.add_error(name, _("Enter a whole number, like 3."))
            return
        low, high = question.config.get("min"), question.config.get("max")
        if low is not None and number < low or high is not None and number > high:
            if low is not None and high is not None:
                text = _("Enter a number between %(low)d and %(high)d.")
            elif low is not None:
                text = _("Enter a number that is %(low)d or more.")
            else:
                text = _("Enter a number that is %(high)d or less.")
            self.add_error(name, text % {"low": low or 0, "high": high or 0})
            return
        cleaned[name] = number

    def _clean_where(self, question, cleaned):
        name, choice_name = field_name(question), neighbourhood_field_name(question)
        postcode, chosen = (cleaned.get(name) or "").strip(), cleaned.get(choice_name)
        if choice_name in self.errors:
            return
        if chosen:
            self.neighbourhood_id = int(chosen)
            cleaned[name] = ""
            return
        if not postcode:
            if question.required and not self.all_optional:
                self.add_error(name, _("Enter your postcode or choose your neighbourhood."))
            return
        try:
            placed = place_postcode(
                postcode, _("You can choose your neighbourhood from the list instead."))
        except PostcodeError as error:
            self.add_error(name, error.message)
            return
        location = placed.location
        self.neighbourhood_id = placed.neighbourhood_id
        self.area_code = area_for_point(location.latitude, location.longitude) or ""
        # Only the outward code is kept: enough for analysis, not enough to find a home.
        cleaned[name] = location.postcode.split(" ")[0]

    def _clean_map_pin(self, question, cleaned):
        """A point marked on the map, else a place from the list, else a postcode."""
        name, postcode_name = field_name(question), postcode_field_name(question)
        lat_name, lng_name = point_field_names(question)
        if name in self.errors:
            return
        raw_lat = (cleaned.get(lat_name) or "").strip()
        raw_lng = (cleaned.get(lng_name) or "").strip()
        chosen, postcode = cleaned.get(name), (cleaned.get(postcode_name) or "").strip()
        targets = self.map_targets.get(question.pk, set())
        if raw_lat or raw_lng:
            try:
                lat, lng = float(raw_lat), float(raw_lng)
            except ValueError:
                lat = lng = float("nan")
            if not (math.isfinite(lat) and math.isfinite(lng)
                    and -90 <= lat <= 90 and -180 <= lng <= 180):
                self.add_error(name, _("The point marked on the map could not be read. Mark "
                                       "it again, or choose a place from the list."))
                return
            found = get_locator().locate(lat, lng)
            if found is None or found not in targets:
                self.add_error(name, _("The point you marked is outside the area this survey "
                                       "covers. Mark a place inside it, or choose one from the "
                                       "list."))
                return
            self.map_answers[question.pk] = {"latitude": round(lat, 6),
                                             "longitude": round(lng, 6),
                                             "neighbourhood_id": found}
            return
        if chosen and postcode:
            self.add_error(postcode_name, _("Choose a place from the list or enter a postcode, "
                                            "not both."))
            return
        if chosen:
            self.map_answers[question.pk] = self._map_choice(question, chosen)
            return
        if postcode:
            try:
                placed = place_postcode(
                    postcode, _("You can choose a place from the list instead."))
            except PostcodeError as error:
                self.add_error(postcode_name, error.message)
                return
            location, found = placed.location, placed.neighbourhood_id
            if found not in targets:
                self.add_error(postcode_name, _(
                    "%(postcode)s is outside the area this survey covers. Check it, or choose "
                    "a place from the list.") % {"postcode": location.postcode})
                return
            self.map_answers[question.pk] = {"latitude": round(location.latitude, 6),
                                             "longitude": round(location.longitude, 6),
                                             "neighbourhood_id": found}
            return
        if question.required and not self.all_optional:
            self.add_error(name, _("Choose a place from the list or enter a postcode near it.")
                           if postcode_name in self.fields else
                           _("Choose a place from the list."))

    def _map_choice(self, question, chosen) -> dict:
        """Answer values for a place ('p<option id>') or neighbourhood ('n<id>') from the list."""
        if chosen.startswith("n"):
            return {"neighbourhood_id": int(chosen[1:])}
        option = next(o for o in question.options.all() if f"p{o.pk}" == chosen)
        lat, lng = (question.config.get("places") or {}).get(option.key, (None, None))
        found = get_locator().locate(lat, lng) if lat is not None else None
        return {"option": option, "latitude": lat, "longitude": lng, "neighbourhood_id": found}

    # Results --------------------------------------------------------------------------------
    def answers(self) -> list[dict]:
        """Answer row values for the cleaned data (question and option ids, never labels)."""
        rows = []
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            options = {str(o.pk): o for o in question.options.all()}
            if question.kind in (Question.SINGLE, Question.EQUALITY) and value:
                rows.append({"question": question, "option": options[value]})
            elif question.kind == Question.MULTIPLE:
                rows += [{"question": question, "option": options[v]} for v in value or []]
            elif question.kind == Question.LIKERT and value:
                rows.append({"question": question, "number": int(value)})
            elif question.kind == Question.RANKING:
                for option in question.options.all():
                    rank = self.cleaned_data.get(rank_field_name(question, option))
                    if rank:
                        rows.append({"question": question, "option": option, "rank": int(rank)})
            elif question.kind == Question.TEXT and value:
                rows.append({"question": question, "text": value})
            elif question.kind == Question.NUMBER and value not in (None, ""):
                rows.append({"question": question, "number": value})
            elif question.kind == Question.WHERE and (value or self.neighbourhood_id):
                rows.append({"question": question, "text": value or ""})
            elif question.kind == Question.MAP_PIN and self.map_answers.get(question.pk):
                rows.append({"question": question, **self.map_answers[question.pk]})
        return rows


class EntryDetailsForm(forms.Form):
    """How an officer-entered response arrived."""

    channel = forms.ChoiceField(
        label=_("Channel"), choices=[c for c in Response.CHANNELS if c[0] != Response.ONLINE]
    )
    received_on = forms.DateField(label=_("Date received"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"), queryset=Neighbourhood.objects.order_by("name"), required=False,
        help_text=_("If the form does not say, leave empty or use the 'where do you live' "
                    "answer."),
    )
    paper_reference = forms.CharField(
        label=_("Paper reference"), required=False, max_length=20,
        help_text=_("The number written or printed on the paper form, if it has one."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the form"), required=False, initial=settings.LANGUAGE_CODE,
        help_text=_("Every language's form has the same questions in the same order."),
    )

    def __init__(self, *args, survey=None, **kwargs):
        super().__init__(*args, **kwargs)
        codes = [settings.LANGUAGE_CODE]
        if survey is not None:
            codes += [code for code in survey.get_translations().live().order_by("pk")
                      .values_list("locale__language_code", flat=True) if code not in codes]
        self.fields["language"].choices = [(code, language_name(code)) for code in codes]
        if len(codes) == 1:  # one language: nothing to choose
            self.fields["language"].widget = forms.HiddenInput()


class ResultsFilterForm(forms.Form):
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"), queryset=Neighbourhood.objects.order_by("name"), required=False,
        empty_label=_("All neighbourhoods"),
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", _("All channels"))] + Response.CHANNELS)
    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    equality = forms.TypedChoiceField(label=_("Equality characteristic"), required=False,
                                      coerce=int, empty_value=None)
    language = forms.ChoiceField(label=_("Language answered in"), required=False)

    def __init__(self, *args, survey=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The site's languages, and any a response was given in that it no longer offers.
        given = set(Response.objects.filter(survey=survey.pooled_survey).exclude(language="")
                    .values_list("language", flat=True).distinct()) if survey is not None else set()
        offered = dict(settings.LANGUAGES)
        self.fields["language"].choices = [("", _("All languages"))] + [
            (code, language_name(code)) for code in [*offered, *sorted(given - set(offered))]]
        groups = {}
        if survey is not None:
            for option in (Option.objects.filter(question__survey=survey.pooled_survey,
                                                 question__kind=Question.EQUALITY)
                           .select_related("question").order_by("question__position",
                                                                 "position")):
                groups.setdefault(option.question.label, []).append((option.pk, option.label))
        self.fields["equality"].choices = [("", _("Everyone"))] + list(groups.items())


class ReceiptForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"), help_text=_("We only use it to send this email, and do not "
                                              "keep it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": _("Enter your email address"),
                        "invalid": _("Enter an email address in the correct format, like "
                                     "name@example.com")},
    )
