"""Who a document is for, drawn on every page, with the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.pdf.translate import ENGLISH, Translator


@dataclass(frozen=True)
class DocumentContext:
    """Who a document is for and what campaign it belongs to; drawn on every page."""

    classification: str
    recipient: str
    generated_at: datetime  # aware, UTC
    campaign_name: str
    office: str
    election_date: date | None
    candidate: str
    candidate_state: str
    t: Translator = ENGLISH  # the reader's language: messages, dates and numbers
