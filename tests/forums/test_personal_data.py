"""A person's forum data: downloading it, and what deleting the account does."""

import pytest

from forums.models import Registration
from forums.registrations import register
from portal.accounts.services import delete_account, export_personal_data
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_personal_data_export_and_account_deletion(make_event, resident):
    event = make_event(capacity=1)
    register(event, user=resident, access_needs="Step-free access")
    waiting = register(event, user=make_user("w@example.org"), join_waiting_list=True)
    data = export_personal_data(resident)["forum_registrations"]
    assert data[0]["forum"] == event.title and data[0]["access_needs"] == "Step-free access"
    delete_account(resident)
    assert not Registration.objects.filter(email="resident@example.org").exists()
    waiting.refresh_from_db()
    assert waiting.status == Registration.CONFIRMED  # the freed place went to the next person
