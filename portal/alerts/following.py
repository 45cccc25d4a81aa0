"""Following neighbourhoods and themes: signing up (straight away when signed in, by double
opt-in by email otherwise), changing what is followed, stopping, counts for officers, and a
person's data."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import disclosure, ratelimit
from portal.mail import current_language, reader_language, send_email_later, site_url
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme
from portal.themes.names import theme_name

from . import tokens
from .models import Follow, Follower

# Follow forms sent per hour, per account or per address.
FOLLOWS_PER_HOUR = 10
# Confirm, manage and unsubscribe links followed per hour, per account or per address.
LINKS_PER_HOUR = 60

ALREADY, CONFIRMED = "already", "confirmed"


def rate_limited(kind: str, request) -> bool:
    """Count one attempt at `kind` ("follow" or "link"); True when over the hour's limit
    (`ALERTS_FOLLOWS_PER_HOUR`, `ALERTS_LINKS_PER_HOUR`)."""
    if kind == "follow":
        limit = getattr(settings, "ALERTS_FOLLOWS_PER_HOUR", FOLLOWS_PER_HOUR)
    else:
        limit = getattr(settings, "ALERTS_LINKS_PER_HOUR", LINKS_PER_HOUR)
    return ratelimit.hit(f"alerts-{kind}", ratelimit.requester(request), limit)


def _language() -> str:
    """The language the person is using now, as one the site offers: their alerts come in it."""
    return current_language()


def new_follower(**fields) -> Follower:
    """An unsaved follower with fresh link keys."""
    key = tokens.new_key()
    return Follower(token_key=key, token_hash=tokens.hash_token(tokens.unsubscribe_token(key)),
                    **fields)


def token_for(follower: Follower) -> str:
    return tokens.unsubscribe_token(follower.token_key)


def find_by_token(token: str) -> Follower | None:
    """The follower whose unsubscribe or manage link holds `token`, or None."""
    if not tokens.looks_like_token(token):
        return None
    return Follower.objects.filter(token_hash=tokens.hash_token(token)).first()


def set_follows(follower: Follower, neighbourhoods: Iterable, themes: Iterable, *,
                replace: bool = True) -> None:
    """Make `follower` follow these neighbourhoods and themes (only these, with `replace`)."""
    neighbourhood_ids = {getattr(item, "pk", item) for item in neighbourhoods}
    theme_ids = {getattr(item, "pk", item) for item in themes}
    current = list(follower.follows.all())
    if replace:
        unwanted = [item.pk for item in current
                    if item.neighbourhood_id not in neighbourhood_ids | {None}
                    or item.theme_id not in theme_ids | {None}]
        Follow.objects.filter(pk__in=unwanted).delete()
    have_n = {item.neighbourhood_id for item in current if item.neighbourhood_id}
    have_t = {item.theme_id for item in current if item.theme_id}
    Follow.objects.bulk_create(
        [Follow(follower=follower, neighbourhood_id=pk) for pk in neighbourhood_ids - have_n]
        + [Follow(follower=follower, theme_id=pk) for pk in theme_ids - have_t])


@transaction.atomic
def follow_as_user(user, neighbourhoods, themes, frequency: str) -> Follower:
    """A signed-in person follows straight away (their account's address is confirmed)."""
    follower = Follower.objects.filter(user=user).first() or new_follower(user=user)
    follower.frequency = frequency
    follower.language = _language()
    follower.confirmed_at = follower.confirmed_at or timezone.now()
    follower.save()
    set_follows(follower, neighbourhoods, themes)
    return follower


def request_confirmation(email: str, neighbourhoods, themes, frequency: str):
    """Email a link that confirms these choices for `email`; nothing is stored until then."""
    email = email.strip()
    token = tokens.confirmation_token({
        "email": email, "n": sorted(item.pk for item in neighbourhoods),
        "t": sorted(item.pk for item in themes), "f": frequency, "l": _language(),
        "at": timezone.now().timestamp()})
    link = site_url(reverse("alerts_confirm", args=[token]))
    names = ", ".join([str(item) for item in neighbourhoods] + [str(item) for item in themes])
    body = _("Please confirm that you want email alerts about: %(names)s.\n\n"
             "Confirm your alerts: %(link)s\n\n"
             "The link works for %(days)s days. If you did not ask for alerts, ignore this "
             "email: nothing will be sent and your address is not kept.") % {
        "names": names, "link": link, "days": tokens.CONFIRM_DAYS}
    return send_email_later(_("Confirm your alerts"), body, email)


def _chosen(payload: dict) -> tuple[list, list]:
    def ids(key):
        values = payload.get(key) or []
        return [value for value in values if isinstance(value, int)]

    return (list(Neighbourhood.objects.filter(pk__in=ids("n"))),
            list(Theme.objects.active().filter(pk__in=ids("t"))))


@transaction.atomic
def confirm(payload: dict) -> tuple[Follower, str]:
    """Apply a confirmation link's choices: (follower, CONFIRMED), or (follower, ALREADY) when
    this link was used before (nothing changes the second time)."""
    email = payload["email"]
    issued = payload.get("at") or 0
    follower = (Follower.objects.select_for_update()
                .filter(user__isnull=True, email__iexact=email).first())
    if follower and follower.confirmed_at and follower.confirmed_at.timestamp() >= issued:
        return follower, ALREADY
    if follower is None:
        follower = new_follower(email=email)
    frequency = payload.get("f")
    follower.frequency = (frequency if frequency in dict(Follower.FREQUENCIES)
                          else Follower.IMMEDIATE)
    follower.language = reader_language(str(payload.get("l") or ""))
    follower.confirmed_at = timezone.now()
    follower.save()
    neighbourhoods, themes = _chosen(payload)
    set_follows(follower, neighbourhoods, themes, replace=False)
    return follower, CONFIRMED


def stop(follower: Follower) -> None:
    """Stop every alert: the follower, what they follow and what was sent to them go."""
    follower.delete()


def following(follower: Follower | None) -> tuple[list, list]:
    """(neighbourhoods, themes) a follower follows."""
    if follower is None:
        return [], []
    follows = follower.follows.select_related("neighbourhood", "theme")
    return ([item.neighbourhood for item in follows if item.neighbourhood_id],
            [item.theme for item in follows if item.theme_id])


def follower_counts() -> dict:
    """How many confirmed followers each neighbourhood and theme has, as disclosure cells
    (small numbers hidden), never who."""
    confirmed = Q(alert_follows__follower__confirmed_at__isnull=False)
    neighbourhoods = Neighbourhood.objects.annotate(
        followers=Count("alert_follows__follower", filter=confirmed, distinct=True))
    themes = Theme.objects.annotate(
        followers=Count("alert_follows__follower", filter=confirmed, distinct=True))
    return {
        "neighbourhoods": [(item.name, disclosure.count(item.followers))
                           for item in neighbourhoods.order_by("name")],
        "themes": [(theme_name(item), disclosure.count(item.followers))
                   for item in themes.order_by("name")],
        "total": disclosure.count(Follower.objects.confirmed().count()),
    }


def personal_data(user) -> dict:
    """The alerts a person's account follows, for their data download."""
    follower = Follower.objects.filter(user=user).first()
    if follower is None:
        return {}
    neighbourhoods, themes = following(follower)
    return {"alerts": {
        "frequency": follower.frequency, "language": follower.language,
        "since": follower.created_at.isoformat(),
        "neighbourhoods": [item.name for item in neighbourhoods],
        "themes": [item.name for item in themes],
        "alerts_sent": follower.deliveries.filter(sent_at__isnull=False).count()}}


def forget_account(user) -> None:
    """Before an account goes: its alerts stop."""
    Follower.objects.filter(user=user).delete()
