"""Settings for `make scale-check`: the production settings, unchanged but for two anti-abuse
limits that every simulated resident (all on 127.0.0.1, answering at once) would rightly hit.

Everything else (Redis cache and sessions, PostgreSQL, the trusted proxy count, static files
through whitenoise, the database task queue) comes from the environment, as in production.
"""

from portal.settings.production import *  # noqa: F403

SURVEYS_SUBMISSIONS_PER_HOUR = 10**9  # every load-test resident has the same address
SURVEYS_MIN_SECONDS = 0  # load-test residents answer instantly
