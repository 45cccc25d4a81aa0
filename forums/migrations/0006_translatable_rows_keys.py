# Written by hand for issue 13 (Part O): translatable child rows.
"""Fill the locale and translation_key of existing rows.

Each row gets its page's locale. A row of an original page (the first page, lowest pk, of its
translation_key family) gets a new uuid; a row of a translated copy gets the translation_key
of the original's row at the same place (sort_order), if both pages have as many rows, else a
new uuid."""

import uuid
from collections import defaultdict

from django.db import migrations
from django.db.models import Min

CHILD_MODELS = ["yousaidwedid"]
PARENT = "page_id"


def key_rows(model, page_model):
    """Fill locale and translation_key on every row of `model` (see the module docstring)."""
    rows_by_page = defaultdict(list)
    for row in model.objects.order_by("sort_order", "pk"):
        rows_by_page[getattr(row, PARENT)].append(row)
    pages = {page["pk"]: page for page in page_model.objects.filter(pk__in=rows_by_page)
             .values("pk", "translation_key", "locale_id")}
    originals = dict(page_model.objects
                     .filter(translation_key__in={p["translation_key"] for p in pages.values()})
                     .order_by().values("translation_key").annotate(first=Min("pk"))
                     .values_list("translation_key", "first"))

    def original_of(page_id):
        return originals[pages[page_id]["translation_key"]]

    for page_id in sorted(rows_by_page, key=lambda pk: (original_of(pk) != pk, pk)):
        rows, original = rows_by_page[page_id], original_of(page_id)
        source = rows_by_page.get(original, []) if original != page_id else []
        shared = len(source) == len(rows)
        for index, row in enumerate(rows):
            row.locale_id = pages[page_id]["locale_id"]
            row.translation_key = source[index].translation_key if shared else uuid.uuid4()
        model.objects.bulk_update(rows, ["locale_id", "translation_key"], batch_size=500)


def forwards(apps, schema_editor):
    page_model = apps.get_model("wagtailcore", "Page")
    for name in CHILD_MODELS:
        key_rows(apps.get_model("forums", name), page_model)


class Migration(migrations.Migration):

    dependencies = [("forums", "0005_translatable_rows")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
