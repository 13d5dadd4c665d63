"""races: stages, candidates, ballots, shared outreach

A campaign becomes an ordered list of stages (its group in turn, if any, becomes a group ballot
before the main election); outreach entries are shared between campaigns; reciprocal requests
name the campaign they serve; users remember the campaign they chose. No record is lost: the
data steps below move every value to its new place before the old columns go.

Revision ID: 6b6ac09115bc
Revises: 7c3e9a41d2b8
Create Date: 2026-12-01 19:22:05.296620

"""
from datetime import date

from alembic import op
import sqlalchemy as sa

GROUP_LABELS = {
    "AFRICAN": "African Group", "APG": "Asia-Pacific Group", "EEG": "Eastern European Group",
    "GRULAC": "Latin American and Caribbean Group", "WEOG": "Western European and Others Group",
}


# revision identifiers, used by Alembic.
revision = '6b6ac09115bc'
down_revision = '7c3e9a41d2b8'
branch_labels = None
depends_on = None


def _foreign_keys(on: bool) -> None:
    """SQLite rebuilds a table to alter it: with foreign keys enforced, dropping the old copy
    would cascade to every row that references it (positions, history, entries)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def upgrade():
    _foreign_keys(False)

    op.create_table('stages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('body_kind', sa.Enum('group', 'hrc', 'ga', 'other', name='bodykind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('regional_group', sa.Enum('AFRICAN', 'APG', 'EEG', 'GRULAC', 'WEOG', name='regionalgroup', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('body_name', sa.String(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('date_provisional', sa.Boolean(), nullable=False),
    sa.Column('electorate_mode', sa.Enum('derived', 'manual', name='electoratemode', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('winning_rule', sa.Enum('majority', 'absolute_majority', 'two_thirds', name='winningrule', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('expected_turnout', sa.Integer(), nullable=True),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('result', sa.Enum('pending', 'elected', 'not_elected', name='stageresult', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('result_note', sa.Text(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_stages_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stages')),
    sa.UniqueConstraint('campaign_id', 'sequence', name='uq_stages_order')
    )
    with op.batch_alter_table('stages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stages_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('ballot_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('present', sa.Integer(), nullable=False),
    sa.Column('abstentions', sa.Integer(), nullable=False),
    sa.Column('invalid', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('abstentions + invalid <= present', name=op.f('ck_ballot_rounds_counts_within_present')),
    sa.CheckConstraint('present >= 0 AND abstentions >= 0 AND invalid >= 0', name=op.f('ck_ballot_rounds_counts_positive')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_ballot_rounds_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['stage_id'], ['stages.id'], name=op.f('fk_ballot_rounds_stage_id_stages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_rounds')),
    sa.UniqueConstraint('stage_id', 'number', name='uq_ballot_rounds_number')
    )
    with op.batch_alter_table('ballot_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_rounds_stage_id'), ['stage_id'], unique=False)

    op.create_table('candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('state_id', sa.Integer(), nullable=True),
    sa.Column('is_ours', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['stage_id'], ['stages.id'], name=op.f('fk_candidates_stage_id_stages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['state_id'], ['states.id'], name=op.f('fk_candidates_state_id_states'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidates'))
    )
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidates_stage_id'), ['stage_id'], unique=False)

    op.create_table('stage_electors',
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('state_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['stage_id'], ['stages.id'], name=op.f('fk_stage_electors_stage_id_stages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['state_id'], ['states.id'], name=op.f('fk_stage_electors_state_id_states'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('stage_id', 'state_id', name=op.f('pk_stage_electors'))
    )
    op.create_table('stage_non_voters',
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('state_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['stage_id'], ['stages.id'], name=op.f('fk_stage_non_voters_stage_id_stages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['state_id'], ['states.id'], name=op.f('fk_stage_non_voters_state_id_states'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('stage_id', 'state_id', name=op.f('pk_stage_non_voters'))
    )
    op.create_table('ballot_votes',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('votes', sa.Integer(), nullable=False),
    sa.CheckConstraint('votes >= 0', name=op.f('ck_ballot_votes_votes_positive')),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_ballot_votes_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['ballot_rounds.id'], name=op.f('fk_ballot_votes_round_id_ballot_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'candidate_id', name=op.f('pk_ballot_votes'))
    )
    op.create_table('outreach_campaigns',
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_outreach_campaigns_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entry_id'], ['outreach_entries.id'], name=op.f('fk_outreach_campaigns_entry_id_outreach_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('entry_id', 'campaign_id', name=op.f('pk_outreach_campaigns'))
    )
    with op.batch_alter_table('outreach_campaigns', schema=None) as batch_op:
        batch_op.create_index('ix_outreach_campaigns_campaign_id', ['campaign_id'], unique=False)

    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_default', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('source', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('reciprocal_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('campaign_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('current_campaign_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_users_current_campaign_id_campaigns'), 'campaigns', ['current_campaign_id'], ['id'], ondelete='SET NULL')

    _campaigns_to_stages(op.get_bind())

    op.drop_table('campaign_electors')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.alter_column('is_default', server_default=None)
        batch_op.alter_column('source', server_default=None)
        # SQLite rebuilds the table with the reflected CHECKs, so those of dropped columns go first.
        for check in ('ck_campaigns_regionalgroup', 'ck_campaigns_winningrule', 'ck_campaigns_electoratemode'):
            batch_op.drop_constraint(op.f(check), type_='check')
        batch_op.drop_column('body')
        batch_op.drop_column('electorate_mode')
        batch_op.drop_column('winning_rule')
        batch_op.drop_column('expected_turnout')
        batch_op.drop_column('election_date')
        batch_op.drop_column('group_in_turn')
        batch_op.drop_column('is_active')

    with op.batch_alter_table('outreach_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_entries_campaign_id'))
        batch_op.drop_constraint(batch_op.f('fk_outreach_entries_campaign_id_campaigns'), type_='foreignkey')
        batch_op.drop_column('campaign_id')

    with op.batch_alter_table('reciprocal_requests', schema=None) as batch_op:
        batch_op.alter_column('campaign_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_reciprocal_requests_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_reciprocal_requests_campaign_id_campaigns'), 'campaigns', ['campaign_id'], ['id'], ondelete='CASCADE')
    _foreign_keys(True)


def _campaigns_to_stages(conn) -> None:
    """Each campaign's election (and its group in turn) as stages; entries and requests linked."""
    now = sa.func.current_timestamp()
    campaigns = conn.execute(sa.text(
        "SELECT id, body, election_date, candidate_name, candidate_state_id, group_in_turn, winning_rule, "
        "expected_turnout, electorate_mode, is_active FROM campaigns ORDER BY id")).mappings().all()
    stages = sa.table("stages", *(sa.column(c) for c in (
        "id", "campaign_id", "sequence", "name", "body_kind", "regional_group", "body_name", "held_on",
        "date_provisional", "electorate_mode", "winning_rule", "expected_turnout", "seats", "result",
        "result_note", "source", "created_at")))
    for c in campaigns:
        conn.execute(sa.text("UPDATE campaigns SET is_default = :d WHERE id = :id"), {"d": bool(c["is_active"]), "id": c["id"]})
        common = dict(campaign_id=c["id"], held_on=c["election_date"], seats=1, result="pending", result_note="",
                      created_at=now, expected_turnout=None, electorate_mode="derived", body_name="",
                      regional_group=None, date_provisional=False,
                      source="Moved from the campaign's settings by the races migration.")
        sequence = 1
        if c["group_in_turn"]:
            conn.execute(stages.insert().values(
                **common | dict(sequence=sequence, name=f"{GROUP_LABELS.get(c['group_in_turn'], c['group_in_turn'])} ballot",
                                body_kind="group", regional_group=c["group_in_turn"], winning_rule="majority",
                                date_provisional=True)))
            sequence += 1
        body = (c["body"] or "").upper()
        kind = {"HRC": "hrc", "GA": "ga", "UNGA": "ga"}.get(body, "other")
        mode = c["electorate_mode"]
        conn.execute(stages.insert().values(
            **common | dict(sequence=sequence, name="Council election" if kind == "hrc" else f"{c['body']} election",
                            body_kind=kind, body_name="" if kind != "other" else c["body"],
                            winning_rule=c["winning_rule"], expected_turnout=c["expected_turnout"],
                            electorate_mode="manual" if kind == "other" else mode)))
        main_id = conn.execute(sa.text("SELECT id FROM stages WHERE campaign_id = :c AND sequence = :s"),
                               {"c": c["id"], "s": sequence}).scalar_one()
        if mode == "manual":
            conn.execute(sa.text("INSERT INTO stage_electors (stage_id, state_id) "
                                 "SELECT :s, state_id FROM campaign_electors WHERE campaign_id = :c"),
                         {"s": main_id, "c": c["id"]})
        elif kind == "other":  # the old code derived these from memberships; keep that list
            year = c["election_date"].year if hasattr(c["election_date"], "year") else int(str(c["election_date"])[:4])
            conn.execute(sa.text("INSERT INTO stage_electors (stage_id, state_id) SELECT DISTINCT :s, state_id "
                                 "FROM memberships WHERE body = :b AND term_start <= :y AND term_end >= :y"),
                         {"s": main_id, "b": c["body"], "y": year})
        name = c["candidate_name"] or conn.execute(sa.text("SELECT name FROM states WHERE id = :i"),
                                                   {"i": c["candidate_state_id"]}).scalar_one()
        conn.execute(sa.text("INSERT INTO candidates (stage_id, name, state_id, is_ours) "
                             "SELECT id, :n, :s, :t FROM stages WHERE campaign_id = :c"),
                     {"n": name, "s": c["candidate_state_id"], "c": c["id"], "t": True})
    conn.execute(sa.text("INSERT INTO outreach_campaigns (entry_id, campaign_id) SELECT id, campaign_id FROM outreach_entries"))
    # One rule for "current" from now on: the latest change by the day expressed, ties to the later
    # record. Positions written under the old rule (last recorded wins) are brought in line.
    latest = ("SELECT {col} FROM status_changes sc WHERE sc.campaign_id = positions.campaign_id "
              "AND sc.state_id = positions.state_id ORDER BY sc.effective_on DESC, sc.id DESC LIMIT 1")
    conn.execute(sa.text(f"UPDATE positions SET status = ({latest.format(col='to_status')}), "
                         f"conditional = ({latest.format(col='conditional')}) "
                         "WHERE EXISTS (SELECT 1 FROM status_changes sc WHERE sc.campaign_id = positions.campaign_id "
                         "AND sc.state_id = positions.state_id)"))
    default = next((c["id"] for c in campaigns if c["is_active"]), campaigns[0]["id"] if campaigns else None)
    if default is None:
        if conn.execute(sa.text("SELECT count(*) FROM reciprocal_requests")).scalar():
            raise RuntimeError("Reciprocal requests exist but no campaign does: create a campaign first.")
        return
    conn.execute(sa.text("UPDATE reciprocal_requests SET campaign_id = :c"), {"c": default})


def downgrade():
    _foreign_keys(False)
    conn = op.get_bind()
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_current_campaign_id_campaigns'), type_='foreignkey')
        batch_op.drop_column('current_campaign_id')
    with op.batch_alter_table('reciprocal_requests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reciprocal_requests_campaign_id_campaigns'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reciprocal_requests_campaign_id'))
        batch_op.drop_column('campaign_id')

    with op.batch_alter_table('outreach_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('campaign_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_active', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('group_in_turn', sa.Enum('AFRICAN', 'APG', 'EEG', 'GRULAC', 'WEOG', name='regionalgroup', native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('election_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('expected_turnout', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('winning_rule', sa.Enum('majority', 'two_thirds', name='winningrule', native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('electorate_mode', sa.Enum('derived', 'manual', name='electoratemode', native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('body', sa.String(length=20), nullable=True))
    op.create_table('campaign_electors',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('state_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_electors_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['state_id'], ['states.id'], name=op.f('fk_campaign_electors_state_id_states'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', 'state_id', name=op.f('pk_campaign_electors'))
    )
    _stages_to_campaigns(conn)
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        for name, type_ in (('is_active', sa.Boolean()), ('election_date', sa.Date()), ('body', sa.String(20)),
                            ('winning_rule', sa.String(32)), ('electorate_mode', sa.String(32))):
            batch_op.alter_column(name, existing_type=type_, nullable=False)
        batch_op.drop_column('source')
        batch_op.drop_column('archived_at')
        batch_op.drop_column('is_default')
    with op.batch_alter_table('outreach_entries', schema=None) as batch_op:
        batch_op.alter_column('campaign_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_outreach_entries_campaign_id_campaigns'), 'campaigns', ['campaign_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index(batch_op.f('ix_outreach_entries_campaign_id'), ['campaign_id'], unique=False)

    with op.batch_alter_table('outreach_campaigns', schema=None) as batch_op:
        batch_op.drop_index('ix_outreach_campaigns_campaign_id')
    op.drop_table('outreach_campaigns')
    op.drop_table('ballot_votes')
    op.drop_table('stage_non_voters')
    op.drop_table('stage_electors')
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidates_stage_id'))
    op.drop_table('candidates')
    with op.batch_alter_table('ballot_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_rounds_stage_id'))
    op.drop_table('ballot_rounds')
    with op.batch_alter_table('stages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stages_campaign_id'))
    op.drop_table('stages')
    _foreign_keys(True)


def _stages_to_campaigns(conn) -> None:
    """Back to one election per campaign: the last stage's settings, the group ballot's group."""
    for (cid,) in conn.execute(sa.text("SELECT id FROM campaigns")).all():
        last = conn.execute(sa.text(
            "SELECT id, body_kind, body_name, held_on, winning_rule, expected_turnout, electorate_mode FROM stages "
            "WHERE campaign_id = :c ORDER BY sequence DESC LIMIT 1"), {"c": cid}).mappings().first()
        group = conn.execute(sa.text("SELECT regional_group FROM stages WHERE campaign_id = :c AND body_kind = 'group' "
                                     "ORDER BY sequence LIMIT 1"), {"c": cid}).scalar()
        values = {"c": cid, "g": group, "d": last["held_on"] if last else date.today(),
                  "b": {"hrc": "HRC", "ga": "GA"}.get(last["body_kind"], last["body_name"] or "OTHER") if last else "HRC",
                  "r": "two_thirds" if last and last["winning_rule"] == "two_thirds" else "majority",
                  "t": last["expected_turnout"] if last else None,
                  "m": last["electorate_mode"] if last else "derived"}
        conn.execute(sa.text("UPDATE campaigns SET is_active = is_default, group_in_turn = :g, election_date = :d, "
                             "body = :b, winning_rule = :r, expected_turnout = :t, electorate_mode = :m WHERE id = :c"),
                     values)
        if last:
            conn.execute(sa.text("INSERT INTO campaign_electors (campaign_id, state_id) "
                                 "SELECT :c, state_id FROM stage_electors WHERE stage_id = :s"), {"c": cid, "s": last["id"]})
    conn.execute(sa.text(
        "UPDATE outreach_entries SET campaign_id = (SELECT min(campaign_id) FROM outreach_campaigns oc "
        "WHERE oc.entry_id = outreach_entries.id)"))
    conn.execute(sa.text(
        "UPDATE outreach_entries SET campaign_id = (SELECT min(id) FROM campaigns) WHERE campaign_id IS NULL"))
