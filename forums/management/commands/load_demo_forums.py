from datetime import datetime, time, timedelta

from django.utils import timezone

from forums.models import (
    ForumEventPage,
    ForumIndexPage,
    ForumVoteTally,
    OnlineVote,
    Registration,
    YouSaidWeDid,
)
from portal.demo.commands import DemoPagesCommand
from portal.demo.dates import meeting_day, season
from portal.extension_points import venues
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme

INDEX_INTRO = (
    "Neighbourhood forums are where residents, councillors, the NHS and local voluntary groups "
    "meet to agree what matters most in each neighbourhood. Come face to face at a library or "
    "community centre, or join online. Past forums show what was said and what was done."
)
AGENDA = [
    ("paragraph", "<ol><li>Welcome and what happened since the last forum</li>"
                  "<li>What the data says about our neighbourhood</li>"
                  "<li>Table discussions</li><li>Dot voting on priorities</li>"
                  "<li>Next steps and close</li></ol>"),
]
# The past forums' slugs end with this (older demos said "spring" whatever the date).
PAST = "previous"
# slug: (neighbourhood name, past forum, upcoming forum)
FORUMS = {
    "BRENT-HARLESDEN": {
        "venue": ("Harlesden Library Plus", "The Library Centre, Craven Park Road, London",
                  "NW10 8SE"),
        "past": {
            "format": ForumEventPage.IN_PERSON, "attendance": (46, None),
            "tallies": {"financial-hardship": 41, "homelessness": 35, "school-readiness": 27,
                        "housing": 22, "mental-health": 12, "community-safety": 9},
            "minutes": (
                "<p>46 residents met partners from the council, the NHS, Crisis and Sufra. "
                "Tables discussed the cost of living, temporary accommodation and support for "
                "families with young children.</p><h3>What people told us</h3><ul>"
                "<li>Debt and benefit advice is hard to reach without an appointment.</li>"
                "<li>Families in temporary accommodation move often and lose touch with "
                "nurseries and health visitors.</li><li>Parents want more free play and "
                "talk sessions before children start school.</li></ul>"
                "<p>The dot vote put financial hardship, homelessness risk and school "
                "readiness first: the priorities for Harlesden's integrated neighbourhood "
                "team.</p>"),
            "you_said": [
                ("financial-hardship", "Advice on debt and benefits should be available "
                 "without an appointment, close to home.",
                 "A weekly drop-in with debt advisors and Citizens Advice now runs at Harlesden "
                 "Library Plus on Tuesdays."),
                ("homelessness", "People at risk of losing their home find out about help "
                 "too late.", "The integrated team has a named case worker for each household "
                 "referred by a GP, school or housing officer."),
                ("school-readiness", "There are not enough stay-and-play sessions for families "
                 "in temporary accommodation.", ""),
            ],
        },
        "upcoming": {"format": ForumEventPage.HYBRID, "capacity": 6, "confirmed": 6,
                     "waiting": 2, "days": 12},
    },
    "BRENT-KILBURN": {
        "venue": ("Kilburn Library", "Salusbury Road, London", "NW6 6NN"),
        "past": {
            "format": ForumEventPage.ONLINE, "attendance": (None, 23),
            "online_votes": {"housing": 9, "mental-health": 7, "social-isolation": 6,
                             "air-quality": 5},
            "minutes": "<p>23 residents joined the virtual forum. Housing conditions and "
                       "loneliness among older residents came up most often.</p>",
            "you_said": [("social-isolation", "Older residents do not know what is on locally.",
                          "A printed what's-on guide now goes to every library and GP "
                          "surgery each month.")],
        },
        "upcoming": {"format": ForumEventPage.IN_PERSON, "capacity": 40, "confirmed": 3,
                     "days": 19},
    },
    "BRENT-WILLESDEN": {
        "venue": ("Willesden Green Library", "95 High Road, London", "NW10 2SF"),
        "past": {
            "format": ForumEventPage.IN_PERSON, "attendance": (31, None),
            "tallies": {"long-term-conditions": 24, "access-to-health": 19,
                        "mental-health": 15, "physical-activity": 8},
            "minutes": "<p>Residents and the diabetes team talked about getting "
                       "appointments and staying active.</p>",
            "you_said": [("long-term-conditions", "We want diabetes support near home.",
                          "A monthly diabetes clinic now runs in the library.")],
        },
        "upcoming": {"format": ForumEventPage.ONLINE, "capacity": None, "confirmed": 4,
                     "days": 8},
    },
    "BRENT-WEMBLEY": {
        "venue": ("Wembley Library, Brent Civic Centre", "32 Engineers Way, Wembley",
                  "HA9 0FJ"),
        "past": {
            "format": ForumEventPage.HYBRID, "attendance": (28, 14),
            "tallies": {"employment-skills": 21, "housing": 18, "air-quality": 11},
            "online_votes": {"employment-skills": 6, "digital-inclusion": 5},
            "minutes": "<p>A hybrid forum on jobs, skills and housing near the stadium.</p>",
            "you_said": [("employment-skills", "Young people need help into local jobs.",
                          "")],
        },
        "upcoming": {"format": ForumEventPage.IN_PERSON, "capacity": 60, "confirmed": 2,
                     "days": 26},
    },
    "BRENT-KINGSBURY-KENTON": {
        "venue": ("Kingsbury Community Centre", "Stag Lane, London", "NW9 9HE"),
        "past": {
            "format": ForumEventPage.IN_PERSON, "attendance": (19, None),
            "tallies": {"community-safety": 14, "social-isolation": 12,
                        "physical-activity": 7},
            "minutes": "<p>Residents asked for safer routes to the Welsh Harp and more "
                       "activities for older people.</p>",
            "you_said": [],
        },
        "upcoming": {"format": ForumEventPage.IN_PERSON, "capacity": 35, "confirmed": 3,
                     "days": 33},
    },
}


# Names for the demo's registrations, as a Brent attendance list might read.
RESIDENT_NAMES = [
    "Amina Hassan", "Tomasz Nowak", "Priya Patel", "Delroy Campbell", "Siobhan Murphy",
    "Kwame Mensah", "Fatima Ali", "Ana Ferreira", "Rajesh Shah", "Grace Okafor",
    "Maryam Ahmed", "Daniel Cohen", "Ioana Popescu", "Hussein Abdi", "Jasmine Clarke",
    "Nikhil Mehta", "Bernadette O'Neill", "Yusuf Osman", "Leah Williams", "Carlos Silva",
    "Halima Warsame", "Peter Kowalski", "Shanice Brown", "Arjun Kapoor", "Esther Mwangi",
    "Liam Gallagher", "Zainab Rahman", "Marcus Thompson", "Aisha Begum", "Victor Adeyemi",
]


def resident_name(number: int) -> str:
    """A plausible attendee's name for demo registration `number` (1-based)."""
    return RESIDENT_NAMES[(number - 1) % len(RESIDENT_NAMES)]


def at(days: int, hour: int) -> datetime:
    """About `days` from today (before it if negative), on the nearest Tuesday to Thursday
    that is not a bank holiday or in the Christmas and New Year break, at `hour`."""
    day = meeting_day(timezone.localdate() + timedelta(days=days), forwards=days >= 0)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


class Command(DemoPagesCommand):
    help = ("Load demo neighbourhood forums (run after load_demo_data): a past forum with "
            "minutes and votes and an upcoming one with registrations in each neighbourhood. "
            "Safe to run again: it updates what it created.")

    loaded_message = "Demo forums loaded: {result} forum pages."

    def load(self, home):
        index = ForumIndexPage.objects.child_of(home).first()
        if index is None:
            index = ForumIndexPage(title="Neighbourhood forums", slug="forums")
            home.add_child(instance=index)
        index.introduction = INDEX_INTRO
        index.show_in_menus = True
        index.save_revision().publish()
        themes = {theme.slug: theme for theme in Theme.objects.all()}
        self.hubs = self.hub_venues()
        pages = [index]
        for code, spec in FORUMS.items():
            neighbourhood = Neighbourhood.objects.filter(code=code).first()
            if neighbourhood is None:
                self.stdout.write(self.style.WARNING(f"  {code} is missing; skipped."))
                continue
            self.stdout.write(f"  {neighbourhood.name}")
            pages.append(self.past_forum(index, neighbourhood, spec, themes))
            pages.append(self.upcoming_forum(index, neighbourhood, spec))
        # The Welsh pages come from load_demo_translations (wagtail-localize), not copies.
        return len(pages) - 1

    @staticmethod
    def hub_venues():
        """Hubs offered by a venue provider (the asset map, when its demo is loaded). Providers
        list hubs first, so stop at the first venue that is not one."""
        hubs = []
        for key, _label in venues.choices():
            venue = venues.find(key)
            if venue is None or not venue.is_hub:
                break
            hubs.append(venue)
        return hubs

    def hub_for(self, venue_name):
        """A hub in the same place as the demo venue (same first word, e.g. "Harlesden")."""
        place = (venue_name.split() or [""])[0].lower()
        return next((hub for hub in self.hubs
                     if (hub.name.split() or ["?"])[0].lower() == place), None)

    def event(self, index, slug, neighbourhood, spec, format_, start, hours=2):
        page = ForumEventPage.objects.child_of(index).filter(slug=slug).first()
        if page is None and slug.endswith(PAST):  # made by an older demo: give it the new slug
            page = ForumEventPage.objects.child_of(index).filter(
                slug=slug.replace(PAST, "spring")).first()
            if page is not None:
                page.slug = slug
        if page is None:
            page = ForumEventPage(slug=slug)
        elif page.has_unpublished_changes:
            page = page.get_latest_revision_as_object()
        page.neighbourhoods = [neighbourhood]
        page.start, page.end, page.format = start, start + timedelta(hours=hours), format_
        name, address, postcode = spec["venue"]
        in_person = format_ != ForumEventPage.ONLINE
        page.venue_name = name if in_person else ""
        page.venue_address = address if in_person else ""
        page.venue_postcode = postcode if in_person else ""
        page.venue_latitude = page.venue_longitude = None
        hub = self.hub_for(name) if in_person else None
        page.venue_key = hub.key if hub else ""
        if hub:
            page.copy_venue(hub)
        page.joining_link = ("https://meet.example.org/brent-" + neighbourhood.slug
                             if format_ != ForumEventPage.IN_PERSON else "")
        page.joining_instructions = ("Meeting ID 845 2211 0093, passcode BRENT. To join by "
                                     "phone, dial 020 7946 0870 and enter the meeting ID."
                                     if page.joining_link else "")
        page.step_free_access = page.hearing_loop = in_person
        page.interpreters_on_request = page.bsl_on_request = True
        page.childcare = neighbourhood.code == "BRENT-HARLESDEN"
        page.accessibility_notes = (
            "Ask for an interpreter (including British Sign Language) when you register, at "
            "least five working days before the forum.")
        page.agenda = AGENDA
        return page

    @staticmethod
    def publish(index, page):
        if page.pk is None:
            index.add_child(instance=page)
        page.save_revision().publish()

    def past_forum(self, index, neighbourhood, spec, themes):
        past = spec["past"]
        start = at(-45, 18)
        page = self.event(index, f"{neighbourhood.slug}-forum-{PAST}", neighbourhood, spec,
                          past["format"], start)
        page.title = (f"{neighbourhood.name} neighbourhood forum: "
                      f"{season(start.date())} {start.year}")
        page.summary = (f"Residents and partners in {neighbourhood.name} agreed the "
                        "neighbourhood's priorities.")
        page.minutes = past["minutes"]
        page.attendance_in_person, page.attendance_online = past["attendance"]
        page.online_voting_open = False
        page.vote_tallies = [ForumVoteTally(theme=themes[slug], dots=dots)
                             for slug, dots in past.get("tallies", {}).items()]
        page.you_said_we_did = [YouSaidWeDid(theme=themes[slug], you_said=said, we_did=did)
                                for slug, said, did in past["you_said"]]
        self.publish(index, page)
        self.online_votes(page, past.get("online_votes", {}), themes)
        return page

    def online_votes(self, page, votes, themes):
        """Demo attendees, each voting for themes so the totals match `votes`."""
        if not votes or page.online_votes.exists():
            return
        remaining = dict(votes)
        number = 0
        while any(remaining.values()):
            number += 1
            registration, _ = Registration.objects.get_or_create(
                event=page, email=f"online.voter{number}@example.org",
                defaults={"name": resident_name(number + 20), "status": Registration.CONFIRMED,
                          "attendance_mode": Registration.ATTEND_ONLINE,
                          "created_at": page.start - timedelta(days=3),
                          "confirmed_at": page.start - timedelta(days=3),
                          "voted_at": page.start + timedelta(hours=1), "attended": True},
            )
            chosen = [slug for slug, left in remaining.items() if left][:page.votes_per_person]
            for slug in chosen:
                OnlineVote.objects.create(registration=registration, event=page,
                                          theme=themes[slug], created_at=registration.voted_at)
                remaining[slug] -= 1

    def upcoming_forum(self, index, neighbourhood, spec):
        upcoming = spec["upcoming"]
        start = at(upcoming["days"], 18 if upcoming["format"] != ForumEventPage.ONLINE else 19)
        page = self.event(index, f"{neighbourhood.slug}-forum-next", neighbourhood, spec,
                          upcoming["format"], start)
        page.title = f"{neighbourhood.name} neighbourhood forum"
        page.summary = (f"Help set the priorities for {neighbourhood.name}: hear what has "
                        "changed since the last forum and vote on what matters most.")
        page.capacity = upcoming["capacity"]
        page.registration_deadline = start - timedelta(days=1)
        page.minutes, page.attendance_in_person, page.attendance_online = "", None, None
        page.vote_tallies, page.you_said_we_did = [], []
        page.online_voting_open = False
        self.publish(index, page)
        now = timezone.now()
        mode = (Registration.ATTEND_ONLINE if page.format == ForumEventPage.ONLINE
                else Registration.ATTEND_IN_PERSON)
        for number in range(1, upcoming["confirmed"] + 1):
            Registration.objects.get_or_create(
                event=page, email=f"{neighbourhood.slug}.resident{number}@example.org",
                defaults={"name": resident_name(number), "status": Registration.CONFIRMED,
                          "attendance_mode": mode,
                          "access_needs": "Step-free access, please." if number == 2 else "",
                          "created_at": now - timedelta(days=number), "confirmed_at": now})
        for number in range(1, upcoming.get("waiting", 0) + 1):
            Registration.objects.get_or_create(
                event=page, email=f"{neighbourhood.slug}.waiting{number}@example.org",
                defaults={"name": resident_name(number + 10),
                          "status": Registration.WAITING,
                          "attendance_mode": Registration.ATTEND_IN_PERSON,
                          "created_at": now, "waiting_since": now + timedelta(minutes=number)})
        return page
