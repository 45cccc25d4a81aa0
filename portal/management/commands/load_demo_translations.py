"""Publish the demo's pages in Welsh (and any other language with a demo file) through
wagtail-localize, from the PO files in portal/demo/content_translations/ (`<code>.po`).

For every live page in the default locale, root aside, parents before children: the
TranslationSource is created (or refreshed from the page when the page changed since), the
Translation into the language is created, its PO file is exported, filled from the demo file by
msgid, imported as a manual translation and saved to the target page, which is published. So the
translation editor, the PO download and the status report show real translations. A page in the
language that already exists (the demo loaders' copies) is updated in place, keeping its id.

Safe to run again: a page whose source, strings and translation are unchanged is left alone, so
a second run saves nothing. A page with a string the demo file does not have is left as it is and
named in the output (with --strict, the command fails and saves nothing). Strings with no words
(numbers) and stored identifiers ("asset:<uuid>") are kept as they are without an entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import polib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationLog, TranslationSource

DEMO_FILES = Path(__file__).resolve().parents[2] / "demo" / "content_translations"
TOOL_NAME = "load_demo_translations"
# Strings that are not language: numbers and figures ("50,523"), and stored keys such as a forum's
# venue ("asset:<uuid>", different in every demo database).
KEPT_AS_IS = re.compile(r"^[\W\d_]*$|^[a-z_]+:[0-9a-f-]{36}$")


@dataclass
class LanguageReport:
    """What a run did for one language."""

    code: str
    translated: list[str] = field(default_factory=list)
    unchanged: int = 0
    strings_used: int = 0
    distinct: set[str] = field(default_factory=set)
    missing: dict[str, list[str]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def shorten(texts: list[str]) -> str:
    """The first few missing strings, quoted and cut short, for a message."""
    shown = "; ".join(f"“{text[:60]}{'…' if len(text) > 60 else ''}”" for text in texts[:3])
    return shown + ("; …" if len(texts) > 3 else "")


def read_demo_file(path: Path) -> dict[str, str]:
    """msgid -> msgstr for the translated, non-fuzzy entries of a demo PO file.

    Raises CommandError, naming the file, when it cannot be read as a PO file."""
    try:
        catalogue = polib.pofile(str(path))
    except (OSError, ValueError) as error:
        raise CommandError(f"Cannot read the demo translations in {path}: {error}") from error
    return {entry.msgid: entry.msgstr for entry in catalogue
            if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags}


def demo_languages(directory: Path, wanted: list[str] | None) -> list[str]:
    """The languages to translate into: offered by the site (settings.LANGUAGES), not the
    default, with a `<code>.po` file in `directory`; only those named when `wanted` is given."""
    offered = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    if not wanted:
        return [code for code in offered if (directory / f"{code}.po").is_file()]
    for code in wanted:
        if code not in offered:
            raise CommandError(f"The site does not offer '{code}' (PORTAL_LANGUAGES); offered "
                               f"besides {settings.LANGUAGE_CODE}: {', '.join(offered) or 'none'}.")
        if not (directory / f"{code}.po").is_file():
            raise CommandError(f"There is no demo file for '{code}': {directory / f'{code}.po'}.")
    return list(wanted)


def fill_po(po: polib.POFile, catalogue: dict[str, str]):
    """Fill a Translation's exported PO from the demo catalogue, by msgid.

    Returns (the PO without obsolete entries, the msgids used, the msgids missing, whether any
    msgstr changed)."""
    filled = polib.POFile(wrapwidth=200)
    filled.metadata = dict(po.metadata)
    used, missing, changed = [], [], False
    for entry in po:
        if entry.obsolete:
            continue
        text = catalogue.get(entry.msgid)
        if text is None and KEPT_AS_IS.match(entry.msgid):
            text = entry.msgid
        if text is None:
            missing.append(entry.msgid)
            continue
        if entry.msgstr != text:
            entry.msgstr, changed = text, True
        used.append(entry.msgid)
        filled.append(entry)
    return filled, used, missing, changed


def edited_since_translated(translation, target) -> bool:
    """Whether the page in the target language has a revision newer than the last time
    wagtail-localize saved it (someone, or a demo loader, changed it since)."""
    last = (TranslationLog.objects.filter(source=translation.source,
                                          locale=translation.target_locale)
            .order_by("-created_at").values_list("created_at", flat=True).first())
    latest = target.latest_revision_created_at
    return last is None or (latest is not None and latest > last)


class Command(BaseCommand):
    help = ("Publish the demo's pages in Welsh (and every offered language with a file in "
            "portal/demo/content_translations/) through wagtail-localize. Safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("--language", action="append", dest="languages", metavar="CODE",
                            help="Only this language (repeatable). Default: every offered "
                                 "language with a demo file.")
        parser.add_argument("--strict", action="store_true",
                            help="Fail, saving nothing, if a page has a string the demo file "
                                 "does not translate.")
        parser.add_argument("--files", default=str(DEMO_FILES), metavar="DIRECTORY",
                            help="Where the <code>.po files are (default: %(default)s).")

    def handle(self, *args, languages=None, strict=False, files=str(DEMO_FILES), **options):
        directory = Path(files)
        codes = demo_languages(directory, languages)
        if not codes:
            self.stdout.write("No offered language has a demo translations file; nothing to do.")
            return
        with transaction.atomic():
            reports = [self.translate_language(code, directory / f"{code}.po") for code in codes]
            for report in reports:
                self.write_report(report, directory)
            problems = [report for report in reports if report.missing or report.failed]
            if strict and problems:
                raise CommandError(
                    "Strings are missing from the demo translations (--strict): "
                    + "; ".join(self.problem_summary(report) for report in problems)
                    + ". Nothing was saved.")

    @staticmethod
    def problem_summary(report: LanguageReport) -> str:
        pages = [f"{name}, {plural(len(missing), 'string')} missing: {shorten(missing)}"
                 for name, missing in report.missing.items()]
        pages += [f"{name}, not saved" for name in report.failed]
        return f"{report.code}: {plural(len(pages), 'page')} ({'; '.join(pages)})"

    def translate_language(self, code: str, path: Path) -> LanguageReport:
        catalogue = read_demo_file(path)
        locale, _ = Locale.objects.get_or_create(language_code=code)
        report = LanguageReport(code)
        pages = (Page.objects.filter(locale=Locale.get_default(), depth__gt=1, live=True)
                 .order_by("path").specific())
        for page in pages:
            self.translate_page(page, locale, catalogue, report)
        return report

    def translate_page(self, page, locale, catalogue, report: LanguageReport) -> None:
        name = f"{page.url_path} “{page.title}”"
        source, created = TranslationSource.get_or_create_from_instance(page)
        refreshed = not created and page.latest_revision_created_at is not None and \
            page.latest_revision_created_at > source.last_updated_at
        if refreshed:
            source.update_from_db()
        translation, started = Translation.objects.get_or_create(
            source=source, target_locale=locale)
        po, used, missing, changed = fill_po(translation.export_po(), catalogue)
        if missing:
            report.missing[name] = missing
            return
        if changed:
            translation.import_po(po, translation_type="manual", tool_name=TOOL_NAME)
        report.strings_used += len(used)
        report.distinct.update(used)
        target = page.get_translation_or_none(locale)
        if not (created or refreshed or started or changed or target is None or not target.live
                or edited_since_translated(translation, target)):
            report.unchanged += 1
            return
        try:
            self.save_and_publish(translation, page, locale)
        except ValidationError as error:
            report.failed[name] = "; ".join(error.messages)
            return
        report.translated.append(name)

    @staticmethod
    def save_and_publish(translation, page, locale) -> None:
        """Save the translated page through wagtail-localize and publish that revision.

        `save_target(publish=True)` publishes in `transaction.on_commit`, which never runs while a
        caller's transaction is open (this command's own, a test's); so the revision is saved as
        a draft through the same workflow and published here, once."""
        translation.save_target(user=None, publish=False)
        target = page.get_translation(locale).specific
        target.get_latest_revision().publish()

    def write_report(self, report: LanguageReport, directory: Path) -> None:
        language = dict(settings.LANGUAGES).get(report.code, report.code)
        self.stdout.write(
            f"{language} ({report.code}): {plural(len(report.translated), 'page')} translated and "
            f"published, {report.unchanged} already up to date; {report.strings_used} strings "
            f"used ({len(report.distinct)} different) from {directory / f'{report.code}.po'}.")
        for name, missing in report.missing.items():
            self.stdout.write(self.style.WARNING(
                f"  {name}: {plural(len(missing), 'string')} missing from {report.code}.po "
                f"({shorten(missing)}); the page was left as it is."))
        for name, message in report.failed.items():
            self.stdout.write(self.style.WARNING(
                f"  {name}: could not be saved ({message}); the page was left as it is."))
