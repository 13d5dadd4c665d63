"""Messages translated when they are shown, without a framework: the app installs the translator.

A service or a domain rule writes `Message("Stage %(name)s is decided.", name=...)` (extracted by
pybabel under the keyword `Message`); the text is produced in the reader's locale only when the
message becomes a string (a flash, a template, an error page). `app.i18n` installs Flask-Babel's
gettext at start-up; without it (a script, a renderer's test) the English source is used.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

Gettext = Callable[..., str]


def _english(msgid: str, **values: object) -> str:
    return msgid % values if values else msgid


_gettext: Gettext = _english


def install_translator(gettext: Gettext) -> None:
    """Use `gettext(msgid, **values)` to turn every Message into text from now on."""
    global _gettext
    _gettext = gettext


class Message:
    """A message translated, and its values filled in, when it becomes text (in the reader's locale).

    It has no __html__, so Jinja escapes it like any string: its values may be user text (a
    follow-up, a post), which must never reach a page unescaped.
    """

    __slots__ = ("msgid", "values")

    def __init__(self, msgid: str, **values: object) -> None:
        self.msgid, self.values = msgid, values

    def __str__(self) -> str:
        return _gettext(self.msgid, **self.values)

    def __repr__(self) -> str:
        return f"Message({self.msgid!r})"

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(self.msgid)

    def __contains__(self, item: str) -> bool:
        return item in str(self)


class Sentences(Message):
    """Several messages shown as one text, each in the reader's language, a space apart."""

    __slots__ = ("parts",)

    def __init__(self, *parts: object) -> None:
        super().__init__("")
        self.parts = parts

    def __str__(self) -> str:
        return " ".join(text for text in (str(part) for part in self.parts) if text)

    def __repr__(self) -> str:
        return f"Sentences{self.parts!r}"

    def __hash__(self) -> int:
        return hash(self.parts)


def _plain_number(value: float, decimals: int | None = 0) -> str:
    return f"{value:,g}" if decimals is None else f"{value:,.{decimals}f}"


_number: Callable[[float, int | None], str] = _plain_number


def install_number_format(number: Callable[[float, int | None], str]) -> None:
    """Use `number(value, decimals)` to write a Number in the reader's locale ("20,000" / "20.000");
    `decimals=None` writes as many as the value needs."""
    global _number
    _number = number


class Number:
    """A number written with the reader's separators when it becomes text (a value of a Message)."""

    __slots__ = ("decimals", "value")

    def __init__(self, value: float, decimals: int | None = 0) -> None:
        self.value, self.decimals = value, decimals

    def __str__(self) -> str:
        return _number(self.value, self.decimals)
def _iso(value: date) -> str:
    return value.isoformat()


_format_date: Callable[[date], str] = _iso


def install_date_format(format_date: Callable[[date], str]) -> None:
    """Write every LocalDate with `format_date` from now on (the app installs Babel's, in the reader's locale)."""
    global _format_date
    _format_date = format_date


class LocalDate:
    """A date written in the reader's locale when it becomes text ("24 Nov 2025"), like a Message."""

    __slots__ = ("value",)

    def __init__(self, value: date) -> None:
        self.value = value

    def __str__(self) -> str:
        return _format_date(self.value)
