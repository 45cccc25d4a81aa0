"""Move each asset's single photo into the gallery (AssetPhoto), and pending edits' photo_id
into their payload's photo list, before the old column goes."""

from django.db import migrations


def forwards(apps, schema_editor):
    Asset = apps.get_model("assets_map", "Asset")
    AssetPhoto = apps.get_model("assets_map", "AssetPhoto")
    Submission = apps.get_model("assets_map", "Submission")
    Image = apps.get_model("wagtailimages", "Image")
    photos = []
    for asset_id, image_id in Asset.objects.filter(photo__isnull=False).values_list(
            "id", "photo_id"):
        description = Image.objects.filter(pk=image_id).values_list(
            "description", flat=True).first() or ""
        # A photo saved without a description can only be shown as decorative.
        photos.append(AssetPhoto(asset_id=asset_id, image_id=image_id, alt_text=description,
                                 decorative=not description, sort_order=0))
    AssetPhoto.objects.bulk_create(photos)
    for submission in Submission.objects.filter(status="pending"):
        fields = submission.data.get("fields", {})
        if "photo_id" not in fields:
            continue
        image_id = fields.pop("photo_id")
        description = ""
        if image_id:
            description = Image.objects.filter(pk=image_id).values_list(
                "description", flat=True).first() or ""
        submission.data["photos"] = [] if not image_id else [{
            "image_id": image_id, "alt_text": description, "decorative": not description,
            "caption": ""}]
        submission.save(update_fields=["data"])


def backwards(apps, schema_editor):
    Asset = apps.get_model("assets_map", "Asset")
    AssetPhoto = apps.get_model("assets_map", "AssetPhoto")
    for photo in AssetPhoto.objects.order_by("asset_id", "-sort_order", "-id"):
        Asset.objects.filter(pk=photo.asset_id).update(photo_id=photo.image_id)


class Migration(migrations.Migration):

    dependencies = [("assets_map", "0003_photos_join_requests_drafts")]

    operations = [migrations.RunPython(forwards, backwards)]
