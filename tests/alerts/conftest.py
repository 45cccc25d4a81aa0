"""Followers and the `world` of happenings (tests/feeds/conftest.py: one of each kind)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.alerts import following
from portal.alerts.models import AlertRun, Follower
from tests.feeds.conftest import harlesden, kilburn, snapshot, world  # noqa: F401


def make_follower(email="amina@example.org", neighbourhoods=(), themes=(), *, user=None,
                  frequency=Follower.IMMEDIATE, confirmed_days_ago=90, language="en"):
    """A confirmed follower (since `confirmed_days_ago`) of these neighbourhoods and themes."""
    follower = following.new_follower(
        email="" if user else email, user=user, frequency=frequency, language=language,
        confirmed_at=timezone.now() - timedelta(days=confirmed_days_ago))
    follower.save()
    following.set_follows(follower, neighbourhoods, themes)
    return follower


@pytest.fixture
def long_ago_run(db):
    """The immediate job last ran 60 days ago, so the whole `world` is new to it."""
    return AlertRun.objects.create(job="immediate",
                                   last_run_at=timezone.now() - timedelta(days=60))
