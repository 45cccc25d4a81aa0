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


# Every app's permission table uses this role list, in this order.
ROLES = ("anonymous", "resident", "vcs_owner", "vcs_editor", "vcs_non_member", "officer",
         "councillor", "superuser")


class Cast(dict):
    """One person per role (AnonymousUser for "anonymous"), and the organisation that the
    VCS owner and editor belong to (the non-member is in the VCS group but not in it)."""

    organisation = None


@pytest.fixture
def people(db):
    """The cast of the permission tables: `people["officer"]`, `people.organisation`."""
    from django.contrib.auth.models import AnonymousUser

    from assets_map.models import Organisation, OrganisationMembership
    from portal import roles

    cast = Cast(
        anonymous=AnonymousUser(),
        resident=make_user("role-resident@example.org"),
        vcs_owner=make_user("role-vcs-owner@example.org", roles.VCS_ORGANISATIONS),
        vcs_editor=make_user("role-vcs-editor@example.org", roles.VCS_ORGANISATIONS),
        vcs_non_member=make_user("role-vcs-other@example.org", roles.VCS_ORGANISATIONS),
        officer=make_user("role-officer@example.org", roles.OFFICERS),
        councillor=make_user("role-councillor@example.org", roles.COUNCILLORS),
        superuser=make_user("role-admin@example.org", is_staff=True, is_superuser=True),
    )
    cast.organisation = Organisation.objects.create(name="Role Table Community Trust")
    OrganisationMembership.objects.create(organisation=cast.organisation,
                                          user=cast["vcs_owner"],
                                          role=OrganisationMembership.OWNER)
    OrganisationMembership.objects.create(organisation=cast.organisation,
                                          user=cast["vcs_editor"],
                                          role=OrganisationMembership.EDITOR)
    return cast


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
