"""Model fields of plan actions: an adopted priority, and keys into the core's venue and
organisation catalogues (chosen in the admin from whatever the providers offer)."""

from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.extension_points import organisations, venues
from priorities.models import SnapshotPriority

NOT_ADOPTED_MESSAGE = _(
    "That priority has not been adopted, so a plan cannot cite it. Adopt it on the priorities "
    "page first, or choose an adopted priority."
)


class AdoptedPriorityField(models.ForeignKey):
    """A foreign key to an adopted `SnapshotPriority`, with a clear message for any other."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to", "priorities.SnapshotPriority")
        kwargs.setdefault("on_delete", models.PROTECT)
        kwargs["limit_choices_to"] = Q(decision=SnapshotPriority.ADOPTED)
        kwargs.setdefault("error_messages", {"invalid": NOT_ADOPTED_MESSAGE})
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        kwargs["queryset"] = SnapshotPriority.objects.select_related(
            "theme", "snapshot__neighbourhood").order_by("snapshot__neighbourhood__name",
                                                         "-snapshot__taken_at", "rank")
        kwargs.setdefault("error_messages", {"invalid_choice": NOT_ADOPTED_MESSAGE})
        return super().formfield(**kwargs)


class VenueKeysField(models.JSONField):
    """A list of hub or asset keys from the core venue catalogue (portal.extension_points)."""

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            label=self.verbose_name, required=False, choices=venues.choices,
            help_text=self.help_text, widget=forms.SelectMultiple(attrs={"size": 6}),
        )


class OrganisationKeysField(models.JSONField):
    """A list of organisation keys from the core organisation catalogue (portal.extension_points),
    which the asset map fills with the organisations on its published assets."""

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            label=self.verbose_name, required=False, choices=organisations.choices,
            help_text=self.help_text, widget=forms.SelectMultiple(attrs={"size": 8}),
        )
