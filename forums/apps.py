from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    """Neighbourhood forums: events, registration, outcomes and the votes taken at them."""

    name = "forums"
    label = "forums"
    # Models shown on cached public page parts: saving one moves the content version on
    # (portal/neighbourhoods/content_cache.py).
    shown_on_public_pages = {"forumvotetally", "yousaidwedid"}
    verbose_name = _("Forums")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_delete

        pre_delete.connect(_forget_person, sender=get_user_model(),
                           dispatch_uid="forums_forget_person")


def _forget_person(sender, instance, **kwargs):
    from .contributions import forget_person

    forget_person(instance)
