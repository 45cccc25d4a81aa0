from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


def needs_mfa(user) -> bool:
    """Staff (anyone who can reach the Wagtail admin) must have an authenticator app set up."""
    if not (user.is_authenticated and settings.PORTAL_REQUIRE_STAFF_MFA):
        return False
    if not (user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffMFAMiddleware:
    """Sends staff without two-factor authentication to set it up before they use the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and needs_mfa(request.user):
            messages.info(request, _("Set up an authenticator app before you use the admin."))
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
