"""The links in alert emails.

*Unsubscribe / manage links* carry a token made from the follower's random `token_key` with
the site's SECRET_KEY (an HMAC); only its SHA-256 is stored and looked up, so neither a copy of
the database nor a guess gives a working link, and a changed character finds nobody.

*Confirmation links* (double opt-in) carry the choices themselves, signed and timestamped with
`django.core.signing`: nothing about the person is stored until they confirm, and a link
expires after `CONFIRM_DAYS`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "portal.alerts.confirm"
CONFIRM_DAYS = 3
TOKEN_PATTERN = re.compile(r"^[0-9a-f]{64}$")


def new_key() -> str:
    """A fresh random key for a follower's links."""
    return secrets.token_hex(32)


def unsubscribe_token(key: str) -> str:
    """The token in a follower's unsubscribe and manage links."""
    return hmac.new(settings.SECRET_KEY.encode(), f"alerts:{key}".encode(),
                    hashlib.sha256).hexdigest()


def hash_token(token: str) -> str:
    """What is stored: the token's SHA-256."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def looks_like_token(token: str) -> bool:
    return bool(TOKEN_PATTERN.match(token or ""))


def confirmation_token(payload: dict) -> str:
    """A signed, timestamped link token holding the choices to confirm."""
    return signing.dumps(payload, salt=CONFIRM_SALT, compress=True)


def confirm_max_age() -> int:
    return int(getattr(settings, "ALERTS_CONFIRM_DAYS", CONFIRM_DAYS)) * 24 * 3600


def read_confirmation(token: str) -> tuple[dict | None, str]:
    """(payload, "") for a good link; (None, "expired") or (None, "invalid") otherwise."""
    try:
        payload = signing.loads(token, salt=CONFIRM_SALT, max_age=confirm_max_age())
    except signing.SignatureExpired:
        return None, "expired"
    except (signing.BadSignature, ValueError, TypeError):
        return None, "invalid"
    if not isinstance(payload, dict) or not isinstance(payload.get("email"), str):
        return None, "invalid"
    return payload, ""
