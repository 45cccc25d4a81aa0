"""Every email the portal sends goes through the task queue, never from inside a request.

A slow or unreachable mail server then cannot hold up a page or turn it into an error, and
with the database task backend the queued email is part of the request's transaction: if the
request fails and rolls back, nothing is sent. The task worker (`manage.py db_worker`) sends
it; a failed send is kept as a failed task with its traceback (django-tasks' admin).

The message is rendered (and translated) when it is queued; the task only sends it. Bodies
carry links, not personal details: an email holds nothing about a person that the recipient
did not give us themselves (docs/architecture.md).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django_tasks import task

Attachment = tuple[str, "str | bytes", str]


def _attachment(filename: str, content, mimetype: str) -> dict:
    if isinstance(content, bytes):
        return {"filename": filename, "base64": base64.b64encode(content).decode("ascii"),
                "mimetype": mimetype}
    return {"filename": filename, "content": str(content), "mimetype": mimetype}


def send_email_later(subject, body, to: str | Iterable[str], *, reply_to: Sequence[str] = (),
                     headers: dict | None = None, html: str | None = None,
                     attachments: Iterable[Attachment] = (), from_email: str | None = None,
                     cc: Sequence[str] = (), bcc: Sequence[str] = ()):
    """Queue one email (plain text, optionally an HTML alternative and attachments).

    Returns the task result, or None when there is nobody to send it to.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    recipients = [str(address) for address in recipients if address]
    if not recipients and not bcc:
        return None
    return deliver_email.enqueue(
        subject=" ".join(str(subject).splitlines()), body=str(body), to=recipients,
        cc=[str(address) for address in cc], bcc=[str(address) for address in bcc],
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        reply_to=[str(address) for address in reply_to or ()],
        headers={str(key): str(value) for key, value in (headers or {}).items()},
        html=None if html is None else str(html),
        attachments=[_attachment(*attachment) for attachment in attachments],
    )


def send_message_later(message: EmailMessage):
    """Queue an email Django or a library already built (allauth's, for example)."""
    html = next((content for content, mimetype in getattr(message, "alternatives", [])
                 if mimetype == "text/html"), None)
    attachments = [tuple(item) for item in message.attachments]
    return send_email_later(
        message.subject, message.body, message.to, cc=message.cc, bcc=message.bcc,
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
