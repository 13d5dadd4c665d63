"""Adding and editing contacts."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _

from app.auth import scope
from app.auth.access import EDIT_ROLES, allow
from app.auth.actor import current_actor
from app.contacts import bp
from app.contacts.forms import ContactForm
from app.domain.enums import Role
from app.extensions import db
from app.models import Contact, State
from app.services.contacts import save_contact
from app.services.states import get_state
from app.web import commit_or_keep

WRITE_ROLES = (*EDIT_ROLES, Role.ENVOY)


def _render_or_save(form: ContactForm, state: State, contact: Contact | None):
    if contact is not None and not form.is_submitted():
        form.version.data = str(contact.version)
    status = None
    if form.validate_on_submit():
        data = form.values()
        version = int(form.version.data) if contact and form.version.data else None
        status = commit_or_keep(lambda: save_contact(state, data, current_actor(), contact, expected_version=version),
                                form, lambda: contact.version if contact else 0, _("Contact saved.")).status
        if status is None:
            return redirect(url_for("states.detail", iso3=state.iso3, _anchor="contacts"))
    return render_template("contacts/form.html", form=form, state=state, contact=contact), \
        status or (400 if form.is_submitted() else 200)


@bp.route("/states/<iso3>/contacts/new", methods=["GET", "POST"])
@allow(*WRITE_ROLES, state_arg="iso3")
def new(iso3: str):
    state = get_state(iso3)
    if state is None:
        abort(404)
    return _render_or_save(ContactForm(), state, None)


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@allow(*WRITE_ROLES, state_arg=scope.record_states(Contact, "contact_id"))
def edit(contact_id: int):
    contact = db.session.get(Contact, contact_id)
    if contact is None:
        abort(404)
    return _render_or_save(ContactForm(obj=contact), contact.state, contact)
