"""The reader's language: which locale a request uses, the languages offered, WTForms' messages.

English is the source language; Indonesian is the one translation (app/translations/id). A
signed-in user's choice (User.locale) wins; before sign-in, a language picked in the footer
(a cookie) and then the browser's Accept-Language decide; SUARA_DEFAULT_LOCALE is the fallback
and the language new accounts start with.
"""

from __future__ import annotations

from typing import TypeGuard

from flask import current_app, has_request_context, request
from flask_babel import format_decimal, get_translations, gettext, ngettext
from flask_login import current_user

from app.domain.text import install_date_format, install_number_format, install_translator


def _number(value: float, decimals: int | None) -> str:
    if decimals is None:  # as many decimals as the value has, up to three: 0.6 / 0,6
        return format_decimal(value, "#,##0.###")
    return format_decimal(value, "#,##0" + ("." + "0" * decimals if decimals else ""))


# Every domain Message is translated by Flask-Babel, in the locale in force when it is shown, and
# its numbers written with that locale's separators.
install_translator(gettext)
install_number_format(_number)

# Each language named in itself, as a language menu should show it.
LANGUAGES = {"en": "English", "id": "Bahasa Indonesia"}
COOKIE = "suara_locale"
COOKIE_MAX_AGE = 365 * 24 * 3600


def supported(locale: str | None) -> TypeGuard[str]:
    return locale in LANGUAGES


def select_locale() -> str:
    """The locale of this request (Flask-Babel's locale selector)."""
    default = current_app.config.get("DEFAULT_LOCALE", "en")
    if not has_request_context():
        return default
    if request.path.startswith("/api/"):
        return "en"  # the API answers in English whoever calls it (docs/architecture.md, Languages)
    user = current_user
    if user and user.is_authenticated and supported(getattr(user, "locale", None)):
        return user.locale
    chosen = request.cookies.get(COOKIE)
    if supported(chosen):
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES)) or default


class WTFormsTranslations:
    """WTForms' own messages ("This field is required.") from our catalogue: WTForms ships no
    Indonesian, so they are extracted with ours (see _wtforms_messages) and translated there."""

    # Unformatted, as WTForms expects: it fills in %(min)d and the like itself.
    def gettext(self, string: str) -> str:
        return get_translations().gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ngettext(singular, plural, n)


WTFORMS_TRANSLATIONS = WTFormsTranslations()


def _wtforms_messages(n: int = 1) -> None:  # pragma: no cover - never called; read by pybabel
    """The WTForms and Flask-WTF messages our forms can show, marked for extraction."""
    gettext("Field must be equal to %(other_name)s.")
    ngettext("Field must be at least %(min)d character long.",
             "Field must be at least %(min)d characters long.", n)
    ngettext("Field cannot be longer than %(max)d character.",
             "Field cannot be longer than %(max)d characters.", n)
    ngettext("Field must be exactly %(max)d character long.",
             "Field must be exactly %(max)d characters long.", n)
    gettext("Field must be between %(min)d and %(max)d characters long.")
    gettext("Number must be at least %(min)s.")
    gettext("Number must be at most %(max)s.")
    gettext("Number must be between %(min)s and %(max)s.")
    gettext("Date must be at least %(min)s.")
    gettext("Date must be at most %(max)s.")
    gettext("Date must be between %(min)s and %(max)s.")
    gettext("This field is required.")
    gettext("Invalid input.")
    gettext("Invalid email address.")
    gettext("Invalid URL.")
    gettext("Invalid value, must be one of: %(values)s.")
    gettext("Invalid value, can't be any of: %(values)s.")
    gettext("This field cannot be edited.")
    gettext("This field is disabled and cannot have a value.")
    gettext("Invalid CSRF Token.")
    gettext("CSRF token missing.")
    gettext("CSRF failed.")
    gettext("CSRF token expired.")
    gettext("Invalid Choice: could not coerce.")
    gettext("Not a valid choice.")
    gettext("Invalid choice(s): one or more data inputs could not be coerced.")
    ngettext("'%(value)s' is not a valid choice for this field.",
             "'%(value)s' are not valid choices for this field.", n)
    gettext("Not a valid datetime value.")
    gettext("Not a valid date value.")
    gettext("Not a valid time value.")
    gettext("Not a valid integer value.")
    gettext("Not a valid decimal value.")
    gettext("Not a valid float value.")
    # Flask-WTF's CSRF messages (shown on the 400 page)
    gettext("The CSRF token is missing.")
    gettext("The CSRF token is invalid.")
    gettext("The CSRF token has expired.")
    gettext("The CSRF session token is missing.")
    gettext("The CSRF tokens do not match.")
    gettext("The referrer header is missing.")
    gettext("The referrer does not match the host.")


def _format_day(value) -> str:
    from flask_babel import format_date

    return format_date(value, "d MMM y")


# Every domain LocalDate is written by Babel, in the locale in force when it is shown.
install_date_format(_format_day)


def reader_translator():
    """The renderers' Translator for the locale in force (wrap the call in force_locale(...))."""
    from flask_babel import get_locale, get_translations

    from app.pdf.translate import Translator

    return Translator(str(get_locale() or "en"), get_translations())
