"""Keep each neighbourhood's need in step with its boundary and the imported areas."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from portal.neighbourhoods.models import Neighbourhood

from .aggregation import aggregate_neighbourhood
from .models import StatisticalArea


@receiver(post_save, sender=Neighbourhood, dispatch_uid="deprivation_need_on_boundary")
def recompute_need(sender, instance, raw=False, **kwargs):
    """A saved neighbourhood may have a new boundary: recompute its need from the areas."""
    if raw or not StatisticalArea.objects.exists():
        return
    aggregate_neighbourhood(instance)
