"""Adding and editing contacts."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import EDIT_ROLES, allow
from app.contacts import bp
from app.contacts.forms import ContactForm
from app.domain.enums import Role
from app.extensions import db
from app.models import Contact, State
from app.services.contacts import CONTACT_FIELDS, ContactInput, save_contact
from app.services.locking import EditConflict
from app.services.states import get_state

WRITE_ROLES = (*EDIT_ROLES, Role.ENVOY)


def contact_state(kwargs: dict[str, Any]) -> set[str]:
    return set(db.session.scalars(
        sa.select(State.iso3).join(Contact, Contact.state_id == State.id).where(Contact.id == kwargs.get("contact_id"))
    ))


def _render_or_save(form: ContactForm, state: State, contact: Contact | None):
    if contact is not None and not form.is_submitted():
        form.version.data = str(contact.version)
    if form.validate_on_submit():
        data = ContactInput(
            **{name: getattr(form, name).data or ("" if name != "is_primary" else False) for name in CONTACT_FIELDS}
        )
        try:
            save_contact(state, data, current_user, contact,
                         expected_version=int(form.version.data) if contact and form.version.data else None)
        except EditConflict as conflict:
            db.session.rollback()
            form.version.data = str(db.session.get_one(Contact, contact.id).version)
            flash(str(conflict), "warning")
            return render_template("contacts/form.html", form=form, state=state, contact=contact), 409
        db.session.commit()
        flash(_("Contact saved."), "success")
        return redirect(url_for("states.detail", iso3=state.iso3, _anchor="contacts"))
    return render_template(
        "contacts/form.html", form=form, state=state, contact=contact
    ), 400 if form.is_submitted() else 200


@bp.route("/states/<iso3>/contacts/new", methods=["GET", "POST"])
@allow(*WRITE_ROLES, state_arg="iso3")
def new(iso3: str):
    state = get_state(iso3)
    if state is None:
        abort(404)
    return _render_or_save(ContactForm(), state, None)


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@allow(*WRITE_ROLES, state_arg=contact_state)
def edit(contact_id: int):
    contact = db.session.get(Contact, contact_id)
    if contact is None:
        abort(404)
    return _render_or_save(ContactForm(obj=contact), contact.state, contact)
