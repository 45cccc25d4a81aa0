"""Demo community insight: a coding matrix in two versions, an import source and a year of
feedback, part coded. Run after load_demo_priorities (see insight/demo.py)."""

import time

from portal.demo.commands import DemoPagesCommand


class Command(DemoPagesCommand):
    help = ("Create the demo coding matrix (two versions), the Healthwatch Brent import source "
            "and about 200 more community feedback items over the past year, about 60% coded. "
            "Run after load_demo_priorities. Idempotent.")

    loaded_message = "Demo community insight loaded in {result:.1f} s."

    def load(self, home):
        from insight import demo

        started = time.perf_counter()
        demo.load(self.stdout)
        return time.perf_counter() - started
