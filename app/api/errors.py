"""Service refusals and conflicts on the API, as problem details."""

from __future__ import annotations

from typing import NoReturn

from flask import abort

from app.api import bp
from app.api.problems import problem
from app.extensions import db
from app.services import ServiceError
from app.services.campaigns import CampaignArchived
from app.services.status import StatusConflict


class FieldInvalid(Exception):
    """One input field refused by a rule the schema cannot express (an unknown state…)."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(detail)
        self.field, self.detail = field, detail


def invalid(field: str, detail: str) -> NoReturn:
    raise FieldInvalid(field, detail)


def not_found(detail: str) -> NoReturn:
    abort(404, description=detail)


@bp.errorhandler(FieldInvalid)
def field_invalid(error: FieldInvalid):
    db.session.rollback()
    return problem(422, "The request has invalid fields; see errors.",
                   [{"location": "json", "field": error.field, "detail": error.detail}])


@bp.errorhandler(StatusConflict)
def status_conflict(error: StatusConflict):
    db.session.rollback()
    position = error.position
    return problem(409, str(error), current_status=position.status.value, current_version=position.version)


@bp.errorhandler(CampaignArchived)
def archived(error: CampaignArchived):
    db.session.rollback()
    return problem(409, str(error))


@bp.errorhandler(ServiceError)
def refused(error: ServiceError):
    db.session.rollback()
    return problem(422, str(error))
