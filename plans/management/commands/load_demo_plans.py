from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page, Workflow

from plans import demo
from plans.catalogues import venue_details
from plans.models import (
    ActionUpdate,
    LocalityPlanIndexPage,
    LocalityPlanPage,
    PlanAction,
    PlanBudgetLine,
    PlanContact,
    PlanMeasure,
    PlanPriority,
    PlanRisk,
)
from plans.trail import link_evidence_page
from plans.workflow import WORKFLOW_NAME, ensure_governance
from portal import roles
from portal.demo.commands import DemoPagesCommand
from portal.extension_points import organisations, venues
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme
from priorities.models import PrioritySnapshot, SnapshotPriority

PUBLISHED = ("Harlesden", "harlesden-plan")
DRAFT = ("Willesden", "willesden-plan")
FALLBACK_THEMES = ["financial-hardship", "homelessness", "school-readiness"]


class Command(DemoPagesCommand):
    help = ("Create the locality plans page, a published plan for Harlesden, a draft for "
            "Willesden awaiting councillor approval, and two months of progress updates. Run "
            "after load_demo_priorities (without it, demo snapshots are made). Idempotent.")

    loaded_message = "Demo locality plans loaded."

    def load(self, home):
        index = LocalityPlanIndexPage.objects.child_of(home).first()
        if index is None:
            index = LocalityPlanIndexPage(
                title="Locality plans", slug="plans", show_in_menus=True,
                introduction="The plan for each neighbourhood: the priorities residents set, "
                             "what the council and its partners will do, and how it is going.")
            home.add_child(instance=index)
            index.save_revision().publish()
            self.stdout.write("  locality plans page created")
        ensure_governance(index)
        officer = (get_user_model().objects.filter(groups__name=roles.OFFICERS)
                   .order_by("pk").first())

        name, slug = PUBLISHED
        plan = LocalityPlanPage.objects.child_of(index).filter(slug=slug).first()
        if plan is None:
            plan = self.make_plan(index, name, slug)
            if plan is not None:
                plan.save_revision(user=officer).publish()
                self.stdout.write(f"  {plan.title}: published")
        if plan is not None and not ActionUpdate.objects.for_plan(plan).exists():
            self.updates(plan, officer)
        if plan is not None:
            self.trail(plan)

        name, slug = DRAFT
        draft = LocalityPlanPage.objects.child_of(index).filter(slug=slug).first()
        if draft is None:
            draft = self.make_plan(index, name, slug, live=False)
            if draft is not None:
                draft.save_revision(user=officer)
                workflow = Workflow.objects.get(name=WORKFLOW_NAME)
                workflow.start(draft, officer)
                self.stdout.write(f"  {draft.title}: draft, awaiting councillor approval")

    def adopted(self, neighbourhood):
        """The latest snapshot with adopted priorities, or a demo one when there is none."""
        snapshot = (PrioritySnapshot.objects.filter(neighbourhood=neighbourhood,
                                                    priorities__decision="adopted")
                    .order_by("-taken_at").first())
        if snapshot is None:
            self.stdout.write(self.style.WARNING(
                f"  {neighbourhood.name} has no adopted priorities (run load_demo_priorities "
                "for real evidence): making a demo snapshot."))
            snapshot = PrioritySnapshot.objects.create(
                neighbourhood=neighbourhood, title=f"{neighbourhood.name}: demo priorities",
                method="demo", weights={"surveys": 1, "forums": 1, "feedback": 1},
                totals={"surveys": {"people": 212}, "forums": {"people": 64}})
            themes = {t.slug: t for t in Theme.objects.filter(slug__in=FALLBACK_THEMES)}
            for rank, theme_slug in enumerate(FALLBACK_THEMES, start=1):
                if theme_slug not in themes:
                    continue
                SnapshotPriority.objects.create(
                    snapshot=snapshot, theme=themes[theme_slug], rank=rank, score=10 - rank * 2,
                    evidence={"surveys": {"count": 140 - rank * 20, "people": 90 - rank * 10},
                              "forums": {"count": 40 - rank * 5, "people": 30}},
                    summary="Ranked highly in the 'have your say' survey and at the "
                            "neighbourhood forum.",
                    decision=SnapshotPriority.ADOPTED, decided_at=timezone.now())
        priorities = list(snapshot.priorities.adopted().select_related("theme").order_by("rank"))
        return snapshot, priorities

    def make_plan(self, index, name, slug, live=True):
        neighbourhood = Neighbourhood.objects.filter(name=name).first()
        if neighbourhood is None:
            self.stdout.write(self.style.WARNING(f"  no {name} neighbourhood: skipped"))
            return None
        snapshot, priorities = self.adopted(neighbourhood)
        if not priorities:
            self.stdout.write(self.style.WARNING(f"  {name}: no adopted priorities, skipped"))
            return None
        today = timezone.localdate()
        plan = LocalityPlanPage(
            title=f"{name} neighbourhood plan", slug=slug, neighbourhood=neighbourhood,
            snapshot=snapshot, period_start=today.year, period_end=today.year + 2,
            summary=(f"How the council, the NHS and voluntary and community partners will tackle "
                     f"what {name} residents said matters most: "
                     + ", ".join(p.theme.name.lower() for p in priorities) + "."),
            introduction=demo.INTRODUCTION, governance=demo.GOVERNANCE, live=live)
        plan.plan_priorities = [
            PlanPriority(priority=p, commitment=f"Fewer {name} residents reach crisis because "
                         f"of {p.theme.name.lower()}.") for p in priorities]
        plan.actions = self.plan_actions(priorities, today)
        plan.budget_lines = [PlanBudgetLine(item=item, amount=Decimal(amount), source=source,
                                            shared_costs=shared)
                             for item, amount, source, shared in demo.BUDGET]
        plan.measures = [
            PlanMeasure(indicator=indicator, unit=unit, baseline=Decimal(baseline),
                        baseline_date=demo.offset(today, base_days), target=Decimal(target),
                        target_date=demo.offset(today, target_days),
                        latest_value=Decimal(latest) if latest else None,
                        latest_date=demo.offset(today, latest_days) if latest else None,
                        source=source)
            for (indicator, unit, baseline, base_days, target, target_days, latest, latest_days,
                 source) in demo.MEASURES]
        plan.risks = [PlanRisk(risk=risk, likelihood=likelihood, impact=impact,
                               mitigation=mitigation, owner=owner)
                      for risk, likelihood, impact, mitigation, owner in demo.RISKS]
        plan.contacts = [PlanContact(role=role, organisation=organisation, email=email,
                                     phone=phone)
                         for role, organisation, email, phone in demo.CONTACTS]
        index.add_child(instance=plan)
        return plan

    def plan_actions(self, priorities, today) -> list[PlanAction]:
        """The demo actions of each priority, some linked to hubs from the venue catalogue."""
        hubs = [key for key, _label in self.venue_choices()][:4]
        actions = []
        for number, priority in enumerate(priorities):
            rows = demo.ACTIONS.get(priority.theme.slug) or demo.GENERIC_ACTIONS
            for row_number, (title, description, lead, partners, start, length, status,
                             link) in enumerate(rows):
                keys = [hubs[(number + row_number) % len(hubs)]] if (link and hubs) else []
                organisation_keys, others = self.partner_organisations(partners)
                actions.append(PlanAction(
                    priority=priority, title=title, description=description, lead_role=lead,
                    partner_organisation_keys=organisation_keys, partners=others,
                    start_date=demo.offset(today, start),
                    due_date=demo.offset(today, start + length), status=status,
                    venue_keys=keys, venues=venue_details(keys)))
        return actions

    def partner_organisations(self, partners: str) -> tuple[list[str], str]:
        """Partners named like an organisation on the asset map become links to it (keys);
        the others stay free text."""
        if not hasattr(self, "_organisations"):
            self._organisations = {label.casefold(): key for key, label in organisations.choices()}
        keys, others = [], []
        for line in partners.splitlines():
            key = self._organisations.get(line.strip().casefold())
            if key:
                keys.append(key)
            elif line.strip():
                others.append(line.strip())
        return keys, "\n".join(others)

    def trail(self, plan):
        """Show "you said, we did" in the demo: link the plan's first action to the closed
        library hub survey (its questions name no theme, so no evidence module links it) and
        the first action of each priority to the neighbourhood's past forum, where residents
        agreed the priorities. Pages are found by slug: plans do not import surveys or forums.
        """
        actions = list(plan.actions.order_by("sort_order", "pk"))
        if not actions:
            return
        firsts = list({action.priority_id: action for action in reversed(actions)}.values())
        targets = [("harlesden-library-hub-hours", [actions[0]]),
                   (f"{plan.neighbourhood.slug}-forum-previous" if plan.neighbourhood_id else "",
                    firsts)]
        for slug, linked in targets:
            page = Page.objects.live().filter(slug=slug, locale=plan.locale).first()
            if page is None:
                continue
            for action in linked:
                link_evidence_page(action, page)
            self.stdout.write(f"  trail: {len(linked)} action(s) linked to {page.title}")

    def venue_choices(self):
        choices = venues.choices()
        hubs = [c for c in choices if "Harlesden" in str(c[1])] + choices
        seen, unique = set(), []
        for key, label in hubs:
            if key not in seen:
                seen.add(key)
                unique.append((key, label))
        return unique

    def updates(self, plan, officer):
        actions = list(plan.actions.order_by("sort_order", "pk"))
        today = timezone.localdate()
        count = 0
        for months_back, rows in zip((2, 1), demo.UPDATES, strict=True):
            first = demo.month_back(today, months_back)
            for (title, day, status, note, next_steps, learning, help_needed,
                 issue) in rows:
                action = next((a for a in actions if a.title.startswith(title)), None)
                if action is None:  # the neighbourhood's priorities have other actions
                    continue
                ActionUpdate.objects.create(
                    action=action, date=first.replace(day=day), status=status,
                    note=note, next_steps=next_steps, learning=learning,
                    help_needed=help_needed, issue=issue, created_by=officer)
                count += 1
        self.stdout.write(f"  {count} progress updates over two months")
