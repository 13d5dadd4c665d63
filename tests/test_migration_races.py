"""The races migration keeps every record: a campaign with history becomes a campaign with stages."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from app.extensions import db
from tests.test_migrations import alembic_config, migration_app, scratch_url  # noqa: F401 (fixture)

BEFORE = "502990dd6637"


def _insert_old_data(conn) -> None:
    """A desk as it stood before stages: one campaign, positions, outreach, history, requests."""
    ins = lambda sql, **kw: conn.execute(sa.text(sql), kw)
    for i, (iso3, iso2, name, group) in enumerate(
        [("IDN", "ID", "Indonesia", "APG"), ("KHM", "KH", "Cambodia", "APG"), ("DEU", "DE", "Germany", "WEOG")], 1
    ):
        ins("INSERT INTO states (id, iso3, iso2, name, regional_group, un_member, note, capital, head_of_state, "
            "foreign_minister, mission_geneva, mission_new_york, our_embassy, priority, talking_points, the_ask) "
            "VALUES (:i, :a, :b, :n, :g, true, '', '', '', '', '', '', '', 'normal', '', '')",
            i=i, a=iso3, b=iso2, n=name, g=group)
    ins("INSERT INTO memberships (state_id, body, term_start, term_end, created_at) VALUES (2, 'HRC', 2024, 2026, :t)",
        t="2026-01-01 00:00:00")
    ins("INSERT INTO users (id, email, name, role, active, password_hash, session_token, created_at) "
        "VALUES (1, 'staff@x.org', 'Staff', 'staff', true, 'x', 'tok', :t)", t="2026-01-01 00:00:00")
    ins("INSERT INTO campaigns (id, name, office, body, election_date, candidate_name, candidate_state_id, "
        "group_in_turn, winning_rule, expected_turnout, electorate_mode, is_active, created_at, vote_weights) "
        "VALUES (1, 'Presidency', 'President of the Council', 'HRC', '2026-01-12', '', 1, 'APG', 'majority', 45, "
        "'manual', true, :t, NULL)", t="2025-01-01 00:00:00")
    ins("INSERT INTO campaign_electors (campaign_id, state_id) VALUES (1, 2), (1, 3)")
    ins("INSERT INTO positions (id, campaign_id, state_id, status, conditional, version) "
        "VALUES (1, 1, 2, 'verbal_pledge', false, 3)")
    ins("INSERT INTO outreach_entries (id, campaign_id, occurred_on, channel, level, location, our_participants, "
        "their_participants, summary, author_id, created_at, delete_reason) VALUES (7, 1, '2025-11-24', 'in_person', "
        "'minister', 'Phnom Penh', '', '', 'Asked for support', 1, :t, '')", t="2025-11-25 00:00:00")
    ins("INSERT INTO outreach_states (entry_id, state_id) VALUES (7, 2)")
    ins("INSERT INTO status_changes (campaign_id, state_id, from_status, to_status, changed_at, effective_on, "
        "changed_by_id, reason, outreach_id, note_reference, conditional) VALUES (1, 2, 'not_approached', "
        "'verbal_pledge', :t, '2025-11-24', 1, 'Positive', 7, '', false)", t="2025-11-25 00:00:00")
    # An older meeting logged later: under the old rule it became the position (Germany undecided).
    ins("INSERT INTO positions (id, campaign_id, state_id, status, conditional, version) "
        "VALUES (2, 1, 3, 'undecided', false, 3)")
    for at, day, status in (("2025-11-20 00:00:00", "2025-11-19", "leaning_for"),
                            ("2025-11-26 00:00:00", "2025-10-01", "undecided")):
        ins("INSERT INTO status_changes (campaign_id, state_id, from_status, to_status, changed_at, effective_on, "
            "changed_by_id, reason, note_reference, conditional) VALUES (1, 3, 'not_approached', :s, :t, :d, 1, '', "
            "'', false)", s=status, t=at, d=day)
    ins("INSERT INTO follow_ups (campaign_id, state_id, text, due_on, owner_id, created_at) "
        "VALUES (1, 2, 'Note verbale', '2025-12-05', 1, :t)", t="2025-11-25 00:00:00")
    ins("INSERT INTO reciprocal_requests (state_id, direction, body, post, year, status, notes, created_at) "
        "VALUES (2, 'they_ask_us', 'ECOSOC', 'Member', 2027, 'agreed', '', :t)", t="2025-11-25 00:00:00")


def _one(conn, sql: str):
    return conn.execute(sa.text(sql)).all()


def test_upgrade_keeps_campaign_history_and_moves_it_into_stages(scratch_url):  # noqa: F811
    app = migration_app(scratch_url)
    with app.app_context():
        config = alembic_config(app)
        command.upgrade(config, BEFORE)
        with db.engine.begin() as conn:
            _insert_old_data(conn)
        command.upgrade(config, "head")
        with db.engine.connect() as conn:
            assert _one(conn, "SELECT name, is_default FROM campaigns") == [("Presidency", True)]
            stages = _one(conn, "SELECT sequence, name, body_kind, regional_group, winning_rule, expected_turnout, "
                                "electorate_mode FROM stages ORDER BY sequence")
            assert stages == [
                (1, "Asia-Pacific Group ballot", "group", "APG", "majority", None, "derived"),
                (2, "Council election", "hrc", None, "majority", 45, "manual"),
            ]
            assert _one(conn, "SELECT s.sequence, e.state_id FROM stage_electors e JOIN stages s ON s.id = e.stage_id "
                              "ORDER BY e.state_id") == [(2, 2), (2, 3)]
            assert _one(conn, "SELECT name, state_id, is_ours FROM candidates ORDER BY stage_id") == [
                ("Indonesia", 1, True), ("Indonesia", 1, True)]
            # Germany's position follows the one rule: the later day (leaning for), not the later record.
            assert _one(conn, "SELECT status, version FROM positions ORDER BY id") == [
                ("verbal_pledge", 3), ("leaning_for", 3)]
            assert _one(conn, "SELECT to_status, outreach_id FROM status_changes ORDER BY id") == [
                ("verbal_pledge", 7), ("leaning_for", None), ("undecided", None)]
            assert _one(conn, "SELECT entry_id, campaign_id FROM outreach_campaigns") == [(7, 1)]
            assert _one(conn, "SELECT state_id FROM outreach_states") == [(2,)]
            # The listings are backfilled: the entry under its state and campaign, on its day.
            assert [(e, s, c, str(d)) for e, s, c, d in _one(
                conn, "SELECT entry_id, state_id, campaign_id, occurred_on FROM outreach_listings")] == [
                (7, 2, 1, "2025-11-24")]
            assert _one(conn, "SELECT text, campaign_id FROM follow_ups") == [("Note verbale", 1)]
            assert _one(conn, "SELECT post, campaign_id FROM reciprocal_requests") == [("Member", 1)]
            checks = conn.execute(sa.text(
                "SELECT sql FROM sqlite_master WHERE name = 'outreach_entries'")).scalar() if \
                db.engine.dialect.name == "sqlite" else None
            if checks is not None:  # the enum CHECK constraints survive SQLite's table rebuild
                assert "ck_outreach_entries_channel" in checks
        command.downgrade(config, BEFORE)
        with db.engine.connect() as conn:
            assert _one(conn, "SELECT body, election_date, group_in_turn, expected_turnout, is_active FROM campaigns"
                        )[0][:1] == ("HRC",)
            assert _one(conn, "SELECT campaign_id FROM outreach_entries") == [(1,)]
            assert _one(conn, "SELECT state_id FROM campaign_electors ORDER BY state_id") == [(2,), (3,)]
        db.engine.dispose()
