"""Keep assets' neighbourhoods in step with boundaries, and cached open data with assets."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from portal.neighbourhoods.models import Neighbourhood

from .models import Asset, AssetCategory, OpeningHours, Service
from .opendata import assets_changed
from .places import recompute_neighbourhoods


@receiver(post_save, sender=Neighbourhood)
@receiver(post_delete, sender=Neighbourhood)
def boundary_changed(**kwargs):
    recompute_neighbourhoods()


@receiver(post_save, sender=Asset)
@receiver(post_delete, sender=Asset)
@receiver(post_save, sender=AssetCategory)
@receiver(post_save, sender=Service)
@receiver(post_delete, sender=Service)
@receiver(post_delete, sender=OpeningHours)
@receiver(m2m_changed, sender=Asset.themes.through)
def asset_changed(**kwargs):
    assets_changed()
