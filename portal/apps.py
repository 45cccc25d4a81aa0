from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from . import converters

# Before any app's URL patterns are built (wagtail_hooks and routable pages build theirs when
# their modules are imported): the `id` converter must be known by then.
converters.register()


class PortalConfig(AppConfig):
    """The project package: base templates, static files, system checks and site-wide commands."""

    name = "portal"
    label = "portal"
    verbose_name = _("Neighbourhood portal")

    def ready(self):
        from django.db.models.signals import pre_migrate

        from . import checks

        checks.log_missing_sqlite_files()
        from .cache import create_cache_table

        pre_migrate.connect(create_cache_table, dispatch_uid="portal.create_cache_table")
        from .spreadsheets import guard_wagtail_exports

        guard_wagtail_exports()
        from . import request_memo

        request_memo.install()
