from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """Locality plans: drafted by officers, approved by councillors, on the web and in print."""

    name = "plans"
    label = "plans"
    # Models shown on cached public page parts: saving one moves the content version on
    # (portal/neighbourhoods/content_cache.py).
    shown_on_public_pages = {"planpriority", "planaction", "planbudgetline", "planmeasure",
                                 "planrisk", "plancontact", "actionupdate", "actionevidence"}
    verbose_name = _("Locality plans")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: models and the modules that use them load once the registry is ready.
        from django.db.models.signals import post_save
        from wagtail.signals import page_published

        from . import signals
        from .models import LocalityPlanIndexPage, LocalityPlanPage

        page_published.connect(signals.plan_published, sender=LocalityPlanPage,
                               dispatch_uid="plans.rebuild_trail")
        post_save.connect(signals.index_saved, sender=LocalityPlanIndexPage,
                          dispatch_uid="plans.ensure_governance")
