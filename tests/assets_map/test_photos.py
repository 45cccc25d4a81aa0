"""Photo galleries: uploads with clear errors, nothing lost on a mistake, moderation, display,
and the data migration from the single photo."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assets_map import moderation, photos
from assets_map.models import Asset, AssetPhoto, Submission

from .conftest import asset_form_data

pytestmark = pytest.mark.django_db


def png_bytes(colour="#1d70b8"):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


def png(name="hall.png", colour="#1d70b8"):
    return SimpleUploadedFile(name, png_bytes(colour), "image/png")


def photo_rows(*rows, initial=0):
    """POST data for the photo formset: each row a dict of its fields (without the prefix)."""
    data = {"photos-TOTAL_FORMS": str(len(rows)), "photos-INITIAL_FORMS": str(initial),
            "photos-MIN_NUM_FORMS": "0", "photos-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"photos-{index}-{name}"] = value
    return data


@pytest.fixture
def member_client(client, vcs_member, organisation):
    client.force_login(vcs_member)
    return client


def new_url(org):
    return f"/organisations/{org.slug}/assets/new/"


def publish(asset, officer):
    moderation.approve(moderation.submit_for_moderation(asset, None), officer)


def test_several_photos_make_a_gallery_with_alt_texts_and_captions(
        map_page, member_client, organisation, officer):
    response = member_client.post(new_url(organisation), asset_form_data(**photo_rows(
        {"file": png(), "alt_text": "The hall's entrance with a ramp", "caption": "Entrance"},
        {"file": png("garden.png", "#00703c"), "alt_text": "", "decorative": "on"},
        {"file": png("room.png"), "alt_text": "The main room set out for a lunch club",
         "ORDER": "1"},
    )))
    assert response.status_code == 302
    asset = Asset.objects.get()
    photos = list(asset.photos.all())
    # The position field put the third photo first; rows without one keep their order.
    assert [p.alt_text for p in photos] == ["The main room set out for a lunch club",
                                            "The hall's entrance with a ramp", ""]
    assert photos[2].decorative and photos[1].caption == "Entrance"
    publish(asset, officer)
    html = member_client.get(f"/community-assets/{asset.slug}/").content.decode()
    assert 'alt="The hall&#x27;s entrance with a ramp"' in html
    assert 'alt="The main room set out for a lunch club"' in html
    assert html.count('alt=""') >= 1 and "<figcaption" in html and ">Entrance<" in html


@pytest.mark.parametrize(("row", "field", "message"), [
    ({"file": ("notes.png", b"this is not an image"), "alt_text": "A photo"}, "file",
     "This file is not an image"),
    ({"file": ("hall.gif", None), "alt_text": "A photo"}, "file",
     "File extension “gif” is not allowed"),
    ({"file": ("hall.png", None), "alt_text": ""}, "alt_text",
     "Describe the photo for people who cannot see it, or tick “decorative only”"),
    ({"alt_text": "A photo with no file"}, "file", "Choose a photo to upload"),
    ({"file": ("hall.png", None), "alt_text": "A photo", "token": "forged"}, "token",
     "This photo could not be found"),
])
def test_bad_photos_get_specific_errors_and_save_nothing(
        demo_site, member_client, organisation, row, field, message):
    row = dict(row)
    if "file" in row:
        name, content = row["file"]
        row["file"] = SimpleUploadedFile(name, content or png_bytes())
    response = member_client.post(new_url(organisation), asset_form_data(**photo_rows(row)))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and message in html
    assert f'href="#id_photos-0-{field}"' in html
    assert not Asset.objects.exists()


def test_a_photo_over_the_size_limit_is_refused(demo_site, member_client, organisation,
                                                settings):
    settings.ASSETS_MAP_MAX_PHOTO_BYTES = 50
    response = member_client.post(new_url(organisation), asset_form_data(**photo_rows(
        {"file": png(), "alt_text": "A photo"})))
    html = response.content.decode()
    assert "The photo must be smaller than 50" in html and 'href="#id_photos-0-file"' in html
    assert not Asset.objects.exists()


def test_too_many_photos_are_refused(demo_site, member_client, organisation, settings):
    settings.ASSETS_MAP_MAX_PHOTOS = 2
    response = member_client.post(new_url(organisation), asset_form_data(**photo_rows(
        *({"file": png(f"p{n}.png"), "alt_text": f"Photo {n}"} for n in range(3)))))
    html = response.content.decode()
    assert "An asset can have at most 2 photos; remove 1." in html
    assert not Asset.objects.exists()
    # The valid uploads were kept: they come back as stored photos, nothing to choose again.
    assert len(re.findall(r'name="photos-\d-token" value="[^"]+"', html)) == 3


def test_an_uploaded_photo_is_not_lost_when_another_field_is_wrong(
        demo_site, member_client, organisation):
    response = member_client.post(new_url(organisation), asset_form_data(
        name="", **photo_rows({"file": png(), "alt_text": "The front door"})))
    html = response.content.decode()
    assert "Enter the name of the place or service." in html
    token = re.search(r'name="photos-0-token" value="([^"]+)"', html).group(1)
    assert 'value="The front door"' in html and "<img" in html
    response = member_client.post(new_url(organisation), asset_form_data(**photo_rows(
        {"token": token, "alt_text": "The front door"})))
    assert response.status_code == 302
    assert Asset.objects.get().photos.get().alt_text == "The front door"


def test_the_edit_form_keeps_reorders_and_removes_photos(
        demo_site, member_client, organisation):
    member_client.post(new_url(organisation), asset_form_data(**photo_rows(
        {"file": png("a.png"), "alt_text": "First"},
        {"file": png("b.png"), "alt_text": "Second"},
        {"file": png("c.png"), "alt_text": "Third"})))
    asset = Asset.objects.get()
    edit_url = f"/organisations/{organisation.slug}/assets/{asset.pk}/edit/"
    html = member_client.get(edit_url).content.decode()
    tokens = re.findall(r'name="photos-(\d)-token" value="([^"]+)"', html)
    assert [index for index, _token in tokens] == ["0", "1", "2"]
    assert "Remove this photo" in html and "Position in the gallery" in html
    rows = [{"token": token, "alt_text": alt, "ORDER": order}
            for (_i, token), alt, order in zip(tokens, ["First", "Second", "Third"],
                                               ["2", "1", "3"], strict=True)]
    rows[2]["DELETE"] = "on"
    member_client.post(edit_url, asset_form_data(**photo_rows(*rows, initial=3)))
    assert [p.alt_text for p in asset.photos.all()] == ["Second", "First"]


def test_a_published_assets_new_photos_wait_for_approval(
        map_page, member_client, organisation, officer, make_asset):
    asset = make_asset("Trust hall", organisation=organisation)
    edit_url = f"/organisations/{organisation.slug}/assets/{asset.pk}/edit/"
    member_client.post(edit_url, asset_form_data(name="Trust hall", **photo_rows(
        {"file": png(), "alt_text": "The new garden"})))
    member_client.post(f"/organisations/{organisation.slug}/assets/{asset.pk}/submit/")
    assert not asset.photos.exists()
    public = member_client.get(f"/community-assets/{asset.slug}/").content.decode()
    assert "The new garden" not in public
    preview = member_client.get(
        f"/organisations/{organisation.slug}/assets/{asset.pk}/preview/").content.decode()
    assert 'alt="The new garden"' in preview
    moderation.approve(Submission.objects.get(status=Submission.PENDING), officer)
    public = member_client.get(f"/community-assets/{asset.slug}/").content.decode()
    assert 'alt="The new garden"' in public


def test_moderators_see_the_proposed_photos(map_page, client, member_client, organisation,
                                            officer, settings):
    member_client.post(new_url(organisation), asset_form_data(**photo_rows(
        {"file": png(), "alt_text": "The front door"})))
    asset = Asset.objects.get()
    submission = moderation.submit_for_moderation(asset, None)
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    html = client.get(f"/admin/assets-map/moderation/{submission.pk}/").content.decode()
    assert "The front door" in html


def test_photos_need_alt_text_unless_decorative_in_the_database(demo_site, make_asset):
    from django.db import IntegrityError, transaction
    from wagtail.images import get_image_model

    image = photos.store_photo(png(), "", "Hall")
    asset = make_asset()
    with pytest.raises(IntegrityError), transaction.atomic():
        AssetPhoto.objects.create(asset=asset, image=image, alt_text="")
    AssetPhoto.objects.create(asset=asset, image=image, decorative=True)
    assert get_image_model().objects.count() == 1


def test_asset_page_query_count_does_not_grow_with_photos(
        map_page, client, make_asset, django_assert_max_num_queries):
    asset = make_asset()
    image = photos.store_photo(png(), "", "Hall")
    # Renditions exist after the first view; then the count must not depend on photos.
    for count in (1, 8):
        AssetPhoto.objects.bulk_create([AssetPhoto(asset=asset, image=image, alt_text=f"P{n}")
                                        for n in range(count - asset.photos.count())])
        client.get(f"/community-assets/{asset.slug}/")
        with django_assert_max_num_queries(30) as context:
            client.get(f"/community-assets/{asset.slug}/")
        if count == 1:
            baseline = len(context.captured_queries)
        else:
            assert len(context.captured_queries) <= baseline


def test_exports_are_unaffected_by_photos(map_page, client, make_asset):
    asset = make_asset()
    AssetPhoto.objects.create(asset=asset, image=photos.store_photo(png(), "x", "Hall"),
                              alt_text="x")
    data = client.get("/api/assets.geojson").json()
    assert data["features"][0]["id"] == asset.slug
    assert client.get("/api/assets.csv").status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_data_migration_moves_the_single_photo_into_the_gallery():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("assets_map", "0003_photos_join_requests_drafts")]
    after = [("assets_map", "0005_remove_asset_photo")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        apps = executor.loader.project_state(before).apps
        Image = apps.get_model("wagtailimages", "Image")
        collection = apps.get_model("wagtailcore", "Collection").objects.first()
        Asset_ = apps.get_model("assets_map", "Asset")
        category = apps.get_model("assets_map", "AssetCategory").objects.first()
        described = Image.objects.create(title="Hall", file="original_images/hall.png",
                                         width=40, height=30, collection=collection,
                                         description="The hall's front door")
        bare = Image.objects.create(title="Bare", file="original_images/bare.png", width=40,
                                    height=30, collection=collection, description="")
        with_photo = Asset_.objects.create(name="Hall", slug="hall", category=category,
                                           latitude=51.54, longitude=-0.25, photo=described)
        no_alt = Asset_.objects.create(name="Bare", slug="bare", category=category,
                                       latitude=51.54, longitude=-0.25, photo=bare)
        Asset_.objects.create(name="None", slug="none", category=category, latitude=51.54,
                              longitude=-0.25)
        pending = apps.get_model("assets_map", "Submission").objects.create(
            asset=with_photo, is_new=False, status="pending",
            data={"fields": {"name": "Hall", "photo_id": described.pk}, "themes": [],
                  "hours": [], "services": []})
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
    try:
        photos = {photo.asset_id: photo for photo in AssetPhoto.objects.all()}
        assert set(photos) == {with_photo.pk, no_alt.pk}
        assert photos[with_photo.pk].alt_text == "The hall's front door"
        assert not photos[with_photo.pk].decorative
        assert photos[no_alt.pk].decorative and photos[no_alt.pk].alt_text == ""
        data = Submission.objects.get(pk=pending.pk).data
        assert "photo_id" not in data["fields"]
        assert data["photos"] == [{"image_id": described.pk,
                                   "alt_text": "The hall's front door",
                                   "decorative": False, "caption": ""}]
    finally:
        # Back to the newest schema: later tests in this process share the database.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_form_without_photo_rows_keeps_the_photos(demo_site, member_client, organisation):
    member_client.post(new_url(organisation), asset_form_data(**photo_rows(
        {"file": png(), "alt_text": "The front door"})))
    asset = Asset.objects.get()
    response = member_client.post(f"/organisations/{organisation.slug}/assets/{asset.pk}/edit/",
                                  asset_form_data(summary="Changed"))
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.summary == "Changed" and asset.photos.get().alt_text == "The front door"


def test_a_good_photo_is_kept_while_its_missing_description_is_asked_for(
        demo_site, member_client, organisation):
    response = member_client.post(new_url(organisation), asset_form_data(**photo_rows(
        {"file": png(), "alt_text": ""},
        {"file": SimpleUploadedFile("notes.png", b"not an image"), "alt_text": ""})))
    html = response.content.decode()
    assert html.count("Describe the photo for people who cannot see it") == 2  # summary + field
    assert html.count("This file is not an image") == 2
    token = re.search(r'name="photos-0-token" value="([^"]+)"', html).group(1)
    assert not re.search(r'name="photos-1-token" value="[^"]+"', html)
    response = member_client.post(new_url(organisation), asset_form_data(**photo_rows(
        {"token": token, "alt_text": "The hall"})))
    assert response.status_code == 302
    assert Asset.objects.get().photos.get().alt_text == "The hall"


def stored_photo_bytes() -> bytes:
    from wagtail.images import get_image_model

    with get_image_model().objects.get().open_file() as stored:
        return stored.read()


def test_an_oversized_file_is_refused_for_its_size_before_anything_opens_it(
        demo_site, member_client, organisation, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Over the 5 MB limit and not an image at all: the message is about the size, so the
    # size was checked before the image library looked at the file.
    big = SimpleUploadedFile("big.png", b"\0" * (6 * 1024 * 1024), "image/png")
    response = member_client.post(new_url(organisation), asset_form_data(**photo_rows(
        {"file": big, "alt_text": "A photo"})))
    html = response.content.decode()
    assert "The photo must be smaller than 5.0\xa0MB; this one is 6.0\xa0MB." in html
    assert "not an image" not in html and 'href="#id_photos-0-file"' in html
    assert not Asset.objects.exists()


def test_a_png_with_html_appended_is_stored_without_it(
        demo_site, member_client, organisation, settings, tmp_path):
    from tests.portal_core.images import APPENDED

    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("hall.png", png_bytes() + APPENDED, "image/png")
    response = member_client.post(new_url(organisation), asset_form_data(**photo_rows(
        {"file": upload, "alt_text": "The hall"})))
    assert response.status_code == 302
    stored = stored_photo_bytes()
    assert b"<html" not in stored and stored.endswith(b"IEND\xaeB`\x82")


def test_a_jpeg_with_gps_is_stored_without_its_exif(
        demo_site, member_client, organisation, settings, tmp_path):
    from PIL import Image

    from tests.portal_core.images import jpeg_with_gps

    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("garden.jpg", jpeg_with_gps((40, 30)), "image/jpeg")
    response = member_client.post(new_url(organisation), asset_form_data(**photo_rows(
        {"file": upload, "alt_text": "The garden"})))
    assert response.status_code == 302
    stored = stored_photo_bytes()
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif() and b"Exif" not in stored and b"PhoneMaker" not in stored
    assert image.size == (30, 40)  # the orientation was applied before the EXIF went


def test_a_decompression_bomb_photo_is_refused(demo_site, member_client, organisation):
    from tests.portal_core.images import png_claiming

    bomb = SimpleUploadedFile("bomb.png", png_claiming(100_000, 100_000), "image/png")
    response = member_client.post(new_url(organisation), asset_form_data(**photo_rows(
        {"file": bomb, "alt_text": "A photo"})))
    html = response.content.decode()
    assert "The photo has too many pixels" in html and 'href="#id_photos-0-file"' in html
    assert not Asset.objects.exists()
