"""One row of an imported feedback file: its fields, read and checked.

The fields an officer maps columns to (`fields()`), the dates the importer understands, the
look-ups of neighbourhoods, themes and sub-themes loaded once per file (never a query per
row), and `RowParser`, which turns a row's cells into a `ParsedRow` or the problems that refuse
it. The personal-data rules are those of typed feedback: free text is kept, but text that looks
like it holds an e-mail address, a phone number or a postcode is flagged for review
(`InsightItem.review_reason`); source details that hold an e-mail address or a phone number are
refused, since they must name a place or a partner, never reach a person.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.neighbourhoods.models import Neighbourhood
from portal.spreadsheets import needs_prefix
from portal.themes.models import Theme
from priorities.population import characteristics

from .models import CodingMatrix, ImportedRow, InsightItem, MatrixSubTheme

DMY, MDY = "dmy", "mdy"
DATE_FORMATS = [("", gettext_lazy("Work it out from the whole column")),
                (DMY, gettext_lazy("Day first (UK): 03/10/2026 is 3 October")),
                (MDY, gettext_lazy("Month first (US): 10/03/2026 is 3 October"))]
EQUALITY = "equality:"
MAX_EXTERNAL_ID, MAX_SOURCE_DETAIL, MAX_LANGUAGE = 120, 200, 12
SPLIT = re.compile(r"\s*[;,|\n]\s*")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0)\d(?:[\s-]?\d){8,9}(?!\w)")
POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}[0-9][0-9A-Z]?|GIR)\s?[0-9][A-Z]{2}\b", re.I)
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?$")
NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
MONTH_DAY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
MONTHS = {name: n for n, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    start=1)}
YES = {"yes", "y", "true", "1", "x", "✓", "flagged"}
NO = {"no", "n", "false", "0", ""}
# Headings of columns that hold a person's details: never imported, and the officer is told.
PERSONAL_HEADINGS = re.compile(
    r"\b(name|first ?name|surname|e-?mail|phone|telephone|mobile|address|post ?code|"
    r"date of birth|dob|nhs( number)?)\b", re.I)


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    required: bool = False
    aliases: tuple[str, ...] = ()


def fields() -> list[Field]:
    """The fields a file's columns can be mapped to, required ones first."""
    base = [
        Field("external_id", _("External id"), True, ("id", "reference", "ref", "record id")),
        Field("received_on", _("Date"), True, ("date received", "received", "received on")),
        Field("text", _("Text (what was said)"), True,
              ("what was said", "comment", "feedback", "comments", "experience")),
        Field("neighbourhood", _("Neighbourhood"), True, ("area", "locality", "ward")),
        Field("themes", _("Themes"), False, ("theme", "topic", "topics")),
        Field("sub_themes", _("Sub-themes"), False, ("sub-theme", "sub theme", "subtheme")),
        Field("sentiment", _("Sentiment"), False, ("tone",)),
        Field("people_count", _("People count"), False, ("people", "number of people")),
        Field("language", _("Language"), False, ()),
        Field("source_detail", _("Source details"), False, ("source", "source detail")),
        Field("safeguarding", _("Safeguarding"), False, ("safeguarding concern",)),
    ]
    equality = [Field(EQUALITY + code, str(label)) for code, label, _options
                in characteristics() if code != "deprivation"]
    return base + equality


def _normal(text) -> str:
    return " ".join(str(text).replace("_", " ").split()).casefold()


def guess_mapping(headings: list[str], saved: dict | None = None) -> dict[str, str]:
    """Field -> heading: the saved mapping where its heading is in this file, else a heading
    whose name matches the field's name, key or a usual alias."""
    by_name = {_normal(h): h for h in headings}
    mapping = {}
    for item in fields():
        heading = (saved or {}).get(item.key)
        if heading in headings:
            mapping[item.key] = heading
            continue
        for name in (item.label, item.key, item.key.removeprefix(EQUALITY), *item.aliases):
            if _normal(name) in by_name:
                mapping[item.key] = by_name[_normal(name)]
                break
    return mapping


def personal_headings(headings: list[str], mapping: dict) -> list[str]:
    """Headings that look like a person's details and are not mapped (so never imported)."""
    used = set(mapping.values())
    return [h for h in headings if h not in used and PERSONAL_HEADINGS.search(h)]


# Dates ----------------------------------------------------------------------------------------

def date_order(values, preferred: str = "") -> tuple[str, str]:
    """How to read 03/10/2026 in this column: the source's setting, else what the column
    shows (a first number over 12 means day first, a second one over 12 month first). Returns
    the order and a note for the dry run, or "" when nothing needed saying."""
    day_first = month_first = ambiguous = 0
    for value in values:
        match = NUMERIC.match(str(value).strip()) if isinstance(value, str) else None
        if match:
            first, second = int(match[1]), int(match[2])
            day_first += first > 12
            month_first += second > 12
            ambiguous += first <= 12 and second <= 12 and first != second
    if preferred in (DMY, MDY) or not ambiguous:
        return preferred or DMY, ""
    if month_first > day_first:
        return MDY, _("Dates such as 10/03/2026 are read month first (US), as %(count)s dates "
                      "in the column can only be read that way.") % {"count": month_first}
    if day_first:
        return DMY, ""
    return DMY, _("%(count)s dates such as 03/10/2026 could be day or month first; they are read "
                  "day first (UK). If they are US dates, choose “Month first” for the source’s "
                  "date format.") % {"count": ambiguous}


def parse_date(value, order: str = DMY) -> datetime.date | None:
    """A date from a cell (a spreadsheet date, ISO, 03/10/2026 or 3 Oct 2026), or None."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    try:
        if match := ISO.match(text):
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
        if match := NUMERIC.match(text):
            first, second = int(match[1]), int(match[2])
            day, month = (first, second) if order == DMY else (second, first)
            return datetime.date(int(match[3]), month, day)
        if match := DAY_MONTH.match(text):
            return datetime.date(int(match[3]), MONTHS[match[2][:3].lower()], int(match[1]))
        if match := MONTH_DAY.match(text):
            return datetime.date(int(match[3]), MONTHS[match[1][:3].lower()], int(match[2]))
    except (ValueError, KeyError):
        return None
    return None


# Look-ups -------------------------------------------------------------------------------------

@dataclass
class Lookups:
    """Everything a row is checked against, loaded once for the whole file."""

    neighbourhoods: dict[str, int] = field(default_factory=dict)
    themes: dict[str, int] = field(default_factory=dict)
    sub_themes: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    equality: dict[str, dict[str, str]] = field(default_factory=dict)
    matrix: CodingMatrix | None = None
    theme_slugs: dict[int, str] = field(default_factory=dict)
    sub_theme_keys: dict[int, str] = field(default_factory=dict)
    existing: dict[str, tuple[int, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, source) -> Lookups:
        found = cls(matrix=CodingMatrix.current())
        for pk, name, slug, code in Neighbourhood.objects.values_list("pk", "name", "slug",
                                                                         "code"):
            for key in (code, slug, name):
                if key:
                    found.neighbourhoods[_normal(key)] = pk
        for pk, name, slug in Theme.objects.values_list("pk", "name", "slug"):
            found.themes[_normal(slug)] = found.themes[_normal(name)] = pk
            found.theme_slugs[pk] = slug
        if found.matrix:
            for pk, theme_id, key, name in MatrixSubTheme.objects.filter(
                    matrix=found.matrix).values_list("pk", "theme_id", "key", "name"):
                found.sub_theme_keys[pk] = key
                for label in {_normal(key), _normal(name)}:
                    found.sub_themes.setdefault(label, []).append((pk, theme_id))
        for code, _label, options in characteristics():
            found.equality[code] = {_normal(value): value for value, _l in options}
            found.equality[code].update({_normal(label): value for value, label in options})
        if source is not None and source.pk:
            found.existing = {ext: (item, row_hash) for ext, item, row_hash in
                              ImportedRow.objects.filter(source=source).values_list(
                                  "external_id", "feedback_item_id", "row_hash")}
        return found


# Rows -----------------------------------------------------------------------------------------

@dataclass
class ParsedRow:
    number: int
    external_id: str
    received_on: datetime.date
    text: str
    neighbourhood_id: int
    theme_ids: list[int]
    sub_theme_ids: list[int]
    sentiment: str
    people_count: int
    language: str
    source_detail: str
    safeguarding: bool
    equality: dict[str, str]
    review_reason: str

    @cached_property
    def digest(self) -> str:
        """What the row says, as a hash: the same row imported again changes nothing."""
        values = {name: value for name, value in vars(self).items()
                  if name not in ("number", "digest")}
        return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def contact_details(text: str, postcodes: bool = True) -> list[str]:
    """What kinds of a person's contact details `text` seems to hold."""
    kinds = []
    if EMAIL.search(text):
        kinds.append(_("an e-mail address"))
    if PHONE.search(text):
        kinds.append(_("a phone number"))
    if postcodes and POSTCODE.search(text):
        kinds.append(_("a postcode"))
    return kinds


class RowParser:
    """Checks rows against the mapping and the look-ups; remembers the external ids seen, so a
    later row with the same id is refused, and counts cells that look like formulas."""

    def __init__(self, mapping: dict[str, str], lookups: Lookups, order: str = DMY):
        self.mapping = mapping
        self.lookups = lookups
        self.order = order
        self.labels = {item.key: item.label for item in fields()}
        self.seen: dict[str, int] = {}
        self.formula_cells = 0
        self.formula_example: tuple[int, str] | None = None
        self.sentiments = {_normal(code): code for code, _l in InsightItem.SENTIMENTS}
        self.sentiments.update({_normal(label): code for code, label in InsightItem.SENTIMENTS})
        self.today = timezone.localdate()

    def cell(self, cells: dict, key: str):
        heading = self.mapping.get(key)
        return cells.get(heading) if heading else None

    def parse(self, number: int, cells: dict) -> tuple[ParsedRow | None, list[tuple[str, str]]]:
        """The row read, or None and its problems as (field label, message)."""
        problems: list[tuple[str, str]] = []
        if cells.get("__problem__"):
            return None, [("", cells["__problem__"])]
        self._count_formulas(number, cells)

        def problem(key, message, **params):
            problems.append((self.labels[key], message % params if params else message))

        external_id = _text(self.cell(cells, "external_id"))
        if not external_id:
            problem("external_id", _("The external id is empty; every row needs one."))
        elif len(external_id) > MAX_EXTERNAL_ID:
            problem("external_id", _("“%(value)s…” is longer than %(limit)s characters."),
                    value=external_id[:30], limit=MAX_EXTERNAL_ID)
        elif external_id in self.seen:
            problem("external_id", _("“%(value)s” is also the id of row %(row)s; only the first "
                                     "is imported."), value=external_id,
                    row=self.seen[external_id])
        else:
            self.seen[external_id] = number
        received_on = self._date(cells, problem)
        text = _text(self.cell(cells, "text"))
        if not text:
            problem("text", _("The text is empty: there is nothing to import."))
        neighbourhood_id = self._neighbourhood(cells, problem)
        theme_ids = self._names(cells, "themes", self.lookups.themes, problem,
                                _("“%(value)s” is not a theme."))
        sub_theme_ids = self._sub_themes(cells, theme_ids, problem)
        sentiment = self._sentiment(cells, problem)
        people = self._people(cells, problem)
        language = _text(self.cell(cells, "language")).lower()
        if len(language) > MAX_LANGUAGE or (language and not re.fullmatch(r"[a-z-]+", language)):
            problem("language", _("“%(value)s” is not a language code such as en or bn."),
                    value=language[:30])
        source_detail = self._source_detail(cells, problem)
        safeguarding = self._yes_no(cells, problem)
        equality = self._equality(cells, problems)
        if problems:
            return None, problems
        review = contact_details(text)
        reason = _("The text may hold %(what)s.") % {"what": ", ".join(review)} if review else ""
        return ParsedRow(number, external_id, received_on, text, neighbourhood_id,
                         sorted(set(theme_ids)), sorted(set(sub_theme_ids)), sentiment, people,
                         language, source_detail, safeguarding, equality, reason[:200]), []

    def _count_formulas(self, number, cells):
        for heading in self.mapping.values():
            value = cells.get(heading)
            if isinstance(value, str) and needs_prefix(value.strip()):
                self.formula_cells += 1
                if self.formula_example is None:
                    self.formula_example = (number, heading)

    def _date(self, cells, problem):
        value = self.cell(cells, "received_on")
        if value in (None, ""):
            problem("received_on", _("The date is empty."))
            return None
        found = parse_date(value, self.order)
        if found is None:
            problem("received_on", _("“%(value)s” is not a date."), value=_text(value)[:40])
        elif found > self.today:
            problem("received_on", _("“%(value)s” is in the future."), value=_text(value)[:40])
        return found

    def _neighbourhood(self, cells, problem):
        value = _text(self.cell(cells, "neighbourhood"))
        if not value:
            problem("neighbourhood", _("The neighbourhood is empty."))
            return None
        found = self.lookups.neighbourhoods.get(_normal(value))
        if found is None:
            problem("neighbourhood", _("“%(value)s” is not a neighbourhood (give its name or "
                                       "code)."), value=value[:60])
        return found

    def _names(self, cells, key, lookup, problem, message) -> list[int]:
        found = []
        for name in SPLIT.split(_text(self.cell(cells, key))):
            if not name:
                continue
            pk = lookup.get(_normal(name))
            if pk is None:
                problem(key, message, value=name[:60])
            else:
                found.append(pk)
        return found

    def _sub_themes(self, cells, theme_ids, problem) -> list[int]:
        found = []
        for name in SPLIT.split(_text(self.cell(cells, "sub_themes"))):
            if not name:
                continue
            options = self.lookups.sub_themes.get(_normal(name), [])
            fitting = [pk for pk, theme in options if theme in theme_ids] or \
                [pk for pk, _theme in options[:1]]
            if not fitting:
                problem("sub_themes", _("“%(value)s” is not a sub-theme of the current coding "
                                        "matrix."), value=name[:60])
            found += fitting[:1]
        return found

    def _sentiment(self, cells, problem) -> str:
        value = _text(self.cell(cells, "sentiment"))
        if not value:
            return ""
        if _normal(value) not in self.sentiments:
            problem("sentiment", _("“%(value)s” is not a sentiment (positive, neutral, negative "
                                   "or mixed)."), value=value[:40])
            return ""
        return self.sentiments[_normal(value)]

    def _people(self, cells, problem) -> int:
        value = _text(self.cell(cells, "people_count"))
        if not value:
            return 1
        if not value.isdigit() or int(value) < 1:
            problem("people_count", _("“%(value)s” is not a number of people (1 or more)."),
                    value=value[:20])
            return 1
        return int(value)

    def _source_detail(self, cells, problem) -> str:
        value = _text(self.cell(cells, "source_detail"))
        if len(value) > MAX_SOURCE_DETAIL:
            problem("source_detail", _("The source details are longer than %(limit)s "
                                       "characters."), limit=MAX_SOURCE_DETAIL)
        kinds = contact_details(value, postcodes=False)
        if kinds:
            problem("source_detail", _("The source details hold %(what)s. Source details name "
                                       "a partner or a venue, never how to reach a person."),
                    what=", ".join(kinds))
        return value

    def _yes_no(self, cells, problem) -> bool:
        value = _normal(_text(self.cell(cells, "safeguarding")))
        if value in YES:
            return True
        if value not in NO:
            problem("safeguarding", _("“%(value)s” is not yes or no."), value=value[:20])
        return False

    def _equality(self, cells, problems) -> dict[str, str]:
        found = {}
        for key, heading in self.mapping.items():
            if not key.startswith(EQUALITY) or not heading:
                continue
            code, value = key.removeprefix(EQUALITY), _text(cells.get(heading))
            if not value:
                continue
            category = self.lookups.equality.get(code, {}).get(_normal(value))
            if category is None:
                problems.append((self.labels.get(key, code), _(
                    "“%(value)s” is not one of this question’s answers.") % {
                    "value": value[:60]}))
            else:
                found[code] = category
        return found
