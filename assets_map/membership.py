"""Organisations and their members: registering, inviting editors, asking to join and
answering.

Who may do each of these is in `rules.py`; the views ask it before calling in here. Emails go
through the task queue (`portal.mail`) and hold links, not other people's details. Inviting
someone works the same whether or not the address has an account, so the form cannot be used
to find out who has one.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal import ratelimit, roles
from portal.errors import InputError
from portal.mail import in_language, send_email_later

from .audit import record_organisation
from .models import JoinRequest, Organisation, OrganisationMembership

_SPACES = re.compile(r"\s+")


def join_vcs_group(user) -> None:
    """Put a member of an organisation in the VCS organisations group (if it exists)."""
    group = Group.objects.filter(name=roles.VCS_ORGANISATIONS).first()
    if group:
        user.groups.add(group)


# A group registers itself once; a handful a day covers someone setting up several groups,
# and stops one account filling the map with organisations. Officers are not limited.
ORGANISATIONS_PER_DAY = 5


def check_registration_allowance(user) -> None:
    """Raise InputError (code `rate_limited`) when `user` has registered as many organisations
    in the last 24 hours as one account may (`ASSETS_MAP_ORGANISATIONS_PER_DAY`, default 5).

    Counted in the database (organisations created in that time that the person owns), so the
    allowance is the same in every process. People with
    `assets_map.register_organisations_without_limit` (officers) are not limited.
    """
    if user.has_perm("assets_map.register_organisations_without_limit"):
        return
    limit = getattr(settings, "ASSETS_MAP_ORGANISATIONS_PER_DAY", ORGANISATIONS_PER_DAY)
    recent = Organisation.objects.filter(
        memberships__user=user, memberships__role=OrganisationMembership.OWNER,
        created_at__gte=timezone.now() - timedelta(days=1)).distinct().count()
    if recent >= limit:
        raise InputError(ngettext(
            "You have registered %(count)s organisation in the last 24 hours, the most one "
            "account can. Nothing has been saved and your details are still in the form: try "
            "again tomorrow, or ask the council's community team to register it for you.",
            "You have registered %(count)s organisations in the last 24 hours, the most one "
            "account can. Nothing has been saved and your details are still in the form: try "
            "again tomorrow, or ask the council's community team to register it for you.",
            recent) % {"count": recent}, "rate_limited")


@transaction.atomic
def register_organisation(organisation: Organisation, user) -> Organisation:
    """Save a new organisation with the person who registered it as its owner.

    Raises InputError (code `rate_limited`) over the daily allowance (see
    `check_registration_allowance`); nothing is saved then.
    """
    check_registration_allowance(user)
    # Unverified: its assets wait until an officer has checked it once (verification.py).
    organisation.verified_at = organisation.verified_by = None
    organisation.save()
    OrganisationMembership.objects.create(organisation=organisation, user=user,
                                          role=OrganisationMembership.OWNER)
    join_vcs_group(user)
    record_organisation(organisation, user, "organisation registered", subject_user=user)
    return organisation


# --- inviting editors -------------------------------------------------------------------------

INVITATION_SALT = "assets_map.invitation"
INVITATION_MAX_AGE = 60 * 60 * 24 * 14  # an invitation works for 14 days
# An owner invites a few people; this stops anyone using the form to send bulk email.
INVITATIONS_PER_HOUR = 20


def invitation_token(organisation: Organisation, email: str) -> str:
    """The signed token of an emailed invitation to edit an organisation."""
    return signing.dumps({"organisation": organisation.pk, "email": email.lower()},
                         salt=INVITATION_SALT, compress=True)


def invitation_from_token(token: str) -> tuple[Organisation, str] | None:
    """(organisation, invited address) of a valid invitation, or None if forged or expired."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:
        return None
    organisation = Organisation.objects.filter(pk=data.get("organisation")).first()
    return (organisation, data.get("email", "")) if organisation else None


def invite_editor(organisation: Organisation, email: str, inviter, build_url) -> None:
    """Email an invitation to edit the organisation. The same happens whether or not the
    address has an account: they join when they accept, signing in or signing up with it.

    Raises InputError (`member`) if a member has the address, (`rate`) past the hourly limit.
    """
    email = email.strip()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise InputError(_("They are already a member."), "member")
    limit = getattr(settings, "ASSETS_MAP_INVITATIONS_PER_HOUR", INVITATIONS_PER_HOUR)
    if ratelimit.hit("assets_map.invitations", f"user:{inviter.pk}", limit):
        raise InputError(_("You have sent a lot of invitations in the last hour. Try again "
                           "later."), "rate")
    link = build_url(reverse("assets_map:invitation",
                             args=[invitation_token(organisation, email)]))
    body = _("You have been invited to help keep %(name)s's places and services up to date on "
             "the community asset map.\n\nTo accept, open this link and sign in with this "
             "email address, or create an account with it if you do not have one: %(link)s\n\n"
             "The link works for 14 days. If you did not expect this, you can ignore this "
             "email.") % {"name": organisation.name, "link": link}
    send_email_later(_("Invitation to edit %(name)s") % {"name": organisation.name}, body,
                     [email])
    record_organisation(organisation, inviter, "member invited")


@transaction.atomic
def accept_invitation(token: str, user) -> Organisation:
    """Make the signed-in person an editor, if the invitation was sent to their address.

    Raises InputError: `invalid` (forged or expired) or `other_address`.
    """
    found = invitation_from_token(token)
    if found is None:
        raise InputError(_("This invitation has expired or is not valid. Ask the "
                           "organisation's owner to invite you again."), "invalid")
    organisation, email = found
    if (user.email or "").lower() != email:
        raise InputError(_("This invitation was sent to a different email address. Sign out, "
                           "then sign in or create an account with the address it was sent "
                           "to."), "other_address")
    _membership, created = OrganisationMembership.objects.get_or_create(
        organisation=organisation, user=user,
        defaults={"role": OrganisationMembership.EDITOR})
    if created:
        join_vcs_group(user)
        record_organisation(organisation, user, "invitation accepted", subject_user=user)
    return organisation


def find_organisations(text: str):
    """Organisations whose name contains `text`, or whose charity or company number is it."""
    text = _SPACES.sub(" ", text or "").strip()
    if not text:
        return Organisation.objects.none()
    number = text.replace(" ", "")
    return Organisation.objects.filter(
        Q(name__icontains=text) | Q(charity_number__iexact=number)
        | Q(company_number__iexact=number)).order_by("name")


# --- asking to join ---------------------------------------------------------------------------

def _owner_emails(organisation) -> dict[str, list[str]]:
    """The owners' addresses by the language each last used (`User.language`)."""
    found: dict[str, list[str]] = {}
    for email, language in (organisation.memberships.filter(role=OrganisationMembership.OWNER)
                            .exclude(user__email="")
                            .values_list("user__email", "user__language")):
        found.setdefault(language, []).append(email)
    return found


def _check_can_ask(organisation: Organisation, user) -> None:
    """Raise InputError unless `user` may ask: not a member, and not already waiting."""
    if organisation.memberships.filter(user=user).exists():
        raise InputError(_("You are already a member of %(name)s.")
                         % {"name": organisation.name}, "member")
    earlier = organisation.join_requests.pending().filter(user=user).first()
    if earlier is not None:
        raise InputError(_("You asked to join %(name)s on %(date)s. Its owners have not "
                           "answered yet; you will get an email when they do.")
                         % {"name": organisation.name,
                            "date": date_format(timezone.localtime(earlier.created_at),
                                                "j F Y")},
                         "duplicate")


def _tell_owners(join_request: JoinRequest, build_url) -> None:
    """Email the owners a link to the request: who asked and their message stay on the site."""
    organisation = join_request.organisation
    for language, emails in _owner_emails(organisation).items():
        with in_language(language):  # each owner in their own language
            link = build_url(reverse("assets_map:organisation", args=[organisation.slug]))
            body = _("Someone has asked to join %(name)s on the community asset map, so they "
                     "can edit its places and services.\n\nSign in to see who asked and "
                     "approve or decline the request on your organisation's page: %(link)s") % {
                "name": organisation.name, "link": link}
            send_email_later(_("Request to join %(name)s") % {"name": organisation.name}, body,
                             emails)


@transaction.atomic
def request_to_join(organisation: Organisation, user, message: str, build_url) -> JoinRequest:
    """Ask to become a member of an organisation; its owners are emailed.

    Raises InputError (code `member` or `duplicate`) for people who are already members or
    already waiting. `build_url(path)` makes the owners' link absolute.
    """
    _check_can_ask(organisation, user)
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(organisation=organisation, user=user,
                                                      message=message.strip()[:1000])
    except IntegrityError as exc:  # the same request sent twice at once
        raise InputError(_("You have already asked to join %(name)s.")
                         % {"name": organisation.name}, "duplicate") from exc
    record_organisation(organisation, user, "join requested", subject_user=user)
    _tell_owners(join_request, build_url)
    return join_request


# --- answering a request ----------------------------------------------------------------------

def _approve(join_request: JoinRequest, owner, role: str) -> tuple[str, str]:
    """Make the person a member with `role`; returns the email to them (subject, body)."""
    organisation, user = join_request.organisation, join_request.user
    if role not in (OrganisationMembership.OWNER, OrganisationMembership.EDITOR):
        raise InputError(_("Choose a role."), "role")
    join_request.status, join_request.role = JoinRequest.APPROVED, role
    OrganisationMembership.objects.get_or_create(organisation=organisation, user=user,
                                                 defaults={"role": role})
    join_vcs_group(user)
    record_organisation(organisation, owner, "join approved",
                        reason=_("Role: %(role)s") % {
                            "role": dict(OrganisationMembership.ROLE_CHOICES)[role]},
                        subject_user=user)
    with in_language(user.language):  # the email is for the person who asked
        subject = _("You are now a member of %(name)s") % {"name": organisation.name}
        body = _("Your request to join %(name)s on the community asset map was approved. "
                 "Sign in and open “Your organisations” to edit its places and services.") % {
            "name": organisation.name}
    return subject, body


def _decline(join_request: JoinRequest, owner) -> tuple[str, str]:
    """Turn the request down; returns the email to the person who asked (subject, body)."""
    organisation = join_request.organisation
    join_request.status = JoinRequest.DECLINED
    record_organisation(organisation, owner, "join declined", reason=join_request.reason,
                        subject_user=join_request.user)
    with in_language(join_request.user.language):  # the email is for the person who asked
        subject = _("Your request to join %(name)s") % {"name": organisation.name}
        if join_request.reason:
            body = _("The owners of %(name)s declined your request to join it.\n\nReason: "
                     "%(reason)s") % {"name": organisation.name, "reason": join_request.reason}
        else:
            body = _("The owners of %(name)s declined your request to join it.") % {
                "name": organisation.name}
    return subject, body


@transaction.atomic
def decide_join_request(join_request: JoinRequest, owner, approve: bool,
                        role: str = OrganisationMembership.EDITOR, reason: str = "") -> JoinRequest:
    """An owner approves (with a role) or declines (with an optional reason) a request to join.

    The person who asked is emailed either way. Raises InputError (code `decided`) if the
    request was already answered, and PermissionError if `owner` may not answer it
    (`assets_map.decide_join_request`).
    """
    if not owner.has_perm("assets_map.decide_join_request", join_request):
        raise PermissionError("Only an organisation's owners can answer requests to join it.")
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.PENDING:
        raise InputError(_("This request was already answered."), "decided")
    join_request.decided_by, join_request.decided_at = owner, timezone.now()
    join_request.reason = reason.strip()
    if approve:
        subject, body = _approve(join_request, owner, role)
    else:
        subject, body = _decline(join_request, owner)
    join_request.save()
    with in_language(join_request.user.language):  # the layout's footer too
        send_email_later(subject, body, [join_request.user.email])
    return join_request
