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
from django.utils.translation import gettext as _

from portal.errors import InputError

# The UK postcode shapes (A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA) and GIR 0AA.
POSTCODE_RE = re.compile(r"^(?:[A-Z]{1,2}[0-9][0-9A-Z]?|GIR) ?[0-9][A-Z]{2}$")


class PostcodeError(InputError):
    """A postcode that cannot be placed. `code` names the outcome: empty; malformed ("not a
    postcode"); outside ("not in our area"); not_found ("we could not find this postcode", in
    a district the area covers); unavailable (the online service failed). `postcode` is what
    was looked up, normalised where it could be."""

    def __init__(self, message, code: str, postcode: str = ""):
        super().__init__(message, code)
        self.postcode = postcode


def _problem(code: str) -> str:
    """The first sentence of each outcome's message; it names the postcode."""
    if code == "malformed":
        return _("“%(postcode)s” is not a postcode. Enter a full UK postcode, like NW10 8SE.")
    if code == "outside":
        return _("%(postcode)s is not in our area: this portal covers only the neighbourhoods "
                 "on its map. Check the postcode.")
    if code == "not_found":
        return _("We could not find the postcode %(postcode)s. It is in our area, but it may "
                 "be new or mistyped: check it.")
    if code == "unavailable":
        return _("Postcode search is not working right now, so we could not look up "
                 "%(postcode)s.")
    return _("Enter a postcode, like NW10 8SE.")


def postcode_error(code: str, postcode: str = "", next_step: str = "") -> PostcodeError:
    """The PostcodeError for an outcome, its message ending with the form's `next_step` (a
    sentence such as "You can choose your neighbourhood from the list instead.")."""
    message = _problem(code) % {"postcode": postcode}
    if next_step:
        message = f"{message} {next_step}"
    return PostcodeError(message, code, postcode)


def normalise_postcode(text: str, next_step: str = "") -> str:
    """Upper-case with a single space before the inward code: ' nw108se ' -> 'NW10 8SE'."""
    compact = re.sub(r"\s+", "", text or "").upper()
    if not compact:
        raise postcode_error("empty", "", next_step)
    candidate = f"{compact[:-3]} {compact[-3:]}"
    if not 5 <= len(compact) <= 7 or not POSTCODE_RE.match(candidate):
        raise postcode_error("malformed", " ".join((text or "").split())[:20], next_step)
    return candidate


@dataclass(frozen=True)
class Location:
    postcode: str
    latitude: float
    longitude: float


class Geocoder:
    """Turns a normalised postcode into a Location, or None when it does not know the postcode;
    raises PostcodeError("unavailable") when it cannot answer."""

    def locate(self, postcode: str) -> Location | None:
        raise NotImplementedError


class OfflinePostcodeGeocoder(Geocoder):
    """Looks postcodes up in the portal's own table."""

    def locate(self, postcode: str) -> Location | None:
        from .models import Postcode

        row = Postcode.objects.filter(postcode=postcode).first()
        if row is None:
            return None
        return Location(postcode, row.latitude, row.longitude)


class HttpPostcodeGeocoder(Geocoder):
    """Asks an online service; `PORTAL_GEOCODER_URL` holds `{postcode}` and answers JSON with
    `result.latitude` and `result.longitude` (the shape postcodes.io uses). It sends only the
    normalised postcode, in the address of one GET request without cookies."""

    timeout = 5

    def locate(self, postcode: str) -> Location | None:
        url = settings.PORTAL_GEOCODER_URL.format(postcode=urllib.parse.quote(postcode))
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as response:  # noqa: S310
                payload = json.load(response)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise postcode_error("unavailable", postcode) from exc
        except (OSError, ValueError) as exc:
            raise postcode_error("unavailable", postcode) from exc
        result = payload.get("result") if isinstance(payload, dict) else None
        if not isinstance(result, dict):
            raise postcode_error("unavailable", postcode)
        if result.get("latitude") is None or result.get("longitude") is None:
            return None  # a real postcode with no grid reference yet: it cannot be placed
        return Location(postcode, float(result["latitude"]), float(result["longitude"]))


@lru_cache(maxsize=4)
def _geocoder_class(path: str):
    return import_string(path)


def get_geocoder() -> Geocoder:
    """The geocoder named by the PORTAL_GEOCODER setting."""
    return _geocoder_class(settings.PORTAL_GEOCODER)()


def geocode(text: str, next_step: str = "") -> Location:
    """Normalise and locate a postcode typed by a person, anywhere in the UK.

    Raises PostcodeError: empty or malformed; outside for a postcode the geocoder does not know
    in a district the area does not cover; not_found for one it does not know in a covered
    district (or when no district is known); unavailable. Each message names the postcode and
    ends with `next_step`, the form's own way on."""
    from .districts import district_covered

    postcode = normalise_postcode(text, next_step)
    try:
        location = get_geocoder().locate(postcode)
    except PostcodeError as exc:
        raise postcode_error(exc.code, postcode, next_step) from exc
    if location is not None:
        return location
    code = "outside" if district_covered(postcode) is False else "not_found"
    raise postcode_error(code, postcode, next_step)


@dataclass(frozen=True)
class Placed:
    """A located postcode and the neighbourhood it is in."""

    location: Location
    neighbourhood_id: int


def place_postcode(text: str, next_step: str = "") -> Placed:
    """Locate a typed postcode inside the area: as `geocode`, and PostcodeError("outside") for
    a real postcode whose point is outside every neighbourhood."""
    from .services import get_locator

    location = geocode(text, next_step)
    found = get_locator().locate(location.latitude, location.longitude)
    if found is None:
        raise postcode_error("outside", location.postcode, next_step)
    return Placed(location, found)
