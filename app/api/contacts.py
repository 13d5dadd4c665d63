"""Contacts: list, read, create."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.api import bp, scope
from app.api.common import actor, commit_write, origin, state_filter, writable_state
from app.api.errors import not_found
from app.api.pagination import page
from app.api.schemas import ContactFilter, ContactIn, ContactOut, ContactPage
from app.auth.access import READ_ROLES, allow
from app.domain.enums import Role, TokenScope
from app.extensions import db
from app.models import Contact
from app.services.contacts import ContactInput, save_contact

WRITERS = (Role.ADMIN, Role.STAFF, Role.ENVOY)


@bp.route("/contacts")
@allow(*READ_ROLES, token=TokenScope.READ)
@bp.arguments(ContactFilter, location="query")
@bp.response(200, ContactPage)
@bp.doc(tags=["contacts"], summary="Contacts (filter by state)")
def list_contacts(args):
    return page(state_filter(sa.select(Contact).options(so.joinedload(Contact.state)), Contact.state_id, args),
                Contact.id, args)


@bp.route("/contacts/<int(max=2147483647):contact_id>")
@allow(*READ_ROLES, token=TokenScope.READ)
@bp.response(200, ContactOut)
@bp.doc(tags=["contacts"], summary="One contact")
def get_contact(contact_id: int):
    contact = db.session.scalar(scope.restrict(sa.select(Contact), Contact.state_id, actor())
                                .where(Contact.id == contact_id))
    if contact is None:
        not_found(f"No contact {contact_id} among those you may see.")
    return contact


@bp.route("/contacts", methods=["POST"])
@allow(*WRITERS, token=TokenScope.WRITE)
@bp.arguments(ContactIn)
@bp.response(201, ContactOut)
@bp.doc(tags=["contacts"], summary="Create a contact in a state")
def create_contact(data: dict):
    state = writable_state(data.pop("state"), "state")
    contact = save_contact(state, ContactInput(**data), origin())
    commit_write()
    return contact
