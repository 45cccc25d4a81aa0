"""Community feedback flagged as a safeguarding concern: the contact is told where to read
it, never what it says."""

import pytest
from django.core import mail

from priorities.feedback import notify_safeguarding

from .conftest import add_feedback

pytestmark = pytest.mark.django_db


def test_safeguarding_flag_emails_the_contact(areas, themes, settings):
    settings.PRIORITIES_SAFEGUARDING_EMAIL = "safeguarding@example.org"
    item = add_feedback(areas["Harlesden"], [themes["housing"]], safeguarding=True)
    assert notify_safeguarding(item, None, "https://example.org/admin/x")
    (message,) = mail.outbox
    assert message.to == ["safeguarding@example.org"] and item.text not in message.body
