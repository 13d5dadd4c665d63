"""Where a signed-in user lands."""

from flask import redirect, url_for

from app.auth.access import ALL_ROLES, allow
from app.main import bp


@bp.route("/")
@allow(*ALL_ROLES)
def index():
    return redirect(url_for("states.index"))
