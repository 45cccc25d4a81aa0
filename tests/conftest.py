"""Fixtures shared by the whole suite: real data paths, people in each role, the demo site."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
DEMO_PASSWORD = "a-long-test-password"


@pytest.fixture
def shared_data():
    """The real public data beside the repository (../shared/data)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"The shared test data is not at {SHARED_DATA}")
    return SHARED_DATA


def make_user(email, group=None, **extra):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(email=email, password=DEMO_PASSWORD, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def resident(db):
    return make_user("resident@example.org")


@pytest.fixture
def officer(db):
    return make_user("officer@example.org", "Officers")


@pytest.fixture
def councillor(db):
    return make_user("councillor@example.org", "Councillors")


@pytest.fixture
def vcs_member(db):
    return make_user("vcs@example.org", "VCS organisations")


@pytest.fixture
def superuser(db):
    return make_user("admin@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def demo_site(db):
    """The demo borough: five Brent neighbourhoods with pages, standard pages and postcodes."""
    call_command("load_demo_data", stdout=open(os.devnull, "w"))
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True)


@pytest.fixture(autouse=True)
def english_by_default():
    """Each test starts in English: a request to a /cy/ page leaves Welsh active in the thread."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()
