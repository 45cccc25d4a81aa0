"""allauth's account adapter for the portal: its emails go through the task queue too (in the
portal's email layout, named after the site rather than the request's host), and it knows a
request's address exactly as the portal's own rate limits do."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.core.exceptions import PermissionDenied

from portal.mail import email_branding, send_message_later, site_url
from portal.ratelimit import client_ip


def email_site() -> SimpleNamespace:
    """What allauth's templates call `current_site`: the site's name (PortalSettings) and the
    configured address's host, where allauth would use the request's host ("127.0.0.1:8000")."""
    return SimpleNamespace(name=email_branding()["site_name"],
                           domain=urlsplit(site_url()).netloc)


class PortalAccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """The address allauth's rate limits count: `portal.ratelimit.client_ip`, so they
        honour `PORTAL_TRUSTED_PROXY_COUNT` like every other limit (and a short
        X-Forwarded-For is not a server error)."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine the client's address")
        return ip

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's email now (in the person's language) and queue it for the worker.

        The same context as allauth's own `send_mail`, but `current_site` is the portal's name
        and configured address (`email_site`); `portal.mail` adds the layout and points links
        at `PORTAL_SITE_URL`. Verification codes and password-reset links arrive as soon as the
        worker runs (`make run` starts one; the test settings' immediate backend sends at once).
        """
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": email_site()}
        ctx.update(context)
        send_message_later(self.render_mail(template_prefix, email, ctx))
