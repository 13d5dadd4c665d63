"""Backup: export → empty → import → export gives the same bytes; refusals change nothing."""

from __future__ import annotations

import json
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.domain.enums import (
    Channel,
    InterlocutorLevel,
    PledgeForm,
    Priority,
    RequestStatus,
    Role,
    SupportStatus,
)
from app.extensions import db
from app.models import AuditEvent, OutreachEntry, State, User, outreach_listings
from app.services import ServiceError, audit, backup
from app.services.audit import command_line
from app.services.campaigns import default_campaign
from app.services.followups import set_done
from app.services.outreach import OutreachInput, delete_outreach, edit_outreach, record_outreach
from app.services.states import PROFILE_FIELDS, get_state, update_profile
from app.services.status import Evidence, change_status
from app.services.tally import set_weights
from tests.conftest import make_user
from tests.factories import add_contact, add_follow_up, add_outreach, add_request, as_actor


def build_rich_database() -> None:
    """Every table filled through the services, with non-Latin text and every kind of value."""
    admin = make_user(Role.ADMIN)
    staff = make_user(Role.STAFF, name="Siti Rahayu")
    make_user(Role.ENVOY, name="Дмитрий Петров", states=["KHM", "LAO", "RUS"])
    make_user(Role.LEADERSHIP)
    campaign = default_campaign()
    khm, rus = get_state("KHM"), get_state("RUS")
    update_profile(khm, {**{name: getattr(khm, name) for name in PROFILE_FIELDS},
                         "capital": "ភ្នំពេញ", "priority": Priority.HIGH}, actor=as_actor(admin))
    keo = add_contact("KHM", staff, name="Keo Remy")
    lavrov = add_contact("RUS", staff, name="Сергей Лавров")
    meeting = add_outreach(campaign, ["KHM", "LAO"], staff, summary="Met in ភ្នំពេញ; positive.")
    record_outreach(OutreachInput(campaign_ids=[campaign.id], 
        occurred_on=date.today(), channel=Channel.PHONE, level=InterlocutorLevel.MINISTER, location="Москва",
        our_participants="Our minister", their_participants="", summary="Разговор с Сергеем Лавровым.",
        state_ids=[rus.id], contact_ids=[lavrov.id]), as_actor(staff))
    spare = add_outreach(campaign, ["VNM"], staff, summary="Entered twice by mistake.")
    delete_outreach(spare, "Duplicate of another entry.", as_actor(admin))
    edit_outreach(meeting, OutreachInput(campaign_ids=[campaign.id],
        occurred_on=date.today() - timedelta(days=2), channel=Channel.VIRTUAL, level=InterlocutorLevel.MINISTER,
        location="ភ្នំពេញ", our_participants="Our PR", their_participants="Keo Remy", summary="Edited: pledge.",
        state_ids=[khm.id, get_state("LAO").id], contact_ids=[keo.id]), as_actor(staff))
    request = add_request("KHM", staff, status=RequestStatus.AGREED)
    add_request("RUS", staff, post="Вице-председатель", status=RequestStatus.PENDING)
    change_status(campaign, khm, to_status=SupportStatus.VERBAL_PLEDGE, expected_version=1, actor=as_actor(staff),
                  reason="Pledged in the meeting.", effective_on=meeting.occurred_on, outreach_id=meeting.id,
                  evidence=Evidence(source_level=InterlocutorLevel.MINISTER, pledge_form=PledgeForm.NOTE_VERBALE,
                                    note_reference="NV/2025/17", note_date=date.today(), conditional=True,
                                    condition_request_id=request.id))
    change_status(campaign, rus, to_status=SupportStatus.UNDECIDED, expected_version=1, actor=as_actor(staff))
    set_done(add_follow_up(campaign, "KHM", staff, text="Send the note verbale"), True, as_actor(staff))
    add_follow_up(campaign, "RUS", staff, text="Позвонить снова", due=date.today() - timedelta(days=1))
    set_weights(campaign, {s: 0.5 for s in SupportStatus}, 0.75, as_actor(admin))
    audit.record("auth.login", as_actor(staff), "user", staff.id, note="Вход ✓")
    db.session.commit()


def wipe() -> None:
    """Delete every row of every table, children first; PostgreSQL's sequences restart as when new."""
    db.session.remove()
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(conn.dialect.identifier_preparer.format_table(t) for t in db.metadata.sorted_tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY"))
            return
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


def row_counts() -> dict[str, int]:
    """Rows per table a backup holds (all but the data version, a cache key that is not data)."""
    from app.services.backup import _tables

    return {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in _tables()}


def invoke(runner, *args: str):
    """Run a flask command in the suite's app context, then see what it committed."""
    result = runner.invoke(args=list(args))
    db.session.expire_all()
    return result


def test_export_then_import_into_an_emptied_database_is_lossless(runner, tmp_path: Path):
    build_rich_database()
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    result = invoke(runner, "export", str(first))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    counts = row_counts()
    listed = db.session.execute(sa.select(outreach_listings).order_by(*outreach_listings.primary_key)).all()
    assert listed and "outreach_listings" not in counts  # derived: not in the file, rebuilt by the import
    assert all(counts[name] for name in ("users", "assignments", "outreach_revisions", "outreach_contacts",
                                         "status_changes", "follow_ups", "reciprocal_requests", "audit_events"))
    wipe()
    assert not any(row_counts().values())
    result = invoke(runner, "import", str(first))
    assert result.exit_code == 0, result.output
    assert f"Imported {sum(counts.values())} rows" in result.output
    assert row_counts() == counts | {"audit_events": counts["audit_events"] + 1}  # the import's own record
    assert db.session.execute(sa.select(outreach_listings).order_by(*outreach_listings.primary_key)).all() == listed
    assert invoke(runner, "export", str(second)).exit_code == 0
    # Identical but for the import's and the second export's own records in the audit trail.
    again = json.loads(second.read_text(encoding="utf-8"))
    events = again["tables"]["audit_events"]
    assert [e["action"] for e in events[-2:]] == ["backup.import", "backup.export"]
    assert events[-2]["address"] == "cli" and events[-2]["user_label"] == "command line"
    again["tables"]["audit_events"] = events[:-2]
    assert again == json.loads(first.read_text(encoding="utf-8"))
    text = first.read_text(encoding="utf-8")
    assert "Сергей Лавров" in text and "ភ្នំពេញ" in text  # stored as text, not \u escapes
    assert get_state("KHM").capital == "ភ្នំពេញ"
    deleted = db.session.scalar(sa.select(OutreachEntry).where(OutreachEntry.deleted_at.is_not(None)))
    assert deleted.delete_reason == "Duplicate of another entry." and deleted.deleted_at.tzinfo is not None


def test_export_records_types_by_their_stored_values(runner, tmp_path: Path):
    build_rich_database()
    path = tmp_path / "backup.json"
    assert invoke(runner, "export", str(path)).exit_code == 0
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "suara-backup" and data["format_version"] == backup.FORMAT_VERSION
    assert "alembic_revision" in data
    users = {u["email"]: u for u in data["tables"]["users"]}
    assert users["staff@example.test"]["role"] == "staff"
    assert users["staff@example.test"]["created_at"].endswith("+00:00")
    campaign = data["tables"]["campaigns"][0]
    assert campaign["vote_weights"]["conditional_factor"] == 0.75
    assert date.fromisoformat(data["tables"]["stages"][0]["held_on"])


def test_import_into_a_non_empty_database_is_refused_and_changes_nothing(runner, tmp_path: Path):
    build_rich_database()
    path = tmp_path / "backup.json"
    assert invoke(runner, "export", str(path)).exit_code == 0
    before = row_counts()
    result = invoke(runner, "import", str(path))
    assert result.exit_code != 0
    assert "The database is not empty" in result.output and "nothing was imported" in result.output
    assert row_counts() == before


def test_failed_import_leaves_the_database_empty(runner, tmp_path: Path):
    build_rich_database()
    data = backup.export_all()
    db.session.rollback()
    data["tables"]["audit_events"].append(dict(data["tables"]["audit_events"][0]))  # duplicate key, last
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    wipe()
    result = invoke(runner, "import", str(path))
    assert result.exit_code != 0 and "Import failed; nothing was imported" in result.output
    assert not any(row_counts().values())


@pytest.mark.parametrize(("key", "value", "message"), [
    ("format", "other", "not a Suara export"),
    ("format_version", 99, "format version 99"),
    ("alembic_revision", "0000deadbeef", "schema revision '0000deadbeef'"),
])
def test_import_refuses_another_format_or_schema_revision(key: str, value: object, message: str):
    data = backup.export_all()
    db.session.rollback()
    data[key] = value
    wipe()
    with pytest.raises(ServiceError, match=message):
        backup.import_all(data, command_line())
    db.session.rollback()
    assert not any(row_counts().values())


def test_new_records_get_fresh_ids_after_an_import(runner, tmp_path: Path):
    build_rich_database()
    path = tmp_path / "backup.json"
    assert invoke(runner, "export", str(path)).exit_code == 0
    top_user = db.session.scalar(sa.select(sa.func.max(User.id)))
    top_event = db.session.scalar(sa.select(sa.func.max(AuditEvent.id)))
    wipe()
    assert invoke(runner, "import", str(path)).exit_code == 0
    staff = db.session.scalar(sa.select(User).where(User.email == "staff@example.test"))
    newcomer = make_user(Role.STAFF, email="new@example.test")
    entry = add_outreach(default_campaign(), ["KHM"], staff, summary="After the restore.")
    db.session.commit()
    assert newcomer.id > top_user
    assert db.session.scalar(sa.select(sa.func.max(AuditEvent.id))) > top_event
    assert db.session.get(OutreachEntry, entry.id).summary == "After the restore."
    assert db.session.scalar(sa.select(State).where(State.iso3 == "KHM")).capital == "ភ្នំពេញ"
