"""Where a signed-in user lands."""

from flask import redirect, url_for
from flask_login import current_user

from app.auth.access import ALL_ROLES, allow
from app.domain.enums import Role
from app.main import bp


@bp.route("/")
@allow(*ALL_ROLES)
def index():
    """Leadership and admins start on the dashboard; the others on their states."""
    if current_user.role in (Role.LEADERSHIP, Role.ADMIN):
        return redirect(url_for("dashboard.index"))
    return redirect(url_for("states.index"))
