"""Issue 13 item 4: the sign-in, sign-up and account pages (django-allauth's, and Django's
password checks) are Welsh under /cy/, with no English sentence of allauth or Django left.

allauth has no Welsh catalogue: its strings are listed in portal/accounts/catalogue_strings.py
and translated in locale/cy. Each page here is requested in Welsh and the text of its <main>
(and its title, placeholders and button values) is checked: the Welsh wording is there, and no
fragment of any English msgid listed in that module is.
"""

from __future__ import annotations

import ast
import re
from html import unescape
from pathlib import Path

import polib
import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import password_validation
from django.utils import translation

from tests.conftest import DEMO_PASSWORD, REPO, make_user

pytestmark = pytest.mark.django_db

MODULE = REPO / "portal" / "accounts" / "catalogue_strings.py"
ALLAUTH_EN = (Path(__import__("allauth").__file__).parent
              / "locale" / "en" / "LC_MESSAGES" / "django.po")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|<[^>]+>|\n")


def listed_msgids() -> list[tuple[str | None, str, str | None]]:
    """(msgctxt, msgid, msgid_plural) of every string in catalogue_strings.py, read from its
    source the way xgettext reads it."""
    found = []
    for node in ast.walk(ast.parse(MODULE.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        args = [arg.value for arg in node.args if isinstance(arg, ast.Constant)]
        if node.func.id == "gettext_noop":
            found.append((None, args[0], None))
        elif node.func.id == "pgettext_lazy":
            found.append((args[0], args[1], None))
        elif node.func.id == "ngettext_lazy":
            found.append((None, args[0], args[1]))
    return found


def english_fragments() -> set[str]:
    """The English words of each listed msgid, cut at placeholders and tags: the pieces a
    resident would see if a string were left untranslated."""
    pieces = set()
    for _context, msgid, plural in listed_msgids():
        for text in filter(None, (msgid, plural)):
            for piece in PLACEHOLDER.split(text):
                piece = " ".join(piece.split()).strip(" .,:?()")
                if sum(char.isalpha() for char in piece) >= 4:
                    pieces.add(piece)
    return pieces


FRAGMENTS = english_fragments()


def visible_text(response) -> str:
    """The title, and the text, placeholders, labels and button values inside <main>."""
    html = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    main = re.search(r"<main\b.*?</main>", html, re.S)
    assert main, f"no <main> in {response.request['PATH_INFO']}"
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", main.group(0), flags=re.S)
    attributes = re.findall(r'\s(?:placeholder|aria-label|title|value)="([^"]*)"', body)
    parts = [title.group(1) if title else "", re.sub(r"<[^>]+>", " ", body), *attributes]
    return " ".join(unescape(" ".join(parts)).split())


def assert_welsh(response, *welsh: str) -> None:
    assert response.status_code == 200, response.status_code
    assert '<html lang="cy"' in response.content.decode()
    text = visible_text(response)
    for phrase in welsh:
        assert phrase in text, f"{phrase!r} missing from {text!r}"
    english = sorted(piece for piece in FRAGMENTS
                     if re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text))
    assert english == [], f"English left on {response.request['PATH_INFO']}: {english}"


def test_every_listed_string_is_allauths_or_djangos_own_msgid():
    """A typo, or an upgrade that rewords a string, would leave it English: the msgids must be
    exactly those of the installed allauth (its English catalogue) or Django's source."""
    allauth = {(entry.msgctxt, entry.msgid, entry.msgid_plural or None)
               for entry in polib.pofile(str(ALLAUTH_EN))}
    django = Path(password_validation.__file__).read_text(encoding="utf-8")
    listed = listed_msgids()
    assert len(listed) > 100
    strays = [key for key in listed
              if key not in allauth and not (key[1] in django and (key[2] or "") in django)]
    assert strays == []


def in_welsh(context: str | None, msgid: str, plural: str | None) -> str:
    with translation.override("cy"):
        if plural:
            return translation.ngettext(msgid, plural, 10)
        if context:
            return translation.pgettext(context, msgid)
        return translation.gettext(msgid)


def test_every_listed_string_has_welsh():
    untranslated = [key for key in listed_msgids() if in_welsh(*key) in key]
    assert untranslated == []


@pytest.mark.parametrize("path, welsh", [
    ("/cy/accounts/login/", ["Mewngofnodi", "Wedi anghofio eich cyfrinair?", "Cofio fi",
                             "Anfon cod mewngofnodi ataf", "crëwch gyfrif"]),
    ("/cy/accounts/signup/", ["Creu cyfrif", "Cyfrinair (eto)",
                              "Rhaid i'ch cyfrinair gynnwys o leiaf 10 nod.",
                              "Ni all eich cyfrinair fod yn rhifau i gyd."]),
    ("/cy/accounts/password/reset/", ["Ailosod cyfrinair", "Ailosod fy nghyfrinair"]),
    ("/cy/accounts/password/reset/done/", ["Rydym wedi anfon e-bost atoch."]),
    ("/cy/accounts/login/code/", ["Gofyn am god", "Ffyrdd eraill o fewngofnodi"]),
    ("/cy/accounts/confirm-email/", ["Dilyswch eich cyfeiriad e-bost"]),
    ("/cy/accounts/inactive/", ["Cyfrif anweithredol"]),
    ("/cy/accounts/password/reset/key/1-set-password/", ["Dolen annilys"]),
    ("/cy/accounts/confirm-email/no-such-key/", ["Gofynnwch am e-bost cadarnhau newydd"]),
])
def test_account_pages_are_welsh(client, path, welsh):
    assert_welsh(client.get(path), *welsh)


def test_a_wrong_password_is_refused_in_welsh(client):
    make_user("gwen@example.org")
    response = client.post("/cy/accounts/login/", {"login": "gwen@example.org",
                                                   "password": "not-her-password"})
    assert_welsh(response, "Mae problem wedi codi",
                 "Nid yw'r cyfeiriad e-bost a/neu'r cyfrinair a roesoch yn gywir.")
    assert not response.wsgi_request.user.is_authenticated
    for _attempt in range(5):
        response = client.post("/cy/accounts/login/", {"login": "gwen@example.org",
                                                       "password": "not-her-password"})
    assert_welsh(response, "Gormod o ymdrechion aflwyddiannus i fewngofnodi.")


@pytest.mark.parametrize("email, password, again, welsh", [
    ("gwen@example.org", "password", "password",
     ["Mae'r cyfrinair hwn yn rhy fyr. Rhaid iddo gynnwys o leiaf 10 nod.",
      "Mae'r cyfrinair hwn yn rhy gyffredin."]),
    ("gwen@example.org", "2718281828", "2718281828", ["Rhifau yn unig sydd yn y cyfrinair hwn."]),
    ("gwen.jones.llan@example.org", "gwen.jones.llan", "gwen.jones.llan",
     ["Mae'r cyfrinair yn rhy debyg i'ch cyfeiriad e-bost."]),
    ("gwen@example.org", "Bara-brith-2026", "Bara-brith-2027",
     ["Rhaid i chi deipio'r un cyfrinair bob tro."]),
])
def test_a_weak_password_is_refused_in_welsh(client, email, password, again, welsh):
    from django.contrib.auth import get_user_model

    response = client.post("/cy/accounts/signup/", {"email": email, "password1": password,
                                                    "password2": again})
    assert_welsh(response, "Mae problem wedi codi", *welsh)
    assert not get_user_model().objects.filter(email=email).exists()


def test_a_reset_for_an_unknown_address_answers_in_welsh(client):
    response = client.post("/cy/accounts/password/reset/", {"email": "nobody@example.org"},
                           follow=True)
    assert response.redirect_chain[-1][0] == "/cy/accounts/password/reset/done/"
    assert_welsh(response, "Ailosod cyfrinair", "Rydym wedi anfon e-bost atoch.")


def test_a_wrong_sign_in_code_is_refused_in_welsh(client):
    make_user("gwen@example.org")
    response = client.post("/cy/accounts/login/code/", {"email": "gwen@example.org"},
                           follow=True)
    assert_welsh(response, "Rhowch y cod mewngofnodi",
                 "Mae cod mewngofnodi wedi'i anfon at gwen@example.org.")
    response = client.post("/cy/accounts/login/code/confirm/", {"code": "WRONG1"})
    assert_welsh(response, "Cod anghywir.")
    assert not response.wsgi_request.user.is_authenticated


def test_the_signed_in_account_pages_are_welsh(client):
    user = make_user("gwen@example.org")
    response = client.post("/cy/accounts/login/", {"login": "gwen@example.org",
                                                   "password": DEMO_PASSWORD}, follow=True)
    assert_welsh(response, "Rydych wedi mewngofnodi fel gwen@example.org.")
    assert_welsh(client.get("/cy/accounts/email/"), "Cyfeiriadau e-bost", "Wedi'i ddilysu",
                 "Prif gyfeiriad", "Ychwanegu cyfeiriad e-bost")
    assert_welsh(client.post("/cy/accounts/password/change/", {
        "oldpassword": "not-her-password", "password1": "Bara-brith-2026",
        "password2": "Bara-brith-2026"}), "Newid cyfrinair", "Teipiwch eich cyfrinair presennol.")
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)
    assert_welsh(client.get("/cy/accounts/2fa/"), "Dilysu dau gam",
                 "Nid oes ap dilysu ar waith.", "Nid oes codau adfer wedi'u creu.")
    assert_welsh(client.get("/cy/accounts/reauthenticate/"), "Cadarnhau mai chi sydd yno",
                 "Rhowch eich cyfrinair:")
    assert_welsh(client.post("/cy/accounts/reauthenticate/", {"password": "wrong"}),
                 "Cyfrinair anghywir.")
    assert_welsh(client.get("/cy/accounts/logout/"),
                 "Ydych chi'n siŵr eich bod eisiau allgofnodi?")
    response = client.post("/cy/accounts/logout/", follow=True)
    assert not response.wsgi_request.user.is_authenticated
    # The message is written in the Welsh request. (Where it lands is LOGOUT_REDIRECT_URL,
    # "/": the English home page, for now.)
    assert "Rydych wedi allgofnodi." in visible_text(response)


def test_two_step_verification_pages_are_welsh(client):
    user = make_user("gwen@example.org")
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)
    response = client.post("/cy/accounts/login/", {"login": "gwen@example.org",
                                                   "password": DEMO_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/cy/accounts/2fa/authenticate/"
    assert_welsh(response, "Mae eich cyfrif wedi'i ddiogelu gan ddilysu dau gam.")
    response = client.post("/cy/accounts/2fa/authenticate/", {"code": "000000"})
    assert_welsh(response, "Cod anghywir.")
    assert not response.wsgi_request.user.is_authenticated

    client.force_login(user)
    assert_welsh(client.get("/cy/accounts/2fa/"), "Mae dilysu gydag ap dilysu ar waith.",
                 "Mae 10 o 10 cod adfer ar gael.")
    client.post("/cy/accounts/reauthenticate/", {"password": DEMO_PASSWORD})
    assert_welsh(client.get("/cy/accounts/2fa/recovery-codes/"), "Codau adfer",
                 "Codau heb eu defnyddio", "Lawrlwytho'r codau")
    assert_welsh(client.get("/cy/accounts/2fa/recovery-codes/generate/"),
                 "Bydd hyn yn gwneud eich codau presennol yn annilys.")
    assert_welsh(client.get("/cy/accounts/2fa/totp/deactivate/"), "Diffodd yr ap dilysu")
