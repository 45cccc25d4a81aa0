"""Postcode to latitude/longitude, through a pluggable geocoder chosen by `PORTAL_GEOCODER`.

The default reads the offline `Postcode` table (import it with `import_postcodes` from the ONS
Postcode Directory), so the portal needs no outside service and tests need no network.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from portal.errors import InputError

# The UK postcode shapes (A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA) and GIR 0AA.
POSTCODE_RE = re.compile(r"^(?:[A-Z]{1,2}[0-9][0-9A-Z]?|GIR) ?[0-9][A-Z]{2}$")


class PostcodeError(InputError):
    """A postcode that cannot be placed; `code` is empty, malformed, not_found or unavailable."""


def normalise_postcode(text: str) -> str:
    """Upper-case with a single space before the inward code: ' nw108se ' -> 'NW10 8SE'."""
    compact = re.sub(r"\s+", "", text or "").upper()
    if not compact:
        raise PostcodeError(_("Enter a postcode, like NW10 8SE."), "empty")
    if len(compact) < 5 or len(compact) > 7:
        raise PostcodeError(
            _("Enter a full UK postcode, like NW10 8SE. “%(postcode)s” is not the right length.")
            % {"postcode": text.strip()[:20]},
            "malformed",
        )
    candidate = f"{compact[:-3]} {compact[-3:]}"
    if not POSTCODE_RE.match(candidate):
        raise PostcodeError(
            _("Enter a UK postcode in the right format, like NW10 8SE. “%(postcode)s” is not.")
            % {"postcode": text.strip()[:20]},
            "malformed",
        )
    return candidate


@dataclass(frozen=True)
class Location:
    postcode: str
    latitude: float
    longitude: float


class Geocoder:
    """Turns a normalised postcode into a Location or raises PostcodeError."""

    def locate(self, postcode: str) -> Location:
        raise NotImplementedError


class OfflinePostcodeGeocoder(Geocoder):
    """Looks postcodes up in the portal's own table."""

    def locate(self, postcode: str) -> Location:
        from .models import Postcode

        row = Postcode.objects.filter(postcode=postcode).first()
        if row is None:
            raise PostcodeError(
                _("We could not find the postcode %(postcode)s. Check it, or choose your "
                  "neighbourhood from the list or the map.") % {"postcode": postcode},
                "not_found",
            )
        return Location(postcode, row.latitude, row.longitude)


class HttpPostcodeGeocoder(Geocoder):
    """Asks an online service; `PORTAL_GEOCODER_URL` holds `{postcode}` and answers JSON with
    `result.latitude` and `result.longitude` (the shape postcodes.io uses)."""

    timeout = 5

    def locate(self, postcode: str) -> Location:
        url = settings.PORTAL_GEOCODER_URL.format(postcode=urllib.parse.quote(postcode))
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as response:  # noqa: S310
                payload = json.load(response)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                raise PostcodeError(
                    _("We could not find the postcode %(postcode)s. Check it, or choose your "
                      "neighbourhood from the list or the map.") % {"postcode": postcode},
                    "not_found",
                ) from exc
            raise self._unavailable() from exc
        except (OSError, ValueError) as exc:
            raise self._unavailable() from exc
        if not isinstance(payload, dict):
            raise self._unavailable()
        result = payload.get("result") or {}
        if not isinstance(result, dict):
            raise self._unavailable()
        if result.get("latitude") is None or result.get("longitude") is None:
            raise PostcodeError(
                _("The postcode %(postcode)s has no location yet. Choose your neighbourhood "
                  "from the list or the map.") % {"postcode": postcode},
                "not_found",
            )
        return Location(postcode, float(result["latitude"]), float(result["longitude"]))

    @staticmethod
    def _unavailable():
        return PostcodeError(
            _("Postcode search is not working right now. Choose your neighbourhood from the "
              "list or the map."),
            "unavailable",
        )


@lru_cache(maxsize=4)
def _geocoder_class(path: str):
    return import_string(path)


def get_geocoder() -> Geocoder:
    """The geocoder named by the PORTAL_GEOCODER setting."""
    return _geocoder_class(settings.PORTAL_GEOCODER)()


def geocode(text: str) -> Location:
    """Normalise and locate a postcode typed by a person; raises PostcodeError with a message."""
    return get_geocoder().locate(normalise_postcode(text))
