"""The audit trail: sign-ins, refusals, changes with before and after, downloads; no secrets."""

from __future__ import annotations

import sqlalchemy as sa

from app.domain.enums import Role
from app.extensions import db
from app.models import AuditEvent
from tests.conftest import PASSWORD, AuthActions


def test_trail_records_who_did_what_and_admins_filter_it(app, client, auth):
    staff = auth.login(Role.STAFF)
    auth.post("/states/KHM/profile", {"capital": "Phnom Penh", "priority": "high", "version": "1"})
    client.get("/states/KHM/brief.pdf")
    client.get("/admin/users")  # refused
    admin = AuthActions(app.test_client())
    admin.login(Role.ADMIN)
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"login.success", "state.profile", "brief.download", "access.denied"} <= actions
    change = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "state.profile"))
    assert change.details["before"]["capital"] == "" and change.details["after"]["capital"] == "Phnom Penh"
    assert change.user_id == staff.id and change.target_id == "KHM" and change.at.tzinfo is not None
    page = admin.client.get("/admin/audit?action=state.profile").get_data(as_text=True)
    assert "staff@example.test" in page and "Phnom Penh" in page and "brief.download" not in page.split("<tbody>")[1]
    page = admin.client.get("/admin/audit?user=staff&since=2000-01-01&target=khm").get_data(as_text=True)
    assert "state.profile" in page.split("<tbody>")[1]
    assert admin.client.get("/admin/audit?since=not-a-date").status_code == 200


def test_no_password_reaches_the_trail(client, auth):
    auth.login(Role.STAFF)
    auth.post(
        "/account/password", {"current": PASSWORD, "new": "a new long passphrase", "confirm": "a new long passphrase"}
    )
    trail = " ".join(str(e.details) for e in db.session.scalars(sa.select(AuditEvent)))
    assert PASSWORD not in trail and "a new long passphrase" not in trail
