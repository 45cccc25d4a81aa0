"""System checks that report missing or wrong configuration before it bites."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_production_settings(app_configs, **kwargs):
    problems = []
    if settings.EMAIL_BACKEND.endswith(("console.EmailBackend", "locmem.EmailBackend")):
        problems.append(Warning(
            "Email is not sent: DJANGO_EMAIL_BACKEND is a development backend.",
            hint="Use the SMTP backend and set DJANGO_EMAIL_HOST.", id="portal.W001",
        ))
    if settings.WAGTAILADMIN_BASE_URL.startswith("http://localhost"):
        problems.append(Warning(
            "PORTAL_BASE_URL still points at localhost; links in emails will be wrong.",
            hint="Set PORTAL_BASE_URL to the portal's public address.", id="portal.W002",
        ))
    return problems


@register()
def check_portal_settings(app_configs, **kwargs):
    problems = []
    if settings.PORTAL_SUPPRESSION_THRESHOLD < 1:
        problems.append(Error(
            "PORTAL_SUPPRESSION_THRESHOLD must be at least 1.",
            hint="Counts below it are hidden so nobody can be singled out; 5 is the default.",
            id="portal.E001",
        ))
    tiles = settings.PORTAL_MAP_TILES_URL
    if tiles and not all(part in tiles for part in ("{z}", "{x}", "{y}")):
        problems.append(Error(
            "PORTAL_MAP_TILES_URL must contain {z}, {x} and {y}.",
            hint="For example https://tile.openstreetmap.org/{z}/{x}/{y}.png, or leave it "
                 "empty to draw maps without a base layer.",
            id="portal.E002",
        ))
    return problems
