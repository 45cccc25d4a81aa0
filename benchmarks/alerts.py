"""Benchmark: queue and send one alert to each of 10,000 followers.

Creates a throwaway test database with --followers confirmed followers (immediate alerts),
makes the "what's new" registry answer with one whole-area happening (so every follower gets
it), then times the immediate alerts job (`portal.alerts.sending.run_immediate`: plan, claim
each delivery, render each email in the portal's layout, queue it and, with the test settings'
immediate task backend, send it with the in-memory email backend). The baseline, timed in the
same run: building the same number of plain `EmailMultiAlternatives` with the same subject,
text and headers, without rendering the layout, claiming or sending.

Run from the repository root:
  .venv/bin/python benchmarks/alerts.py
  .venv/bin/python benchmarks/alerts.py --followers 2000
"""

from __future__ import annotations

import argparse
import time
from datetime import timedelta

import harness


def make_followers(count: int) -> None:
    from django.utils import timezone

    from portal.alerts import following
    from portal.alerts.models import Follower

    since = timezone.now() - timedelta(days=1)
    followers = [following.new_follower(email=f"person{number}@example.org",
                                        confirmed_at=since) for number in range(count)]
    Follower.objects.bulk_create(followers, batch_size=2000)


def whole_area_happening():
    from django.utils import timezone

    from portal import happenings

    return happenings.Happening(
        id="bench:results:1", kind=happenings.RESULTS_PUBLISHED,
        title="Borough budget survey", url="/have-your-say/budget/results/",
        happened_at=timezone.now() - timedelta(minutes=5),
        summary="A summary of what people said in answer to this survey.", language="en")


def baseline(count: int, item) -> float:
    """Seconds to build `count` EmailMultiAlternatives like the alerts, without sending."""
    from django.core.mail import EmailMultiAlternatives

    start = time.perf_counter()
    for number in range(count):
        url = f"https://portal.example/alerts/unsubscribe/{number:064x}/"
        message = EmailMultiAlternatives(
            item.headline, f"{item.headline}\n{item.summary}\n{item.absolute_url()}\n{url}\n",
            "portal@example.org", [f"person{number}@example.org"],
            headers={"List-Unsubscribe": f"<{url}>",
                     "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
        message.attach_alternative(f"<p>{item.headline}</p>", "text/html")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=10_000)
    args = parser.parse_args()
    harness.setup_django()
    with harness.throwaway_database():
        from django.core import mail

        from portal import happenings
        from portal.alerts import sending
        from portal.alerts.models import AlertDelivery

        make_followers(args.followers)
        item = whole_area_happening()
        happenings.happenings = lambda **kwargs: [item]
        mail.outbox = []
        start = time.perf_counter()
        sent = sending.run_immediate()
        took = time.perf_counter() - start
        base = baseline(args.followers, item)
        assert sent == len(mail.outbox) == AlertDelivery.objects.count() == args.followers, (
            sent, len(mail.outbox))
        again = sending.run_immediate()
        print(f"followers: {args.followers:,}")
        print(f"queue and send (immediate task backend, in-memory email): {took:.2f} s, "
              f"{sent / took:,.0f} emails/s")
        print(f"baseline (build the same EmailMultiAlternatives, no layout, no send): "
              f"{base:.2f} s")
        print(f"ratio: {took / base:.1f}x the baseline")
        print(f"rerun: {again} emails sent again (must be 0)")


if __name__ == "__main__":
    main()
