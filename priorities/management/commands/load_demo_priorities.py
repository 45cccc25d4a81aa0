"""Demo priorities: the page, community feedback, population figures and decided snapshots.

Run after load_demo_data, load_demo_assets, load_demo_forums and load_demo_surveys.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.demo.commands import DemoPagesCommand
from portal.neighbourhoods.models import Neighbourhood
from portal.roles import OFFICERS
from portal.themes.models import Theme
from priorities.models import (
    FeedbackItem,
    PopulationFigure,
    PrioritiesPage,
    PrioritySnapshot,
    SnapshotPriority,
)
from priorities.ranking import evidence_changed
from priorities.snapshots import take_snapshot

S = FeedbackItem
# (source, source detail, text, theme slugs, sentiment, people)
FEEDBACK = {
    "Harlesden": [
        (S.WARD_SURGERY, "Harlesden ward surgery", "Several families behind on rent after the "
         "energy bills went up; two have had section 21 notices.",
         ["financial-hardship", "homelessness"], S.NEGATIVE, 4),
        (S.PARTNER_MEETING, "Harlesden family hub partners", "Health visitors see more children "
         "starting nursery without toilet training or first words.", ["school-readiness"],
         S.NEGATIVE, 1),
        (S.OUTREACH, "Harlesden Library Plus", "People queue for the warm space and ask about "
         "help with council tax arrears.", ["financial-hardship"], S.NEGATIVE, 12),
        (S.HEALTHWATCH, "Healthwatch Brent report", "Residents in temporary accommodation say "
         "moves far from school disrupt their children's learning.", ["homelessness",
                                                                       "school-readiness"],
         S.NEGATIVE, 9),
        (S.PARTNER_MEETING, "Harlesden food bank", "Referrals doubled since last winter; most "
         "are working families.", ["food-insecurity", "financial-hardship"], S.NEGATIVE, 1),
        (S.COMPLAINT, "Housing enquiry", "Overcrowded flat with damp; asks what help exists "
         "before eviction.", ["housing", "homelessness"], S.NEGATIVE, 1),
        (S.OUTREACH, "Stonebridge stay and play", "Parents value the stay and play sessions and "
         "want more of them near Church End.", ["school-readiness"], S.POSITIVE, 8),
        (S.SOCIAL_MEDIA, "Harlesden community group", "Thread about bailiffs and where to get "
         "debt advice quickly.", ["financial-hardship"], S.NEGATIVE, 15),
    ],
    "Kilburn": [
        (S.PARTNER_MEETING, "Kilburn mental health forum", "Young adults wait months for talking "
         "therapies and turn up at A&E instead.", ["mental-health"], S.NEGATIVE, 1),
        (S.WARD_SURGERY, "Kilburn ward surgery", "Older residents on the estate rarely see "
         "anyone since the day centre closed.", ["social-isolation"], S.NEGATIVE, 3),
        (S.OUTREACH, "Kilburn High Road outreach", "Rough sleepers near the station with "
         "drug and alcohol problems.", ["substance-misuse", "homelessness"], S.NEGATIVE, 6),
        (S.HEALTHWATCH, "Healthwatch Brent report", "Private renters describe mould and landlords "
         "who do not reply.", ["housing"], S.NEGATIVE, 11),
        (S.SOCIAL_MEDIA, "Kilburn neighbours group", "Praise for the new peer support café.",
         ["mental-health", "social-isolation"], S.POSITIVE, 20),
        (S.COMPLAINT, "Anti-social behaviour report", "Drug dealing in the stairwells makes "
         "residents afraid to go out at night.", ["substance-misuse", "community-safety"],
         S.NEGATIVE, 2),
    ],
    "Willesden": [
        (S.PARTNER_MEETING, "Willesden GP practices", "Asthma appointments for children rise "
         "every winter near the North Circular.", ["air-quality", "long-term-conditions"],
         S.NEGATIVE, 1),
        (S.OUTREACH, "Willesden Green Library", "Residents want help to manage diabetes in "
         "their own languages.", ["long-term-conditions", "access-to-health"], S.NEUTRAL, 14),
        (S.WARD_SURGERY, "Willesden ward surgery", "Parents ask for school streets to cut "
         "traffic fumes at the gates.", ["air-quality", "children-young-people"], S.NEGATIVE,
         5),
        (S.HEALTHWATCH, "Healthwatch Brent report", "Hard to get a GP appointment; the phone "
         "queue is the main complaint.", ["access-to-health"], S.NEGATIVE, 25),
        (S.PARTNER_MEETING, "Citizens Advice Willesden", "Benefit checks find many pensioners "
         "missing pension credit.", ["financial-hardship"], S.NEUTRAL, 1),
    ],
    "Wembley": [
        (S.PARTNER_MEETING, "Wembley jobs partnership", "Young people want apprenticeships with "
         "the stadium and park employers.", ["employment-skills"], S.NEUTRAL, 1),
        (S.OUTREACH, "Wembley Library", "Many job seekers cannot apply online without help or "
         "a laptop.", ["digital-inclusion", "employment-skills"], S.NEGATIVE, 16),
        (S.WARD_SURGERY, "Wembley Central ward surgery", "Event-day traffic and idling coaches "
         "on residential streets.", ["air-quality"], S.NEGATIVE, 4),
        (S.SOCIAL_MEDIA, "Wembley residents page", "Welcome for the free ESOL classes at the "
         "civic centre.", ["employment-skills"], S.POSITIVE, 30),
        (S.HEALTHWATCH, "Healthwatch Brent report", "New arrivals do not know how to register "
         "with a GP.", ["access-to-health"], S.NEGATIVE, 7),
    ],
    "Kingsbury and Kenton": [
        (S.WARD_SURGERY, "Kingsbury ward surgery", "Widowed residents say the bus cuts leave "
         "them stuck at home.", ["social-isolation"], S.NEGATIVE, 3),
        (S.PARTNER_MEETING, "Kenton carers group", "Carers of people with dementia need "
         "respite and someone to talk to.", ["long-term-conditions", "social-isolation"],
         S.NEGATIVE, 1),
        (S.OUTREACH, "Kingsbury Library", "Older people ask for help using the NHS app to "
         "order prescriptions.", ["digital-inclusion", "long-term-conditions"], S.NEUTRAL, 18),
        (S.HEALTHWATCH, "Healthwatch Brent report", "Falls among over-75s after discharge from "
         "hospital without follow-up.", ["long-term-conditions"], S.NEGATIVE, 6),
        (S.SOCIAL_MEDIA, "Kenton community page", "The lunch club at the temple is full every "
         "week: people want another one.", ["social-isolation"], S.POSITIVE, 25),
    ],
}

# Officers' reasons differ by position: the evidence itself is shown beside each priority.
ADOPT_REASONS = [
    "Top of the ranking in every source that asked about it, and the neighbourhood board "
    "raised it at its last two meetings. Partners have capacity to act on it this year.",
    "Consistently high in the survey and at the forum, and community feedback says it is "
    "getting worse. Local hubs and partners give us places to act from.",
    "Fewer people raised it, but those who did face the most serious harm, and early help "
    "now costs far less than crisis support later.",
]
SET_ASIDE_REASON = ("Real concern, but already covered by a borough-wide programme; we will "
                    "track it through that programme rather than this neighbourhood plan.")

POPULATION = {  # total residents, roughly a fifth of Brent's 339,800 (Census 2021) each
    "Harlesden": 71000, "Kilburn": 66000, "Willesden": 69000, "Wembley": 72000,
    "Kingsbury and Kenton": 61800,
}
SHARES = {
    "age": {"under_16": 20, "16_24": 11, "25_34": 17, "35_44": 15, "45_54": 13, "55_64": 11,
            "65_74": 7, "75_plus": 6},
    "sex": {"female": 50, "male": 50},
    "ethnicity": {"asian_indian": 19, "asian_pakistani": 5, "asian_bangladeshi": 1,
                  "asian_chinese": 1, "asian_other": 7, "black_african": 8,
                  "black_caribbean": 7, "black_other": 3, "mixed_white_black_caribbean": 2,
                  "mixed_white_black_african": 1, "mixed_white_asian": 1, "mixed_other": 2,
                  "white_british": 15, "white_irish": 2, "white_gypsy_traveller": 1,
                  "white_other": 17, "other_arab": 4, "other_any": 4},
    "disability": {"yes_lot": 7, "yes_little": 8, "no": 85},
}
# Local differences in the demo population (percentage points moved between categories).
LOCAL = {
    "Harlesden": {("ethnicity", "black_caribbean"): 6, ("ethnicity", "asian_indian"): -6},
    "Kingsbury and Kenton": {("age", "75_plus"): 4, ("age", "25_34"): -4,
                             ("ethnicity", "asian_indian"): 12, ("ethnicity", "white_other"): -12},
    "Wembley": {("ethnicity", "asian_indian"): 8, ("ethnicity", "white_british"): -8},
    "Kilburn": {("ethnicity", "white_other"): 6, ("ethnicity", "asian_indian"): -6},
}


class Command(DemoPagesCommand):
    help = ("Create the priorities page, about 150 community feedback items, population "
            "figures and a decided snapshot per neighbourhood. Run after load_demo_surveys. "
            "Idempotent: existing feedback, figures and snapshots are kept.")

    loaded_message = "Demo priorities loaded."

    def after_load(self):
        evidence_changed()

    def load(self, home):
        page = PrioritiesPage.objects.child_of(home).first()
        if page is None:
            page = PrioritiesPage(
                title="Neighbourhood priorities", slug="priorities", show_in_menus=True,
                introduction="What residents and partners told us matters most in each "
                             "neighbourhood, the evidence behind it, and what we decided.")
            home.add_child(instance=page)
            page.save_revision().publish()
            self.stdout.write("  priorities page created")
        themes = {theme.slug: theme for theme in Theme.objects.all()}
        officer = get_user_model().objects.filter(groups__name=OFFICERS).order_by("pk").first()
        neighbourhoods = {n.name: n for n in Neighbourhood.objects.all()}
        if not FeedbackItem.objects.exists():
            self.feedback(neighbourhoods, themes, officer)
        self.population(neighbourhoods)
        evidence_changed()
        for neighbourhood in neighbourhoods.values():
            if not PrioritySnapshot.objects.filter(neighbourhood=neighbourhood).exists():
                self.snapshot(neighbourhood, officer)

    def feedback(self, neighbourhoods, themes, officer):
        rng = random.Random(20261124)
        today = timezone.localdate()
        count = 0
        for name, templates in FEEDBACK.items():
            neighbourhood = neighbourhoods.get(name)
            if neighbourhood is None:
                continue
            for index in range(30):
                source, detail, text, slugs, sentiment, people = templates[index %
                                                                           len(templates)]
                item = FeedbackItem.objects.create(
                    source=source, source_detail=detail, neighbourhood=neighbourhood,
                    received_on=today - timedelta(days=rng.randint(5, 270)), text=text,
                    sentiment=sentiment, people_count=max(1, people + rng.randint(-1, 2)),
                    safeguarding=False, created_by=officer)
                item.themes.set([themes[slug] for slug in slugs if slug in themes])
                count += 1
        self.stdout.write(f"  {count} community feedback items")

    def population(self, neighbourhoods):
        count = 0
        for name, total in POPULATION.items():
            neighbourhood = neighbourhoods.get(name)
            if neighbourhood is None:
                continue
            figures = {("population", "all"): total}
            for characteristic, shares in SHARES.items():
                local = dict(shares)
                for (c, category), delta in LOCAL.get(name, {}).items():
                    if c == characteristic:
                        local[category] = max(local[category] + delta, 0)
                for category, share in local.items():
                    figures[(characteristic, category)] = round(total * share / 100)
            for (characteristic, category), people in figures.items():
                PopulationFigure.objects.update_or_create(
                    neighbourhood=neighbourhood, characteristic=characteristic,
                    category=category,
                    defaults={"people": people, "source": "Demo figures shaped on ONS Census "
                                                          "2021 for Brent"})
                count += 1
        self.stdout.write(f"  {count} population figures")

    def snapshot(self, neighbourhood, officer):
        snapshot = take_snapshot(neighbourhood, officer,
                                 f"{neighbourhood.name}: first neighbourhood plan")
        priorities = list(snapshot.priorities.select_related("theme").order_by("rank"))
        for priority in priorities[:3]:
            record_demo_decision(priority, SnapshotPriority.ADOPTED,
                                 ADOPT_REASONS[priority.rank - 1], officer)
        for priority in priorities[3:4]:
            record_demo_decision(priority, SnapshotPriority.SET_ASIDE, SET_ASIDE_REASON, officer)
        adopted = ", ".join(p.theme.name for p in priorities[:3]) or "none (no evidence)"
        self.stdout.write(f"  {neighbourhood.name}: adopted {adopted}")


def record_demo_decision(priority, decision, rationale, officer):
    """Record a demo decision directly (the demo officer may not exist without --users)."""
    priority.decision, priority.rationale = decision, rationale
    priority.decided_by, priority.decided_at = officer, timezone.now()
    priority.save(update_fields=["decision", "rationale", "decided_by", "decided_at"])
