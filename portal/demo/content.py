"""Demo content for a plausible borough, written from the council papers in shared/context."""

import json
from pathlib import Path

# The demo's postcode sample (portal/demo/derive_postcodes.py says what is in it and where it
# comes from): the postcodes the demo's assets, hubs and venues use, real postcodes just outside
# Brent, and a few more placed inside its neighbourhoods, so "find your neighbourhood" works in
# the demo without the ONS Postcode Directory.
POSTCODES_FILE = Path(__file__).with_name("brent_postcodes.json")
DEMO_POSTCODES = [
    (row["postcode"], row["latitude"], row["longitude"])
    for row in json.loads(POSTCODES_FILE.read_text(encoding="utf-8"))["postcodes"]
]

HOME_INTRODUCTION = (
    "Brent's neighbourhood portal: find your neighbourhood, have your say on what matters "
    "where you live, come to a neighbourhood forum, and see what the council, the NHS and "
    "local voluntary groups are doing about it."
)

NEIGHBOURHOOD_TEXT = {
    "Harlesden": (
        "Where Brent's first Integrated Neighbourhood Team started.",
        "<p>Harlesden is where the council, the NHS and voluntary organisations first brought "
        "their teams together in one place to work with residents before problems become "
        "crises. Residents who came to face-to-face neighbourhood forums, answered the online "
        "“have your say” surveys and joined virtual forums told us that <b>financial "
        "hardship</b>, the <b>risk of homelessness</b> and <b>getting children ready for "
        "school</b> matter most here.</p><p>The team works on a case-worker model: one person "
        "is your main contact, and brings in debt advice, housing, employment support, social "
        "prescribers and voluntary groups as you need them.</p>",
    ),
    "Kilburn": (
        "A busy, diverse neighbourhood on the borough's eastern edge.",
        "<p>Kilburn's residents have raised housing conditions, the cost of living and support "
        "for older neighbours living alone. The neighbourhood works closely with partners on "
        "the Camden side of Kilburn High Road.</p>",
    ),
    "Willesden": (
        "Willesden Green, Dudden Hill and Dollis Hill.",
        "<p>Willesden is one of the neighbourhoods where the Integrated Neighbourhood Team "
        "approach is growing after Harlesden. Diabetes and asthma care in the community, and "
        "mental health support that sits alongside it, are early themes here.</p>",
    ),
    "Wembley": (
        "Brent's largest neighbourhood, from Alperton to Northwick Park.",
        "<p>Wembley is home to more than a hundred thousand people. Residents have asked for "
        "better air quality around the stadium and the North Circular, safer streets, and "
        "more for young people to do.</p>",
    ),
    "Kingsbury and Kenton": (
        "Kenton, Queensbury, Fryent and Welsh Harp.",
        "<p>In the north of the borough, residents have talked about loneliness among older "
        "people, access to GP appointments and keeping active in the borough's green spaces "
        "such as Fryent Country Park.</p>",
    ),
}

ACCESSIBILITY_STATEMENT = [
    ("paragraph", "<p>This portal is run by the council with its NHS and voluntary sector "
                  "partners. We want as many people as possible to be able to use it. You "
                  "should be able to zoom in up to 400% without the text spilling off the "
                  "screen, navigate the whole site using just a keyboard or speech recognition "
                  "software, and listen to it using a screen reader.</p>"),
    ("heading", "How accessible this website is"),
    ("paragraph", "<p>The portal is designed to meet the Web Content Accessibility Guidelines "
                  "(WCAG) 2.2 at level AA. Every map has a list that does the same job, and "
                  "every chart has a table of its figures. Each page is tested automatically "
                  "with axe-core.</p>"),
    ("heading", "Reporting accessibility problems"),
    ("paragraph", "<p>If you find a problem that is not listed here, or you need information "
                  "in a different format such as large print, easy read or audio, email us. "
                  "We will reply within 5 working days.</p>"),
    ("heading", "Enforcement procedure"),
    ("paragraph", "<p>The Equality and Human Rights Commission (EHRC) is responsible for "
                  "enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) "
                  "Accessibility Regulations 2018. If you are not happy with how we respond to "
                  "your complaint, contact the Equality Advisory and Support Service (EASS).</p>"),
]

PRIVACY_NOTICE = [
    ("paragraph", "<p>This notice explains what personal data the neighbourhood portal "
                  "collects, why, and your rights under the UK General Data Protection "
                  "Regulation.</p>"),
    ("heading", "What we collect"),
    ("paragraph", "<p>If you create an account we keep your email address and, if you give "
                  "them, your name and the neighbourhood you live in. When you answer a survey "
                  "or register for a forum we keep your answers and registration. You can "
                  "answer many surveys without an account.</p>"),
    ("heading", "How we use it"),
    ("paragraph", "<p>We use what residents tell us to agree neighbourhood priorities and "
                  "plans. We publish only totals, and we never publish a number smaller than 5, "
                  "so nobody can be identified from published results.</p>"),
    ("heading", "Your rights"),
    ("paragraph", "<p>You can download everything we hold about you, and delete your "
                  "account, from your account page at any time. You can also ask us to correct "
                  "or erase your data, or complain to the Information Commissioner's Office.</p>"),
]

ABOUT_PAGE = [
    ("paragraph", "<p>Brent works neighbourhood by neighbourhood. In each of its five "
                  "neighbourhoods the council, the NHS and the voluntary and community sector "
                  "work together with residents on what matters most locally.</p>"),
    ("heading", "How your views are used"),
    ("paragraph", "<p>Residents set priorities in three ways: face-to-face neighbourhood "
                  "forums, online “have your say” surveys and virtual forums. What residents "
                  "say is brought together by theme, so a comment at a forum and an answer to "
                  "a survey count towards the same priorities.</p>"),
    ("quote", "Residents know their neighbourhood best; our job is to listen, act and show "
              "what changed."),
]

DEMO_USERS = [
    # email, first name, last name, group, is_superuser
    ("admin@example.org", "Ada", "Admin", None, True),
    ("officer@example.org", "Olu", "Officer", "Officers", False),
    ("councillor@example.org", "Chris", "Councillor", "Councillors", False),
    ("vcs@example.org", "Vic", "Volunteer", "VCS organisations", False),
    ("resident@example.org", "Rita", "Resident", None, False),
]
DEMO_PASSWORD = "demo-portal-2026"  # printed by the command and in the README; demo only

WELSH_TITLES = {
    "Have your say in your neighbourhood": "Dweud eich dweud yn eich cymdogaeth",
    "Neighbourhoods": "Cymdogaethau",
    "About the portal": "Am y porth",
    "Accessibility statement": "Datganiad hygyrchedd",
    "Privacy notice": "Hysbysiad preifatrwydd",
}
