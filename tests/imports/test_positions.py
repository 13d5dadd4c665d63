"""Importing positions: a bad row blocks the whole file; fixed, every row is applied and shows on the state pages."""

from __future__ import annotations

import sqlalchemy as sa

from app.domain.enums import Role, SupportStatus
from app.extensions import db
from app.models import AuditEvent, ImportBatch, Position, StatusChange
from app.services.campaigns import default_campaign
from app.services.states import get_state
from tests.factories import as_actor
from tests.imports.helpers import confirm, csv_bytes, preview_key, upload, xlsx_bytes

HEADER = ["Country", "Status", "Date expressed", "Evidence", "Note reference", "Reason"]
GOOD = [
    ["Cambodia", "Verbal pledge", "2026-10-01", "Verbal, in a meeting", "", "Minister said so"],
    ["Laos", "WRITTEN_PLEDGE", "2026-10-02", "note_verbale", "NV 12/2026", ""],
    ["VN", "undecided", "", "", "", ""],
]
BAD = ["Atlantis", "Maybe", "31/31/2026", "", "", ""]


def _status(iso3: str) -> SupportStatus:
    campaign = default_campaign()
    return db.session.scalar(sa.select(Position.status).where(
        Position.campaign_id == campaign.id, Position.state_id == get_state(iso3).id))


def _changes() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(StatusChange))


def _import_with_one_bad_row_then_fixed(auth, build, filename):
    auth.login(Role.STAFF)
    before = _changes()
    key = preview_key(upload(auth, "positions", build([HEADER, *GOOD, BAD]), filename))
    page = auth.client.get(f"/import/{key}").get_data(as_text=True)
    assert "3 problems: nothing will be saved until they are fixed." in page
    assert "“Atlantis” is not a state the desk knows" in page
    assert "Status “Maybe” is not one of: Not approached, Approached" in page
    assert "Date expressed “31/31/2026” is not a date" in page
    assert "Cambodia: Not approached → Verbal pledge" in page
    assert 'name="fingerprint"' not in page  # no confirm button while a problem remains
    refused = auth.post(f"/import/{key}/confirm", {"fingerprint": "x" * 32}, page=f"/import/{key}")
    assert refused.status_code == 302
    assert "Nothing was saved. Row 5: “Atlantis” is not a state" in auth.client.get(f"/import/{key}").get_data(
        as_text=True
    )
    assert _changes() == before and _status("KHM") is SupportStatus.NOT_APPROACHED

    key = preview_key(upload(auth, "positions", build([HEADER, *GOOD]), filename))
    page = auth.client.get(f"/import/{key}").get_data(as_text=True)
    assert "3 rows, no problems: 3 will be applied." in page
    assert "Lao People&#39;s Democratic Republic: Not approached → Written pledge" in page
    done = confirm(auth, key)
    assert done.status_code == 302
    assert "Imported 3 rows: 3 applied, 0 already so." in auth.client.get(done.headers["Location"]).get_data(
        as_text=True
    )
    assert (_status("KHM"), _status("LAO"), _status("VNM")) == (
        SupportStatus.VERBAL_PLEDGE, SupportStatus.WRITTEN_PLEDGE, SupportStatus.UNDECIDED)
    assert 'status-badge status-verbal_pledge' in auth.client.get("/states/KHM").get_data(as_text=True)
    assert 'status-badge status-written_pledge' in auth.client.get("/states/LAO").get_data(as_text=True)
    change = db.session.scalar(sa.select(StatusChange).where(StatusChange.state_id == get_state("LAO").id))
    assert change.note_reference == "NV 12/2026" and change.pledge_form.value == "note_verbale"
    assert change.effective_on.isoformat() == "2026-10-02"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "import.apply"))
    assert event.details["rows"] == 3 and event.details["applied"] == 3 and event.details["kind"] == "positions"
    return key


def test_csv_with_a_bad_row_saves_nothing_then_the_fixed_file_is_applied(auth):
    key = _import_with_one_bad_row_then_fixed(auth, csv_bytes, "pledges.csv")
    report = auth.client.get(f"/import/{key}/report.csv")
    assert report.mimetype == "text/csv"
    text = report.get_data(as_text=True)
    assert "Row,State(s),What was applied" in text and "Cambodia: Not approached → Verbal pledge" in text
    batch = db.session.scalar(sa.select(ImportBatch).where(ImportBatch.key == key))
    assert batch.rows == [] and batch.applied_at is not None  # only the report is kept
    assert auth.post(f"/import/{key}/confirm", {"fingerprint": "x"}, page="/import").status_code == 302
    assert _changes() == 3  # confirming again applies nothing


def test_xlsx_with_a_bad_row_saves_nothing_then_the_fixed_file_is_applied(auth):
    _import_with_one_bad_row_then_fixed(auth, xlsx_bytes, "pledges.xlsx")


def test_xlsx_date_cells_are_dates(auth):
    from datetime import date

    auth.login(Role.STAFF)
    key = preview_key(
        upload(auth, "positions", xlsx_bytes([HEADER, ["KHM", "Leaning for", date(2026, 9, 1)]]), "d.xlsx")
    )
    confirm(auth, key)
    change = db.session.scalar(sa.select(StatusChange).where(StatusChange.state_id == get_state("KHM").id))
    assert change.effective_on == date(2026, 9, 1)


def test_duplicates_future_dates_and_evidence_without_a_pledge_are_problems(auth):
    auth.login(Role.STAFF)
    rows = [HEADER, ["KHM", "Approached", "2999-01-01", "", "", ""], ["Cambodia", "Against", "", "Letter", "", ""],
            ["UK", "approached", "", "", "", "bell\x07"]]
    page = auth.client.get(f"/import/{preview_key(upload(auth, 'positions', csv_bytes(rows), 'p.csv'))}").get_data(
        as_text=True
    )
    assert "Date expressed 2999-01-01 is in the future" in page
    assert "Cambodia is also on row 2: keep one row per state" in page
    assert "An evidence form goes only with a verbal or written pledge" in page
    assert "Reason holds invisible control characters" in page


def test_unchanged_rows_are_not_recorded_again(auth):
    auth.login(Role.STAFF)
    key = preview_key(upload(auth, "positions", csv_bytes([["State", "Status"], ["KHM", "Not approached"]]), "p.csv"))
    assert "Cambodia: already Not approached; nothing to change" in auth.client.get(f"/import/{key}").get_data(
        as_text=True
    )
    confirm(auth, key)
    assert _changes() == 0


def test_archived_campaign_refuses_a_position_import(auth):
    from app.models import Campaign
    from app.services.reference import PRESIDENCY_CAMPAIGN

    presidency = db.session.scalar(sa.select(Campaign).where(Campaign.name == PRESIDENCY_CAMPAIGN))
    auth.login(Role.ADMIN)
    response = upload(auth, "positions", csv_bytes([["State", "Status"], ["KHM", "Against"]]), "p.csv",
                      query=f"?campaign={presidency.id}")
    assert response.status_code == 400
    assert "is archived: it can be read and downloaded, not changed." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportBatch)) == 0


def test_a_changed_desk_between_preview_and_confirm_is_refused(auth):
    from app.services.status import change_status

    user = auth.login(Role.STAFF)
    key = preview_key(upload(auth, "positions", csv_bytes([["State", "Status"], ["KHM", "Against"]]), "p.csv"))
    page = auth.client.get(f"/import/{key}").get_data(as_text=True)
    import re

    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([^"]+)"', page).group(1)
    campaign, state = default_campaign(), get_state("KHM")
    change_status(campaign, state, to_status=SupportStatus.UNDECIDED, expected_version=1, actor=as_actor(user))
    db.session.commit()
    response = auth.post(f"/import/{key}/confirm", {"fingerprint": fingerprint}, page=f"/import/{key}")
    assert "The desk changed since this preview was shown" in auth.client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert _status("KHM") is SupportStatus.UNDECIDED
