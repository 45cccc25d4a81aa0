from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Neighbourhood
from .services import boundaries_changed


@receiver(post_save, sender=Neighbourhood)
@receiver(post_delete, sender=Neighbourhood)
def invalidate_locator(**kwargs):
    boundaries_changed()
