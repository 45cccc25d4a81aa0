"""The email layout's branding in templates that portal.mail does not render itself (Wagtail's
workflow notifications): `{% load portal_email %}{% email_branding as brand %}`."""

from django import template

from portal import mail

register = template.Library()


@register.simple_tag
def email_branding() -> dict:
    """The site's name, logo and footer details, as `portal.mail.email_branding` gives them."""
    return mail.email_branding()
