"""Who follows what, and which alerts have gone to whom.

A `Follower` is a signed-in account or an email address alone (confirmed by double opt-in);
its `Follow`s name neighbourhoods and themes. `AlertDelivery` remembers each happening sent
to each follower (unique together), so a restarted job never sends one twice. `AlertRun`
keeps when each job last looked for new happenings.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FollowerQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class Follower(models.Model):
    """Someone who gets alerts: an account (`user`) or an email address alone."""

    IMMEDIATE, WEEKLY = "immediate", "weekly"
    FREQUENCIES = [(IMMEDIATE, _("As soon as something happens")),
                   (WEEKLY, _("A weekly summary"))]

    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.CASCADE, related_name="alert_follower")
    email = models.EmailField(_("email address"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    frequency = models.CharField(_("how often"), max_length=10, choices=FREQUENCIES,
                                 default=IMMEDIATE)
    language = models.CharField(_("language"), max_length=10, default="en")
    # A random key the unsubscribe link is derived from (with SECRET_KEY), and the link's
    # token hashed: the database alone holds no working link.
    token_key = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FollowerQuerySet.as_manager()

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""), name="alerts_follower_who"),
            models.UniqueConstraint(fields=["email"], condition=Q(user__isnull=True),
                                    name="alerts_one_follower_per_email"),
        ]

    def __str__(self):
        return f"follower {self.pk}"

    @property
    def address(self) -> str:
        """Where alerts go: the account's email, else the confirmed address."""
        return self.user.email if self.user_id else self.email


class Follow(models.Model):
    """One thing a follower follows: a neighbourhood or a theme."""

    follower = models.ForeignKey(Follower, on_delete=models.CASCADE, related_name="follows")
    neighbourhood = models.ForeignKey("neighbourhoods.Neighbourhood", null=True, blank=True,
                                      on_delete=models.CASCADE, related_name="alert_follows")
    theme = models.ForeignKey("themes.Theme", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="alert_follows")

    class Meta:
        verbose_name = _("follow")
        constraints = [
            models.CheckConstraint(
                condition=(Q(neighbourhood__isnull=False, theme__isnull=True)
                           | Q(neighbourhood__isnull=True, theme__isnull=False)),
                name="alerts_follow_one_thing"),
            models.UniqueConstraint(fields=["follower", "neighbourhood"],
                                    condition=Q(neighbourhood__isnull=False),
                                    name="alerts_follow_neighbourhood_once"),
            models.UniqueConstraint(fields=["follower", "theme"],
                                    condition=Q(theme__isnull=False),
                                    name="alerts_follow_theme_once"),
        ]

    def __str__(self):
        return str(self.neighbourhood or self.theme)


class AlertDelivery(models.Model):
    """A happening sent (or being sent) to a follower: claimed in the same transaction that
    queues the email, so a restarted job skips it."""

    follower = models.ForeignKey(Follower, on_delete=models.CASCADE, related_name="deliveries")
    happening_id = models.CharField(max_length=255)
    batch_id = models.CharField(max_length=40)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["follower", "happening_id"],
                                               name="alerts_deliver_once")]

    def __str__(self):
        return f"{self.happening_id} to follower {self.follower_id}"


class AlertRun(models.Model):
    """When a job ("immediate" or "digest") last looked for new happenings."""

    job = models.CharField(max_length=20, unique=True)
    last_run_at = models.DateTimeField()

    def __str__(self):
        return f"{self.job}: {self.last_run_at:%Y-%m-%d %H:%M}"
