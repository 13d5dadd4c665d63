"""Admin: a reset password must be replaced, every export is in the download log, a readable audit trail."""

from __future__ import annotations

import sqlalchemy as sa

from app.domain.enums import Role
from app.extensions import db
from app.models import User
from tests.conftest import make_user


def test_a_reset_password_must_be_changed_at_next_sign_in(client, auth):
    staff = make_user(Role.STAFF)
    auth.login(Role.ADMIN)
    html = auth.post(f"/admin/users/{staff.id}/reset-password", {}, page=f"/admin/users/{staff.id}").get_data(
        as_text=True
    )
    import re

    temporary = re.search(r'<code[^>]*>([^<]+)</code>', html).group(1)
    assert db.session.get(User, staff.id).must_change_password
    auth.logout()
    response = auth.post("/login", {"email": staff.email, "password": temporary}, page="/login")
    assert response.status_code == 302
    page = client.get("/states/", follow_redirects=True)
    assert "choose your own to continue" in page.get_data(as_text=True) and "/account/password" in page.request.path
    new = "a fresh and long passphrase 2026"
    auth.post("/account/password", {"current": temporary, "new": new, "confirm": new})
    db.session.expire_all()
    assert not db.session.get(User, staff.id).must_change_password


def test_the_download_log_lists_reports_csv_and_backups(client, auth, runner, tmp_path):
    auth.login(Role.ADMIN)
    client.get("/dashboard/report.pdf")
    client.get("/dashboard/tally.csv")
    assert runner.invoke(args=["export", str(tmp_path / "b.json")]).exit_code == 0
    html = client.get("/admin/downloads").get_data(as_text=True)
    assert "dashboard report" in html and "tally CSV" in html and "backup" in html


def test_new_users_have_no_default_role(client, auth):
    auth.login(Role.ADMIN)
    html = client.get("/admin/users").get_data(as_text=True)
    assert "— choose a role —" in html
    response = auth.post("/admin/users", {"email": "new@example.test", "name": "New person", "role": ""})
    assert response.status_code == 400 and "Choose the user's role." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(User).where(User.email == "new@example.test")) is None


def test_audit_trail_shows_names_and_readable_changes(client, auth):
    staff = make_user(Role.STAFF)
    admin = auth.login(Role.ADMIN)
    auth.post(f"/admin/users/{staff.id}", {"name": "Siti Rahayu", "role": "staff", "active": "y"})
    html = client.get("/admin/audit?action=user.update").get_data(as_text=True)
    assert admin.name in html and "<del>Test staff</del>" in html and "<ins>Siti Rahayu</ins>" in html
