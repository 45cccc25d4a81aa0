"""Every email the portal sends goes through the task queue, never from inside a request.

A slow or unreachable mail server then cannot hold up a page or turn it into an error, and
with the database task backend the queued email is part of the request's transaction: if the
request fails and rolls back, nothing is sent. The task worker (`manage.py db_worker`) sends
it; a failed send is kept as a failed task with its traceback (django-tasks' admin).

The message is rendered (and translated) when it is queued; the task only sends it. So an
email is in the language that is active when it is queued: the request's for one a person
triggers themselves (a survey receipt, a sign-up link), and the reader's stored language
(`in_language`, `reader_language`) for one built later or for somebody else (forum reminders,
alerts, a place coming up on a waiting list): docs/languages.md, "Emails in the reader's
language". Bodies
carry links, not personal details: an email holds nothing about a person that the recipient
did not give us themselves (docs/architecture.md).

Every email gets the same layout (`email/base.txt` and `email/base.html`): the site's name and
logo, the body, and a footer with the organisation, the contact address and the privacy notice.
Callers pass the plain-text body (and, if they have one, an HTML fragment); the layout adds the
rest, and an HTML part is made from the text when there is none. Links point at the portal's
configured address (`PORTAL_SITE_URL`): a link a caller built from the request's host, or from
the Wagtail site's, is rewritten to it, so an email never says "127.0.0.1:8000" or an internal
host name.
"""

from __future__ import annotations

import base64
import re
import threading
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from email.utils import formataddr, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import linebreaks, strip_tags, urlize
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django_tasks import task

Attachment = tuple[str, "str | bytes", str]
LAYOUT_TEXT = "email/base.txt"
LAYOUT_HTML = "email/base.html"
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def reader_language(code: str | None) -> str:
    """The language to write to someone in: `code` (a stored language such as
    `Registration.language`) when the site still offers it (settings.LANGUAGES), else the
    default language, `LANGUAGE_CODE`. "cy-GB" counts as "cy"; blank, unknown or withdrawn
    codes fall back without an error."""
    offered = [item for item, _name in settings.LANGUAGES]
    code = str(code or "").strip().lower().replace("_", "-")
    for candidate in (code, code.split("-")[0]):
        if candidate and candidate in offered:
            return candidate
    return settings.LANGUAGE_CODE


def current_language() -> str:
    """The active language as one the site offers: what to store as a person's language when
    they sign up, register or subscribe (`reader_language` of `get_language()`)."""
    return reader_language(get_language())


@contextmanager
def in_language(code: str | None):
    """Build an email inside this block to write it in `code` (checked by `reader_language`):
    gettext, dates (`date_format`), `reverse()` prefixes and `page.localized` all follow."""
    with translation.override(reader_language(code)):
        yield


def site_url(path: str = "") -> str:
    """An absolute link on the portal's public address (`PORTAL_SITE_URL`), never the request's.

    `path` is a path as `reverse()` or a page gives it (it already holds any script prefix);
    an absolute URL is returned as it is. Without a path: the home page's address.
    """
    base = str(settings.PORTAL_SITE_URL).rstrip("/")
    if not path:
        return base + "/"
    if urlsplit(path).scheme:
        return path
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}{'' if path.startswith('/') else '/'}{path}"


def _site():
    """The Wagtail site at PORTAL_SITE_URL's host name, else the default site."""
    from wagtail.models import Site

    host = urlsplit(str(settings.PORTAL_SITE_URL)).hostname or ""
    return (Site.objects.filter(hostname__iexact=host).first()
            or Site.objects.filter(is_default_site=True).first())


def _page_url(page) -> str:
    """A page's absolute address in the active language, on the configured address."""
    if page is None:
        return ""
    parts = page.localized.get_url_parts()
    return site_url(parts[2]) if parts else ""


def _logo_url(image) -> str:
    if image is None:
        return ""
    try:
        return site_url(image.get_rendition("height-96").url)
    except (OSError, ValueError):  # a missing or unreadable file must not stop an email
        return ""


_batch = threading.local()


@contextmanager
def branding_reused():
    """Within this block (one batch of emails, such as a run of alerts) the branding is read
    once per language instead of once per email."""
    _batch.brands = {}
    try:
        yield
    finally:
        _batch.brands = None


def email_branding() -> dict:
    """What the email layout shows: the site's name, logo and colours, and the footer's
    organisation, contact address and privacy notice, all from the site's PortalSettings,
    with absolute links on `PORTAL_SITE_URL` (read once per language inside
    `branding_reused`)."""
    brands = getattr(_batch, "brands", None)
    if brands is None:
        return _read_branding()
    language = get_language() or ""
    if language not in brands:
        brands[language] = _read_branding()
    return dict(brands[language])


def _read_branding() -> dict:
    from portal.pages.models import PortalSettings

    site = _site()
    portal_settings = PortalSettings.for_site(site) if site else None
    colour = getattr(portal_settings, "brand_colour", "")
    text_colour = getattr(portal_settings, "brand_text_colour", "")
    return {
        "site_name": (getattr(portal_settings, "site_name", "")
                      or getattr(site, "site_name", "") or settings.WAGTAIL_SITE_NAME),
        "organisation": getattr(portal_settings, "organisation_name", ""),
        "contact_email": getattr(portal_settings, "contact_email", ""),
        "privacy_url": _page_url(getattr(portal_settings, "privacy_page", None)),
        "logo_url": _logo_url(getattr(portal_settings, "logo", None)),
        "colour": colour if HEX_COLOUR.match(colour or "") else "#1d4f7c",
        "text_colour": text_colour if HEX_COLOUR.match(text_colour or "") else "#ffffff",
        "home_url": site_url(),
        "site_root": urlsplit(site.root_url).netloc if site else "",
    }


def _request_host() -> str:
    from allauth.core import context

    request = context.request
    try:
        return request.get_host() if request is not None else ""
    except DisallowedHost:
        return ""


# A site path standing alone in plain text ("Read it here: /admin/x/"), or an HTML link's path.
BARE_PATH = re.compile(r"(?<!\S)/[\w\-.~%/]*[\w\-~%/](?:\?[\w\-.~%=&+]*)?(?=[\s.,;:)]*(?:\s|$))")
RELATIVE_HREF = re.compile(r"""(\b(?:href|src)=["'])(/(?!/))""")


def rebase_links(text: str, brand: dict, *, html: bool = False) -> str:
    """Put every link on `PORTAL_SITE_URL`: one on the request's host or the Wagtail site's
    root gets the configured address instead, and a bare site path becomes absolute."""
    if not text:
        return text
    parts = urlsplit(site_url())
    origin = f"{parts.scheme}://{parts.netloc}"
    own = {host.lower() for host in (_request_host(), brand.get("site_root", "")) if host}
    own.discard(parts.netloc.lower())
    if own:
        hosts = "|".join(re.escape(host) for host in sorted(own))
        pattern = re.compile(rf"https?://(?:{hosts})(?=[/?#\s\"'<>)\]]|$)", re.IGNORECASE)
        text = pattern.sub(origin, text)
    if html:
        return RELATIVE_HREF.sub(lambda match: match[1] + origin + match[2], text)
    return BARE_PATH.sub(lambda match: origin + match[0], text)


def text_to_html(body: str) -> str:
    """The HTML part of a plain-text email: escaped, paragraphs kept, web addresses linked."""
    return mark_safe(linebreaks(urlize(body, autoescape=True)))


def render_layout(subject: str, body: str, html: str | None = None,
                  brand: dict | None = None) -> tuple[str, str]:
    """(text, html) of an email in the portal's layout. `html` is a fragment for the layout's
    content area (trusted: built by our templates); without it the text is used. `brand` is
    `email_branding()`, worked out here when not given."""
    brand = brand or email_branding()
    body = rebase_links(body.strip(), brand)
    content = mark_safe(rebase_links(html, brand, html=True)) if html else text_to_html(body)
    context = {"subject": subject, "body": body, "content": content, "brand": brand}
    return (render_to_string(LAYOUT_TEXT, context).strip() + "\n",
            render_to_string(LAYOUT_HTML, context))


GENERIC_SENDER_NAMES = {"", "neighbourhood portal", "webmaster"}


def branded_sender(site_name: str) -> str:
    """`DEFAULT_FROM_EMAIL`, with the site's name as the sender's name when the setting gives
    none or only the generic one ("Brent neighbourhoods <noreply@...>")."""
    name, address = parseaddr(str(settings.DEFAULT_FROM_EMAIL))
    if not address:
        return settings.DEFAULT_FROM_EMAIL
    if name.strip().lower() in GENERIC_SENDER_NAMES and site_name:
        name = " ".join(str(site_name).split())
    return formataddr((name, address)) if name else address


def _attachment(filename: str, content, mimetype: str) -> dict:
    if isinstance(content, bytes):
        return {"filename": filename, "base64": base64.b64encode(content).decode("ascii"),
                "mimetype": mimetype}
    return {"filename": filename, "content": str(content), "mimetype": mimetype}


def send_email_later(subject, body, to: str | Iterable[str], *, reply_to: Sequence[str] = (),
                     headers: dict | None = None, html: str | None = None,
                     attachments: Iterable[Attachment] = (), from_email: str | None = None,
                     cc: Sequence[str] = (), bcc: Sequence[str] = ()):
    """Queue one email in the portal's layout (plain text, an HTML alternative made from it
    or from `html`, and any attachments).

    Returns the task result, or None when there is nobody to send it to.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    recipients = [str(address) for address in recipients if address]
    if not recipients and not bcc:
        return None
    subject = " ".join(str(subject).splitlines())
    brand = email_branding()
    body, html = render_layout(subject, str(body), None if html is None else str(html), brand)
    return deliver_email.enqueue(
        subject=subject, body=body, to=recipients,
        cc=[str(address) for address in cc], bcc=[str(address) for address in bcc],
        from_email=from_email or branded_sender(brand["site_name"]),
        reply_to=[str(address) for address in reply_to or ()],
        headers={str(key): str(value) for key, value in (headers or {}).items()},
        html=html,
        attachments=[_attachment(*attachment) for attachment in attachments],
    )


def send_message_later(message: EmailMessage):
    """Queue an email Django or a library already built (allauth's, for example); it gets
    the portal's layout like any other."""
    body = message.body
    html = next((content for content, mimetype in getattr(message, "alternatives", [])
                 if mimetype == "text/html"), None)
    if message.content_subtype == "html":  # an HTML-only message: its text part is made here
        html, body = body, strip_tags(body)
    attachments = [tuple(item) for item in message.attachments]
    return send_email_later(
        message.subject, body, message.to, cc=message.cc, bcc=message.bcc,
        reply_to=message.reply_to, headers=message.extra_headers, html=html,
        attachments=attachments, from_email=message.from_email,
    )


@task()
def deliver_email(*, subject: str, body: str, to: list[str], from_email: str,
                  reply_to: list[str], headers: dict, html: str | None,
                  attachments: list[dict], cc: list[str] = (), bcc: list[str] = ()) -> int:
    """Send one queued email with Django's mail API (the configured EMAIL_BACKEND)."""
    message = EmailMultiAlternatives(subject, body, from_email, to, bcc=list(bcc) or None,
                                     cc=list(cc) or None, reply_to=reply_to or None,
                                     headers=headers or None)
    if html:
        message.attach_alternative(html, "text/html")
    for item in attachments:
        content = (base64.b64decode(item["base64"]) if "base64" in item else item["content"])
        message.attach(item["filename"], content, item["mimetype"])
    return message.send()
