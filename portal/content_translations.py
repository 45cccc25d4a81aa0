"""The admin's "Content translations" report: how far each page (and each translatable snippet)
has been translated into each offered language with wagtail-localize.

For every live page in the default locale, every instance of a translatable snippet model in
the default locale, and every offered language other than the default, one state:

- "Not translated": nothing of that translation key in the language.
- "Copy, not translated": a page or snippet exists in the language but wagtail-localize has no
  (enabled) Translation for it: an old `copy_for_translation` copy still in the source text, or a
  translation someone stopped and edits by hand.
- "Out of date": the source changed after wagtail-localize last took its text (the source was
  published after `TranslationSource.last_updated_at`: nobody has pressed "Sync translated
  pages"; a draft does not count, as a sync takes the published text), or it was synced and
  every string is translated but the translated page was not saved from it since (no
  `TranslationLog` newer than the sync).
- "Partly translated: N of M strings": a Translation with strings still to translate. After a
  sync, the changed strings are the untranslated ones: wagtail-localize's own "Waiting for
  translations".
- "Machine-drafted: N strings": every string translated, N of them by a machine translator.
- "Translated".

Everything is counted in a fixed number of queries, whatever the number of pages: the rows are
put together in Python from a handful of grouped queries (see `collect`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Max
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.models import Locale, Page, get_translatable_models
from wagtail.snippets.models import get_snippet_models
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationLog,
    TranslationSource,
)

from portal import languages

PERMISSION = "portal.view_translation_status"

NOT_TRANSLATED = "not_translated"
COPY = "copy"
PARTLY = "partly"
OUT_OF_DATE = "out_of_date"
MACHINE = "machine"
TRANSLATED = "translated"

STATES: dict[str, str] = {
    NOT_TRANSLATED: _("Not translated"),
    COPY: _("Copy, not translated"),
    PARTLY: _("Partly translated"),
    OUT_OF_DATE: _("Out of date"),
    MACHINE: _("Machine-drafted"),
    TRANSLATED: _("Translated"),
}


@dataclass(frozen=True)
class Item:
    """A page or snippet in the default locale: what is translated."""

    translation_key: str
    title: str
    type_name: str
    changed_at: datetime | None  # last published or revised (None: the model cannot tell)
    edit_url: str | None
    submit_url: str | None  # wagtail-localize's "Translate this" for it
    is_page: bool = True


@dataclass(frozen=True)
class Row:
    item: Item
    language: str  # a language code
    state: str
    translated: int = 0
    total: int = 0
    machine: int = 0
    translation_edit_url: str | None = None
    reason: str = ""

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    @property
    def label(self) -> str:
        """The state in plain words, with its numbers."""
        if self.state == PARTLY:
            return ngettext("Partly translated: %(done)s of %(total)s string",
                            "Partly translated: %(done)s of %(total)s strings",
                            self.total) % {"done": self.translated, "total": self.total}
        if self.state == MACHINE:
            return ngettext("Machine-drafted: %(n)s string", "Machine-drafted: %(n)s strings",
                            self.machine) % {"n": self.machine}
        return str(STATES[self.state])


def language_name(code: str) -> str:
    known = languages.KNOWN.get(code)
    return str(_(known.english_name)) if known else code


def target_languages() -> list[str]:
    """The offered languages other than the default, in the switcher's order."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _edit_url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _type_name(content_type_id: int) -> str:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return capfirst(model._meta.verbose_name) if model else str(_("Page"))


def page_items(default: Locale) -> tuple[list[Item], dict]:
    """The live pages of the default locale (the root left out), in tree order."""
    rows = (Page.objects.filter(locale=default, live=True, depth__gt=1).order_by("path")
            .values_list("id", "translation_key", "title", "content_type_id",
                         "last_published_at"))
    items = [Item(str(key), title, _type_name(ct), changed,
                  _edit_url("wagtailadmin_pages:edit", pk),
                  _edit_url("wagtail_localize:submit_page_translation", pk))
             for pk, key, title, ct, changed in rows]
    translated = (Page.objects.filter(translation_key__in=Page.objects.filter(
        locale=default, live=True, depth__gt=1).values("translation_key"))
        .exclude(locale=default).values_list("translation_key", "locale_id", "id"))
    urls = {(str(key), locale): _edit_url("wagtailadmin_pages:edit", pk)
            for key, locale, pk in translated}
    return items, urls


def translatable_snippet_models() -> list[type]:
    snippets = set(get_snippet_models())
    return [model for model in get_translatable_models()
            if model in snippets and not issubclass(model, Page)]


def _snippet_changed_field(model) -> str | None:
    names = {field.name for field in model._meta.get_fields()}
    if "last_published_at" in names:
        return "last_published_at"
    if "latest_revision" in names:
        return "latest_revision__created_at"
    return None


def snippet_items(default: Locale) -> tuple[list[Item], dict]:
    """Every instance of each translatable snippet model in the default locale."""
    items: list[Item] = []
    urls: dict = {}
    for model in translatable_snippet_models():
        meta = model._meta
        edit = f"wagtailsnippets_{meta.app_label}_{meta.model_name}:edit"
        changed_field = _snippet_changed_field(model)
        extra = {"changed": F(changed_field)} if changed_field else {}
        # The default manager: a model's `objects` may hide the other locales (themes do).
        manager = model._default_manager
        for instance in manager.filter(locale=default).annotate(**extra):
            items.append(Item(
                str(instance.translation_key), str(instance), capfirst(meta.verbose_name),
                getattr(instance, "changed", None), _edit_url(edit, quote(instance.pk)),
                _edit_url("wagtail_localize:submit_snippet_translation", meta.app_label,
                          meta.model_name, quote(instance.pk)), is_page=False))
        others = manager.exclude(locale=default).values_list(
            "translation_key", "locale_id", "pk")
        urls.update({(str(key), locale): _edit_url(edit, quote(pk)) for key, locale, pk in others})
    return items, urls


@dataclass
class Localize:
    """What wagtail-localize knows of the default locale's sources, grouped in a few queries."""

    sources: dict  # translation key -> (source id, last_updated_at)
    translations: set  # (source id, locale id) of enabled Translations
    totals: dict  # source id -> string segments
    done: dict  # (source id, locale id) -> strings translated (without errors)
    machine: dict  # (source id, locale id) -> of which by a machine
    saved: dict  # (source id, locale id) -> when the translated object was last saved from it

    @classmethod
    def load(cls, default: Locale, locale_ids: list[int]) -> Localize:
        sources = {str(key): (pk, updated) for pk, key, updated in TranslationSource.objects
                   .filter(locale=default).values_list("id", "object_id", "last_updated_at")}
        translations = set(Translation.objects.filter(
            source__locale=default, target_locale_id__in=locale_ids, enabled=True)
            .values_list("source_id", "target_locale_id"))
        totals = dict(StringSegment.objects.filter(source__locale=default)
                      .values("source_id").annotate(n=Count("id")).values_list("source_id", "n"))
        done: dict = defaultdict(int)
        machine: dict = defaultdict(int)
        # One row per (source, locale, kind): a string translation counts for a segment of the
        # same string in the same context (wagtail-localize's own get_progress).
        counted = (StringTranslation.objects.filter(
            locale_id__in=locale_ids, has_error=False,
            translation_of__segments__source__locale=default,
            translation_of__segments__context_id=F("context_id"))
            .values("translation_of__segments__source_id", "locale_id", "translation_type")
            .annotate(n=Count("translation_of__segments__id", distinct=True)))
        for entry in counted:
            key = (entry["translation_of__segments__source_id"], entry["locale_id"])
            done[key] += entry["n"]
            if entry["translation_type"] == StringTranslation.TRANSLATION_TYPE_MACHINE:
                machine[key] += entry["n"]
        saved = {(row["source_id"], row["locale_id"]): row["last"] for row in TranslationLog
                 .objects.filter(source__locale=default, locale_id__in=locale_ids)
                 .values("source_id", "locale_id").annotate(last=Max("created_at"))}
        return cls(sources, translations, totals, done, machine, saved)


def _state(item: Item, locale_id: int | None, exists: bool, localize: Localize) -> dict:
    source = localize.sources.get(item.translation_key)
    if source is None or locale_id is None or (source[0], locale_id) not in localize.translations:
        return {"state": COPY if exists else NOT_TRANSLATED}
    source_id, synced_at = source
    key = (source_id, locale_id)
    counts = {"total": localize.totals.get(source_id, 0), "translated": localize.done[key],
              "machine": localize.machine[key]}
    if item.changed_at and item.changed_at > synced_at:
        return {"state": OUT_OF_DATE, **counts, "reason": _(
            "The source changed after its text was last sent for translation: sync the "
            "translations from the source page.")}
    if counts["translated"] < counts["total"]:
        return {"state": PARTLY, **counts}
    saved = localize.saved.get(key)
    if saved is None or saved < synced_at:
        return {"state": OUT_OF_DATE, **counts, "reason": _(
            "Every string is translated, but the translation was not published since the "
            "source was last synced.")}
    return {"state": MACHINE if counts["machine"] else TRANSLATED, **counts}


def collect() -> list[Row]:
    """Every (item, language) row of the report, items in tree order, languages in the
    switcher's order."""
    default = Locale.get_default()
    codes = target_languages()
    locales = dict(Locale.objects.filter(language_code__in=codes)
                   .values_list("language_code", "id"))
    pages, page_urls = page_items(default)
    snippets, snippet_urls = snippet_items(default)
    existing = page_urls | snippet_urls
    localize = Localize.load(default, list(locales.values()))
    rows = []
    for item in pages + snippets:
        for code in codes:
            locale_id = locales.get(code)
            exists = (item.translation_key, locale_id) in existing
            rows.append(Row(item=item, language=code,
                            translation_edit_url=existing.get((item.translation_key, locale_id)),
                            **_state(item, locale_id, exists, localize)))
    return rows


def count_states(rows: list[Row]) -> list[dict]:
    """Per language: the number of rows in each state, in STATES order."""
    counts: dict = {code: dict.fromkeys(STATES, 0) for code in target_languages()}
    for row in rows:
        counts[row.language][row.state] += 1
    return [{"code": code, "name": language_name(code),
             "states": [(state, STATES[state], number) for state, number in by_state.items()],
             "total": sum(by_state.values())}
            for code, by_state in counts.items()]
