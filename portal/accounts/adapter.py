"""allauth's account adapter for the portal: its emails go through the task queue too (in the
portal's email layout, named after the site rather than the request's host), and it knows a
request's address exactly as the portal's own rate limits do."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import get_language

from portal.mail import current_language, email_branding, send_message_later, site_url
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

    def save_user(self, request, user, form, commit=True):
        """A new account remembers the language the person signed up in (`User.language`)."""
        user.language = current_language()
        return super().save_user(request, user, form, commit=commit)

    def login(self, request, user) -> None:
        """Signing in also records the language the person is using now, so emails written
        to them later, outside their own visit, follow the language they last chose."""
        language = current_language()
        if user.pk and getattr(user, "language", language) != language:
            type(user).objects.filter(pk=user.pk).update(language=language)
            user.language = language
        super().login(request, user)

    def get_logout_redirect_url(self, request) -> str:
        """After signing out, the home page in the language the person was using (signing out
        from /cy/ lands on /cy/, not on the English home page)."""
        url, language = super().get_logout_redirect_url(request), get_language()
        if (language != settings.LANGUAGE_CODE and url.startswith("/")
                and not url.startswith(f"/{language}/")):
            return f"/{language}{url}"  # the default language has no prefix (i18n_patterns)
        return url

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's email now (in the person's language: every allauth email is sent
        inside the request of the person it is for) and queue it for the worker.

        The same context as allauth's own `send_mail`, but `current_site` is the portal's name
        and configured address (`email_site`); `portal.mail` adds the layout and points links
        at `PORTAL_SITE_URL`. Verification codes and password-reset links arrive as soon as the
        worker runs (`make run` starts one; the test settings' immediate backend sends at once).
        """
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": email_site()}
        ctx.update(context)
        send_message_later(self.render_mail(template_prefix, email, ctx))
