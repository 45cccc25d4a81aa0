"""Admin: trends of community insight, officers' exact figures or the partner view, and the
partners' CSV (small numbers hidden by `portal.disclosure`)."""

from __future__ import annotations

import calendar
import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import disclosure
from portal.neighbourhoods.models import Neighbourhood
from portal.spreadsheets import csv_response
from portal.themes.models import Theme

from . import trends
from .trend_charts import section

OFFICER, PARTNER = "officer", "partner"
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
LONGEST = 366 * 5


def _date_field(label: str, which: str) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy(
            "Enter the %(which)s date as a real date, for example 2026-03-31 or 31/03/2026.")
            % {"which": which}})


class TrendsForm(forms.Form):
    """The report's filters; empty dates mean the last 12 months."""

    since = _date_field(gettext_lazy("From"), gettext_lazy("start"))
    until = _date_field(gettext_lazy("To"), gettext_lazy("end"))
    neighbourhood = forms.ModelChoiceField(
        label=gettext_lazy("Neighbourhood"), required=False,
        queryset=Neighbourhood.objects.order_by("name"),
        empty_label=gettext_lazy("All neighbourhoods"),
        error_messages={"invalid_choice": gettext_lazy("Choose a neighbourhood from the list.")})
    source = forms.ChoiceField(label=gettext_lazy("Source"), required=False, error_messages={
        "invalid_choice": gettext_lazy("Choose a source from the list.")})
    theme = forms.ModelChoiceField(
        label=gettext_lazy("Theme"), required=False, queryset=Theme.objects.order_by("name"),
        empty_label=gettext_lazy("All themes"),
        error_messages={"invalid_choice": gettext_lazy("Choose a theme from the list.")})
    view = forms.ChoiceField(
        label=gettext_lazy("Figures"), required=False,
        choices=[(OFFICER, gettext_lazy("Exact (council only)")),
                 (PARTNER, gettext_lazy("Partner view (small numbers hidden)"))],
        error_messages={"invalid_choice": gettext_lazy("Choose exact figures or the "
                                                       "partner view.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", _("All sources")),
                                         *sorted(trends.source_labels().items(),
                                                 key=lambda kv: kv[1])]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date must be on or after the start date."))
        elif since and until and (until - since).days > LONGEST:
            self.add_error("until", _("Choose a period of five years or less."))
        return data

    def filters(self, today: datetime.date | None = None) -> trends.Filters:
        """The cleaned filters, the last 12 months where no dates were given."""
        data = self.cleaned_data
        default_since, default_until = trends.default_period(today)
        until = data.get("until") or default_until
        since = data.get("since") or (default_since if not data.get("until")
                                      else trends.default_period(until)[0])
        return trends.Filters(since=since, until=until, neighbourhood=data.get("neighbourhood"),
                              source=data.get("source") or "", theme=data.get("theme"))


def whole_months(filters: trends.Filters) -> trends.Filters:
    """Partners' figures cover whole months, so two reports a day apart cannot be subtracted
    to single out one day's items."""
    last = calendar.monthrange(filters.until.year, filters.until.month)[1]
    return trends.Filters(since=filters.since.replace(day=1),
                          until=filters.until.replace(day=last),
                          neighbourhood=filters.neighbourhood, source=filters.source,
                          theme=filters.theme)


def _sections(data: dict, partner: bool) -> list[dict]:
    """Every breakdown as table + chart, exact or as partners see it."""
    total = data["total"]

    def cells(rows, group_total=total, hidden=()):
        if partner:
            return trends.partner_cells(rows, group_total, hidden)
        return trends.exact_cells(rows)

    theme_cells = cells(data["themes"])
    found = [
        section("month", _("Items per month"), _("Month"), data["months"], cells(data["months"]),
                by_size=False),
        section("source", _("Items per source"), _("Source"), data["sources"],
                cells(data["sources"])),
        section("neighbourhood", _("Items per neighbourhood"), _("Neighbourhood"),
                data["neighbourhoods"], cells(data["neighbourhoods"])),
        section("theme", _("Coded items per theme"), _("Theme"), data["themes"], theme_cells),
        section("sentiment", _("Items per sentiment"), _("Sentiment"), data["sentiments"],
                cells(data["sentiments"])),
    ]
    sub_cells = {}
    theme_items = {int(row["key"]): row["items"] for row in data["themes"]}
    for theme_id in {row["theme_id"] for row in data["sub_themes"]}:
        rows = [row for row in data["sub_themes"] if row["theme_id"] == theme_id]
        theme_hidden = theme_cells.get(str(theme_id), disclosure.Cell(0)).hidden
        sub_cells.update(cells(rows, theme_items.get(theme_id, 0),
                               hidden=[row["key"] for row in rows] if theme_hidden else ()))
    found.append(section("sub-theme", _("Coded items per sub-theme"), _("Theme and sub-theme"),
                         data["sub_themes"], sub_cells, by_size=False, chart=False))
    for block in data["demography"]:
        found.append(section(f"equality-{block['code']}",
                             _("Items by %(characteristic)s") % {
                                 "characteristic": str(block["label"]).lower()},
                             str(block["label"]), block["rows"], cells(block["rows"])))
    return found


def _refused(request, form) -> TemplateResponse:
    """The page with the error summary and each field's message tied to its field."""
    for name in form.errors:
        if name in form.fields:
            form.fields[name].widget.attrs.update({"aria-invalid": "true",
                                                   "aria-describedby": f"id_{name}-error"})
    context = {"header_title": _("Trends"), "page_title": _("Community insight trends"),
               "header_icon": "table", "form": form,
               "can_export": request.user.has_perm("insight.export_trends")}
    return TemplateResponse(request, "insight/trends/index.html", context, status=400)


def _require(request, action: str) -> None:
    if not request.user.has_perm(f"insight.{action}"):
        raise PermissionDenied


def trends_page(request):
    """The trends report: exact figures for officers, or the partner view."""
    _require(request, "view_trends")
    form = TrendsForm(request.GET or {})
    if not form.is_valid():
        return _refused(request, form)
    context = {"header_title": _("Trends"), "page_title": _("Community insight trends"),
               "header_icon": "table",
               "can_export": request.user.has_perm("insight.export_trends")}
    partner = form.cleaned_data.get("view") == PARTNER
    filters = form.filters()
    if partner:
        filters = whole_months(filters)
    data = trends.report(filters)
    context.update({
        "form": form, "partner": partner, "filters": filters, "data": data,
        "total": disclosure.count(data["total"]) if partner else disclosure.Cell(data["total"]),
        "sections": _sections(data, partner),
        "quarters": trends.quarter_changes(filters, partner=partner),
        "threshold": disclosure.threshold(), "below": disclosure.threshold() - 1,
        "query": request.GET.urlencode()})
    return TemplateResponse(request, "insight/trends/index.html", context)


def _cross_rows(name: str, rows: list[dict], themes: list[dict], counts: dict,
                grand: int) -> list[list]:
    """CSV rows of one two-way table and its margins, suppressed for partners (months are
    written as 2026-04, whatever the language)."""
    row_totals = {row["key"]: row["items"] for row in rows}
    col_totals = {theme["key"]: theme["items"] for theme in themes}
    cells, row_cells, col_cells = trends.suppress_table(counts, row_totals, col_totals, grand)
    out = []
    for row in rows:
        for theme in themes:
            out.append([name, _row_label(row), theme["label"],
                        _csv(cells[(row["key"], theme["key"])])])
        out.append([name, _row_label(row), _("All items"), _csv(row_cells[row["key"]])])
    for theme in themes:
        out.append([name, _("All"), theme["label"], _csv(col_cells[theme["key"]])])
    out.append([name, _("All"), _("All items"), _csv(disclosure.count(grand))])
    return out


def _row_label(row: dict) -> str:
    return row["month"].strftime("%Y-%m") if "month" in row else row["label"]


def _csv(cell: disclosure.Cell):
    return cell.value if cell.shown else cell.display


def export_csv(request):
    """Partners' CSV: items by month x theme and by neighbourhood x theme for the filters
    chosen, small numbers hidden; no free text and nothing about any one person."""
    _require(request, "export_trends")
    form = TrendsForm(request.GET or {})
    if not form.is_valid():
        return _refused(request, form)
    filters = whole_months(form.filters())
    data = trends.report(filters)
    crosses = trends.cross_counts(filters)
    header = [_("Community insight trends for partners, %(since)s to %(until)s; "
                "neighbourhood: %(place)s; source: %(source)s; theme: %(theme)s") % {
        "since": filters.since.isoformat(), "until": filters.until.isoformat(),
        "place": filters.neighbourhood or _("all"),
        "source": trends.source_labels().get(filters.source, _("all")),
        "theme": filters.theme or _("all")}]
    rows = [[_("Small numbers hidden: a count from 1 to %(below)s is shown as \"fewer than "
               "%(limit)s\", and other counts are \"not shown\" where needed so that no hidden "
               "count can be worked out from the totals. Items are pieces of feedback or "
               "survey comments; an item with two themes counts under each.") % {
        "below": disclosure.threshold() - 1, "limit": disclosure.threshold()}],
        [_("table"), _("row"), _("theme"), _("items")]]
    rows += _cross_rows("month_by_theme", data["months"], data["themes"],
                        crosses["months"], data["total"])
    rows += _cross_rows("neighbourhood_by_theme", data["neighbourhoods"], data["themes"],
                        crosses["neighbourhoods"], data["total"])
    name = f"insight-trends-{filters.since:%Y-%m}-to-{filters.until:%Y-%m}.csv"
    return csv_response(name, rows, header)


urlpatterns = [
    path("", trends_page, name="trends"),
    path("export.csv", export_csv, name="trends_export"),
]
