"""The full public demo (borough, assets, forums, surveys), loaded once per module inside a
transaction that is rolled back afterwards; each test still runs in its own savepoint."""

import os

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from tests.conftest import BOROUGH


@pytest.fixture(scope="module")
def _search_demo(_demo_borough, django_db_blocker):
    with django_db_blocker.unblock():
        if not BOROUGH.loaded:
            BOROUGH.load()
        atomic = transaction.atomic()
        atomic.__enter__()
        quiet = open(os.devnull, "w")
        for command, *args in (("load_demo_assets",), ("load_demo_forums",),
                               ("load_demo_surveys", "--responses", "0")):
            call_command(command, *args, stdout=quiet)
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()


@pytest.fixture
def search_demo(_search_demo, demo_site):
    """The demo site with every public app's content."""
    return demo_site
