"""Demo content for the asset map: run after load_demo_data. Idempotent (by external id)."""

import datetime
import io
import random

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from shapely.geometry import Point, shape

from assets_map import demo
from assets_map.audit import record_organisation
from assets_map.features import deferred_features, features_changed
from assets_map.importers import import_assets_csv
from assets_map.membership import join_vcs_group, register_organisation
from assets_map.models import (
    Asset,
    AssetCategory,
    AssetMapPage,
    AssetPhoto,
    JoinRequest,
    OpeningHours,
    Organisation,
    OrganisationMembership,
    Service,
)
from assets_map.moderation import submit_for_moderation
from assets_map.moderation_diff import json_safe
from assets_map.opendata import assets_changed
from assets_map.photos import store_photo
from assets_map.versions import save_draft, snapshot
from portal import spreadsheets
from portal.neighbourhoods.models import Neighbourhood
from portal.pages.models import HomePage
from portal.themes.models import Theme

DEMO_PASSWORD = "demo-portal-2026"
SEED = 2026
PER_NEIGHBOURHOOD = 28

# The 13 Brent rows of the LibrariesHacked / DCMS public libraries list (MIT; 2017 snapshot),
# in that list's own layout so they go through the real importer. Emails left out.
LIBRARY_COLUMNS = ["name", "id", "address", "postcode", "lat", "lng", "type", "closed",
                   "closed_year", "notes", "url"]
BRENT_LIBRARIES = [
    (
        "Barham Park", "206", "Unit 4, Barham Park, 660 Harrow Road, Wembley", "HA0 2HB",
        "51.5521326761337", "-0.311224635372571", "ICL", "", "",
        "Volunteer-run community library", "http://barhamlibrary.org/",
    ),
    (
        "Cricklewood", "207", "152 Olive Road, Cricklewood, London", "NW2 6UY",
        "51.5568267954285", "-0.227376737510293", "ICL", "", "",
        "Volunteer-led library run by Cricklewood Library Ltd",
        "http://cricklewoodlibrary.org.uk/",
    ),
    (
        "Ealing Road", "208", "Coronet Parade, Ealing Road, Wembley", "HA0 4BA",
        "51.5495540454228", "-0.297406348041719", "LAL", "", "", "Refurbished in 2012",
        "https://www.brent.gov.uk/services-for-residents/libraries/libraries-in-brent/ealing-road-library/",
    ),
    (
        "Harlesden", "209", "Craven Park Road, Harlesden, London", "NW108SE", "51.5386516954148",
        "-0.250539587531199", "LAL", "", "", "",
        "https://www.brent.gov.uk/services-for-residents/libraries/libraries-in-brent/harlesden-library/",
    ),
    (
        "Kensal Rise", "210", "Bathurst Gardens, London", "NW105JA", "51.5337999610167",
        "-0.22728216313596", "", "XL", "2011", "Closed by the council in 2011",
        "http://www.savekensalriselibrary.org/",
    ),
    (
        "Kilburn", "211", "42 Salusbury Road, Kilburn, London", "NW6 6NN", "51.5351147954122",
        "-0.205427191509857", "LAL", "", "", "Refurbished in 2012",
        "https://www.brent.gov.uk/services-for-residents/libraries/libraries-in-brent/kilburn-library/",
    ),
    (
        "Kingsbury", "212", "522 - 524 Kingsbury Road, Kingsbury, London", "NW9 9HE",
        "51.5860224913622", "-0.276450791718706", "LAL", "", "", "",
        "https://www.brent.gov.uk/services-for-residents/libraries/libraries-in-brent/kingsbury-library/",
    ),
    (
        "Neasden", "213", "277 Neasden Lane, Neasden, London", "NW101QJ", "51.5598342954307",
        "-0.251501787519397", "", "XL", "2011",
        "The building reverted to its owners after the library closed", "",
    ),
    (
        "Preston", "214", "Carlton Avenue East, Wembley", "HA9 8PP", "51.5705915320238",
        "-0.296139669416252", "ICL", "", "", "Community library and hub with books and classes",
        "https://brentlibraries.wordpress.com/",
    ),
    (
        "Tokyngton", "215", "Monks Park, Wembley", "HA9 6JE", "51.5481776446978",
        "-0.271809310691781", "", "XL", "2011", "", "",
    ),
    (
        "Town Hall", "216", "Brent Town Hall, Forty Lane, Wembley", "HA9 9HP", "51.5673937885564",
        "-0.274226277078009", "", "XLR", "2013",
        "Closed when Wembley Library opened in the Civic Centre", "",
    ),
    (
        "Wembley", "217", "Brent Civic Centre, Engineers Way, Wembley", "HA9 0FJ",
        "51.5587593954298", "-0.280935387533301", "LAL", "", "", "",
        "https://www.brent.gov.uk/services-for-residents/libraries/libraries-in-brent/wembley-library/",
    ),
    (
        "Willesden Green", "218", "95 High Road, Willesden, London", "NW102SF",
        "51.5465193454207", "-0.228841062638029", "LAL", "", "", "",
        "https://www.brent.gov.uk/your-council/the-library-at-willesden-green/",
    ),
]

# The independent community libraries (type ICL in the list), run by volunteers.
COMMUNITY_LIBRARIES = {"library:206", "library:207", "library:214"}

ORGANISATIONS = [
    # name, description, charity number, website
    ("Citizens Advice Brent", "Free, confidential advice on benefits, debt, housing and work, "
     "at drop-ins across the borough and by phone.", "1077146",
     "https://www.citizensadvice.org.uk/"),
    ("Brent Housing Options", "The council's housing advice and homelessness prevention team.",
     "", "https://www.brent.gov.uk/"),
    ("North West London Social Prescribers", "Link workers who connect people with local "
     "activities and support for their health and wellbeing.", "", ""),
    ("Harlesden Community Trust", "A resident-led charity running the community centres, "
     "a coffee morning and classes in Harlesden since 1998.", "1100001", ""),
    ("Brent Food Network", "Food banks, pantries and community fridges across Brent, run "
     "with churches, mosques, temples and schools.", "1100002", ""),
    ("Kilburn Family Partnership", "Play, parenting and early-years support for families, "
     "working with Brent's family hubs.", "1100003", ""),
    ("Wembley Youth Collective", "Youth clubs, sport and mentoring for young people in "
     "Wembley and beyond.", "1100004", ""),
    ("Kingsbury Older People's Forum", "Lunch clubs, befriending and trips for older "
     "residents.", "1100005", ""),
    ("Brent Libraries", "The council's library service.", "", "https://www.brent.gov.uk/"),
]

HUBS = {
    # library external id -> (partners, services offered by partners)
    "library:209": (["Citizens Advice Brent", "Brent Housing Options",
                     "North West London Social Prescribers"],
                    [("Citizens Advice Brent", "Citizens Advice drop-in",
                      "Everyone", "Free", "Tuesdays and Thursdays, drop in"),
                     ("Brent Housing Options", "Housing advice surgery",
                      "Brent residents", "Free", "Book at the front desk"),
                     ("North West London Social Prescribers", "Social prescribing",
                      "Adults referred by a GP or self-referral", "Free", "Ask at the desk")]),
    "library:218": (["Citizens Advice Brent", "Brent Food Network"],
                    [("Citizens Advice Brent", "Money advice", "Everyone", "Free", "Drop in"),
                     ("Brent Food Network", "Community fridge", "Everyone", "Free",
                      "Open library hours")]),
    "library:217": (["Brent Housing Options", "North West London Social Prescribers",
                     "Wembley Youth Collective"],
                    [("Brent Housing Options", "Housing and homelessness advice",
                      "Brent residents", "Free", "Customer services desk"),
                     ("Wembley Youth Collective", "Homework club", "Ages 8 to 16", "Free",
                      "Drop in after school")]),
}
DEMO_MEMBERS = [
    # email, first name, organisation, role
    ("trust-owner@example.org", "Tayo", "Harlesden Community Trust", "owner"),
    ("trust-editor@example.org", "Esme", "Harlesden Community Trust", "editor"),
    ("foodbank@example.org", "Farah", "Brent Food Network", "owner"),
    ("vcs@example.org", "Vic", "Kilburn Family Partnership", "owner"),
]
# Someone waiting for Harlesden Community Trust's owners to answer their request to join.
DEMO_JOINER = ("volunteer@example.org", "Jamal", "Harlesden Community Trust",
               "I run the Saturday homework club at the hall and would like to keep its "
               "details up to date.")
# A group that registered itself and is waiting for an officer to verify it.
DEMO_NEW_GROUP = ("sewing@example.org", "Nia", "Stonebridge Sewing Circle", "",
                  "Stonebridge Sewing Circle at the Hillside Hub", (51.5436, -0.2736))
# Drawn (not downloaded) pictures for the hubs' galleries: (alt text, caption, scene).
HUB_PHOTOS = [
    ("The library's glass front with its main entrance and a ramp beside the steps",
     "The entrance", "front"),
    ("Tables and computers in the library's bright reading room", "The reading room",
     "inside"),
    ("A noticeboard of the services that work from the hub", "", "board"),
]


def libraries_csv() -> bytes:
    return spreadsheets.write_csv(BRENT_LIBRARIES, LIBRARY_COLUMNS).encode()


class Command(BaseCommand):
    help = "Load the asset map demo: the map page, ~150 Brent assets, 3 hubs, organisations."

    def add_arguments(self, parser):
        parser.add_argument("--users", action="store_true",
                            help="Also create demo organisation members (DEBUG only).")

    def handle(self, *args, users=False, **options):
        if users and not settings.DEBUG:
            raise CommandError("Demo logins are only created with DEBUG on (the dev settings).")
        neighbourhoods = list(Neighbourhood.objects.order_by("code"))
        if not neighbourhoods:
            raise CommandError("Run load_demo_data first: there are no neighbourhoods.")
        with transaction.atomic(), deferred_features():
            page = self.page()
            organisations = self.organisations()
            report = import_assets_csv(libraries_csv())
            for line in report.lines():
                self.stdout.write(f"  libraries: {line}")
            libraries = Asset.objects.filter(external_id__startswith="library:")
            libraries.update(organisation=organisations["Brent Libraries"])
            features_changed(libraries.values_list("pk", flat=True))  # update() sends no signal
            self.hubs(organisations)
            self.library_hours()
            for library in Asset.objects.published().filter(external_id__startswith="library:",
                                                            services__isnull=True):
                Service.objects.create(asset=library, organisation=library.organisation,
                                       name="Library lending and computers",
                                       eligibility="Everyone", cost="Free",
                                       how_to_access="Drop in")
            count = self.generated(neighbourhoods, organisations)
            self.hub_photos()
            if users:
                self.members(organisations)
                self.join_request(organisations)
                self.unverified_organisation()
                self.pending_edit(organisations)
        assets_changed()
        self.stdout.write(self.style.SUCCESS(
            f"Asset map at {page.url}: {Asset.objects.published().count()} published assets "
            f"({count} generated), {Asset.objects.filter(is_hub=True).count()} hubs."))
        if users:
            emails = ", ".join([email for email, *_ in DEMO_MEMBERS]
                               + [DEMO_JOINER[0], DEMO_NEW_GROUP[0]])
            self.stdout.write(f"Organisation logins (password {DEMO_PASSWORD}): {emails}")

    def page(self):
        page = AssetMapPage.objects.filter(locale__language_code="en").first()
        if page is None:
            page = self.english_page()
        # Its Welsh page comes from load_demo_translations (wagtail-localize), not a copy.
        return page

    def english_page(self):
        home = HomePage.objects.filter(locale__language_code="en").first() or \
            HomePage.objects.first()
        page = AssetMapPage(
            title="Community assets", slug="community-assets", show_in_menus=True,
            introduction="Libraries, community centres, food support, advice, hubs and more, "
                         "registered by local organisations and checked by the council.")
        home.add_child(instance=page)
        page.save_revision().publish()
        return page

    def organisations(self):
        found = {}
        for name, description, charity, website in ORGANISATIONS:
            details = {"name": name, "description": description, "charity_number": charity,
                       "website": website, "public_phone": demo.ORGANISATION_PHONES[name]}
            found[name], _ = Organisation.objects.update_or_create(
                external_id=f"demo:{name}", defaults=details,
                create_defaults={**details, "verified_at": timezone.now()})
        return found

    def unverified_organisation(self):
        """A group that registered itself, with an asset waiting for an officer, who
        verifies the group when approving it (the moderation queue shows both)."""
        email, first_name, name, charity, asset_name, at = DEMO_NEW_GROUP
        if Organisation.objects.filter(external_id=f"demo:{name}").exists():
            return
        owner = self.demo_user(email, first_name)
        organisation = register_organisation(
            Organisation(name=name, charity_number=charity, external_id=f"demo:{name}",
                         description="Volunteers teaching sewing and mending, weekly."),
            owner)
        asset = Asset.objects.create(
            name=asset_name, organisation=organisation, latitude=at[0], longitude=at[1],
            category=AssetCategory.objects.get(slug="community-centre"), created_by=owner,
            summary="Sewing and mending sessions on Wednesday evenings.",
            description="Bring something to mend or start a first project: machines, thread "
                        "and fabric are provided, and beginners are very welcome.",
            address="Hillside Hub, Hillside, London NW10", public_phone="07700 900871")
        self._hours(asset, [(2, "18:30", "20:30")])
        submit_for_moderation(asset, owner)

    def pending_edit(self, organisations):
        """An edit of a published food bank by its organisation, waiting for an officer
        (the review screen shows what it changes), once."""
        asset = (Asset.objects.published().filter(organisation=organisations[
            "Brent Food Network"], name__endswith="Food Bank").order_by("external_id").first())
        owner = get_user_model().objects.filter(email=DEMO_MEMBERS[2][0]).first()
        if asset is None or owner is None or asset.submissions.exists():
            return
        data = json_safe(snapshot(asset))
        data["fields"]["summary"] = asset.summary + " Now with a community fridge on Fridays."
        data["hours"] = data["hours"] + [[5, "10:00", "12:00"]]
        save_draft(asset, data, owner)
        submit_for_moderation(asset, owner)

    def hubs(self, organisations):
        today = timezone.localdate()
        for external_id, (partners, offered) in HUBS.items():
            asset = Asset.objects.get(external_id=external_id)
            asset.is_hub = True
            asset.summary = "A library hub: " + ", ".join(partners) + " work from here."
            asset.step_free_access = asset.accessible_toilet = asset.hearing_loop = True
            asset.last_verified = today - datetime.timedelta(days=30)
            asset.save()
            asset.colocated_organisations.set([organisations[name] for name in partners])
            asset.themes.set(Theme.objects.filter(slug__in=[
                "housing", "financial-hardship", "mental-health", "social-isolation"]))
            asset.services.all().delete()
            Service.objects.bulk_create([
                Service(asset=asset, organisation=organisations[provider], name=name,
                        eligibility=who, cost=cost, how_to_access=how, sort_order=index,
                        description=f"{name} at {asset.name}.")
                for index, (provider, name, who, cost, how) in enumerate(offered)
            ] + [Service(asset=asset, organisation=organisations["Brent Libraries"],
                         name="Library lending and computers", eligibility="Everyone",
                         cost="Free", how_to_access="Drop in", sort_order=len(offered))])
            self._hours(asset, [(day, "09:00", "20:00") for day in range(6)])

    def library_hours(self):
        """Opening hours for the open libraries that are not hubs (the hubs get theirs in
        `hubs`): council libraries open seven days, community libraries five."""
        for library in Asset.objects.published().filter(external_id__startswith="library:",
                                                        is_hub=False, opening_hours__isnull=True):
            if library.external_id in COMMUNITY_LIBRARIES:
                self._hours(library, [(day, "10:00", "16:00") for day in range(1, 6)])
                library.hours_notes = "Run by volunteers: check before a long journey."
                library.save(update_fields=["hours_notes", "updated_at"])
            else:
                self._hours(library, [(day, "09:00", "20:00") for day in range(5)]
                            + [(5, "09:00", "17:00"), (6, "12:00", "17:00")])

    def generated(self, neighbourhoods, organisations) -> int:
        rng = random.Random(SEED)
        categories = {c.slug: c for c in AssetCategory.objects.all()}
        themes = {t.slug: t for t in Theme.objects.all()}
        today = timezone.localdate()
        count = 0
        for neighbourhood in neighbourhoods:
            polygon = shape(neighbourhood.boundary)
            min_x, min_y, max_x, max_y = polygon.bounds
            area = neighbourhood.name.split(" ")[0]
            streets = demo.STREETS.get(neighbourhood.code, demo.STREETS["BRENT-HARLESDEN"])
            taken = set()
            for number in range(PER_NEIGHBOURHOOD):
                kind = demo.KINDS[number % len(demo.KINDS)]
                while True:
                    lng, lat = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
                    if polygon.contains(Point(lng, lat)):
                        break
                name = demo.asset_name(kind, area, streets, taken, rng)
                taken.add(name)
                phone = demo.phone_number(kind, count)
                asset, _ = Asset.objects.update_or_create(
                    external_id=f"demo:{neighbourhood.code}:{number}", defaults={
                        "name": name, "category": categories[kind.category],
                        "organisation": self._runner(kind, area, organisations),
                        "summary": kind.summary, "description": kind.description,
                        "address": f"{rng.randint(1, 250)} {rng.choice(streets)}, London "
                                   f"{demo.POSTCODE_AREA.get(neighbourhood.code, '')}".strip(),
                        "latitude": round(lat, 6), "longitude": round(lng, 6),
                        "status": Asset.PUBLISHED, "public_phone": phone,
                        "hours_notes": kind.hours_notes,
                        "last_verified": today - datetime.timedelta(days=rng.randint(5, 600)),
                        "step_free_access": rng.random() < 0.6,
                        "accessible_toilet": rng.random() < 0.4,
                        "hearing_loop": rng.random() < 0.2, "bsl": rng.random() < 0.1,
                        "languages": rng.choice(kind.languages),
                    })
                asset.themes.set([themes[s] for s in kind.themes if s in themes])
                asset.services.all().delete()
                for index, (service, who, cost, how) in enumerate(kind.services):
                    Service.objects.create(asset=asset, name=service, eligibility=who,
                                           cost=cost, how_to_access=how.format(phone=phone),
                                           sort_order=index)
                self._hours(asset, [(day, opens, closes) for days, opens, closes in kind.hours
                                    for day in days])
                count += 1
        return count

    @staticmethod
    def _runner(kind, area, organisations):
        """The demo organisation that runs an asset of this kind here (Harlesden Community
        Trust only runs the community centres in Harlesden)."""
        if not kind.organisation or (kind.organisation == "Harlesden Community Trust"
                                     and area != "Harlesden"):
            return None
        return organisations[kind.organisation]

    def _hours(self, asset, periods):
        asset.opening_hours.all().delete()
        OpeningHours.objects.bulk_create([
            OpeningHours(asset=asset, weekday=day, opens=datetime.time.fromisoformat(opens),
                         closes=datetime.time.fromisoformat(closes))
            for day, opens, closes in periods])

    def demo_user(self, email, first_name):
        User = get_user_model()
        user = User.objects.filter(email=email).first() or User(email=email)
        user.first_name = first_name
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True})
        return user

    def members(self, organisations):
        for email, first_name, organisation_name, role in DEMO_MEMBERS:
            user = self.demo_user(email, first_name)
            join_vcs_group(user)
            OrganisationMembership.objects.update_or_create(
                organisation=organisations[organisation_name], user=user,
                defaults={"role": role})

    def join_request(self, organisations):
        """A pending request to join, for the trust's owner to answer."""
        email, first_name, organisation_name, message = DEMO_JOINER
        user = self.demo_user(email, first_name)
        organisation = organisations[organisation_name]
        if not organisation.memberships.filter(user=user).exists() and \
                not organisation.join_requests.pending().filter(user=user).exists():
            JoinRequest.objects.create(organisation=organisation, user=user, message=message)
            record_organisation(organisation, user, "join requested", subject_user=user)

    def hub_photos(self):
        """Give the hubs a small gallery of pictures drawn here (no downloads), once."""
        for external_id in HUBS:
            asset = Asset.objects.get(external_id=external_id)
            if asset.photos.exists():
                continue
            for index, (alt, caption, scene) in enumerate(HUB_PHOTOS):
                upload = SimpleUploadedFile(f"{asset.slug}-{scene}.png",
                                            draw_scene(scene, index + len(asset.name)),
                                            "image/png")
                image = store_photo(upload, alt, f"{asset.name}: {caption or alt}")
                AssetPhoto.objects.create(asset=asset, image=image, alt_text=alt,
                                          caption=caption, sort_order=index)


def draw_scene(scene: str, seed: int) -> bytes:
    """A simple illustration (PNG) of a library hub: its front, its reading room or its
    noticeboard, drawn with Pillow."""
    rng = random.Random(seed)
    width, height = 800, 500
    image = Image.new("RGB", (width, height), "#cfe3f3")
    draw = ImageDraw.Draw(image)
    if scene == "front":
        draw.rectangle([0, 400, width, height], fill="#8a8f94")
        draw.rectangle([120, 140, 680, 400], fill="#d8cbb3", outline="#5b4e3a", width=4)
        draw.rectangle([100, 110, 700, 145], fill="#6f2c91")
        for column in range(5):
            x = 150 + column * 105
            draw.rectangle([x, 180, x + 70, 300], fill="#9cc3e0", outline="#34495e", width=3)
        draw.rectangle([360, 310, 440, 400], fill="#1d70b8", outline="#0b0c0c", width=3)
        draw.polygon([(440, 400), (560, 400), (440, 370)], fill="#b1b4b6")
        for tree in (40, 740):
            draw.rectangle([tree - 6, 320, tree + 6, 400], fill="#5b3a1e")
            draw.ellipse([tree - 40, 250, tree + 40, 340], fill="#00703c")
    elif scene == "inside":
        image.paste("#f4f1e8", [0, 0, width, height])
        draw.rectangle([0, 380, width, height], fill="#b58b5a")
        for shelf in range(3):
            y = 60 + shelf * 70
            draw.rectangle([40, y, 760, y + 10], fill="#6b4f2c")
            x = 50
            while x < 740:
                book = rng.randint(14, 26)
                colour = rng.choice(["#d4351c", "#1d70b8", "#00703c", "#f47738", "#6f2c91"])
                draw.rectangle([x, y - rng.randint(35, 55), x + book, y], fill=colour)
                x += book + 3
        for table in (140, 480):
            draw.rectangle([table, 320, table + 200, 335], fill="#6b4f2c")
            draw.rectangle([table + 60, 270, table + 140, 318], fill="#0b0c0c")
            draw.rectangle([table + 66, 276, table + 134, 312], fill="#5694ca")
    else:
        image.paste("#e9e2d0", [0, 0, width, height])
        draw.rectangle([80, 50, 720, 450], fill="#b58b5a", outline="#6b4f2c", width=8)
        for row in range(3):
            for column in range(3):
                x, y = 110 + column * 200, 80 + row * 120
                colour = rng.choice(["#ffffff", "#fff7bf", "#d2e2f1", "#cce2d8"])
                draw.rectangle([x, y, x + 170, y + 95], fill=colour, outline="#505a5f")
                for line in range(4):
                    draw.line([x + 12, y + 18 + line * 18, x + 150, y + 18 + line * 18],
                              fill="#505a5f", width=3)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
