"""Several people taking the last place at the same moment: one gets it, nobody overbooks."""

import threading

import pytest
from django.db import connection

from forums.models import Registration
from forums.registrations import register
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_simultaneous_registrations_never_exceed_capacity(make_event):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"] == ":memory:":
        pytest.skip("threads need a database file")
    event = make_event(capacity=2)
    people = [make_user(f"person{number}@example.org") for number in range(6)]
    barrier = threading.Barrier(len(people))
    outcomes = []

    def take_place(user):
        from django.db import connections

        try:
            barrier.wait()
            registration = register(event, user=user, join_waiting_list=True)
            outcomes.append(registration.status)
        except Exception as error:  # noqa: BLE001 - recorded and asserted below
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take_place, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["confirmed"] * 2 + ["waiting"] * 4, outcomes
    assert Registration.objects.filter(status="confirmed").count() == 2
