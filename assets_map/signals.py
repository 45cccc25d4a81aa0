"""Keep assets' neighbourhoods in step with boundaries, and their stored GeoJSON features and
cached open data with assets and the names they show (features.py)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from portal.neighbourhoods.models import Neighbourhood
from portal.request_memo import forget
from portal.themes.models import Theme

from .features import features_changed
from .models import Asset, AssetCategory, OpeningHours, Organisation, Service
from .opendata import assets_changed
from .places import recompute_neighbourhoods


@receiver(post_save, sender=Neighbourhood)
@receiver(post_delete, sender=Neighbourhood)
def boundary_changed(**kwargs):
    recompute_neighbourhoods()


@receiver(post_save, sender=Asset)
def asset_saved(instance, raw=False, **kwargs):
    if not raw:  # fixtures: built when first served
        features_changed([instance.pk])


@receiver(post_delete, sender=Asset)
@receiver(post_save, sender=Service)
@receiver(post_delete, sender=Service)
@receiver(post_delete, sender=OpeningHours)
def asset_changed(**kwargs):
    assets_changed()


@receiver(m2m_changed, sender=Asset.themes.through)
def themes_changed(instance, action, reverse, pk_set, **kwargs):
    if reverse and action == "pre_clear":  # theme.assets.clear(): remember whose
        instance._feature_assets = list(instance.assets.values_list("pk", flat=True))
    elif action in {"post_add", "post_remove", "post_clear"}:
        ids = ([instance.pk] if not reverse
               else pk_set or getattr(instance, "_feature_assets", []))
        features_changed(ids)


@receiver(post_save, sender=AssetCategory)
@receiver(post_save, sender=Organisation)
@receiver(post_save, sender=Theme)
@receiver(post_save, sender=Neighbourhood)
def shown_name_saved(instance, raw=False, update_fields=None, **kwargs):
    """Features show these names (and slugs, codes): rebuild the assets that show them."""
    if raw or (update_fields is not None and not {"name", "slug", "code"} & set(update_fields)):
        return
    features_changed(instance.assets.values_list("pk", flat=True))


@receiver(post_save, sender=AssetCategory)
@receiver(post_delete, sender=AssetCategory)
def category_names_changed(**kwargs):
    """Category names remembered for this request (category_names) are out of date."""
    forget()


@receiver(pre_delete, sender=Organisation)
@receiver(pre_delete, sender=Theme)
@receiver(pre_delete, sender=Neighbourhood)
def shown_name_deleting(instance, **kwargs):
    instance._feature_assets = list(instance.assets.values_list("pk", flat=True))


@receiver(post_delete, sender=Organisation)
@receiver(post_delete, sender=Theme)
@receiver(post_delete, sender=Neighbourhood)
def shown_name_deleted(instance, **kwargs):
    features_changed(getattr(instance, "_feature_assets", []))
