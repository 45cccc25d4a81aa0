"""Names are one line of readable text: the core validator (portal.validators) refuses line
breaks, NUL and other control characters, lone surrogates and the replacement character that
undecodable bytes become."""

import pytest
from django.core.exceptions import ValidationError

from portal.validators import NameField, is_clean_name, validate_name

REFUSED = {
    "Amina\r\nBcc: everyone@example.org": "one line",
    "Amina\nX": "one line",
    "Amina\u2028X": "one line",
    "Ami\x00na": "null character",
    "Ami\tna": "control character",
    "\ud800": "could not be read",
    "Ami\udfffna": "could not be read",
    "\ufffd\ufffd\ufffd": "could not be read",
}
ACCEPTED = ["Amina", "Siân O'Connor-Ng", "Zoë", "محمد", "{{7*7}}", "../../etc/passwd",
            "<b>Trust</b>", "=HYPERLINK(1)", "Ahmed 😀"]


@pytest.mark.parametrize(("value", "message"), REFUSED.items())
def test_refused_with_a_message_that_says_why(value, message):
    with pytest.raises(ValidationError) as caught:
        validate_name(value)
    assert message in str(caught.value.messages[0])
    assert not is_clean_name(value)


@pytest.mark.parametrize("value", ACCEPTED)
def test_ordinary_and_odd_but_harmless_names_are_kept(value):
    validate_name(value)
    assert is_clean_name(value)


def test_the_form_field_gives_one_message_for_a_null_character():
    field = NameField(max_length=50)
    with pytest.raises(ValidationError) as caught:
        field.clean("Ami\x00na")
    assert caught.value.messages == [
        "The name contains a null character. Type it again without it."]


@pytest.mark.django_db
def test_peoples_names_are_checked_by_the_model(resident):
    resident.first_name, resident.last_name = "Amina\r\n", "\ud800"
    with pytest.raises(ValidationError) as caught:
        resident.full_clean()
    assert set(caught.value.message_dict) == {"first_name", "last_name"}


@pytest.mark.django_db
def test_the_admin_user_form_refuses_a_name_with_a_line_break(resident):
    from wagtail.users.forms import UserEditForm

    form = UserEditForm({"email": resident.email, "first_name": "Amina\nX", "last_name": "B",
                         "is_active": "on"}, instance=resident)
    assert not form.is_valid()
    assert "one line" in form.errors["first_name"][0]
