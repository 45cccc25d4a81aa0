"""Organisations and their members: registering, adding editors, asking to join and answering.

Who may do each of these is in `rules.py`; the views ask it before calling in here.
"""

from __future__ import annotations

import re

from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import roles
from portal.errors import InputError

from .audit import record_organisation
from .models import JoinRequest, Organisation, OrganisationMembership

_SPACES = re.compile(r"\s+")


def join_vcs_group(user) -> None:
    """Put a member of an organisation in the VCS organisations group (if it exists)."""
    group = Group.objects.filter(name=roles.VCS_ORGANISATIONS).first()
    if group:
        user.groups.add(group)


@transaction.atomic
def register_organisation(organisation: Organisation, user) -> Organisation:
    """Save a new organisation with the person who registered it as its owner."""
    organisation.save()
    OrganisationMembership.objects.create(organisation=organisation, user=user,
                                          role=OrganisationMembership.OWNER)
    join_vcs_group(user)
    return organisation


def add_editor(organisation: Organisation, user) -> OrganisationMembership:
    """Make someone who already has an account an editor of an organisation."""
    return OrganisationMembership.objects.create(organisation=organisation, user=user,
                                                 role=OrganisationMembership.EDITOR)


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

def _owner_emails(organisation) -> list[str]:
    return list(organisation.memberships.filter(role=OrganisationMembership.OWNER)
                .exclude(user__email="").values_list("user__email", flat=True))


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
    organisation, user = join_request.organisation, join_request.user
    link = build_url(reverse("assets_map:organisation", args=[organisation.slug]))
    who = user.get_full_name() or user.email
    body = _("%(who)s (%(email)s) has asked to join %(name)s on the community asset map, so "
             "they can edit its places and services.\n\n") % {
        "who": who, "email": user.email, "name": organisation.name}
    if join_request.message:
        body += _("Their message: %(message)s\n\n") % {"message": join_request.message}
    body += _("Approve or decline the request on your organisation's page: %(link)s") % {
        "link": link}
    owners = _owner_emails(organisation)
    if owners:
        send_mail(_("Request to join %(name)s") % {"name": organisation.name}, body, None,
                  owners, fail_silently=True)


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
    if join_request.user.email:
        send_mail(subject, body, None, [join_request.user.email], fail_silently=True)
    return join_request
