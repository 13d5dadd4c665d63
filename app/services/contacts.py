"""Contacts per state."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.models import Contact, State
from app.services import audit
from app.services.audit import Actor
from app.services.locking import claim_edit

CONTACT_FIELDS = ("name", "title", "organisation", "email", "phone", "notes", "is_primary")


@dataclass(frozen=True)
class ContactInput:
    name: str
    title: str = ""
    organisation: str = ""
    email: str = ""
    phone: str = ""
    notes: str = ""
    is_primary: bool = False


def contact_choices(state_ids: set[int]) -> list[tuple[int, str, str]]:
    """(id, name, state name) of the contacts of these states, by state and name: a picker's choices."""
    if not state_ids:
        return []
    return [(i, name, state) for i, name, state in db.session.execute(
        sa.select(Contact.id, Contact.name, State.name).join(State).where(Contact.state_id.in_(sorted(state_ids)))
        .order_by(State.name, Contact.name))]


def contacts_for_state(state: State) -> list[Contact]:
    """Primary contact first, then by name."""
    return list(
        db.session.scalars(
            sa.select(Contact)
            .where(Contact.state_id == state.id)
            .order_by(Contact.is_primary.desc(), Contact.name)
        )
    )


def _apply_primary(contact: Contact) -> None:
    """Only one primary contact per state."""
    if contact.is_primary:
        db.session.execute(
            sa.update(Contact)
            .where(Contact.state_id == contact.state_id, Contact.id != contact.id)
            .values(is_primary=False)
            .execution_options(synchronize_session="fetch")
        )


def save_contact(state: State, data: ContactInput, actor: Actor, contact: Contact | None = None,
                 expected_version: int | None = None) -> Contact:
    """Create or update a contact of `state`; an edit from a stale form raises EditConflict."""
    creating = contact is None
    if contact is None:
        contact = Contact(state_id=state.id, name=data.name)
        db.session.add(contact)
    claim_edit(contact, expected_version, actor, "contact")
    changes = {}
    for name in CONTACT_FIELDS:
        new = getattr(data, name)
        new = new.strip() if isinstance(new, str) else new
        if creating or getattr(contact, name) != new:
            changes[name] = (None if creating else getattr(contact, name), new)
            setattr(contact, name, new)
    db.session.flush()
    _apply_primary(contact)
    audit.record("contact.create" if creating else "contact.update", actor, "contact", contact.id,
                 state=state.iso3, **audit.diff(changes))
    return contact
