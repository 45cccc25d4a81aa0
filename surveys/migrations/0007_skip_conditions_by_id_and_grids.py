"""Skip conditions by id (issue 17): conditions that held the wording of an earlier question
and option now hold their block ids, in each survey page and in each of its revisions; and the
statement grid block. A condition whose wording matches nothing is left as it was: publishing
then names it as broken, so nothing changes silently."""

import json

import wagtail.fields
from django.db import migrations

CHOICE_TYPES = ("single_choice", "multiple_choice")


def conditions_to_ids(sections: list) -> bool:
    """Rewrite wording-based conditions in raw section data as ids; True if anything changed."""
    earlier, changed = [], False  # earlier: (section, id, wording, {option wording: id})
    for number, section in enumerate(sections or []):
        for child in section.get("value", {}).get("questions") or []:
            value = child.get("value") or {}
            question, answer = value.get("show_if_question"), value.get("show_if_answer")
            if question and answer and not any(question == key for _n, key, _w, _o in earlier):
                match = _match(earlier, number, question, answer)
                if match:
                    value["show_if_question"], value["show_if_answer"] = match
                    changed = True
            if child.get("type") in CHOICE_TYPES and child.get("id"):
                options = {(item.get("value") or {}).get("label", "").strip().casefold():
                           item.get("id") for item in value.get("options") or []}
                earlier.append((number, child["id"], (value.get("question") or "").strip()
                                .casefold(), options))
    return changed


def _match(earlier, number, question, answer):
    for section, key, wording, options in earlier:
        if section < number and wording == question.strip().casefold():
            option = options.get(answer.strip().casefold())
            return (key, option) if option else None
    return None


def forwards(apps, schema_editor):
    SurveyPage = apps.get_model("surveys", "SurveyPage")
    Revision = apps.get_model("wagtailcore", "Revision")
    for page in SurveyPage.objects.all():
        raw = [dict(item) for item in page.sections.raw_data]
        if conditions_to_ids(raw):
            page.sections = raw
            page.save(update_fields=["sections"])
    page_ids = [str(pk) for pk in SurveyPage.objects.values_list("pk", flat=True)]
    for revision in Revision.objects.filter(object_id__in=page_ids,
                                            content__has_key="sections"):
        content = revision.content
        stored = content.get("sections")
        raw = json.loads(stored) if isinstance(stored, str) else stored
        if isinstance(raw, list) and conditions_to_ids(raw):
            content["sections"] = json.dumps(raw) if isinstance(stored, str) else raw
            Revision.objects.filter(pk=revision.pk).update(content=content)


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0006_paper_entry'),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='surveypage',
            name='sections',
            field=wagtail.fields.StreamField([('section', 41)], block_lookup={0: ('wagtail.blocks.CharBlock', (), {'label': 'Section title', 'max_length': 200}), 1: ('wagtail.blocks.TextBlock', (), {'label': 'Introduction', 'required': False}), 2: ('wagtail.blocks.CharBlock', (), {'label': 'Question', 'max_length': 300}), 3: ('wagtail.blocks.CharBlock', (), {'label': 'Help text', 'max_length': 300, 'required': False}), 4: ('wagtail.blocks.BooleanBlock', (), {'default': True, 'label': 'Answer required', 'required': False}), 5: ('wagtail.snippets.blocks.SnippetChooserBlock', ('themes.Theme',), {'label': 'Theme', 'required': False}), 6: ('wagtail.blocks.CharBlock', (), {'form_classname': 'w-hidden', 'label': 'Condition: earlier question', 'max_length': 300, 'required': False}), 7: ('wagtail.blocks.CharBlock', (), {'form_classname': 'w-hidden', 'label': 'Condition: answer to the earlier question', 'max_length': 200, 'required': False}), 8: ('wagtail.blocks.CharBlock', (), {'label': 'Option', 'max_length': 200}), 9: ('wagtail.snippets.blocks.SnippetChooserBlock', ('themes.Theme',), {'help_text': 'Tag this option with a theme so it counts as evidence for priorities.', 'label': 'Theme', 'required': False}), 10: ('wagtail.blocks.StructBlock', [[('label', 8), ('theme', 9)]], {}), 11: ('wagtail.blocks.ListBlock', (10,), {'label': 'Options', 'min_num': 2}), 12: ('wagtail.blocks.StructBlock', [[('question', 2), ('help_text', 3), ('required', 4), ('theme', 5), ('show_if_question', 6), ('show_if_answer', 7), ('options', 11)]], {}), 13: ('wagtail.blocks.IntegerBlock', (), {'label': 'Fewest choices', 'min_value': 0, 'required': False}), 14: ('wagtail.blocks.IntegerBlock', (), {'label': 'Most choices', 'min_value': 1, 'required': False}), 15: ('wagtail.blocks.StructBlock', [[('question', 2), ('help_text', 3), ('required', 4), ('theme', 5), ('show_if_question', 6), ('show_if_answer', 7), ('options', 11), ('min_choices', 13), ('max_choices', 14)]], {}), 16: ('wagtail.blocks.StructBlock', [[('question', 2), ('help_text', 3), ('required', 4), ('theme', 5), ('show_if_question', 6), ('show_if_answer', 7)]], {}), 17: ('wagtail.blocks.CharBlock', (), {'label': 'Statement', 'max_length': 300}), 18: ('wagtail.snippets.blocks.SnippetChooserBlock', ('themes.Theme',), {'help_text': "Leave empty to use the grid's theme.", 'label': 'Theme', 'required': False}), 19: ('wagtail.blocks.StructBlock', [[('statement', 17), ('theme', 18)]], {}), 20: ('wagtail.blocks.ListBlock', (19,), {'label': 'Statements', 'min_num': 0}), 21: ('wagtail.blocks.StructBlock', [[('question', 2), ('help_text', 3), ('required', 4), ('theme', 5), ('show_if_question', 6), ('show_if_answer', 7), ('statements', 20)]], {}), 22: ('wagtail.blocks.ListBlock', (10,), {'label': 'Options to rank', 'min_num': 2}), 23: ('wagtail.blocks.IntegerBlock', (), {'default': 3, 'help_text': 'People put this many options in order: 1 for the most important.', 'label': 'How many to rank', 'min_value': 1}), 24: ('wagtail.blocks.StructBlock', [[('question', 2), ('help_text', 3), ('required', 4), ('theme', 5), ('show_if_question', 6), ('show_if_answer', 7), ('options', 22), ('rank_count', 23)]], {}), 25: ('wagtail.blocks.BooleanBlock', (), {'default': False, 'label': 'Long answer', 'required': False}), 26: ('wagtail.blocks.IntegerBlock', (), {'default': 500, 'label': 'Most characters', 'max_value': 10000, 'min_value': 1}), 27: ('wagtail.blocks.StructBlock', [[('question', 2), ('help_text', 3), ('required', 4), ('theme', 5), ('show_if_question', 6), ('show_if_answer', 7), ('long', 25), ('max_length', 26)]], {}), 28: ('wagtail.blocks.IntegerBlock', (), {'label': 'Smallest', 'required': False}), 29: ('wagtail.blocks.IntegerBlock', (), {'label': 'Largest', 'required': False}), 30: ('wagtail.blocks.StructBlock', [[('question', 2), ('help_text', 3), ('required', 4), ('theme', 5), ('show_if_question', 6), ('show_if_answer', 7), ('min_value', 28), ('max_value', 29)]], {}), 31: ('wagtail.blocks.CharBlock', (), {'label': 'Place name', 'max_length': 200}), 32: ('wagtail.blocks.FloatBlock', (), {'help_text': 'For example 51.5365', 'label': 'Latitude', 'max_value': 90, 'min_value': -90}), 33: ('wagtail.blocks.FloatBlock', (), {'help_text': 'For example -0.2487', 'label': 'Longitude', 'max_value': 180, 'min_value': -180}), 34: ('wagtail.blocks.StructBlock', [[('name', 31), ('latitude', 32), ('longitude', 33)]], {}), 35: ('wagtail.blocks.ListBlock', (34,), {'help_text': "Places people can choose from a list instead of using the map, for example parks, stations or buildings. The survey's neighbourhoods are always listed too.", 'label': 'Named places', 'min_num': 0}), 36: ('wagtail.blocks.BooleanBlock', (), {'default': True, 'label': 'Let people enter a postcode', 'required': False}), 37: ('wagtail.blocks.StructBlock', [[('question', 2), ('help_text', 3), ('required', 4), ('theme', 5), ('show_if_question', 6), ('show_if_answer', 7), ('places', 35), ('allow_postcode', 36)]], {}), 38: ('wagtail.blocks.TextBlock', (), {'default': 'These questions help us check that we hear from everyone. Every question is optional and your answers are kept separately from your other answers.', 'label': 'Introduction', 'required': False}), 39: ('wagtail.blocks.StructBlock', [[('introduction', 38)]], {}), 40: ('wagtail.blocks.StreamBlock', [[('single_choice', 12), ('multiple_choice', 15), ('likert', 16), ('statement_grid', 21), ('ranking', 24), ('text', 27), ('number', 30), ('where_you_live', 16), ('map_pin', 37), ('equality', 39)]], {'label': 'Questions', 'min_num': 1}), 41: ('wagtail.blocks.StructBlock', [[('title', 0), ('introduction', 1), ('questions', 40)]], {})}, verbose_name='questions'),
        ),
    ]
