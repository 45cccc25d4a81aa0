"""Names of translatable snippets (themes, asset categories...) in the reader's language.

A snippet made translatable with wagtail-localize (`TranslatableMixin`, a `name` field) keeps
one row per language. The default-locale row is the thing itself, the only row anything
points at; its translations only give its words in another language. For such a model,
`localized_names(model)` answers {default-row pk: name in the active language}, in one query
remembered for the rest of the request (`portal.request_memo`), falling back to the
default-language name where a row has no translation yet.

The model's default manager must see every locale (wagtail-localize and the snippet admin
need that anyway); `objects` may hide the translations. Admin screens and exports keep the
default-language names: officers work in the default language.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant

from portal.request_memo import remembered


def default_language_code() -> str:
    """The content language every relation to a translatable snippet is kept in."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def active_content_language() -> str:
    """The content language of the active interface language (the default when not offered)."""
    try:
        return get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return default_language_code()


def reading_default_language() -> bool:
    """Whether the reader's language is the default one (then no name needs looking up)."""
    return active_content_language() == default_language_code()


def localized_names(model, memo_kind: str | None = None) -> dict[int, str]:
    """{pk of each default-locale row of `model`: its name in the active language}, in one
    query a request. `memo_kind` names the memo slot (default: the model's label)."""
    code = active_content_language()
    kind = memo_kind or f"names:{model._meta.label_lower}"
    return remembered(kind, code, lambda: names_in(model, code))


def names_in(model, code: str) -> dict[int, str]:
    """{default-row pk: name in the content language `code`}, English where untranslated."""
    default = default_language_code()
    rows = model._default_manager.filter(
        locale__language_code__in={default, code}).order_by().values_list(
        "pk", "translation_key", "name", "locale__language_code")
    names, row_for_key, translated = {}, {}, {}
    for pk, key, name, language in rows:
        if language == default:
            names[pk] = name
            row_for_key[key] = pk
        else:
            translated[key] = name
    for key, name in translated.items():
        if key in row_for_key:
            names[row_for_key[key]] = name
    return names


def name_in_language(model, obj, memo_kind: str | None = None) -> str:
    """The name of `obj` (a row of `model` or its pk) in the active language; "" for None.

    No query when the reader's language is the default and a row is given. A pk that is not
    a known row is shown as it is."""
    if obj is None or obj == "":
        return ""
    is_row = isinstance(obj, model)
    if is_row and reading_default_language():
        return obj.name
    pk = obj.pk if is_row else obj
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return str(obj)
    name = localized_names(model, memo_kind).get(pk)
    if name is not None:
        return name
    return obj.name if is_row else str(obj)


def translated_name(model, pk, default_name: str, memo_kind: str | None = None) -> str:
    """The name of row `pk` of `model` in the active language, given its default-language
    name (as read with `values("...__name")`): no query when the language is the default."""
    if reading_default_language():
        return default_name
    return localized_names(model, memo_kind).get(pk, default_name)


def label_in_language(field, model, memo_kind: str | None = None) -> None:
    """Make a ModelChoiceField (or multiple) of `model` label its choices in the active
    language, for forms residents fill in."""
    field.label_from_instance = lambda obj: name_in_language(model, obj, memo_kind)
