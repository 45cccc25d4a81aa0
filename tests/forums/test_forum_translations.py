"""A forum's "you said, we did" translated through wagtail-localize (issue 13, item 1): the
words are translated, the theme follows the source, and a sync keeps the translation."""

import importlib
import uuid

import pytest
from django.apps import apps

from forums.models import ForumEventPage, YouSaidWeDid
from portal.themes.models import Theme
from tests.plans.test_plan_translations import translate

WELSH = {
    "More help with energy bills": "Mwy o help gyda biliau ynni",
    "We opened a money advice clinic at the library": "Agorwyd clinig cyngor ariannol yn y "
                                                      "llyfrgell",
}


@pytest.fixture
def forum(make_event):
    event = make_event(days=-7)
    event.you_said_we_did = [YouSaidWeDid(
        theme=Theme.objects.get(slug="financial-hardship"),
        you_said="More help with energy bills",
        we_did="We opened a money advice clinic at the library")]
    event.save_revision().publish()
    event.refresh_from_db()
    return event


def test_the_welsh_forum_says_you_said_we_did_in_welsh(client, forum):
    welsh = translate(forum, WELSH)
    row, source = welsh.you_said_we_did.get(), forum.you_said_we_did.get()
    assert row.translation_key == source.translation_key and row.pk != source.pk
    assert row.locale.language_code == "cy" and row.theme_id == source.theme_id
    html = client.get(welsh.url).content.decode()
    assert WELSH["More help with energy bills"] in html
    assert WELSH["We opened a money advice clinic at the library"] in html
    assert "More help with energy bills" not in html
    english = client.get(forum.url).content.decode()
    assert "More help with energy bills" in english
    assert WELSH["More help with energy bills"] not in english


def test_a_sync_follows_the_theme_and_keeps_the_welsh_words(forum):
    welsh = translate(forum, WELSH)
    kept_pk = welsh.you_said_we_did.get().pk
    housing = Theme.objects.get(slug="housing")
    YouSaidWeDid.objects.filter(page=forum).update(theme=housing)
    forum = ForumEventPage.objects.get(pk=forum.pk)
    forum.save_revision().publish()
    translate(forum, WELSH)
    row = welsh.you_said_we_did.get()
    assert (row.pk, row.theme_id) == (kept_pk, housing.pk)
    assert row.you_said == WELSH["More help with energy bills"]


def test_a_row_added_later_reaches_the_translation_at_the_next_sync(forum):
    welsh = translate(forum, WELSH)
    forum.you_said_we_did.add(YouSaidWeDid(you_said="Longer opening hours", we_did=""))
    forum.save_revision().publish()
    forum.refresh_from_db()
    translate(forum, WELSH)
    assert sorted(welsh.you_said_we_did.values_list("you_said", flat=True)) == sorted(
        [WELSH["More help with energy bills"], "[cy] Longer opening hours"])


def test_the_migration_gives_a_welsh_row_its_originals_key(forum):
    welsh = translate(forum, WELSH)
    migration = importlib.import_module("forums.migrations.0006_translatable_rows_keys")
    YouSaidWeDid.objects.filter(page=welsh).update(translation_key=uuid.uuid4())
    old_english = forum.you_said_we_did.get().translation_key
    migration.forwards(apps, None)
    english, copied = YouSaidWeDid.objects.get(page=forum), YouSaidWeDid.objects.get(page=welsh)
    assert english.translation_key == copied.translation_key != old_english
    assert (english.locale.language_code, copied.locale.language_code) == ("en", "cy")
