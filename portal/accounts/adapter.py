"""allauth's account adapter for the portal: its emails go through the task queue too, and it
knows a request's address exactly as the portal's own rate limits do."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied

from portal.mail import send_message_later
from portal.ratelimit import client_ip


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

        The same context as allauth's own `send_mail`. Verification codes and password-reset
        links arrive as soon as the worker runs (`make run` starts one; the test settings'
        immediate backend sends at once).
        """
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        send_message_later(self.render_mail(template_prefix, email, ctx))
