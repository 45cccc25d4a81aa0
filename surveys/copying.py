"""Copying a survey: the copy is a new survey, never a second home for the old one's answers.

Answers are keyed by the question registry, and the registry by the blocks' ids
(`surveys.registry`), so a copy gets NEW ids for every section, question, option and named
place, in its page row and in every revision it carries, with one mapping so that anything
inside the blocks that names an old id (a skip condition, an equality question's key prefix)
names the new one. The copy is a draft, with its opening and closing dates cleared in its draft
so the officer sets them before saving it.

Two ways in, both ending in `renew_copy`: Wagtail's admin copy view (the `after_copy_page` hook
in `wagtail_hooks`) and `SurveyPage.copy` for copies made in code. A copy made for a
translation (`copy_for_translation`) keeps its source's ids: it is the same survey in another
language. No database models here: the page and its revisions are passed in.
"""

from __future__ import annotations

import json
import uuid

from django.utils.text import slugify
from django.utils.translation import gettext
from wagtail.admin.forms.pages import CopyForm

# Fields of the copy's draft that are cleared: the officer schedules the new survey.
CLEARED_IN_DRAFT = ("opens_at", "closes_at")


def _is_child(node) -> bool:
    """A stream child or list item: {"type", "value", "id"}."""
    return isinstance(node, dict) and "type" in node and "value" in node and "id" in node


def collect_ids(node, mapping: dict) -> None:
    """Add a fresh id to `mapping` for every block id under `node` not mapped yet."""
    if isinstance(node, list):
        for item in node:
            collect_ids(item, mapping)
    elif isinstance(node, dict):
        if _is_child(node) and node["id"] and node["id"] not in mapping:
            mapping[node["id"]] = str(uuid.uuid4())
        for value in node.values():
            collect_ids(value, mapping)


def _remap_string(value: str, mapping: dict) -> str:
    if value in mapping:
        return mapping[value]
    head, sep, tail = value.partition("_")  # "<block id>_<code>" names an equality question
    if sep and head in mapping:
        return f"{mapping[head]}_{tail}"
    return value


def remap(node, mapping: dict):
    """`node` (raw StreamField data) with every id, and every string naming an id, remapped."""
    if isinstance(node, list):
        return [remap(item, mapping) for item in node]
    if isinstance(node, dict):
        return {key: remap(value, mapping) for key, value in node.items()}
    if isinstance(node, str):
        return _remap_string(node, mapping)
    return node


def renew_ids(raw_sections, mapping: dict | None = None) -> list:
    """A copy of raw section data with fresh ids throughout (`mapping` is filled in)."""
    mapping = {} if mapping is None else mapping
    collect_ids(raw_sections, mapping)
    return remap(raw_sections, mapping)


def _revision_sections(revision) -> list:
    """A revision keeps a StreamField as JSON text inside its content."""
    sections = revision.content.get("sections") or "[]"
    return json.loads(sections) if isinstance(sections, str) else sections


def renew_copy(page_copy, *, clear_dates: bool = True) -> None:
    """Give a freshly copied survey page new block ids (row and revisions, one mapping) and
    clear the dates in its latest revision (not for a copy already live, whose latest revision
    is the live one)."""
    mapping: dict = {}
    revisions = list(page_copy.revisions.all())
    collect_ids(page_copy.sections.get_prep_value(), mapping)
    for revision in revisions:
        collect_ids(_revision_sections(revision), mapping)
    page_copy.sections = remap(page_copy.sections.get_prep_value(), mapping)
    page_copy.save(update_fields=["sections"], clean=False)
    latest_id = page_copy.latest_revision_id
    for revision in revisions:
        content = dict(revision.content)
        content["sections"] = json.dumps(remap(_revision_sections(revision), mapping))
        revision.content = content
        if revision.pk == latest_id:
            if clear_dates:
                content.update(dict.fromkeys(CLEARED_IN_DRAFT))
            page_copy.latest_revision = revision  # not the stale copy held in memory
        revision.save(update_fields=["content"])


def copy_survey(page, copy, *args, **kwargs):
    """`SurveyPage.copy`: `copy` is Wagtail's `Page.copy` bound to `page`. A plain copy is a
    draft titled "Copy of ..." with new ids (`renew_copy`); a copy for a translation
    (`reset_translation_key=False`) is the same survey in another language and keeps them."""
    if not kwargs.get("reset_translation_key", True):
        return copy(*args, **kwargs)
    parent = kwargs.get("to") or page.get_parent()
    title = copy_title(page.title)
    kwargs["update_attrs"] = {"title": title, "slug": free_slug(parent, title),
                              **(kwargs.get("update_attrs") or {})}
    page_copy = copy(*args, **{**kwargs, "keep_live": False})
    renew_copy(page_copy)
    return page_copy


def copy_title(title: str) -> str:
    return gettext("Copy of %(title)s") % {"title": title}


class SurveyCopyForm(CopyForm):
    """Wagtail's copy form for a survey: titled "Copy of ...", and always a draft (no keeping
    it live, no alias: an alias would share its source's questions)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        title = copy_title(self.page.title)
        self.fields["new_title"].initial = title
        self.fields["new_slug"].initial = slugify(title)[:255]
        for name in ("publish_copies", "alias", "copy_subpages"):
            self.fields.pop(name, None)


def free_slug(parent, title: str) -> str:
    """A slug from `title` that no child of `parent` has yet."""
    base = slugify(title)[:240] or "survey"
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
