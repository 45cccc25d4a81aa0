"""The people taking part in forums: registrations (places and the waiting list) and the
themes attendees chose in online votes."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.themes.models import Theme
from portal.validators import validate_name

from .pages import ForumEventPage
from .querysets import RegistrationQuerySet, normalise_email


def new_token():
    """The key of a registration's personal links: unguessable and safe in a URL."""
    return secrets.token_urlsafe(24)


class Registration(models.Model):
    """One person's place (or waiting-list spot) at a forum."""

    PENDING, CONFIRMED, WAITING, CANCELLED = "pending", "confirmed", "waiting", "cancelled"
    STATUS_CHOICES = [
        (PENDING, _("Waiting for email confirmation")), (CONFIRMED, _("Registered")),
        (WAITING, _("On the waiting list")), (CANCELLED, _("Cancelled")),
    ]
    ATTEND_IN_PERSON, ATTEND_ONLINE = "in_person", "online"
    MODE_CHOICES = [(ATTEND_IN_PERSON, _("In person")), (ATTEND_ONLINE, _("Online"))]
    # An email address not confirmed within this time no longer holds anything: the person can
    # register afresh, and send_forum_reminders deletes the request.
    PENDING_EXPIRY = timedelta(hours=48)

    event = models.ForeignKey(ForumEventPage, verbose_name=_("forum"), on_delete=models.CASCADE,
                              related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True,
                             blank=True, on_delete=models.SET_NULL,
                             related_name="forum_registrations")
    name = models.CharField(_("name"), max_length=150, validators=[validate_name])
    email = models.EmailField(_("email"))
    access_needs = models.TextField(_("access needs"), blank=True)
    attendance_mode = models.CharField(_("attending"), max_length=12, choices=MODE_CHOICES)
    status = models.CharField(_("status"), max_length=12, choices=STATUS_CHOICES)
    wants_waiting_list = models.BooleanField(default=False)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    waiting_since = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    voted_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    # The language the person registered in: every email about this registration (the
    # reminder, a place coming up, the forum cancelled) is written in it, whoever or whatever
    # triggers it (portal.mail.in_language falls back to the default language if the site
    # stops offering it).
    language = models.CharField(_("language"), max_length=10, default="en")

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("forum registration")
        verbose_name_plural = _("forum registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"], condition=~Q(status="cancelled"),
                name="forums_one_active_registration_per_email",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self):
        return f"{self.name} – {self.event_id} ({self.status})"

    @property
    def is_confirmed(self):
        return self.status == self.CONFIRMED

    @property
    def shows_joining_link(self):
        """Only confirmed attendees of an online or hybrid forum see its joining link."""
        event = self.event
        return bool(self.is_confirmed and event.is_online and event.joining_link)

    def has_expired(self, now=None):
        """True for a request whose email address was not confirmed in time."""
        return (self.status == self.PENDING
                and self.created_at < (now or timezone.now()) - self.PENDING_EXPIRY)

    def belongs_to(self, user):
        """True when this is the signed-in account's registration, or was made with its email."""
        return bool(user.is_authenticated and (
            self.user_id == user.pk or self.email == normalise_email(user.email)))

    def waiting_position(self):
        if self.status != self.WAITING:
            return None
        earlier = Registration.objects.filter(event_id=self.event_id, status=self.WAITING).filter(
            Q(waiting_since__lt=self.waiting_since)
            | Q(waiting_since=self.waiting_since, pk__lt=self.pk)
        )
        return earlier.count() + 1


class OnlineVote(models.Model):
    """One theme chosen by a confirmed attendee in a forum's online vote."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="votes")
    event = models.ForeignKey(ForumEventPage, on_delete=models.CASCADE,
                              related_name="online_votes")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("online vote")
        constraints = [models.UniqueConstraint(fields=["registration", "theme"],
                                               name="forums_one_vote_per_theme")]

    def __str__(self):
        return f"{self.theme_id} ({self.event_id})"
