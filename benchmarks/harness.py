"""What the benchmark scripts share: Django on the test settings, and a throwaway database.

The scripts run as `.venv/bin/python benchmarks/<name>.py`, so this module is importable as
`harness` from beside them.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def setup_django() -> None:
    """Import the portal from this checkout and set Django up on the test settings."""
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()


@contextlib.contextmanager
def throwaway_database():
    """A fresh test database for the length of the block, destroyed afterwards, so a
    benchmark never touches the development database."""
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield connection
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
