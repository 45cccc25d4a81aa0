"""One account registers at most a few organisations a day; officers are not limited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assets_map.models import Organisation
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

NAMES = ["Kilburn Food Bank", "Harlesden Tenants Association", "Willesden Youth Theatre",
         "Stonebridge Allotment Society", "Wembley Chess Players", "Neasden Gospel Choir",
         "Dollis Hill Repair Cafe"]


def register(client, name):
    return client.post("/organisations/new/", {"name": name, "description": "Local group"})


def test_an_account_registers_five_organisations_a_day(client, resident):
    client.force_login(resident)
    for name in NAMES[:5]:
        assert register(client, name).status_code == 302
    response = register(client, NAMES[5])
    html = response.content.decode()
    assert response.status_code == 429
    assert "There is a problem" in html
    assert "You have registered 5 organisations in the last 24 hours" in html
    assert f'value="{NAMES[5]}"' in html  # the form as typed
    assert Organisation.objects.count() == 5
    assert not Organisation.objects.filter(name=NAMES[5]).exists()
    # Another account is not affected...
    client.force_login(make_user("other-group@example.org"))
    assert register(client, NAMES[5]).status_code == 302
    # ...and a day later the first account may register again.
    Organisation.objects.filter(name__in=NAMES[:5]).update(
        created_at=timezone.now() - timedelta(hours=25))
    client.force_login(resident)
    assert register(client, NAMES[6]).status_code == 302


def test_the_allowance_is_a_setting(client, resident, settings):
    settings.ASSETS_MAP_ORGANISATIONS_PER_DAY = 1
    client.force_login(resident)
    assert register(client, NAMES[0]).status_code == 302
    response = register(client, NAMES[1])
    assert response.status_code == 429
    assert "You have registered 1 organisation in the last 24 hours" in (
        response.content.decode())


def test_officers_are_not_limited(client, officer):
    client.force_login(officer)
    for name in NAMES:
        assert register(client, name).status_code == 302
    assert Organisation.objects.count() == len(NAMES)
