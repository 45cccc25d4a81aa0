from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

ADMIN_PREFIX = "/admin/"


def needs_mfa(user) -> bool:
    """Staff (anyone who can reach the Wagtail admin) must have an authenticator app set up."""
    if not (settings.PORTAL_REQUIRE_STAFF_MFA and user.has_perm("portal.use_admin")):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class AdminAccessMiddleware:
    """Guards the Wagtail admin: signed-in people without admin access get a clear 403 (not a
    loop between the admin and the sign-in page), and staff set up two-factor sign-in first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if request.path.startswith(ADMIN_PREFIX) and user.is_authenticated:
            if not user.has_perm("portal.use_admin"):
                return render(request, "403.html", status=403)
            if needs_mfa(user):
                messages.info(request, _("Set up an authenticator app before you use the admin."))
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
