"""The coding matrix: its versions, what a change makes, and following sub-themes across versions.

The rule: a version is never edited. Every saved change, however small, makes version N+1 as a
full copy of version N with the change applied, even when no item has been coded under N yet
(one rule is easier to trust than two, and the history then says who changed what and why).
Items coded under N keep N: their sub-themes and service stay pointing at N's rows, unchanged.

Sub-themes and services have a `key` (a slug) that stays the same across versions when they
are renamed or reordered, so trends can follow them. A retired sub-theme or service is absent
from the next version. A new one gets a key made from its name; if that key was retired from
the same theme earlier, it is used again (the same name means the same thing to trends).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.themes.models import Theme

from .models import CodingMatrix, InsightItem, MatrixService, MatrixSubTheme

KEY_LENGTH = 72  # leaves room for "-99" within the 80 characters of a key


@dataclass
class SubThemeRow:
    """A sub-theme as it should be in the next version; `key` is "" for a new one."""

    theme_id: int
    name: str
    position: int = 0
    key: str = ""
    ref: object = None  # the caller's handle (a form), returned with any error about the row


@dataclass
class ServiceRow:
    """A service or provider as it should be in the next version; `key` is "" for a new one."""

    name: str
    key: str = ""
    ref: object = None


@dataclass
class Problem:
    """Why a proposal cannot be saved: about one row (`ref`), or the whole change."""

    message: str
    kind: str = ""  # "sub_theme", "service" or "" for the whole change
    ref: object = None


@dataclass
class Proposal:
    """The next version as the officer wants it, checked against the version it is based on.

    `sub_themes` and `services` hold what the next version keeps, renames and adds (retired
    ones are absent); `changes` says what differs in words; `problems` why it cannot be saved."""

    base: CodingMatrix
    sub_themes: list[SubThemeRow]
    services: list[ServiceRow]
    changes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def current_matrix() -> CodingMatrix:
    """The newest version; makes version 1 (the active themes, no sub-themes or services yet)
    when there is none."""
    matrix = CodingMatrix.current()
    if matrix is not None:
        return matrix
    try:
        with transaction.atomic():
            return CodingMatrix.objects.create(
                number=1, notes=_("First version: the portal's themes, no sub-themes yet."))
    except IntegrityError:  # made by someone else at the same moment
        return CodingMatrix.current()


def _norm(name: str) -> str:
    return " ".join((name or "").split()).casefold()


def _clean(name: str) -> str:
    return " ".join((name or "").split())


def propose(base: CodingMatrix, sub_themes: Iterable[SubThemeRow],
            services: Iterable[ServiceRow], *, themes: dict[int, Theme] | None = None
            ) -> Proposal:
    """Check a wanted next version against `base` (normally the current version): names are
    required and unique (per theme for sub-themes), new sub-themes go under active themes,
    existing keys must be `base`'s, and something must change. Returns the `Proposal`."""
    themes = themes if themes is not None else Theme.objects.in_bulk()
    proposal = Proposal(base, [], [])
    old_subs = {(row.theme_id, row.key): row for row in base.sub_themes.all()}
    old_services = {row.key: row for row in base.services.all()}
    seen: set[tuple[int, str]] = set()
    for row in sub_themes:
        row.name = _clean(row.name)
        problem = _sub_theme_problem(row, themes, old_subs, seen, base.number)
        if problem:
            proposal.problems.append(Problem(problem, "sub_theme", row.ref))
            continue
        seen.add((row.theme_id, _norm(row.name)))
        proposal.sub_themes.append(row)
    seen_services: set[str] = set()
    for row in services:
        row.name = _clean(row.name)
        problem = _service_problem(row, old_services, seen_services)
        if problem:
            proposal.problems.append(Problem(problem, "service", row.ref))
            continue
        seen_services.add(_norm(row.name))
        proposal.services.append(row)
    if not proposal.problems:
        _order(proposal.sub_themes)
        proposal.changes = describe_changes(
            list(old_subs.values()), proposal.sub_themes, list(old_services.values()),
            proposal.services, themes)
        if not proposal.changes:
            proposal.problems.append(Problem(_(
                "Nothing has changed: add, rename, remove or reorder a sub-theme or a service "
                "before saving a new version.")))
    return proposal


def _sub_theme_problem(row, themes, old_subs, seen, number) -> str:
    theme = themes.get(row.theme_id)
    if theme is None:
        return _("Choose the theme this sub-theme is under.")
    if not row.name:
        return _("Enter a name for the sub-theme under “%(theme)s”, or remove it.") % {
            "theme": theme.name}
    if row.key and (row.theme_id, row.key) not in old_subs:
        return _("“%(name)s” is not in version %(number)s any more: reload the page and "
                 "make the change again.") % {"name": row.name, "number": number}
    if not theme.is_active:
        return _("“%(theme)s” is no longer an active theme, so “%(name)s” cannot be under it: "
                 "remove the sub-theme or choose an active theme.") % {
            "theme": theme.name, "name": row.name}
    if (row.theme_id, _norm(row.name)) in seen:
        return _("“%(name)s” is already a sub-theme of “%(theme)s”: give each sub-theme of a "
                 "theme a different name.") % {"name": row.name, "theme": theme.name}
    return ""


def _service_problem(row, old_services, seen) -> str:
    if not row.name:
        return _("Enter a name for the service, or remove it.")
    if row.key and row.key not in old_services:
        return _("The service “%(name)s” is not in this version any more: reload the page and "
                 "make the change again.") % {"name": row.name}
    if _norm(row.name) in seen:
        return _("“%(name)s” is already in the services list: give each service a different "
                 "name.") % {"name": row.name}
    return ""


def _order(rows: list[SubThemeRow]) -> None:
    """Number each theme's sub-themes 1, 2, 3... in the order wanted (ties keep list order)."""
    by_theme: dict[int, list[tuple[int, int, SubThemeRow]]] = {}
    for index, row in enumerate(rows):
        by_theme.setdefault(row.theme_id, []).append((row.position, index, row))
    for group in by_theme.values():
        for number, (_position, _index, row) in enumerate(sorted(group), start=1):
            row.position = number


def describe_changes(old_subs, new_subs, old_services, new_services, themes) -> list[str]:
    """What differs between two versions' rows, in words (for messages and the history).
    Rows are anything with theme_id/key/name/position (sub-themes) or key/name (services)."""
    changes: list[str] = []
    old = {(row.theme_id, row.key): row for row in old_subs}
    new_keys = {(row.theme_id, row.key) for row in new_subs if row.key}
    for row in new_subs:
        theme = themes[row.theme_id].name if row.theme_id in themes else ""
        before = old.get((row.theme_id, row.key)) if row.key else None
        if before is None:
            changes.append(_("Added “%(name)s” under %(theme)s") % {"name": row.name,
                                                                     "theme": theme})
        elif before.name != row.name:
            changes.append(_("Renamed “%(old)s” to “%(new)s” under %(theme)s") % {
                "old": before.name, "new": row.name, "theme": theme})
    for key, row in old.items():
        if key not in new_keys:
            theme = themes[row.theme_id].name if row.theme_id in themes else ""
            changes.append(_("Removed “%(name)s” from %(theme)s") % {"name": row.name,
                                                                      "theme": theme})
    changes += _reordered(old_subs, new_subs, themes)
    old_s = {row.key: row for row in old_services}
    new_s = {row.key for row in new_services if row.key}
    for row in new_services:
        before = old_s.get(row.key) if row.key else None
        if before is None:
            changes.append(_("Added the service “%(name)s”") % {"name": row.name})
        elif before.name != row.name:
            changes.append(_("Renamed the service “%(old)s” to “%(new)s”") % {
                "old": before.name, "new": row.name})
    changes += [_("Removed the service “%(name)s”") % {"name": row.name}
                for key, row in old_s.items() if key not in new_s]
    return changes


def _reordered(old_subs, new_subs, themes) -> list[str]:
    def orders(rows):
        result: dict[int, list[str]] = {}
        for row in sorted(rows, key=lambda row: row.position):
            if row.key:
                result.setdefault(row.theme_id, []).append(row.key)
        return result

    before, after = orders(old_subs), orders(new_subs)
    changes = []
    for theme_id, keys in after.items():
        kept = [key for key in before.get(theme_id, []) if key in keys]
        if kept != [key for key in keys if key in kept]:
            name = themes[theme_id].name if theme_id in themes else ""
            changes.append(_("Reordered the sub-themes of %(theme)s") % {"theme": name})
    return changes


def make_key(name: str, taken: set[str], fallback: str) -> str:
    """A key for a new sub-theme or service: its name as a slug, made unique among `taken`
    (which it joins)."""
    base = slugify(name)[:KEY_LENGTH].strip("-") or fallback
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    taken.add(key)
    return key


def save_new_version(changes: Proposal, user, notes: str) -> CodingMatrix:
    """Make version N+1 from a checked `Proposal` (see `propose`): a full copy of the wanted
    sub-themes and services, keys kept, new keys made for new rows. Versions items were coded
    under are never touched. Raises ValidationError when the proposal has problems, the notes
    are empty, or someone saved a newer version since `changes.base`."""
    notes = (notes or "").strip()
    if not changes.ok:
        raise ValidationError([problem.message for problem in changes.problems])
    if not notes:
        raise ValidationError(_("Say what changed and why, for the version history."))
    try:
        with transaction.atomic():
            latest = CodingMatrix.objects.aggregate(n=Max("number"))["n"] or 0
            if latest != changes.base.number:
                raise ValidationError(stale_message(latest))
            matrix = CodingMatrix.objects.create(number=latest + 1, notes=notes,
                                                 created_by=user if user and user.pk else None)
            _copy_rows(matrix, changes)
    except IntegrityError as error:
        raise ValidationError(stale_message(CodingMatrix.current().number)) from error
    return matrix


def stale_message(number) -> str:
    return _("Someone saved version %(number)s while you were editing. Your changes are "
             "still below: check them against the new version and save again.") % {
        "number": number}


def _copy_rows(matrix: CodingMatrix, changes: Proposal) -> None:
    taken: dict[int, set[str]] = {}
    for row in changes.sub_themes:
        if row.key:
            taken.setdefault(row.theme_id, set()).add(row.key)
    sub_themes = []
    for row in changes.sub_themes:
        key = row.key or make_key(row.name, taken.setdefault(row.theme_id, set()), "sub-theme")
        sub_themes.append(MatrixSubTheme(matrix=matrix, theme_id=row.theme_id, key=key,
                                         name=row.name, position=row.position))
    MatrixSubTheme.objects.bulk_create(sub_themes, batch_size=500)
    service_keys = {row.key for row in changes.services if row.key}
    MatrixService.objects.bulk_create([
        MatrixService(matrix=matrix, name=row.name,
                      key=row.key or make_key(row.name, service_keys, "service"))
        for row in changes.services], batch_size=500)


# Reading the matrix ----------------------------------------------------------------------------


def subtheme_choices(matrix: CodingMatrix | None = None, *, include_inactive: bool = False
                     ) -> list[tuple[str, list[tuple[int, str]]]]:
    """The sub-themes of `matrix` (default: the current version) grouped by theme, ready to be
    a Django ChoiceField's grouped `choices`: [(theme name, [(sub-theme pk, name), ...]), ...],
    themes by name, sub-themes in their order. Sub-themes of themes no longer active are left
    out unless `include_inactive`. One query."""
    matrix = matrix or current_matrix()
    rows = matrix.sub_themes.select_related("theme").order_by("theme__name", "position", "name")
    groups: dict[str, list[tuple[int, str]]] = {}
    for row in rows:
        if row.theme.is_active or include_inactive:
            groups.setdefault(row.theme.name, []).append((row.pk, row.name))
    return list(groups.items())


def service_choices(matrix: CodingMatrix | None = None) -> list[tuple[int, str]]:
    """The services of `matrix` (default: the current version) as (pk, name), by name."""
    matrix = matrix or current_matrix()
    return list(matrix.services.order_by("name").values_list("pk", "name"))


def theme_groups(matrix: CodingMatrix) -> list[tuple[Theme, list[MatrixSubTheme]]]:
    """For showing a version: every active theme (and any retired theme that still has
    sub-themes in it) with its sub-themes in order. Two queries."""
    groups: dict[int, list[MatrixSubTheme]] = {}
    for row in matrix.sub_themes.order_by("position", "name"):
        groups.setdefault(row.theme_id, []).append(row)
    themes = Theme.objects.filter(pk__in=list(groups)) | Theme.objects.filter(is_active=True)
    return [(theme, groups.get(theme.pk, [])) for theme in themes.order_by("name")]


def translate(item_subthemes: Iterable, to_matrix: CodingMatrix
              ) -> dict[int, MatrixSubTheme | None]:
    """Follow sub-themes (MatrixSubTheme rows or their pks, of any versions) to `to_matrix`:
    {row pk: the row with the same theme and key in `to_matrix`, or None when it was retired
    by then}. For trends across versions. Two queries at most."""
    rows = list(item_subthemes)
    if rows and not isinstance(rows[0], MatrixSubTheme):
        rows = list(MatrixSubTheme.objects.filter(pk__in=rows).only("pk", "theme_id", "key"))
    targets = {(row.theme_id, row.key): row for row in MatrixSubTheme.objects.filter(
        matrix=to_matrix, key__in={row.key for row in rows})} if rows else {}
    return {row.pk: targets.get((row.theme_id, row.key)) for row in rows}


def version_history(versions) -> list[dict]:
    """The versions given (a page of them), each with who/when/notes and how many items are
    coded under it and how many sub-themes and services it has (one GROUP BY query each)."""
    versions = list(versions)
    ids = [version.pk for version in versions]
    items = dict(InsightItem.objects.filter(matrix__in=ids).order_by().values("matrix")
                 .annotate(n=Count("id")).values_list("matrix", "n"))
    subs = dict(MatrixSubTheme.objects.filter(matrix__in=ids).order_by().values("matrix")
                .annotate(n=Count("id")).values_list("matrix", "n"))
    services = dict(MatrixService.objects.filter(matrix__in=ids).order_by().values("matrix")
                    .annotate(n=Count("id")).values_list("matrix", "n"))
    return [{"version": version, "items": items.get(version.pk, 0),
             "sub_themes": subs.get(version.pk, 0), "services": services.get(version.pk, 0)}
            for version in versions]


def changes_from_previous(matrix: CodingMatrix) -> list[str]:
    """What `matrix` changed from the version before it, in words ([] for version 1)."""
    previous = CodingMatrix.objects.filter(number__lt=matrix.number).order_by("-number").first()
    if previous is None:
        return []
    return describe_changes(list(previous.sub_themes.all()), list(matrix.sub_themes.all()),
                            list(previous.services.all()), list(matrix.services.all()),
                            Theme.objects.in_bulk())
