"""Welsh names for the asset categories, made through wagtail-localize (as a translator would
in the admin). Safe to run again: a category already translated is translated again in place."""

from django.conf import settings
from django.core.management.base import BaseCommand
from wagtail.models import Locale

from assets_map.categories import AssetCategory
from assets_map.category_translations import translate_category

# slug: Welsh name, for the categories seeded by assets_map.0002_categories_and_permissions.
WELSH = {
    "community-centre": "Canolfan gymunedol",
    "library": "Llyfrgell",
    "family-hub": "Hyb teulu",
    "health": "Iechyd",
    "school": "Ysgol",
    "faith-group": "Grŵp ffydd",
    "food-support": "Cymorth bwyd",
    "advice": "Cyngor",
    "green-space": "Man gwyrdd",
    "sport": "Chwaraeon a hamdden",
    "vcs-service": "Gwasanaeth gwirfoddol a chymunedol",
    "housing": "Tai",
    "youth": "Ieuenctid",
    "older-people": "Pobl hŷn",
}


class Command(BaseCommand):
    help = ("Translate the asset categories into Welsh through wagtail-localize "
            "(run it again: safe).")

    def handle(self, *args, **options):
        if "cy" not in dict(settings.WAGTAIL_CONTENT_LANGUAGES):
            self.stdout.write("Welsh is not offered on this site: categories left in English.")
            return
        welsh, _created = Locale.objects.get_or_create(language_code="cy")
        done = 0
        for category in AssetCategory.objects.filter(slug__in=WELSH).order_by("pk"):
            translate_category(category, welsh, WELSH[category.slug])
            done += 1
        self.stdout.write(f"Asset categories translated into Welsh: {done}.")
