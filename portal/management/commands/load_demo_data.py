import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Locale, Site

from portal.demo import content
from portal.demo.deprivation import load_demo_deprivation
from portal.neighbourhoods.models import Locality, Neighbourhood, Postcode
from portal.neighbourhoods.services import boundaries_changed
from portal.pages.models import (
    HomePage,
    NeighbourhoodIndexPage,
    NeighbourhoodPage,
    PortalSettings,
    StandardPage,
)

BOUNDARIES = Path(__file__).resolve().parents[2] / "demo" / "brent_neighbourhoods.json"


class Command(BaseCommand):
    help = (
        "Load a plausible demo borough (Brent's five neighbourhoods, pages, postcodes). "
        "Safe to run again: it updates what it created and leaves other content alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--users", action="store_true",
            help="Also create demo accounts for each role (refused unless DEBUG is on).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report, change nothing.")

    def handle(self, *args, users=False, dry_run=False, **options):
        if users and not settings.DEBUG:
            raise CommandError("Demo accounts have a published password; create them only "
                               "with DEBUG on (the dev settings).")
        with transaction.atomic():
            self.load(users)
            if dry_run:
                transaction.set_rollback(True)
                self.stdout.write(self.style.WARNING("Dry run: nothing was saved."))
                return
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if users:
            self.stdout.write(f"Demo accounts (password {content.DEMO_PASSWORD}):")
            for email, *_ in content.DEMO_USERS:
                self.stdout.write(f"  {email}")

    def load(self, users):
        neighbourhoods = self.load_neighbourhoods()
        need = load_demo_deprivation()
        if not need.ok:
            raise CommandError("\n".join(need.messages))
        self.stdout.write(f"  {need.summary()}")
        home = self.home_page()
        index = self.neighbourhood_index(home)
        for neighbourhood, properties in neighbourhoods:
            self.neighbourhood_page(index, neighbourhood, properties)
        about = self.standard_page(home, "About the portal", "about", content.ABOUT_PAGE,
                                   in_menu=True)
        accessibility = self.standard_page(
            home, "Accessibility statement", "accessibility", content.ACCESSIBILITY_STATEMENT
        )
        privacy = self.standard_page(home, "Privacy notice", "privacy", content.PRIVACY_NOTICE)
        self.portal_settings(home, accessibility, privacy)
        self.postcodes()
        self.welsh_pages(home)
        if users:
            self.users()
        self.stdout.write(f"  {len(neighbourhoods)} neighbourhoods, pages under {home.url_path}"
                          f", about page {about.slug}")

    def load_neighbourhoods(self):
        document = json.loads(BOUNDARIES.read_text())
        brent, _ = Locality.objects.get_or_create(
            slug="brent", defaults={"name": "Brent", "code": "E09000005",
                                    "description": "The London Borough of Brent."},
        )
        loaded = []
        for feature in document["features"]:
            properties = feature["properties"]
            neighbourhood = Neighbourhood.objects.filter(code=properties["code"]).first()
            neighbourhood = neighbourhood or Neighbourhood(code=properties["code"])
            neighbourhood.name = properties["name"]
            neighbourhood.slug = neighbourhood.slug or slugify(properties["name"])
            neighbourhood.locality = brent
            neighbourhood.boundary = feature["geometry"]
            neighbourhood.population = properties["population"]
            neighbourhood.save()
            loaded.append((neighbourhood, properties))
        boundaries_changed()
        return loaded

    def home_page(self):
        site = Site.objects.get(is_default_site=True)
        home = site.root_page.specific
        if not isinstance(home, HomePage):
            raise CommandError("The default site's root page is not a portal home page.")
        home.title = "Have your say in your neighbourhood"
        home.introduction = content.HOME_INTRODUCTION
        home.save_revision().publish()
        return home

    def neighbourhood_index(self, home):
        index = NeighbourhoodIndexPage.objects.child_of(home).first()
        if index is None:
            index = NeighbourhoodIndexPage(title="Neighbourhoods", slug="neighbourhoods")
            home.add_child(instance=index)
        index.show_in_menus = True
        index.introduction = (
            "Brent has five neighbourhoods. Find yours to see what residents have said, "
            "what is on nearby and the plan for your area."
        )
        index.save_revision().publish()
        return index

    def neighbourhood_page(self, index, neighbourhood, properties):
        page = NeighbourhoodPage.objects.filter(neighbourhood=neighbourhood).first()
        if page is None:
            page = NeighbourhoodPage(title=neighbourhood.name, slug=neighbourhood.slug,
                                     neighbourhood=neighbourhood)
            index.add_child(instance=page)
        summary, description = content.NEIGHBOURHOOD_TEXT[neighbourhood.name]
        page.summary = summary
        page.description = description
        page.key_facts = [
            ("fact", {"label": "Residents", "value": f"{properties['population']:,}",
                      "source": "ONS mid-2015 estimates (IoD 2019)"}),
            ("fact", {"label": "Areas among England's 20% most deprived",
                      "value": f"{properties['lsoas_most_deprived_20pc']} of "
                               f"{properties['lsoa_count']}",
                      "source": "English Indices of Deprivation 2019, by LSOA"}),
            ("fact", {"label": "Wards", "value": str(len(properties["wards"])),
                      "source": ", ".join(properties["wards"])}),
        ]
        page.save_revision().publish()
        return page

    def standard_page(self, home, title, slug, blocks, in_menu=False):
        page = StandardPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            page = StandardPage(title=title, slug=slug)
            home.add_child(instance=page)
        page.show_in_menus = in_menu
        page.body = [
            ("heading", {"text": value, "level": "h2"}) if kind == "heading"
            else ("quote", {"quote": value, "attribution": "Brent neighbourhood forum"})
            if kind == "quote" else (kind, value)
            for kind, value in blocks
        ]
        page.save_revision().publish()
        return page

    def portal_settings(self, home, accessibility, privacy):
        site = Site.objects.get(root_page=home)
        portal_settings = PortalSettings.for_site(site)
        portal_settings.site_name = "Brent neighbourhoods"
        portal_settings.organisation_name = (
            "Brent Council with NHS North West London and Brent's voluntary sector"
        )
        portal_settings.contact_email = "neighbourhoods@example.org"
        portal_settings.accessibility_page = accessibility
        portal_settings.privacy_page = privacy
        portal_settings.save()

    def welsh_pages(self, home):
        """A Welsh page tree (copies titled in Welsh) for the pages that have no Welsh page yet,
        so the Welsh interface keeps its language as people browse even before
        `load_demo_translations` translates them through wagtail-localize. An existing Welsh
        page is left alone: a second run must not put English text back over a translation."""
        welsh, _ = Locale.objects.get_or_create(language_code="cy")
        for page in home.get_descendants(inclusive=True).live().specific():
            if page.get_translation_or_none(welsh) is not None:
                continue
            translation = page.copy_for_translation(welsh, copy_parents=True).specific
            translation.title = content.WELSH_TITLES.get(page.title, page.title)
            translation.show_in_menus = page.show_in_menus
            translation.save_revision().publish()

    def postcodes(self):
        for postcode, latitude, longitude in content.DEMO_POSTCODES:
            Postcode.objects.update_or_create(
                postcode=postcode, defaults={"latitude": latitude, "longitude": longitude}
            )

    def users(self):
        from allauth.account.models import EmailAddress
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        User = get_user_model()
        for email, first_name, last_name, group, is_superuser in content.DEMO_USERS:
            user = User.objects.filter(email=email).first() or User(email=email)
            user.first_name, user.last_name = first_name, last_name
            user.is_superuser = user.is_staff = is_superuser
            user.set_password(content.DEMO_PASSWORD)
            user.save()
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if group:
                user.groups.add(Group.objects.get(name=group))


