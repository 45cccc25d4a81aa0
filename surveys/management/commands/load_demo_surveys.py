"""Demo surveys with a few thousand generated responses; run after load_demo_data."""

import random
import uuid
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from shapely.geometry import shape

from portal.deprivation.models import NeighbourhoodNeed
from portal.neighbourhoods.models import Neighbourhood
from portal.neighbourhoods.services import get_locator
from portal.pages.models import HomePage
from portal.themes.models import Theme
from surveys.answering import active_questions, new_reference
from surveys.models import Answer, Question, Response, SurveyIndexPage, SurveyPage
from surveys.results import results_changed

PRIVACY = (
    "<p>Brent Council collects your answers to understand what matters in each neighbourhood. "
    "We keep them for two years after the survey closes, then delete them. Published results "
    "never show any number smaller than five. Your equality answers are kept separately from "
    "your other answers. Ask us about your answers at neighbourhoods@example.org, quoting your "
    "reference number.</p>"
)

# Per neighbourhood, how much more likely residents are to rank each theme highly: the demo's
# priorities then differ by area, as the council papers describe.
EMPHASIS = {
    "Harlesden": {"housing": 3, "community-safety": 2.5, "financial-hardship": 2},
    "Kilburn": {"housing": 2.5, "mental-health": 2, "social-isolation": 1.5},
    "Willesden": {"air-quality": 2.5, "financial-hardship": 2, "school-readiness": 1.5},
    "Wembley": {"air-quality": 2, "employment-skills": 2.5, "access-to-health": 2},
    "Kingsbury and Kenton": {"social-isolation": 2.5, "long-term-conditions": 2.5,
                             "access-to-health": 1.5},
}
# How likely a resident of the most deprived fifth of England is to answer, against anyone
# else: below 1, so "who took part" shows that fifth under-heard (as consultations often are).
MOST_DEPRIVED_RESPONSE_RATE = 0.35
SHARE_WITH_HOME_AREA = 0.85  # the rest chose their neighbourhood from the list


def block(kind, value):
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def options(*pairs):
    return [block("item", {"label": label, "theme": theme}) for label, theme in pairs]


def question(text, required=True, help_text="", theme=None, **extra):
    return {"question": text, "help_text": help_text, "required": required, "theme": theme,
            "show_if_question": "", "show_if_answer": "", **extra}


def section(title, introduction, *questions):
    return block("section", {"title": title, "introduction": introduction,
                             "questions": list(questions)})


def background(text):
    return [{"type": "paragraph", "value": f"<p>{text}</p>", "id": str(uuid.uuid4())}]


class Command(BaseCommand):
    help = ("Create a surveys index page and three demo surveys with generated responses "
            "across neighbourhoods and channels. Idempotent: surveys that already have "
            "responses are left alone.")

    def add_arguments(self, parser):
        parser.add_argument("--responses", type=int, default=2500,
                            help="Responses for the main survey (others get a share).")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--dry-run", action="store_true", help="Report, change nothing.")

    def handle(self, *args, responses=2500, seed=2026, dry_run=False, **options):
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("Run load_demo_data first: there is no home page.")
        if not Neighbourhood.objects.exists():
            raise CommandError("Run load_demo_data first: there are no neighbourhoods.")
        if dry_run:
            self.stdout.write("Would create the surveys index and three surveys with about "
                              f"{responses + responses // 2 + 300} responses.")
            return
        self.random = random.Random(seed)
        self.area_random = random.Random(seed + 1)  # home areas: a stream of their own
        self.area_weights = None
        self.themes = {t.slug: t.pk for t in Theme.objects.all()}
        self.neighbourhoods = list(Neighbourhood.objects.order_by("name"))
        index = SurveyIndexPage.objects.child_of(home).first()
        if index is None:
            index = SurveyIndexPage(title="Have your say", slug="have-your-say")
            home.add_child(instance=index)
        index.show_in_menus = True
        index.introduction = ("Tell us what matters in your neighbourhood. Every survey says "
                              "what it is for, how long it takes and what happens next.")
        index.save_revision().publish()
        now = timezone.now()
        for builder, count in ((self.priorities, responses), (self.family_hubs, responses // 2),
                               (self.library, 300)):
            survey = builder(index, now)
            if builder == self.priorities and self.add_map_question(survey):
                self.stdout.write(f"{survey.title}: added the “show us where” question.")
            if survey.responses.exists():
                self.stdout.write(f"{survey.title}: has responses already, left alone.")
                continue
            self.generate(survey, count, now)
            self.stdout.write(self.style.SUCCESS(f"{survey.title}: {count} responses."))

    def theme(self, slug):
        return self.themes.get(slug)

    def named(self, *names):
        """The demo neighbourhoods called `names` (those the borough has)."""
        return [n for n in self.neighbourhoods if n.name in names]

    def page(self, index, slug, **fields):
        page = SurveyPage.objects.child_of(index).filter(slug=slug).first()
        if page is None:
            page = SurveyPage(slug=slug, **fields)
            index.add_child(instance=page)
        elif page.responses.exists():
            return page  # questions are left as they are once people have answered
        else:
            for name, value in fields.items():
                setattr(page, name, value)
        page.save_revision().publish()
        return SurveyPage.objects.get(pk=page.pk)

    # The surveys --------------------------------------------------------------------------
    def priorities(self, index, now):
        ranked = [("Housing: cost, condition and overcrowding", "housing"),
                  ("Air quality and green spaces", "air-quality"),
                  ("Feeling safe in the street", "community-safety"),
                  ("Money worries and the cost of living", "financial-hardship"),
                  ("Loneliness and social isolation", "social-isolation"),
                  ("Mental health support", "mental-health"),
                  ("Getting a GP or health appointment", "access-to-health"),
                  ("Jobs, training and skills", "employment-skills")]
        return self.page(
            index, "what-matters-most",
            title="What matters most in your neighbourhood?",
            introduction="Help us set the priorities for your neighbourhood's plan for the next "
                         "three years.",
            background=background(
                "Brent is moving to neighbourhood working: council teams, the NHS and voluntary "
                "groups will plan together for each of the five neighbourhoods. No decisions "
                "have been made yet. What you tell us, with what we hear at neighbourhood "
                "forums, will decide the three or four priorities each neighbourhood plan "
                "starts from."),
            opens_at=now - timedelta(days=21), closes_at=now + timedelta(days=42),
            estimated_minutes=6, privacy_notice=PRIVACY,
            sections=[
                section("Where you live", "So we can count your answer for your neighbourhood.",
                        block("where_you_live", question(
                            "Where do you live?",
                            help_text="Enter your postcode, or choose your neighbourhood."))),
                section("Your priorities", "",
                        block("ranking", question(
                            "Rank the three issues that matter most for your neighbourhood",
                            options=options(*[(label, self.theme(slug)) for label, slug in
                                              ranked]), rank_count=3)),
                        block("multiple_choice", question(
                            "Which of these have affected you or your family in the last year?",
                            required=False, help_text="Select all that apply.",
                            options=options(
                                ("Damp or mould at home", self.theme("housing")),
                                ("Struggling to pay bills", self.theme("financial-hardship")),
                                ("Not enough food", self.theme("food-insecurity")),
                                ("Feeling lonely", self.theme("social-isolation")),
                                ("None of these", None)), max_choices=4)),
                        block("likert", question(
                            "I feel I belong in my neighbourhood",
                            theme=self.theme("social-isolation")))),
                self.map_section(),
                section("Anything else", "",
                        block("text", question(
                            "Is there anything else you want to tell us about your "
                            "neighbourhood?", required=False, long=True, max_length=1000)),
                        block("equality", {"introduction": (
                            "These questions help us check that we hear from everyone. Every "
                            "question is optional.")})),
            ],
        )

    def family_hubs(self, index, now):
        return self.page(
            index, "family-hubs-school-readiness",
            # A ParentalManyToManyField: saved with the published revision, not on its own.
            neighbourhoods=self.named("Harlesden", "Willesden", "Kilburn"),
            title="Family hubs and getting ready for school",
            introduction="Tell us how family hubs can help children under five get ready for "
                         "school.",
            background=background(
                "Family hubs bring health visitors, children's centres, libraries and voluntary "
                "groups together for families with children up to 19. We are deciding which "
                "services to offer first in each hub and when they should open."),
            opens_at=now - timedelta(days=10), closes_at=now + timedelta(days=20),
            estimated_minutes=4, privacy_notice=PRIVACY,
            sections=[
                section("About you", "",
                        block("where_you_live", question("Where do you live?")),
                        block("single_choice", question(
                            "Do you look after a child aged 0 to 5?",
                            options=options(("Yes", None), ("No", None))))),
                section("Family hubs", "",
                        block("multiple_choice", question(
                            "Which of these have you used in the last year?",
                            options=options(
                                ("Health visitor clinic", self.theme("access-to-health")),
                                ("Stay and play", self.theme("school-readiness")),
                                ("Library rhyme time", self.theme("school-readiness")),
                                ("Infant feeding support", self.theme("children-young-people")),
                                ("None of these", None)),
                            min_choices=1, show_if_question="Do you look after a child aged 0 "
                            "to 5?", show_if_answer="Yes")),
                        block("likert", question(
                            "It is easy to get to a family hub from my home",
                            theme=self.theme("access-to-health"))),
                        block("number", question(
                            "How many children under 5 live in your home?", required=False,
                            min_value=0, max_value=10))),
                section("Getting ready for school", "",
                        block("single_choice", question(
                            "What would help your family most before a child starts school?",
                            options=options(
                                ("Help with speech and language", self.theme("school-readiness")),
                                ("Advice on money and benefits",
                                 self.theme("financial-hardship")),
                                ("Support with my own wellbeing", self.theme("mental-health")),
                                ("Activities to meet other families",
                                 self.theme("social-isolation"))))),
                        block("text", question("What would make a family hub better for you?",
                                               required=False, long=True, max_length=1000))),
            ],
        )

    def library(self, index, now):
        return self.page(
            index, "harlesden-library-hub-hours", neighbourhoods=self.named("Harlesden"),
            title="Harlesden Library Hub: opening hours",
            introduction="Which opening hours would help you use the library hub?",
            background=background(
                "The library hub hosts Citizens Advice, housing and social prescribers. Its "
                "budget covers the same number of hours; we asked when they should be."),
            opens_at=now - timedelta(days=120), closes_at=now - timedelta(days=60),
            estimated_minutes=2, privacy_notice=PRIVACY, results_published=True,
            outcome_heard="<p>Most people asked for late opening on weekdays and said "
                          "Saturday mornings matter to families.</p>",
            outcome_decided="<p>From January the hub opens until 8pm on Tuesdays and Thursdays "
                            "and from 9am on Saturdays. Citizens Advice moves its drop-in to "
                            "Thursday evenings.</p>",
            sections=[
                section("Opening hours", "",
                        block("single_choice", question(
                            "When would you most like the hub to be open for longer?",
                            options=options(("Weekday evenings", None),
                                            ("Saturday mornings", None),
                                            ("Sunday afternoons", None)))),
                        block("likert", question("The hub's services are useful to me")),
                        block("text", question("Any other comments?", required=False))),
            ],
        )

    def map_section(self):
        places = [block("item", {"name": name, "latitude": lat, "longitude": lng})
                  for name, lat, lng in PLACES]
        return section(
            "A place that needs attention", "",
            block("map_pin", question(
                "Show us a place in your neighbourhood that needs attention", required=False,
                help_text="For example a dark alley, a broken pavement, or a park that needs "
                          "looking after.",
                theme=self.theme("community-safety"), places=places, allow_postcode=True)))

    def add_map_question(self, survey):
        """Add the "show us where" section to a survey made before it existed, with answers.

        Adding a question never touches other answers. Returns True when it was added (or
        answered) now, False when it already had answers.
        """
        question = survey.questions.filter(kind=Question.MAP_PIN, retired=False).first()
        if question is None:
            sections = survey.sections.get_prep_value()
            sections.insert(len(sections) - 1, self.map_section())
            survey.sections = sections
            survey.save_revision().publish()
            question = survey.questions.get(kind=Question.MAP_PIN, retired=False)
        if question.answers.exists() or not survey.responses.exists():
            return False
        self.prepare_map()
        answers = []
        for response in survey.responses.select_related("neighbourhood"):
            answers += self.map_answers(response, question)
        for answer in answers:
            answer.survey_id = survey.pk
        Answer.objects.bulk_create(answers, batch_size=2000)
        results_changed(survey.pk)
        return True

    def prepare_map(self):
        self.locator = get_locator()
        self.shapes = {n.pk: shape(n.boundary) for n in self.neighbourhoods if n.boundary}

    def map_answers(self, response, question):
        """About 60% answer: a named place, a point in their neighbourhood, or just the area."""
        rng = self.random
        if response.neighbourhood_id is None or rng.random() < 0.4:
            return []
        how = rng.random()
        options = list(question.options.all())
        places = question.config.get("places") or {}
        if how < 0.45 and options:
            nearby = [o for o in options if o.key in places and self.locator.locate(
                *places[o.key]) == response.neighbourhood_id] or options
            option = rng.choice(nearby)
            lat, lng = places.get(option.key, (None, None))
            return [Answer(response=response, question=question, option=option, latitude=lat,
                           longitude=lng, neighbourhood_id=self.locator.locate(lat, lng))]
        area = self.shapes.get(response.neighbourhood_id)
        if how < 0.85 and area is not None:
            min_x, min_y, max_x, max_y = area.bounds
            for _ in range(20):
                lat, lng = rng.uniform(min_y, max_y), rng.uniform(min_x, max_x)
                if self.locator.locate(lat, lng) == response.neighbourhood_id:
                    return [Answer(response=response, question=question,
                                   latitude=round(lat, 6), longitude=round(lng, 6),
                                   neighbourhood_id=response.neighbourhood_id)]
        return [Answer(response=response, question=question,
                       neighbourhood_id=response.neighbourhood_id)]

    # Responses ---------------------------------------------------------------------------
    @transaction.atomic
    def generate(self, survey, count, now):
        """Plausible answers, bulk-inserted: a few thousand take a second or two."""
        rng = self.random
        questions = active_questions(survey)
        targets = list(survey.neighbourhoods.all()) or self.neighbourhoods
        span = max(min(now, survey.closes_at) - survey.opens_at, timedelta(hours=1))
        responses = []
        for _ in range(count):
            channel = rng.choices([Response.ONLINE, Response.PAPER, Response.FORUM,
                                   Response.PHONE], weights=[70, 15, 10, 5])[0]
            responses.append(Response(
                survey=survey, reference=new_reference(), channel=channel,
                neighbourhood=rng.choice(targets),
                submitted_at=survey.opens_at + span * rng.random(),
            ))
            responses[-1].area_code = self.home_area(responses[-1].neighbourhood_id)
            if rng.random() < 0.01:  # a few likely duplicates for officers to review
                responses[-1].duplicate_suspect = True
                responses[-1].duplicate_reason = Response.SAME_ANSWERS
        Response.objects.bulk_create(responses, batch_size=1000)
        answers = []
        if any(q.kind == Question.MAP_PIN for q in questions):
            self.prepare_map()
        for response in responses:
            answers += self.answers_for(response, questions)
        for answer in answers:
            answer.survey_id = survey.pk
        Answer.objects.bulk_create(answers, batch_size=2000)
        results_changed(survey.pk)  # bulk inserts send no signals

    def home_area(self, neighbourhood_id) -> str:
        """An LSOA of the neighbourhood, by its people, the most deprived fifth less often.

        Uses its own random stream, so the rest of the demo's answers stay as they were."""
        if self.area_weights is None:
            self.area_weights = {}
            for need in NeighbourhoodNeed.objects.all():
                self.area_weights[need.neighbourhood_id] = (
                    [area["code"] for area in need.areas],
                    [area["people"] * (MOST_DEPRIVED_RESPONSE_RATE if area["decile"] <= 2 else 1)
                     for area in need.areas])
        codes, weights = self.area_weights.get(neighbourhood_id, ([], []))
        if not codes or sum(weights) <= 0 or self.area_random.random() > SHARE_WITH_HOME_AREA:
            return ""
        return self.area_random.choices(codes, weights=weights)[0]

    def answers_for(self, response, questions):
        rng, rows = self.random, []
        emphasis = EMPHASIS.get(response.neighbourhood.name, {})
        theme_slugs = {pk: slug for slug, pk in self.themes.items()}
        chosen = set()
        for question in questions:
            if question.show_if_option_id and question.show_if_option_id not in chosen:
                continue
            opts = list(question.options.all())
            if question.kind == Question.WHERE:
                rows.append(Answer(response=response, question=question, text=""))
            elif question.kind == Question.MAP_PIN:
                rows += self.map_answers(response, question)
            elif question.kind == Question.RANKING:
                weights = [emphasis.get(theme_slugs.get(o.theme_id), 1) for o in opts]
                picked = []
                while len(picked) < question.config["rank_count"]:
                    option = rng.choices(opts, weights=weights)[0]
                    if option not in picked:
                        picked.append(option)
                rows += [Answer(response=response, question=question, option=o, rank=i)
                         for i, o in enumerate(picked, start=1)]
            elif question.kind in (Question.SINGLE, Question.EQUALITY):
                if question.kind == Question.EQUALITY and rng.random() < 0.3:
                    continue
                option = rng.choices(opts, weights=[emphasis.get(theme_slugs.get(o.theme_id), 1)
                                                    + (i == 0) for i, o in enumerate(opts)])[0]
                chosen.add(option.pk)
                rows.append(Answer(response=response, question=question, option=option))
            elif question.kind == Question.MULTIPLE:
                real = [o for o in opts if o.label != "None of these"]
                picked = rng.sample(real, rng.randint(1, min(3, len(real))))
                rows += [Answer(response=response, question=question, option=o) for o in picked]
            elif question.kind == Question.LIKERT:
                rows.append(Answer(response=response, question=question,
                                   number=rng.choices([1, 2, 3, 4, 5], [8, 12, 20, 35, 25])[0]))
            elif question.kind == Question.NUMBER:
                rows.append(Answer(response=response, question=question,
                                   number=rng.choices([0, 1, 2, 3], [2, 5, 3, 1])[0]))
            elif question.kind == Question.TEXT and rng.random() < 0.15:
                rows.append(Answer(response=response, question=question, text=rng.choice(
                    COMMENTS)))
        return rows


# Named places for the "show us where" question (approximate positions).
PLACES = [
    ("Harlesden clock tower", 51.5367, -0.2481),
    ("Roundwood Park", 51.5421, -0.2356),
    ("Gladstone Park", 51.5571, -0.2322),
    ("Queen's Park, Kilburn", 51.5349, -0.2051),
    ("Wembley Park station", 51.5635, -0.2795),
    ("Fryent Country Park", 51.5770, -0.2745),
]

COMMENTS = [
    "The bus into Harlesden is always full in the morning.",
    "More things for teenagers to do in the evenings, please.",
    "Our flat has had damp for two winters and the repairs never come.",
    "It is hard to get a GP appointment without waiting on the phone for an hour.",
    "The park near us needs better lighting.",
    "I would use the library more if it opened on Sunday.",
    "Older neighbours on our road hardly see anyone from one week to the next.",
    "Thank you for asking. The community centre has been a lifeline.",
    "The air on the North Circular is awful for my son's asthma.",
    "Please keep the stay and play sessions: they helped my daughter settle into nursery.",
]
