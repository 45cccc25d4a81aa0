"""Named queries for forums: which forums to list, and which registrations count."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Locale, PageManager
from wagtail.query import PageQuerySet

from portal.neighbourhoods.models import Neighbourhood


class ForumEventQuerySet(PageQuerySet):
    def upcoming(self, now=None):
        """Forums that have not ended yet, soonest first (cancelled ones included, marked)."""
        return self.filter(end__gte=now or timezone.now()).order_by("start", "pk")

    def past(self, now=None):
        """Forums that have ended, most recent first."""
        return self.filter(end__lt=now or timezone.now()).order_by("-start", "-pk")

    def for_neighbourhood(self, neighbourhood):
        """Forums for this neighbourhood (among others)."""
        return self.filter(neighbourhoods=neighbourhood).distinct()

    def in_default_language(self):
        """Forums in the default language: translated copies share the original's
        registrations and votes, so counting these counts each forum once."""
        return self.filter(locale=Locale.get_default())

    def published_under(self, index):
        """The live, public forums listed on a forum index."""
        return self.live().public().descendant_of(index)

    def listing(self, when: str, neighbourhood=None):
        """A forum index's list: "past" (latest first) or else upcoming (soonest first),
        for one neighbourhood or all, with their neighbourhoods fetched in one query."""
        events = self if neighbourhood is None else self.for_neighbourhood(neighbourhood)
        events = events.past() if when == "past" else events.upcoming()
        return events.prefetch_related("neighbourhoods")

    def neighbourhoods_covered(self):
        """The neighbourhoods these forums are for, by name (the index's filter choices)."""
        links = self.model.neighbourhoods.through.objects.filter(forumeventpage__in=self)
        return Neighbourhood.objects.filter(
            pk__in=links.values("neighbourhood_id")).order_by("name")

    def coming_up(self, locale=None):
        """Live, public, not cancelled forums still to come, in one language (the active one
        unless given), soonest first: what other pages of the site list."""
        return (self.live().public().filter(is_cancelled=False,
                                            locale=locale or Locale.get_active())
                .upcoming().prefetch_related("neighbourhoods"))


ForumEventManager = PageManager.from_queryset(ForumEventQuerySet)


def normalise_email(email: str) -> str:
    """An email address as registrations store it: trimmed and lower case."""
    return (email or "").strip().lower()


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        """Registrations that hold a place, a waiting-list spot or await email confirmation."""
        return self.exclude(status=self.model.CANCELLED)

    def confirmed(self):
        """Registrations holding a place."""
        return self.filter(status=self.model.CONFIRMED)

    def waiting_in_order(self):
        """The waiting list, first come first served."""
        return self.filter(status=self.model.WAITING).order_by("waiting_since", "pk")

    def expired(self, now=None):
        """Requests whose email address was not confirmed in time."""
        return self.filter(status=self.model.PENDING,
                           created_at__lt=(now or timezone.now()) - self.model.PENDING_EXPIRY)

    def of_person(self, user):
        """An account's registrations, including those made with its email before signing in."""
        return self.filter(Q(user=user) | Q(email=normalise_email(user.email)))
