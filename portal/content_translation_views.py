"""Admin views for translated content: the "Content translations" report
(portal/content_translations.py) and the PO file upload of wagtail-localize's translation
editor, replaced so that a wrong or stale file gets a clear message and changes nothing wrong.

wagtail-localize's own upload (`wagtail_localize.views.edit_translation.upload_pofile`) answers a
PO file without its `X-WagtailLocalize-TranslationID` header with a server error, says
"Successfully imported" when the file was made from an older version of the source and half of
it was skipped, and never says which strings it skipped. `upload_po_file` is served at the same
address (registered before wagtail-localize's URLs, see portal/wagtail_hooks.py), so the
editor's "Upload PO file" button uses it.
"""

from __future__ import annotations

import tempfile
import uuid

import polib
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    get_edit_url,
)
from wagtail_localize.views.edit_translation import user_can_edit_instance

from portal import content_translations as report

ROWS_PER_PAGE = 100
MAX_PO_BYTES = 2 * 1024 * 1024
HEADER = "X-WagtailLocalize-TranslationID"


# -- the report -----------------------------------------------------------------------------
def _choice(request, name: str, allowed, what: str) -> str:
    value = request.GET.get(name, "").strip()
    if value and value not in allowed:
        messages.error(request, _("“%(value)s” is not a %(what)s this report knows; showing "
                                  "all.") % {"value": value[:20], "what": what})
        return ""
    return value


def status_view(request):
    """Every page and translatable snippet in each offered language, with its state; counts
    per language and state at the top; filters by language and by state."""
    if not request.user.has_perm(report.PERMISSION):
        raise PermissionDenied
    rows = report.collect()
    counts = report.count_states(rows)
    language = _choice(request, "language", report.target_languages(), _("language"))
    state = _choice(request, "state", report.STATES, _("state"))
    shown = [row for row in rows if (not language or row.language == language)
             and (not state or row.state == state)]
    page = Paginator(shown, ROWS_PER_PAGE).get_page(request.GET.get("p"))
    return TemplateResponse(request, "portal/admin/content_translations.html", {
        "page_title": _("Content translations"), "counts": counts, "rows": page,
        "shown": len(shown), "language": language, "state": state,
        "languages": [(entry["code"], entry["name"]) for entry in counts],
        "states": list(report.STATES.items()),
        "query": _query(language, state),
    })


def _query(language: str, state: str) -> str:
    parts = [f"language={language}"] if language else []
    parts += [f"state={state}"] if state else []
    return "&".join(parts)


# -- PO upload ------------------------------------------------------------------------------
def _read_po(upload) -> polib.POFile | None:
    """The uploaded file parsed as a PO file, or None. polib is given a file name, never the
    content (a content that is a path would be read from the disk)."""
    if upload is None or upload.size > MAX_PO_BYTES:
        return None
    with tempfile.NamedTemporaryFile(suffix=".po") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        try:
            return polib.pofile(handle.name)
        except (OSError, UnicodeDecodeError, ValueError):
            return None


def _other_translation_message(translation: Translation, made_for: str) -> str:
    other = (Translation.objects.filter(uuid=made_for)
             .select_related("source", "target_locale").first()
             if _is_uuid(made_for) else None)
    values = {"this": translation.source.object_repr,
              "language": report.language_name(translation.target_locale.language_code)}
    if other is None:
        return _("This PO file was not downloaded from the translation of “%(this)s” into "
                 "%(language)s, so nothing was imported. Download the file for this page "
                 "from its translation editor and upload that.") % values
    return _("This PO file is for “%(other)s” in %(other_language)s, not “%(this)s” in "
             "%(language)s, so nothing was imported. Upload it from that translation's editor.") % (
        values | {"other": other.source.object_repr,
                  "other_language": report.language_name(other.target_locale.language_code)})


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return False
    return True


def split_entries(translation: Translation, po: polib.POFile):
    """The file's filled-in entries that match a string of the current source text (same text
    in the same place), and the number that do not: strings of an older version of the source,
    which are left out."""
    current = set(StringSegment.objects.filter(source=translation.source)
                  .values_list("string__data", "context__path"))
    matching, stale = [], 0
    for entry in po:
        if entry.obsolete or not entry.msgstr:
            continue
        if (entry.msgid, entry.msgctxt) in current:
            matching.append(entry)
        else:
            stale += 1
    return matching, stale


@require_POST
def upload_po_file(request, translation_id):
    """Import a translator's PO file into one translation, or say clearly why not."""
    translation = get_object_or_404(Translation.objects.select_related(
        "source", "target_locale"), id=translation_id)
    try:
        target = translation.get_target_instance()
    except ObjectDoesNotExist as error:
        raise Http404(_("The translated page no longer exists.")) from error
    if not user_can_edit_instance(request.user, target):
        raise PermissionDenied
    next_url = get_valid_next_url_from_request(request) or get_edit_url(target)
    po = _read_po(request.FILES.get("file"))
    if po is None:
        messages.error(request, _(
            "That is not a PO file this editor can read (or it is larger than 2 MB), so "
            "nothing was imported. Upload the .po file downloaded from this translation "
            "editor, saved as UTF-8 text."))
        return redirect(next_url)
    made_for = po.metadata.get(HEADER, "")
    if made_for != str(translation.uuid):
        messages.error(request, _other_translation_message(translation, made_for))
        return redirect(next_url)
    _import(request, translation, po)
    return redirect(next_url)


def _import(request, translation: Translation, po: polib.POFile) -> None:
    matching, stale = split_entries(translation, po)
    fresh = polib.POFile()
    fresh.metadata = dict(po.metadata)
    fresh.extend(matching)
    with transaction.atomic():
        translation.import_po(fresh, user=request.user, tool_name="PO File")
    if stale:
        messages.error(request, ngettext(
            "This PO file was made from an older version of “%(page)s”: %(n)s translated "
            "string is no longer in the page and was not imported. Nothing already saved was "
            "changed by it. Download the file again to translate the new text.",
            "This PO file was made from an older version of “%(page)s”: %(n)s translated "
            "strings are no longer in the page and were not imported. Nothing already saved "
            "was changed by them. Download the file again to translate the new text.",
            stale) % {"page": translation.source.object_repr, "n": stale})
    errors = StringTranslation.objects.filter(
        locale=translation.target_locale, has_error=True,
        context__object_id=translation.source.object_id).count()
    if matching:
        messages.success(request, ngettext(
            "%(n)s translated string imported from the PO file.",
            "%(n)s translated strings imported from the PO file.",
            len(matching)) % {"n": len(matching)})
    elif not stale:
        messages.warning(request, _("The PO file has no translated strings: nothing was "
                                    "imported."))
    if errors:
        messages.warning(request, ngettext(
            "%(n)s translation has a mistake (for example a link or tag that does not match "
            "the source) and is not used: correct it in the editor.",
            "%(n)s translations have a mistake (for example a link or tag that does not match "
            "the source) and are not used: correct them in the editor.",
            errors) % {"n": errors})
