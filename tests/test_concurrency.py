"""No lost updates: many editors released together on one state's status."""

import threading

import pytest
import sqlalchemy as sa

from app.domain.enums import Role, SupportStatus
from app.extensions import db
from app.models import State, StatusChange
from app.services.campaigns import default_campaign
from app.services.status import StatusConflict, change_status, position_for
from tests.conftest import make_user
from tests.factories import as_actor

THREADS = 20
ROUNDS = 100
TARGETS = [s for s in SupportStatus if s is not SupportStatus.NOT_APPROACHED]


def _editor(app, barrier, version, index, user_id, results):
    """One editor: read the state, wait for the others, then try to save."""
    with app.app_context():
        campaign = default_campaign()
        khm = db.session.scalar(sa.select(State).where(State.iso3 == "KHM"))
        from app.models import User

        user = db.session.get(User, user_id)
        barrier.wait()
        try:
            change_status(campaign, khm, to_status=TARGETS[index % len(TARGETS)], expected_version=version,
                          actor=as_actor(user), reason=f"editor {index}")
            db.session.commit()
            results.append("ok")
        except StatusConflict as conflict:
            db.session.rollback()
            results.append("conflict" if "changed meanwhile" in str(conflict) else "bad-message")
        except Exception as error:  # noqa: BLE001  (any other outcome is a failure to report)
            db.session.rollback()
            results.append(f"error: {error!r}")
        finally:
            db.session.remove()


@pytest.mark.parametrize("rounds", [ROUNDS])
def test_twenty_editors_exactly_one_wins_each_round(app, rounds):
    user = make_user(Role.STAFF)
    campaign = default_campaign()
    khm = db.session.scalar(sa.select(State).where(State.iso3 == "KHM"))
    db.session.commit()
    for round_no in range(rounds):
        version = position_for(campaign, khm).version
        db.session.commit()
        barrier, results = threading.Barrier(THREADS), []
        threads = [threading.Thread(target=_editor, args=(app, barrier, version, i, user.id, results))
                   for i in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(results) == ["conflict"] * (THREADS - 1) + ["ok"], (round_no, results)
        db.session.expire_all()
        assert position_for(campaign, khm).version == version + 1
    changes = db.session.scalar(sa.select(sa.func.count(StatusChange.id)))
    assert changes == rounds  # one recorded change per round: no lost and no phantom updates
