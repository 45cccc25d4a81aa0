"""The demo's generated community assets, written to read like a real Brent directory: each
kind has its own names, words, opening hours and way to get in touch, with streets of each
neighbourhood. Phone numbers are in Ofcom's ranges reserved for drama (020 7946 0000 to 0999
and 07700 900000 to 900999), so no real line is ever printed."""

from __future__ import annotations

from dataclasses import dataclass, field

WEEKDAYS = (0, 1, 2, 3, 4)


@dataclass(frozen=True)
class Kind:
    """One kind of generated asset."""

    category: str
    names: tuple[str, ...]  # tried in turn until one is free in the neighbourhood
    themes: tuple[str, ...]
    summary: str
    description: str
    services: tuple[tuple[str, str, str, str], ...]  # name, who for, cost, how to access
    hours: tuple[tuple[tuple[int, ...], str, str], ...]  # (days, opens, closes)
    hours_notes: str = ""
    organisation: str = ""  # the demo organisation that runs it; "" for none (NHS, schools)
    phone: str = "landline"  # "landline", "mobile" or "" (none)
    languages: tuple[str, ...] = field(default=("",))


KINDS = [
    Kind("community-centre", ("{street} Community Centre", "{area} Community Hall"),
         ("social-isolation", "community-safety"),
         "A community-run centre with rooms to hire, a weekly coffee morning and classes for "
         "all ages.",
         "Run by local volunteers with a small staff team. The main hall holds 120 people and "
         "there are two meeting rooms, a kitchen and a garden. Ask about free room hire for "
         "residents' groups.",
         (("Coffee morning", "Everyone", "Free", "Drop in on Wednesdays, 10am to 12pm"),),
         ((WEEKDAYS, "09:00", "21:00"), ((5,), "10:00", "16:00")),
         organisation="Harlesden Community Trust",
         languages=("English, Portuguese", "English, Somali, Arabic")),
    Kind("food-support", ("{street} Food Bank", "{area} Food Bank"),
         ("food-insecurity", "financial-hardship"),
         "Emergency food parcels for three days, for people referred by a GP, school, "
         "Citizens Advice or the council.",
         "Bring your referral voucher. Parcels include fresh fruit and vegetables, and there "
         "are toiletries and baby supplies too. An adviser is on hand to help with benefits "
         "and debt.",
         (("Emergency food parcels", "People with a referral voucher", "Free",
           "Bring a voucher from a GP, school, Citizens Advice or the council"),),
         (((0, 2, 4), "10:00", "13:00"),),
         organisation="Brent Food Network", languages=("English, Polish", "English, Romanian")),
    Kind("food-support", ("{area} Community Pantry", "{street} Pantry"), ("food-insecurity",),
         "A membership food club: pay £3.50 a visit and choose groceries worth about £20.",
         "Open to anyone living in Brent on a low income. Members choose their own food, "
         "including fresh fruit, vegetables and chilled items. No referral needed: just come "
         "along and join.",
         (("Low-cost groceries", "Brent residents on a low income", "£3.50 a visit",
           "Join on your first visit"),),
         (((1, 3), "12:00", "15:00"), ((5,), "10:00", "13:00")),
         organisation="Brent Food Network"),
    Kind("advice", ("{area} Advice Drop-in", "{street} Advice Centre"),
         ("financial-hardship", "housing", "employment-skills"),
         "Free, confidential advice on benefits, debt, housing and work, with interpreters "
         "on request.",
         "Advisers help with Universal Credit, council tax, rent arrears, energy bills and "
         "problems at work. Bring any letters you have. Phone us to book, or drop in early: "
         "places fill up by mid-morning.",
         (("Benefits and debt advice", "Everyone", "Free",
           "Drop in, or book by phone on {phone}"),),
         (((0, 1, 2, 3), "09:30", "16:30"), ((4,), "09:30", "13:00")),
         organisation="Citizens Advice Brent",
         languages=("English, Gujarati, Hindi", "English, Somali, Arabic", "English, Polish")),
    Kind("family-hub", ("{area} Family Hub", "{street} Children's Centre"),
         ("school-readiness", "children-young-people"),
         "Stay and play, health visitor clinics, breastfeeding support and parenting courses "
         "for families with children under 5.",
         "Part of Brent's family hub network. Health visitors hold a baby clinic on Tuesday "
         "mornings; midwives see expectant mothers by appointment. Free childcare places for "
         "two-year-olds can be arranged here.",
         (("Stay and play", "Children under 5 and their parents or carers", "Free",
           "Drop in"),),
         ((WEEKDAYS, "09:00", "17:00"),),
         organisation="Kilburn Family Partnership"),
    Kind("health", ("{street} Medical Centre", "{street} Health Centre"),
         ("access-to-health", "long-term-conditions"),
         "A GP practice with nurse clinics, childhood vaccinations and a weekly social "
         "prescribing session.",
         "Register if you live in the practice area. Appointments can be booked online, in "
         "person or by phone from 8am. A social prescribing link worker is here on Thursdays.",
         (("GP appointments", "Registered patients", "Free",
           "Book online, in person, or by phone on {phone} from 8am"),),
         ((WEEKDAYS, "08:00", "18:30"),), organisation=""),
    Kind("faith-group", ("St {saint}'s Church Hall", "{street} Methodist Church Hall"),
         ("social-isolation",),
         "A warm space with hot drinks, soup and company on winter weekday afternoons.",
         "Everyone is welcome, whatever their faith. There are newspapers, board games and "
         "free Wi-Fi, and volunteers can point you to advice and support nearby.",
         (("Warm space", "Everyone", "Free", "Drop in"),),
         (((1, 3), "12:00", "16:00"),),
         hours_notes="The warm space runs from November to March.", organisation="",
         languages=("English, Tamil", "English, Portuguese")),
    Kind("green-space", ("{street} Gardens", "{street} Recreation Ground"),
         ("air-quality", "mental-health"),
         "A local park with a playground, an outdoor gym and a community growing space.",
         "Friends of the park meet on the first Saturday of the month to garden together; "
         "tools and gloves are provided. There are toilets by the playground.",
         (("Community gardening", "Everyone", "Free",
           "Turn up on the first Saturday of the month at 10am"),),
         (((0, 1, 2, 3, 4, 5, 6), "07:30", "19:00"),),
         hours_notes="Closes at dusk in winter.", organisation="", phone=""),
    Kind("sport", ("{area} Sports Club", "{street} Leisure Club"), ("physical-activity",),
         "Walking football, netball and fitness sessions for adults, at low cost.",
         "Sessions are friendly and open to all abilities. Walking football is for people "
         "over 50 or recovering from illness; ask the coach about taster sessions.",
         (("Walking football", "Adults over 50", "£2 a session", "Turn up, or text the coach "
                                                                  "on {phone}"),),
         (((1, 3), "18:00", "21:00"), ((5,), "09:00", "13:00")),
         organisation="Wembley Youth Collective", phone="mobile"),
    Kind("youth", ("{area} Youth Club", "{street} Youth Project"),
         ("children-young-people", "community-safety"),
         "An evening youth club for 11 to 19 year olds: sport, music, cooking and someone "
         "to talk to.",
         "Youth workers run sessions on three evenings a week, with a recording studio, a "
         "games room and help with homework, CVs and college applications. Up to 25 with a "
         "disability.",
         (("Youth club nights", "Ages 11 to 19 (25 with a disability)", "Free", "Drop in"),),
         (((0, 2, 4), "16:00", "20:00"),),
         organisation="Wembley Youth Collective", phone="mobile"),
    Kind("older-people", ("{street} Lunch Club", "{area} Friendship Club"),
         ("social-isolation",),
         "A hot two-course lunch and company for older residents, twice a week.",
         "Lunch is cooked on site, with vegetarian and halal choices. Volunteers can collect "
         "people who find it hard to get out; please book a place so we have enough food.",
         (("Hot lunch and company", "Residents over 60", "£4",
           "Book by phone on {phone} by the day before"),),
         (((1, 3), "11:30", "14:30"),),
         organisation="Kingsbury Older People's Forum",
         languages=("English, Gujarati", "English, Irish Gaelic")),
    Kind("vcs-service", ("{area} Mental Health Peer Support", "{street} Wellbeing Group"),
         ("mental-health",), "A weekly peer support group for adults living with anxiety or "
         "low mood, run by people with lived experience.",
         "Groups are small and confidential. You can come without a referral; if you would "
         "rather talk first, send a text and a facilitator will call you back.",
         (("Peer support group", "Adults", "Free", "Self-refer, or text {phone}"),),
         (((2,), "18:30", "20:00"),),
         organisation="North West London Social Prescribers", phone="mobile"),
    Kind("school", ("{street} Primary School", "{area} Park Primary School"),
         ("school-readiness",),
         "A community primary school whose hall hosts after-school clubs and adult English "
         "classes.",
         "ESOL classes for parents run on Tuesday and Thursday mornings during term. The "
         "school office can tell you about breakfast club and holiday activities.",
         (("English classes for parents (ESOL)", "Parents and carers", "Free",
           "Ask at the school office"),),
         ((WEEKDAYS, "08:30", "16:00"),),
         hours_notes="Term time only.", organisation=""),
]

# Real streets of each neighbourhood (Ordnance Survey Open Names), for names and addresses.
STREETS = {
    "BRENT-HARLESDEN": ["Craven Park Road", "Acton Lane", "Manor Park Road", "Park Parade",
                        "Tavistock Road", "Rucklidge Avenue", "Furness Road", "Wendover Road",
                        "Nightingale Road", "Harley Road", "Fortune Gate Road", "Springwell"],
    "BRENT-KILBURN": ["Salusbury Road", "Brondesbury Road", "Kilburn Lane", "Chevening Road",
                      "Harvist Road", "Victoria Road", "Malvern Road", "Cambridge Road",
                      "Carlton Vale", "Willesden Lane", "Kingswood Avenue", "Donaldson Road"],
    "BRENT-WILLESDEN": ["Walm Lane", "Chamberlayne Road", "Dudden Hill Lane", "Pound Lane",
                        "Villiers Road", "Anson Road", "Chapter Road", "Huddlestone Road",
                        "St Paul's Avenue", "Dollis Hill Lane", "Linacre Road", "Sidmouth Road"],
    "BRENT-WEMBLEY": ["Ealing Road", "Lancelot Road", "St John's Road", "Chaplin Road",
                      "Barnhill Road", "Elm Road", "Park Lane", "Harrow Road", "Empire Way",
                      "Forty Lane", "Preston Road", "Monks Park"],
    "BRENT-KINGSBURY-KENTON": ["Kingsbury Road", "Kenton Road", "Fryent Way", "Stag Lane",
                               "Church Lane", "Roe Green", "Slough Lane", "Old Kenton Lane",
                               "Princes Avenue", "Honeypot Lane", "Buck Lane", "Tudor Gardens"],
}
POSTCODE_AREA = {"BRENT-HARLESDEN": "NW10", "BRENT-KILBURN": "NW6", "BRENT-WILLESDEN": "NW10",
                 "BRENT-WEMBLEY": "HA0", "BRENT-KINGSBURY-KENTON": "NW9"}
SAINTS = ["Mary", "Michael", "Andrew", "Anne", "Gabriel", "Luke", "Paul", "Matthew"]
# A landline for organisations (020 7946 0100 upwards) and one per asset (0300 upwards).
ORGANISATION_PHONES = {
    "Citizens Advice Brent": "020 7946 0101", "Brent Housing Options": "020 7946 0102",
    "North West London Social Prescribers": "020 7946 0103",
    "Harlesden Community Trust": "020 7946 0104", "Brent Food Network": "020 7946 0105",
    "Kilburn Family Partnership": "020 7946 0106", "Wembley Youth Collective": "020 7946 0107",
    "Kingsbury Older People's Forum": "020 7946 0108", "Brent Libraries": "020 7946 0109",
}


def phone_number(kind: Kind, serial: int) -> str:
    """The asset's own number in a drama range (`serial` makes it unique), or ""."""
    if kind.phone == "landline":
        return f"020 7946 {300 + serial:04d}"
    if kind.phone == "mobile":
        return f"07700 900{100 + serial:03d}"
    return ""


def asset_name(kind: Kind, area: str, streets: list[str], taken: set[str], rng) -> str:
    """The first of the kind's name patterns not already used in the neighbourhood."""
    for pattern in kind.names:
        for street in rng.sample(streets, len(streets)):
            name = pattern.format(street=street, area=area, saint=rng.choice(SAINTS))
            if name not in taken:
                return name
    raise ValueError(f"No free name for {kind.category} in {area}")
