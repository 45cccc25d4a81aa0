"""Demo locality plans, drawn from the Brent and Gateshead papers in the context documents.

Harlesden's plan follows Brent's "Going Local" report (an integrated neighbourhood team for the
wider determinants of health, co-located with Crisis, Sufra, CNWL and social prescribers);
its programme table follows Gateshead's "Programmed activity and proposed timescales"
(activity, lead, date). The monthly updates follow the Suffolk teams' highlight reports.
"""

from __future__ import annotations

from datetime import date, timedelta

# Actions per theme slug: (title, description, lead, partners, start offset, length in days,
# status, link the first hubs).
ACTIONS = {
    "financial-hardship": [
        ("Open a weekly money and debt advice clinic in the co-located space",
         "Debt advisors, employment support and benefits checks in one place, one day a week "
         "at first, growing over two years on what works.",
         "Neighbourhood lead, Harlesden INT", "Citizens Advice Brent\nBrent Council Money "
         "Advice team", -120, 180, "on_track", True),
        ("Name one case worker as each resident's first point of contact",
         "A case worker model so residents in need tell their story once and are not passed "
         "between eligibility criteria.", "Service manager, Early Help",
         "Adult Social Care\nChildren's Social Care\nNorth West London Social Prescribers",
         -90, 240, "on_track", False),
        ("Train front-line staff to spot financial hardship early",
         "A core training programme that connects and upskills customer-facing teams, whoever "
         "employs them.", "Learning and development lead", "CNWL\nBrent CVS", -30, 150,
         "not_started", False),
    ],
    "homelessness": [
        ("Run a homelessness prevention surgery with Crisis at the hub",
         "Housing options and Crisis caseworkers together, before residents reach crisis.",
         "Head of Housing Needs",
         "Crisis\nBrent Housing Options\nHousing associations in Harlesden", -150, 120,
         "done", True),
        ("Bring housing associations into the neighbourhood steering group",
         "The board found housing associations were not represented; invite the three largest "
         "landlords in the area.", "Director of Housing Need", "Housing associations", -60,
         90, "at_risk", False),
        ("Agree data-sharing so early warning signs of eviction reach the team",
         "Information-sharing agreements with partners while the council's case systems move.",
         "Information governance lead", "Brent Council\nNWL ICB", -45, 200, "on_track",
         False),
    ],
    "school-readiness": [
        ("Stay-and-play and speech and language sessions at the family wellbeing centre",
         "Weekly sessions with health visitors, aligned to the family hub model.",
         "Family Wellbeing Centre manager", "Health visiting (CLCH)\nLocal nurseries", -100,
         270, "on_track", True),
        ("Map every early years asset in the neighbourhood with the VCS",
         "Part of mapping community assets so the team uses what is already there.",
         "Community development officer",
         "Brent CVS\nHarlesden Community Trust\nFaith groups", -20, 90, "not_started",
         True),
        ("Link primary schools to the neighbourhood team",
         "Develop links between schools and locality working, starting with reception years.",
         "School improvement adviser", "Primary schools in Harlesden", 30, 180, "not_started",
         False),
    ],
}

GENERIC_ACTIONS = [
    ("Hold a neighbourhood forum to check progress with residents",
     "Report back on the plan and let residents re-rank what matters.",
     "Neighbourhood lead", "Ward councillors\nVCS partners", 20, 30, "not_started", True),
    ("Publish a 'you said, we did' update at the hub",
     "Posters and the web page, in the main community languages.",
     "Communications officer", "", -10, 45, "on_track", False),
]

BUDGET = [
    ("Neighbourhood team co-ordinator (12 months)", "52000", "Council core budget",
     "Post shared with the Willesden team for the first six months"),
    ("Money advice clinic sessions", "38500", "Health inequalities fund", ""),
    ("Crisis caseworker time at the hub", "0", "In kind: Crisis", "Crisis funds its staff"),
    ("Room hire and refreshments for forums", "4800", "Neighbourhood CIL", ""),
    ("Asthma and wheeze clinic (18 to 24 months)", "135000", "Health inequalities fund",
     "Shared with NWL ICB primary care"),
]

MEASURES = [
    ("Households supported before crisis", "households", "0", -200, "300", 500, "142", -15,
     "Case management records"),
    ("Homelessness approaches from the neighbourhood that were prevented", "%", "38", -365,
     "55", 540, "44", -30, "Housing needs data"),
    ("Children with a personalised asthma action plan", "%", "23", -400, "100", 200, "100",
     -20, "Primary care (NWL ICB)"),
    ("Children reaching a good level of development at age 5", "%", "61", -300, "68", 700,
     None, None, "Early years foundation stage profile"),
]

RISKS = [
    ("Partners do not buy in to the shared way of working", 2, 3,
     "Clear aims for Harlesden agreed at the steering group; monthly partner check-ins.",
     "Neighbourhood lead"),
    ("Data sharing is slow while case systems move", 3, 2,
     "Move fast on sharing agreements in the meantime; information governance lead on the "
     "steering group.", "Information governance lead"),
    ("Recruitment delays hold up the clinic, as in the asthma pilot", 2, 2,
     "Start with a one-day-a-week pilot; recruit jointly with CNWL.", "Service manager"),
    ("The pilot does not show an effect on demand within six months", 2, 3,
     "Agree measures and a learning partner up front; report to the budget round.",
     "Strategic director"),
]

CONTACTS = [
    ("Neighbourhood team", "Brent Council", "harlesden.neighbourhood@example.org",
     "020 7946 0210"),
    ("Ward councillors' casework", "Brent Council", "councillors@example.org", ""),
]

GOVERNANCE = (
    "<p>A steering group with members from across the council, health partners and the "
    "voluntary and community sector oversees the plan and meets monthly. Progress goes to the "
    "Health and Wellbeing Board every six months.</p><p>Ward councillors approve the plan and "
    "are its critical friends. Residents shape it at neighbourhood forums and through 'have "
    "your say' surveys.</p>"
)

INTRODUCTION = (
    "<p>Residents told us through neighbourhood forums, online surveys and conversations at the "
    "hubs what matters most to them. This plan sets out what the council and its partners will "
    "do about the priorities that came out on top, who leads each action and when, and how we "
    "will know it has worked.</p>"
)

# Monthly updates: (start of the action's title, day of month, status, note, next steps,
# learning, help,
# issue), for the month before last and last month.
UPDATES = [
    [
        ('Open a weekly money',
         6, "on_track", "Clinic ran four times; 37 residents seen, 12 referred on for "
         "benefits checks.", "Add an evening session for working residents.",
         "Residents came because the library staff knew them: warm hand-offs matter more than "
         "leaflets.", "", ""),
        ('Run a homelessness prevention',
         12, "on_track", "Crisis caseworkers at the hub two mornings a week.",
         "Review the referral route with Housing Needs.", "", "", ""),
        ('Bring housing associations',
         18, "at_risk", "Only one housing association has replied to the invitation.",
         "Councillors to write to the chief executives.", "",
         "Ask the Health and Wellbeing Board to endorse the invitation.",
         "Without landlords the prevention work misses most tenants."),
        ('Stay-and-play',
         24, "on_track", "Stay-and-play started; 22 families came to the first three "
         "sessions.", "", "", "", ""),
    ],
    [
        ('Run a homelessness prevention',
         5, "done", "The prevention surgery is now part of Housing Needs' weekly rota; "
         "nine evictions prevented this quarter.", "", "Joint triage saved a second "
         "appointment for most residents.", "", ""),
        ('Open a weekly money',
         11, "on_track", "Evening session added; 52 residents seen this month.",
         "Train two volunteers as advice champions.", "",
         "A second interpreter for Somali and Arabic speakers.", ""),
        ('Agree data-sharing',
         16, "on_track", "Draft data-sharing agreement with NWL ICB legal teams.",
         "Sign the agreement.", "", "",
         "Mosaic migration may delay the data feed to December."),
        ('Map every early years',
         22, "on_track", "Asset mapping started with Brent CVS: 41 early years groups found.",
         "Publish the first map at the forum.", "Faith groups run more early years activity "
         "than any directory shows.", "", ""),
        ('Bring housing associations',
         27, "at_risk", "Two housing associations agreed to join; the largest has not.",
         "", "", "", "Largest landlord still not engaged."),
    ],
]


def month_back(today: date, months: int) -> date:
    """The first day of the month `months` before today's."""
    year, month = today.year, today.month - months
    while month <= 0:
        month += 12
        year -= 1
    return date(year, month, 1)


def offset(today: date, days: int) -> date:
    return today + timedelta(days=days)
