"""The `id` path converter: database ids in URLs, refused (404) when no database could hold them.

Django's `int` converter takes any number of digits; a 20-digit id then reaches the database,
where SQLite raises OverflowError and PostgreSQL "out of range for type bigint": a server
error for a mistyped or hostile URL. Ids are 64-bit at most (up to 19 digits), so `id`
takes 1 to 18 digits, always in range, and anything longer does not match the URL at all.
Registered when the portal app is loaded (portal/apps.py), before any URL pattern is built.
"""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


def register() -> None:
    register_converter(IdConverter, "id")
