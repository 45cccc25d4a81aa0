"""Welsh names and descriptions for the demo's themes, made through wagtail-localize."""

from django.conf import settings
from django.core.management.base import BaseCommand
from wagtail.models import Locale

from portal.themes.models import Theme
from portal.themes.translations import translate_theme

# slug: (Welsh name, Welsh description), for the themes seeded by themes.0002_seed_themes.
WELSH = {
    "housing": ("Tai", "Gorlenwi, cyflwr a chost cartrefi; lleithder a llwydni; atgyweirio."),
    "homelessness": ("Digartrefedd", "Perygl digartrefedd, llety dros dro a chysgu allan."),
    "financial-hardship": (
        "Caledi ariannol", "Costau byw, dyledion, cyngor ar fudd-daliadau a thlodi tanwydd."),
    "school-readiness": (
        "Parodrwydd ar gyfer yr ysgol a'r blynyddoedd cynnar",
        "Plant yn barod i ddysgu yn bump oed; canolfannau teulu, gofal plant a chymorth cynnar."),
    "mental-health": (
        "Iechyd meddwl", "Llesiant, gofid sy'n deillio o unigrwydd, a chael gafael ar gymorth."),
    "long-term-conditions": (
        "Cyflyrau hirdymor",
        "Diabetes, asthma, clefyd y galon a chyflyrau eraill a reolir yn y gymuned."),
    "air-quality": (
        "Ansawdd aer a'r amgylchedd",
        "Llygredd aer, pethau sy'n sbarduno asthma, mannau gwyrdd a strydoedd glân."),
    "community-safety": (
        "Diogelwch cymunedol", "Troseddu, ymddygiad gwrthgymdeithasol a theimlo'n ddiogel."),
    "social-isolation": (
        "Ynysigrwydd cymdeithasol", "Unigrwydd a chysylltiad, yn enwedig i bobl hŷn."),
    "employment-skills": (
        "Cyflogaeth a sgiliau", "Swyddi, hyfforddiant, prentisiaethau a dysgu oedolion."),
    "physical-activity": (
        "Gweithgarwch corfforol a phwysau iach",
        "Bod yn egnïol, pwysau iach, a chyfleoedd i chwarae a gwneud chwaraeon."),
    "food-insecurity": (
        "Ansicrwydd bwyd", "Banciau bwyd, bwyd fforddiadwy a newyn yn ystod gwyliau'r ysgol."),
    "access-to-health": (
        "Mynediad at wasanaethau iechyd",
        "Cael apwyntiad gyda meddyg teulu, fferyllfeydd a gwasanaethau iechyd cymunedol."),
    "digital-inclusion": ("Cynhwysiant digidol", "Dyfeisiau, data a sgiliau i fynd ar-lein."),
    "children-young-people": (
        "Plant a phobl ifanc", "Gwasanaethau ieuenctid, gweithgareddau a chymorth i deuluoedd."),
    "substance-misuse": (
        "Camddefnyddio sylweddau", "Niwed gan alcohol a chyffuriau, a llwybrau at driniaeth."),
}


class Command(BaseCommand):
    help = "Translate the demo's themes into Welsh through wagtail-localize (run it again: safe)."

    def handle(self, *args, **options):
        if "cy" not in dict(settings.WAGTAIL_CONTENT_LANGUAGES):
            self.stdout.write("Welsh is not offered on this site: themes left in English.")
            return
        welsh, _created = Locale.objects.get_or_create(language_code="cy")
        done = 0
        for theme in Theme.objects.filter(slug__in=WELSH):
            name, description = WELSH[theme.slug]
            translate_theme(theme, welsh, name, description)
            done += 1
        self.stdout.write(f"Themes translated into Welsh: {done}.")
