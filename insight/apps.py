from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    """The community insight repository: every channel's free text, coded in one place."""

    name = "insight"
    label = "insight"
    verbose_name = _("Community insight")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Origins live in lower layers and know nothing of insight: listen to every save and
        # delete and keep those of the models the sources name (insight.sources).
        from . import sources

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(sources.origin_changed, dispatch_uid=f"insight.origin.{signal!r}")
