"""Personal data of an account: export (right of access) and erasure (right to be forgotten).

Feature apps that hold personal data register an exporter under the `PERSONAL_DATA` hook
(`portal.extension_points`), so a person's download holds everything the portal keeps about them.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from portal import extension_points
from portal.roles import ROLE_GROUPS


def roles(user) -> list[str]:
    """The portal roles (group names) a person holds."""
    return [name for name in user.groups.values_list("name", flat=True) if name in ROLE_GROUPS]


def export_personal_data(user) -> dict:
    """Everything the portal holds about a person, as plain JSON-serialisable data."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "roles": roles(user),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "two_factor_methods": sorted(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
    }
    sections = extension_points.personal_data(user)
    data.update(sorted(sections.items()))
    return data


@transaction.atomic
def delete_account(user, *, delete_free_text: bool = False) -> None:
    """Erase an account. Feature apps first forget what would still point at the person (their
    PERSONAL_DATA_ERASURE hooks: network and browser hashes, and with `delete_free_text` what
    they wrote), then detach or anonymise what they keep through their FKs."""
    extension_points.erase_personal_data(user, delete_free_text=delete_free_text)
    user.delete()
