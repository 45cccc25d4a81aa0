"""Wagtail admin image uploads go through the same checks and re-encoding as the portal's own.

`settings.WAGTAILIMAGES_IMAGE_FORM_BASE` points at `PortalImageForm`, which Wagtail uses for
every image form: add, multiple upload, the chooser's upload tab and "replace file".
"""

from django.forms.fields import FileField
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from .uploads import clean_image

# The formats Wagtail accepts by default (WAGTAILIMAGES_EXTENSIONS), as Pillow names them.
ADMIN_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "AVIF")


class CleanWagtailImageField(WagtailImageField):
    """Wagtail's image field, with the size checked before Willow reads the file and the
    image re-encoded (metadata and appended data dropped) once Wagtail's checks pass."""

    def to_python(self, data):
        upload = FileField.to_python(self, data)
        if upload is None:
            return None
        # Wagtail opens the file first and checks its size after: a huge file that is not an
        # image would be read whole only to be told it is not an image.
        self.check_image_file_size(upload)
        checked = super().to_python(data)
        if checked.image.format_name == "svg":  # not a raster image: nothing to re-encode
            return checked
        return clean_image(checked, self.max_upload_size, self.max_image_pixels or None,
                           formats=ADMIN_FORMATS)


class PortalImageForm(BaseImageForm):
    """Wagtail's image form with `CleanWagtailImageField` for the file."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None and not isinstance(field, CleanWagtailImageField):
            self.fields["file"] = CleanWagtailImageField(
                label=field.label, required=field.required, widget=field.widget,
                max_length=field.max_length)
