from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """Locality plans: drafted by officers, approved by councillors, on the web and in print."""

    name = "plans"
    label = "plans"
    verbose_name = _("Locality plans")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save
        from wagtail.signals import page_published

        from .models import LocalityPlanIndexPage, LocalityPlanPage

        page_published.connect(_plan_published, sender=LocalityPlanPage,
                               dispatch_uid="plans.rebuild_trail")
        post_save.connect(_index_saved, sender=LocalityPlanIndexPage,
                          dispatch_uid="plans.ensure_governance")


def _plan_published(sender, instance, **kwargs):
    """Link the plan's actions to the survey and forum pages behind their priorities."""
    from . import services

    services.rebuild_trail(instance)


def _index_saved(sender, instance, created, raw=False, **kwargs):
    """A new plan index gets the approval workflow and the plan page permissions."""
    if created and not raw:
        from . import services

        services.ensure_governance(instance)
