import pytest
from django.core.exceptions import ValidationError

from portal.pages.models import PortalSettings
from portal.pages.services import contrast_ratio

pytestmark = pytest.mark.django_db


def test_contrast_ratio_matches_wcag_reference_values():
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast_ratio("#ffffff", "#ffffff"), 1) == 1.0
    assert round(contrast_ratio("#1d70b8", "#ffffff"), 2) == pytest.approx(5.17, abs=0.05)


def test_brand_colours_that_are_hard_to_read_are_refused(demo_site):
    portal_settings = PortalSettings.for_site(demo_site)
    portal_settings.brand_colour = "#ffdd00"
    portal_settings.brand_text_colour = "#ffffff"
    with pytest.raises(ValidationError) as error:
        portal_settings.full_clean()
    assert "contrast" in str(error.value)


def test_brand_colour_must_be_hex(demo_site):
    portal_settings = PortalSettings.for_site(demo_site)
    portal_settings.brand_colour = "blue"
    with pytest.raises(ValidationError) as error:
        portal_settings.full_clean()
    assert "six hexadecimal digits" in str(error.value)


def test_brand_css_follows_the_site_settings(client, demo_site):
    portal_settings = PortalSettings.for_site(demo_site)
    portal_settings.brand_colour = "#0b0c0c"
    portal_settings.save()
    assert "--brand: #0b0c0c" in client.get("/brand.css").content.decode()


def test_demo_data_command_is_idempotent(demo_site):
    from django.core.management import call_command
    from wagtail.models import Page

    from portal.neighbourhoods.models import Neighbourhood, Postcode

    counts = (Page.objects.count(), Neighbourhood.objects.count(), Postcode.objects.count())
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    assert (Page.objects.count(), Neighbourhood.objects.count(),
            Postcode.objects.count()) == counts
    assert counts[1] == 5
