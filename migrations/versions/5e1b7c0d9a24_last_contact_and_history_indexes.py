"""last contact per state and indexes in the order of the history's look-ups

Revision ID: 5e1b7c0d9a24
Revises: e5a7c3d91b20
Create Date: 2026-12-01 21:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1b7c0d9a24'
down_revision = 'e5a7c3d91b20'
branch_labels = None
depends_on = None

BACKFILL = sa.text(
    "UPDATE states SET last_contact_on = (SELECT max(e.occurred_on) FROM outreach_states os "
    "JOIN outreach_entries e ON e.id = os.entry_id WHERE os.state_id = states.id AND e.deleted_at IS NULL)"
)


def upgrade():
    with op.batch_alter_table('states', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_contact_on', sa.Date(), nullable=True))
    with op.batch_alter_table('outreach_states', schema=None) as batch_op:
        batch_op.drop_index('ix_outreach_states_state_id')
        batch_op.create_index('ix_outreach_states_state_entry', ['state_id', 'entry_id'], unique=False)
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_status_changes_campaign_state')
        batch_op.create_index('ix_status_changes_campaign_state_day',
                              ['campaign_id', 'state_id', 'effective_on', 'id'], unique=False)
    op.execute(BACKFILL)


def downgrade():
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_status_changes_campaign_state_day')
        batch_op.create_index('ix_status_changes_campaign_state', ['campaign_id', 'state_id'], unique=False)
    with op.batch_alter_table('outreach_states', schema=None) as batch_op:
        batch_op.drop_index('ix_outreach_states_state_entry')
        batch_op.create_index('ix_outreach_states_state_id', ['state_id'], unique=False)
    with op.batch_alter_table('states', schema=None) as batch_op:
        batch_op.drop_column('last_contact_on')
