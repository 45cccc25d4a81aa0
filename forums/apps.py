from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    """Neighbourhood forums: events, registration, outcomes and the votes taken at them."""

    name = "forums"
    label = "forums"
    verbose_name = _("Forums")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_delete

        from portal.accounts.services import register_personal_data
        from portal.pages.services import register_neighbourhood_section, register_whats_on

        from . import services

        register_whats_on(services.whats_on)
        register_neighbourhood_section(services.neighbourhood_section)
        register_personal_data("forum_registrations", services.export_personal_data)
        pre_delete.connect(_forget_person, sender=get_user_model(),
                           dispatch_uid="forums_forget_person")


def _forget_person(sender, instance, **kwargs):
    from . import services

    services.forget_person(instance)
