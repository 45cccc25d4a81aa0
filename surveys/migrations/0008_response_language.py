"""Responses record their language, and every translation's answers pool into the original.

Before wagtail-localize, a translated survey page (a copy with the same translation_key) kept
its own responses. They move to the family's first page, each answer to the question and
option with the same stable key there, so results count every language together.
"""

from django.db import migrations, models


def pool_translated_responses(apps, schema_editor):
    SurveyPage = apps.get_model("surveys", "SurveyPage")
    Response = apps.get_model("surveys", "Response")
    Answer = apps.get_model("surveys", "Answer")
    Question = apps.get_model("surveys", "Question")
    Option = apps.get_model("surveys", "Option")
    first_of_family = {}
    for page in SurveyPage.objects.order_by("pk").values("pk", "translation_key",
                                                         "locale__language_code"):
        pooled = first_of_family.setdefault(page["translation_key"], page["pk"])
        Response.objects.filter(survey_id=page["pk"]).update(
            language=page["locale__language_code"])
        if pooled == page["pk"] or not Response.objects.filter(survey_id=page["pk"]).exists():
            continue
        questions = dict(Question.objects.filter(survey_id=pooled).values_list("key", "pk"))
        options = {(q, key): pk for q, key, pk in Option.objects.filter(
            question__survey_id=pooled).values_list("question_id", "key", "pk")}
        for response in Response.objects.filter(survey_id=page["pk"]):
            answers = list(Answer.objects.filter(response=response).select_related(
                "question", "option"))
            # A question only the translation had keeps the whole response where it was.
            if any(a.question.key not in questions for a in answers):
                continue
            for answer in answers:
                answer.question_id = questions[answer.question.key]
                answer.survey_id = pooled
                if answer.option_id is not None:
                    answer.option_id = options.get((answer.question_id, answer.option.key),
                                                   answer.option_id)
                answer.save(update_fields=["question", "option", "survey"])
            response.survey_id = pooled
            response.save(update_fields=["survey"])


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0007_skip_conditions_by_id_and_grids'),
    ]

    operations = [
        migrations.AddField(
            model_name='response',
            name='language',
            field=models.CharField(blank=True, default='', max_length=12, verbose_name='language'),
        ),
        migrations.RunPython(pool_translated_responses, migrations.RunPython.noop),
    ]
