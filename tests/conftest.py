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


def clear_cache(request) -> None:
    """Empty the cache, which is a table in the test database, for a test that uses the
    database (the others never touch the cache). Called from an autouse fixture, which runs
    before the test's own fixtures, so it sets up the test's database access first."""
    from django.core.cache import cache

    if needs_real_transactions(request.node):
        request.getfixturevalue("transactional_db")
    elif request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        return
    cache.clear()


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


def defined_rules(app_label: str) -> set[str]:
    """The actions an app's rules.py defines, without the app label: what its role table must
    cover."""
    import rules

    prefix = f"{app_label}."
    return {name.removeprefix(prefix) for name in rules.permissions.permissions
            if name.startswith(prefix)}


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


BOROUGH_ONLY, FULL_DEMO = "borough", "full demo"


class DemoBorough:
    """The demo borough, loaded once for a run of consecutive tests that use it.

    `load_demo_data` takes a second or two, and most tests want the same borough. So it is
    loaded inside an outer transaction that stays open while tests that use it follow one
    another; each test runs in a savepoint inside it (pytest-django nests test transactions)
    and is rolled back to the freshly loaded borough. Before a test that does not use it, or
    one that needs real transactions (the browser tests), the outer transaction is rolled back
    so that test sees the empty database it always did. Tests are ordered so that those using
    the borough run together within each module (see `pytest_collection_modifyitems`).

    The full demo (`full_demo`: the borough and every app's demo, as `make run` loads it, half
    a minute) is shared the same way by the tests that ask for it, which run first."""

    def __init__(self):
        self.blocker = None
        self.atomic = None
        self.kind = None

    @property
    def loaded(self) -> bool:
        return self.atomic is not None

    def load(self, kind: str = BOROUGH_ONLY) -> None:
        from django.core.cache import cache
        from django.db import transaction

        with self.blocker.unblock():
            cache.clear()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.kind = kind
            call_command("load_demo_data", stdout=open(os.devnull, "w"))
            if kind == FULL_DEMO:
                load_full_demo()

    def unload(self) -> None:
        from django.core.cache import cache
        from django.db import transaction

        if self.atomic is None:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
            self.atomic = None
            self.kind = None
            cache.clear()


def load_full_demo() -> None:
    from tests.performance.pages import load_full_demo as load_every_apps_demo

    FULL_DEMO_OUTPUT["translations"] = load_every_apps_demo()


# What loading the full demo last printed: the Welsh translations command's report.
FULL_DEMO_OUTPUT = {"translations": ""}


BOROUGH = DemoBorough()
TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def needs_real_transactions(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(TRANSACTIONAL_FIXTURES & set(item.fixturenames)) or bool(
        marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))


def shared_demo(item) -> str | None:
    """Which shared demo the test runs in: the full demo, the borough, or neither."""
    names = getattr(item, "fixturenames", ())
    if needs_real_transactions(item):
        return None
    if "full_demo" in names:
        return FULL_DEMO
    return BOROUGH_ONLY if "demo_site" in names else None


def shares_the_borough(item) -> bool:
    return shared_demo(item) is not None


DEMO_ORDER = {BOROUGH_ONLY: 0, FULL_DEMO: 1, None: 2}


def pytest_collection_modifyitems(items):
    """The tests that share the full demo first, together, and within each module the tests
    that share the demo borough first, so each loads once there.

    "--dist load" hands each worker a first batch of hundreds of consecutive tests, so the
    full-demo tests all land on one worker, which loads the full demo once."""
    module_order: dict = {}
    for item in items:
        module_order.setdefault(item.module.__name__ if item.module else "", len(module_order))
    position = {id(item): index for index, item in enumerate(items)}
    items.sort(key=lambda item: (
        needs_real_transactions(item),  # pytest-django runs these last; keep it so
        shared_demo(item) != FULL_DEMO,  # the full-demo tests together, whichever module
        module_order[item.module.__name__ if item.module else ""],
        DEMO_ORDER[shared_demo(item)],
        position[id(item)],
    ))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if BOROUGH.blocker is None:
        return  # the database is not set up yet: the first such test loads its own borough
    needed = shared_demo(item)
    if needed != BOROUGH.kind:
        BOROUGH.unload()
        if needed is not None:
            BOROUGH.load(needed)


@pytest.fixture(scope="session")
def _demo_borough(request, django_db_setup, django_db_blocker):
    BOROUGH.blocker = django_db_blocker
    # The first test to share a demo set this fixture up (session fixtures come before its
    # transaction): load what it shares now, outside that transaction, as later tests will.
    needed = shared_demo(request._pyfuncitem)
    if needed is not None:
        BOROUGH.load(needed)
    yield BOROUGH
    BOROUGH.unload()


@pytest.fixture
def demo_site(db, _demo_borough):
    """The demo borough: five Brent neighbourhoods with pages, standard pages and postcodes."""
    from django.core.cache import cache
    from wagtail.models import Site

    cache.clear()  # nothing cached from an earlier test of the same borough
    if not _demo_borough.loaded:
        call_command("load_demo_data", stdout=open(os.devnull, "w"))
    return Site.objects.get(is_default_site=True)


def full_demo_output() -> str:
    return FULL_DEMO_OUTPUT["translations"]


@pytest.fixture
def full_demo(demo_site):
    """What `make run` loads: the borough, then every app's demo (English and Welsh), shared by
    the consecutive tests that ask for it as the borough is. `full_demo_output()` is what the
    Welsh translations command printed."""
    if BOROUGH.kind != FULL_DEMO:
        load_full_demo()
    return demo_site


@pytest.fixture(autouse=True)
def english_by_default():
    """Each test starts in English: a request to a /cy/ page leaves Welsh active in the thread."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


def post_as_bytes(client, url, data: dict):
    """POST form data as a browser would send the bytes, lone surrogates included: "\\ud800"
    is encoded as the (invalid UTF-8) bytes ED A0 80, which the test client's own encoder
    refuses to produce."""
    from urllib.parse import quote_from_bytes

    body = "&".join(f"{quote_from_bytes(str(key).encode())}="
                    f"{quote_from_bytes(str(value).encode('utf-8', 'surrogatepass'))}"
                    for key, value in data.items())
    return client.post(url, body, content_type="application/x-www-form-urlencoded")
