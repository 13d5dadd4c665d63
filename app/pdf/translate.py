"""The reader's language for renderers: messages, enum labels, dates and numbers, without Flask.

A route builds one from Flask-Babel's translations for the reader's locale and puts it in the
DocumentContext; a renderer calls `t.gettext(...)` (extracted by pybabel like any `gettext`), and
formats dates and numbers with Babel for that locale. The default is English, so renderers and their
tests need no app.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext as _gettext
from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

# How a date is written in a document: "24 Nov 2025" in English (as before), "24 November 2025"
# in Indonesian (Kemlu writes the month in full).
DATE_PATTERNS = {"en": "d MMM y", "id": "d MMMM y"}


@dataclass(frozen=True)
class Translator:
    """Messages and formats of one locale."""

    locale: str = "en"
    translations: _gettext.NullTranslations = field(default_factory=_gettext.NullTranslations)

    def gettext(self, msgid: str, **variables: object) -> str:
        """The message in this locale, with %(name)s placeholders filled in."""
        text = self.translations.gettext(msgid)
        return text % variables if variables else text

    def ngettext(self, singular: str, plural: str, num: int, **variables: object) -> str:
        """The singular or plural message for `num` (available as %(num)s)."""
        return self.translations.ngettext(singular, plural, num) % {"num": num, **variables}

    def label(self, member) -> str:
        """An enum member's label (LabelledEnum.msgid) in this locale."""
        return self.gettext(member.msgid)

    def date(self, value: date | None) -> str:
        """A date as "24 Nov 2025" / "24 November 2025"; an em dash when there is none."""
        if value is None:
            return "—"
        return _document_date(value, self.locale)

    def day_month(self, value: dt.date, with_year: bool = False) -> str:
        """A chart's axis date: "24 Nov" / "24 Nov 2025" in English, "24 Nov" / "24 Nov 2025" in Indonesian."""
        return format_date(value, "d MMM y" if with_year else "d MMM", locale=self.locale)

    def number(self, value: float, decimals: int = 0) -> str:
        """A number with the locale's separators: 7.8 / 7,8; 20,000 / 20.000."""
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, pattern, locale=self.locale)

    def signed(self, value: float, decimals: int = 1) -> str:
        """A number with its sign always shown: +2.5 / +2,5."""
        sign = "+" if value >= 0 else "-"
        return sign + self.number(abs(value), decimals)

    def percent(self, share: float | None, decimals: int = 0) -> str:
        """A share as a percentage: 42% / 42%; an em dash when there is none."""
        if share is None:
            return "—"
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
        return format_percent(share, pattern, locale=self.locale)


@functools.lru_cache(maxsize=4096)
def _document_date(value: date, locale: str) -> str:
    """Babel's formatting, kept: a brief prints some forty dates, a trip pack thousands, mostly the same."""
    return format_date(value, DATE_PATTERNS.get(locale, "d MMM y"), locale=locale)


ENGLISH = Translator()
