from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "portal.pages"
    label = "pages"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .chrome import connect_signals

        connect_signals()
