"""Postcode normalisation and the offline geocoder."""

import io
import json

import pytest

from portal.neighbourhoods import geocoding
from portal.neighbourhoods.geocoding import (
    HttpPostcodeGeocoder,
    OfflinePostcodeGeocoder,
    PostcodeError,
    geocode,
    normalise_postcode,
)
from portal.neighbourhoods.models import Postcode


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("nw108se", "NW10 8SE"),  # as written in the real library data, without the space
        ("NW10 8SE", "NW10 8SE"),
        (" ha0 4ba ", "HA0 4BA"),
        ("ne8\t4lN", "NE8 4LN"),
        ("w1a1aa", "W1A 1AA"),
        ("EC1A  1BB", "EC1A 1BB"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_normalise_postcode(typed, expected):
    assert normalise_postcode(typed) == expected


@pytest.mark.parametrize("typed", ["NW10", "NW10 8SEXX", "12345", "NW10 88E", "1NW 8SE", "!!!!!"])
def test_malformed_postcodes_are_rejected(typed):
    with pytest.raises(PostcodeError) as caught:
        normalise_postcode(typed)
    assert caught.value.code == "malformed"
    assert "like NW10 8SE" in str(caught.value.message)


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_empty_postcode(typed):
    with pytest.raises(PostcodeError) as caught:
        normalise_postcode(typed)
    assert caught.value.code == "empty"


@pytest.mark.django_db
def test_offline_geocoder_finds_a_postcode():
    Postcode.objects.create(postcode="NW10 8SE", latitude=51.5423, longitude=-0.2487)
    location = OfflinePostcodeGeocoder().locate("NW10 8SE")
    assert (location.postcode, location.latitude, location.longitude) == (
        "NW10 8SE", 51.5423, -0.2487)


@pytest.mark.django_db
def test_offline_geocoder_finds_terminated_postcodes_too():
    Postcode.objects.create(postcode="HA0 4BA", latitude=51.55, longitude=-0.30, terminated=True)
    assert OfflinePostcodeGeocoder().locate("HA0 4BA").latitude == 51.55


@pytest.mark.django_db
def test_offline_geocoder_does_not_know_a_postcode_missing_from_its_table():
    assert OfflinePostcodeGeocoder().locate("NW10 8SE") is None
    with pytest.raises(PostcodeError) as caught:
        geocode("NW10 8SE")  # no district known: "we could not find", not "not in our area"
    assert caught.value.code == "not_found"
    assert "NW10 8SE" in str(caught.value.message)


@pytest.mark.django_db
def test_geocode_normalises_what_a_person_types():
    Postcode.objects.create(postcode="NW10 8SE", latitude=51.5423, longitude=-0.2487)
    assert geocode(" nw108se ").postcode == "NW10 8SE"


class FakeResponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"result": {"latitude": 51.54, "longitude": -0.25}}, None),
        ({"result": {"latitude": None, "longitude": None}}, "unknown"),
        (["not", "an", "object"], "unavailable"),
        ({"result": "unexpected"}, "unavailable"),
    ],
)
def test_http_geocoder_handles_odd_answers(settings, monkeypatch, payload, code):
    settings.PORTAL_GEOCODER_URL = "https://geocoder.invalid/postcodes/{postcode}"
    monkeypatch.setattr(
        geocoding.urllib.request, "urlopen",
        lambda url, timeout: FakeResponse(json.dumps(payload).encode()),
    )
    if code is None:
        assert HttpPostcodeGeocoder().locate("NW10 8SE").latitude == 51.54
        return
    if code == "unknown":  # a postcode with no location yet cannot be placed
        assert HttpPostcodeGeocoder().locate("NW10 8SE") is None
        return
    with pytest.raises(PostcodeError) as caught:
        HttpPostcodeGeocoder().locate("NW10 8SE")
    assert caught.value.code == code


@pytest.fixture
def postcode_service():
    """A small postcode service on the loopback interface, answering like postcodes.io."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            answers = {
                "/postcodes/NW10%208SE": (200, {"result": {"latitude": 51.5386,
                                                           "longitude": -0.2505}}),
                "/postcodes/HA9%200FJ": (500, {"error": "broken"}),
            }
            status, body = answers.get(self.path, (404, {"error": "Postcode not found"}))
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/postcodes/{{postcode}}"
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_http_geocoder_over_real_http(settings, postcode_service):
    settings.PORTAL_GEOCODER = "portal.neighbourhoods.geocoding.HttpPostcodeGeocoder"
    settings.PORTAL_GEOCODER_URL = postcode_service
    location = geocoding.geocode("nw10 8se")
    assert (location.postcode, location.latitude, location.longitude) == (
        "NW10 8SE", 51.5386, -0.2505)
    with pytest.raises(geocoding.PostcodeError) as not_found:
        geocoding.geocode("SW1A 1AA")
    assert not_found.value.code == "not_found"
    with pytest.raises(geocoding.PostcodeError) as broken:
        geocoding.geocode("HA9 0FJ")
    assert broken.value.code == "unavailable"
