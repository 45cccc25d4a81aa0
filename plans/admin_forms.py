"""The locality plan's Wagtail edit form (`LocalityPlanPage.base_form_class`): the checks that
need the whole plan, across its inline panels.

It imports no plan models, so the page model can name it as its base form class."""

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from .catalogues import venue_details


def priority_problem(priority, neighbourhood, locality, snapshot) -> str | None:
    """Why a plan for this area and snapshot cannot cite `priority`, or None if it can."""
    if not priority.is_adopted:
        return _("%(theme)s has not been adopted, so a plan cannot cite it. Adopt it on the "
                 "priorities page first, or choose an adopted priority.") % {
            "theme": priority.theme}
    area_id = priority.snapshot.neighbourhood_id
    if neighbourhood is not None and area_id != neighbourhood.pk:
        return _("%(theme)s is a priority for %(other)s, not %(this)s.") % {
            "theme": priority.theme, "other": priority.snapshot.neighbourhood,
            "this": neighbourhood}
    if locality is not None and priority.snapshot.neighbourhood.locality_id != locality.pk:
        return _("%(theme)s is a priority for %(other)s, which is not in %(this)s.") % {
            "theme": priority.theme, "other": priority.snapshot.neighbourhood,
            "this": locality}
    if snapshot is not None and neighbourhood is not None and priority.snapshot_id != snapshot.pk:
        return _("%(theme)s comes from a different snapshot from the one this plan cites "
                 "(%(snapshot)s).") % {"theme": priority.theme, "snapshot": snapshot}
    return None


def _kept_forms(formset):
    """The formset's forms that are not being deleted and that cleaned their data."""
    if formset is None:
        return []
    formset.is_valid()
    return [form for form in formset.forms
            if not formset._should_delete_form(form) and hasattr(form, "cleaned_data")]


class LocalityPlanPageForm(WagtailAdminPageForm):
    """Checks that need the whole plan: where the plan is for, that its priorities come from
    the right snapshot and that each action answers one of them."""

    def clean(self):
        cleaned_data = super().clean()
        chosen = self._check_priorities(cleaned_data)
        self._check_actions({priority.pk for priority in chosen})
        return cleaned_data

    def _check_priorities(self, cleaned_data) -> list:
        """Mark each priority the plan cannot cite, or cites twice; return the others."""
        neighbourhood = cleaned_data.get("neighbourhood")
        locality = cleaned_data.get("locality")
        snapshot = cleaned_data.get("snapshot")
        chosen = []
        for form in _kept_forms(self.formsets.get("plan_priorities")):
            priority = form.cleaned_data.get("priority")
            if priority is None:
                continue
            problem = priority_problem(priority, neighbourhood, locality, snapshot)
            if problem:
                form.add_error("priority", problem)
            elif priority.pk in {p.pk for p in chosen}:
                form.add_error("priority", _("%(priority)s is already in this plan.")
                               % {"priority": priority.theme})
            else:
                chosen.append(priority)
        return chosen

    def _check_actions(self, chosen_ids) -> None:
        """Mark each action whose priority is not one of the plan's; copy its venues."""
        for form in _kept_forms(self.formsets.get("actions")):
            priority = form.cleaned_data.get("priority")
            if priority is not None and priority.pk not in chosen_ids:
                form.add_error("priority", _(
                    "This action answers %(priority)s, which is not one of this plan's "
                    "priorities. Add it under Priorities, or choose one that is."
                ) % {"priority": priority.theme})
            keys = form.cleaned_data.get("venue_keys") or []
            form.instance.venues = venue_details(keys)
