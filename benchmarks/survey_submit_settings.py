"""Settings for benchmarks/survey_submit.py: the test settings without the anti-abuse limits.

The benchmark sends every submission from 127.0.0.1 as fast as it can, which the per-address
rate limit and the minimum-time trap would (rightly) refuse.
"""

from portal.settings.test import *  # noqa: F403

SURVEYS_SUBMISSIONS_PER_HOUR = 10**9  # all submissions come from one address
SURVEYS_MIN_SECONDS = 0  # the benchmark answers instantly
