"""The Welsh interface catalogue is complete and compiled."""

import re

from django.utils import translation

from tests.conftest import REPO

CATALOGUE = REPO / "locale" / "cy" / "LC_MESSAGES"


def entries(po_text):
    """(flags, msgid, msgstrs) for each entry of a .po file, header excluded."""
    for block in po_text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        msgid_lines = []
        for line in lines:
            if line.startswith(("msgstr", "msgid_plural")):
                break
            if line.startswith("msgid "):
                msgid_lines.append(line[len("msgid "):])
            elif line.startswith('"') and msgid_lines:
                msgid_lines.append(line)
        msgid = "".join(line[1:-1] for line in msgid_lines)
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', "\n".join(lines), re.M)
        if msgid:
            yield flags, msgid, ["".join([first, *re.findall(r'"(.*)"', rest)])
                                 for first, rest in msgstrs]


def test_every_interface_string_has_a_welsh_translation():
    po_text = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    problems = [msgid for flags, msgid, msgstrs in entries(po_text)
                if "fuzzy" in flags or not msgstrs or not all(msgstrs)]
    assert problems == [], f"Untranslated or fuzzy in Welsh: {problems[:10]}"


def test_the_compiled_catalogue_is_up_to_date():
    po = CATALOGUE / "django.po"
    mo = CATALOGUE / "django.mo"
    assert mo.exists()
    with translation.override("cy"):
        assert translation.gettext("Skip to main content") == "Neidio i'r prif gynnwys"
        assert translation.gettext("Home") == "Hafan"
    assert mo.stat().st_size > po.stat().st_size / 4
