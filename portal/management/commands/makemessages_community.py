"""`makemessages` for the community-language catalogues (pl, ar, ur, bn...), without msgmerge's
fuzzy matching.

Their drafts are marked fuzzy and compiled for residents (docs/languages.md, "The fuzzy rule").
Plain `makemessages` fills each new string with the translation of a similar old one and marks
it fuzzy too, so a guess ("Offered on this site" as the Polish for "Search this site") would
reach residents as if it were a draft. Here a new string stays untranslated (English) until
someone drafts it. Welsh keeps plain `makemessages`: its guesses fail
tests/i18n/test_welsh_catalogue.py until a translator resolves them.
"""

from django.core.management.commands.makemessages import Command as MakeMessagesCommand


class Command(MakeMessagesCommand):
    help = "makemessages for community languages: new strings are never guessed."
    msgmerge_options = [*MakeMessagesCommand.msgmerge_options, "--no-fuzzy-matching"]
