"""Form pieces shared by several areas."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import ValidationError
from wtforms.validators import Length

from app.domain import clock
from app.domain.limits import LONG_TEXT_MAX  # noqa: F401  (the forms' limit, shared with imports)
from app.i18n import WTFORMS_TRANSLATIONS


class Form(FlaskForm):
    """The base of every form: WTForms' own messages come from Suara's catalogue."""

    class Meta:
        def get_translations(self, form):
            return WTFORMS_TRANSLATIONS


def not_in_future(form, field) -> None:
    """A date that has not happened yet is refused, and so is one before the UN existed."""
    if field.data and field.data > clock.today():
        raise ValidationError(_l("The date cannot be in the future."))
    not_before_1945(form, field)


UN_FOUNDED = date(1945, 10, 24)
FOLLOW_UP_PAST_DAYS = 365
FOLLOW_UP_FUTURE_YEARS = 5


def not_before_1945(_form, field) -> None:
    """Nothing the desk records predates the United Nations."""
    if field.data and field.data < UN_FOUNDED:
        raise ValidationError(_l("The date cannot be before 24 October 1945."))


def due_in_sensible_window(_form, field) -> None:
    """A follow-up is due within a year back (catching up) and five years ahead."""
    if not field.data:
        return
    today = clock.today()
    if field.data < today - timedelta(days=FOLLOW_UP_PAST_DAYS):
        raise ValidationError(_l("A follow-up cannot be due more than a year ago."))
    if field.data > today.replace(year=today.year + FOLLOW_UP_FUTURE_YEARS):
        raise ValidationError(_l("A follow-up cannot be due more than five years ahead."))


def no_control_chars(_form, field) -> None:
    """NUL and other control characters break databases and documents; tabs and newlines stay."""
    value = field.data or ""
    if isinstance(value, str) and any(ord(c) < 32 and c not in "\t\r\n" for c in value):
        raise ValidationError(_l("Remove the invisible control characters from this field."))


def short_text(maximum: int) -> list:
    """Validators for a one-line optional text."""
    return [Length(max=maximum), no_control_chars]




def options(pairs) -> list:
    """(value, label) pairs as WTForms select choices."""
    from wtforms import SelectChoice

    return [SelectChoice(str(value), label) for value, label in pairs]


def state_options(rows) -> list:
    """(value, name, iso3, iso2) rows as choices that the picker also finds by code and common name."""
    import json

    from wtforms import SelectChoice

    from app.services.state_search import search_terms

    return [
        SelectChoice(
            str(value), name, render_kw={"data-data": json.dumps({"search": " ".join(search_terms(iso3, iso2, name))})}
        )
        for value, name, iso3, iso2 in rows
    ]
