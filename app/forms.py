"""Form pieces shared by several areas."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import ValidationError
from wtforms.validators import Length

from app.i18n import WTFORMS_TRANSLATIONS


class Form(FlaskForm):
    """The base of every form: WTForms' own messages come from Suara's catalogue."""

    class Meta:
        def get_translations(self, form):
            return WTFORMS_TRANSLATIONS


def not_in_future(_form, field) -> None:
    """A date that has not happened yet is refused."""
    if field.data and field.data > date.today():
        raise ValidationError(_l("The date cannot be in the future."))


def no_control_chars(_form, field) -> None:
    """NUL and other control characters break databases and documents; tabs and newlines stay."""
    value = field.data or ""
    if isinstance(value, str) and any(ord(c) < 32 and c not in "\t\r\n" for c in value):
        raise ValidationError(_l("Remove the invisible control characters from this field."))


def short_text(maximum: int) -> list:
    """Validators for a one-line optional text."""
    return [Length(max=maximum), no_control_chars]


LONG_TEXT_MAX = 100_000


def options(pairs) -> list:
    """(value, label) pairs as WTForms select choices."""
    from wtforms import SelectChoice

    return [SelectChoice(str(value), label) for value, label in pairs]


def state_options(rows) -> list:
    """(value, name, iso3, iso2) rows as choices that the picker also finds by code and common name."""
    import json

    from wtforms import SelectChoice

    from app.services.state_search import search_terms

    return [SelectChoice(str(value), name, render_kw={"data-data": json.dumps({"search": " ".join(search_terms(iso3, iso2, name))})})
            for value, name, iso3, iso2 in rows]
