"""Finding English left on a page or in a document shown in Indonesian: the catalogue's own msgids.

For each catalogue entry whose Indonesian differs from its English, the English (each piece
between placeholders, when at least MIN_LENGTH characters long) must not appear in the text a
reader sees. Proper names, UN document titles and user-entered text are taken out first: the
values stored in the desk's tables (campaign, stage, state and contact names, entries' texts).
"""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "app" / "translations" / "id" / "LC_MESSAGES" / "messages.po"
MIN_LENGTH = 12
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
# Attributes a reader sees or hears (a screen reader reads labels and titles).
SHOWN_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "aria-description"}


@lru_cache(maxsize=1)
def english_pieces() -> tuple[str, ...]:
    """The English a translated page must not show, longest first."""
    with CATALOGUE.open("rb") as handle:
        catalog = read_po(handle, locale="id")
    pieces: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if msgid in strings:
                continue  # the same in both languages ("API", "Token")
            for piece in PLACEHOLDER.split(msgid.replace("%%", "%")):
                piece = " ".join(piece.split()).strip(" .,:;()“”\"'")
                if len(piece) >= MIN_LENGTH and not any(piece in s for s in strings):
                    pieces.add(piece)
    return tuple(sorted(pieces, key=len, reverse=True))


class _Text(HTMLParser):
    """Text and shown attributes, leaving out scripts, styles and what is marked `lang="en"` (the
    API reference's own words, declared English for screen readers too)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._english: tuple[str, int] | None = None  # the lang="en" element open, and its nesting

    def handle_starttag(self, tag, attrs):
        if self._english is not None:
            if tag == self._english[0]:
                self._english = (tag, self._english[1] + 1)
            return
        if dict(attrs).get("lang") == "en":
            self._english = (tag, 1)
            return
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if value and (name in SHOWN_ATTRIBUTES or name.startswith(("data-msg-", "data-picker-", "data-confirm"))):
                self.parts.append(value)
        if tag == "input":
            attrs = dict(attrs)
            if attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if self._english is not None:
            if tag == self._english[0]:
                depth = self._english[1] - 1
                self._english = (tag, depth) if depth else None
            return
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and self._english is None:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """What a reader sees of a page: its text and the labels of its controls, one space apart."""
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def without(text: str, exempt: list[str]) -> str:
    """The text with every exempt string (a name, a user's entry) taken out, longest first."""
    for value in sorted({" ".join(v.split()) for v in exempt if v and len(v.strip()) >= 3}, key=len, reverse=True):
        text = text.replace(value, " ")
    return text


def english_in(text: str, exempt: list[str] = ()) -> list[str]:
    """The catalogue's English found in `text` (a page's visible text or a PDF's)."""
    exempt = [" ".join(v.split()) for v in exempt if v]
    text = without(" ".join(text.split()), exempt)
    found = []
    for piece in english_pieces():
        # English that is also part of a stored text cannot be told from it (a document's columns
        # may break that text across lines): only the catalogue's own words are reported.
        if piece in text and not any(piece in value for value in exempt):
            found.append(piece)
            text = text.replace(piece, " ")
    return found
