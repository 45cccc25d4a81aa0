"""The admin's "Interface translations" report: how far each language's catalogue has got.

For each language the portal offers or knows (portal/languages.py) it reads
locale/<code>/LC_MESSAGES/django.po with polib and counts the entries: checked by a fluent
translator (translated, not fuzzy), drafted (translated but still marked fuzzy: a machine or
non-fluent draft that residents see, see docs/languages.md "The fuzzy rule") and missing (shown
in English). Officers and superusers see it (`portal.view_translation_status`), and may
download each .po to hand to a translator.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polib
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal import languages

PERMISSION = "portal.view_translation_status"


@dataclass(frozen=True)
class CatalogueCounts:
    total: int
    checked: int
    drafted: int
    missing: int


@dataclass(frozen=True)
class LanguageStatus:
    code: str
    name: str
    own_name: str
    offered: bool
    is_default: bool
    counts: CatalogueCounts | None  # None: no catalogue (the default language, or not begun)
    po_path: Path | None

    @property
    def bidi(self) -> bool:
        return languages.is_bidi(self.code)

    @property
    def summary(self) -> str:
        return describe(self)


def catalogue_path(code: str) -> Path | None:
    for base in settings.LOCALE_PATHS:
        path = Path(base) / code / "LC_MESSAGES" / "django.po"
        if path.is_file():
            return path
    return None


def count_entries(path: Path) -> CatalogueCounts:
    """Counts of one .po file's live entries (header and obsolete entries left out). An entry
    with a plural counts as translated only when every plural form is filled in."""
    stat = path.stat()
    return _count_entries(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _count_entries(path: str, _mtime_ns: int, _size: int) -> CatalogueCounts:
    checked = drafted = missing = 0
    for entry in polib.pofile(path):
        if entry.obsolete or not entry.msgid:
            continue
        if entry.msgid_plural:
            filled = bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
        else:
            filled = bool(entry.msgstr)
        if not filled:
            missing += 1
        elif entry.fuzzy:
            drafted += 1
        else:
            checked += 1
    return CatalogueCounts(checked + drafted + missing, checked, drafted, missing)


def language_statuses() -> list[LanguageStatus]:
    """The offered languages first (in the switcher's order), then the other known ones."""
    offered = [code for code, _name in settings.LANGUAGES]
    codes = offered + [code for code in languages.KNOWN if code not in offered]
    statuses = []
    for code in codes:
        known = languages.KNOWN.get(code)
        path = None if code == settings.LANGUAGE_CODE else catalogue_path(code)
        statuses.append(LanguageStatus(
            code=code, name=_(known.english_name) if known else code,
            own_name=languages.own_name(code), offered=code in offered,
            is_default=code == settings.LANGUAGE_CODE,
            counts=count_entries(path) if path else None, po_path=path))
    return statuses


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def describe(status: LanguageStatus) -> str:
    """One plain sentence on a language's state, for the report."""
    if status.is_default:
        return _("%(name)s: the language the interface is written in; every other language "
                 "falls back to it.") % {"name": status.name}
    counts = status.counts
    if counts is None:
        return _("%(name)s: no catalogue yet, so everything shows in English.") % {
            "name": status.name}
    values = {"name": status.name, "total": _number(counts.total),
              "checked": _number(counts.checked), "drafted": _number(counts.drafted),
              "missing": _number(counts.missing)}
    if counts.checked == counts.total:
        return ngettext(
            "%(name)s: all %(total)s string checked by a fluent translator.",
            "%(name)s: all %(total)s strings checked by a fluent translator.",
            counts.total) % values
    if counts.checked == 0 and counts.drafted == 0:
        return ngettext("%(name)s: none of %(total)s string translated yet; it shows in "
                        "English.",
                        "%(name)s: none of %(total)s strings translated yet; they show in "
                        "English.", counts.total) % values
    if counts.checked == 0:
        sentence = ngettext(
            "%(name)s: %(drafted)s of %(total)s string drafted, none checked by a fluent "
            "translator",
            "%(name)s: %(drafted)s of %(total)s strings drafted, none checked by a fluent "
            "translator", counts.total) % values
    elif counts.drafted == 0:
        sentence = ngettext(
            "%(name)s: %(checked)s of %(total)s string checked by a fluent translator",
            "%(name)s: %(checked)s of %(total)s strings checked by a fluent translator",
            counts.total) % values
    else:
        sentence = ngettext(
            "%(name)s: %(checked)s of %(total)s string checked by a fluent translator and "
            "%(drafted)s drafted but not checked",
            "%(name)s: %(checked)s of %(total)s strings checked by a fluent translator and "
            "%(drafted)s drafted but not checked", counts.total) % values
    if counts.missing:
        return _("%(sentence)s; the rest show in English.") % {"sentence": sentence}
    return _("%(sentence)s.") % {"sentence": sentence}


# -- views ----------------------------------------------------------------------------------
def status_view(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    return TemplateResponse(request, "portal/admin/translation_status.html",
                            {"statuses": language_statuses(), "page_title": _(
                                "Interface translations")})


def download_view(request, code):
    """The .po catalogue of one known language, as a download for a translator."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    if code not in languages.KNOWN or code == settings.LANGUAGE_CODE:
        raise Http404(_("The portal has no catalogue for that language."))
    path = catalogue_path(code)
    if path is None:
        raise Http404(_("The portal has no catalogue for that language."))
    response = FileResponse(path.open("rb"), as_attachment=True,
                            filename=f"neighbourhood-portal-{code}.po",
                            content_type="text/x-gettext-translation; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
