"""The portal's date, time and number formats per language (settings.FORMAT_MODULE_PATH).

Django looks here before its own locale formats, so a name left out falls back to Django's."""
