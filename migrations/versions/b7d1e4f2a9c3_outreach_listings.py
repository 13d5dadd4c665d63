"""outreach listings (each live entry per state and campaign, with its day) and open follow-ups by state

Revision ID: b7d1e4f2a9c3
Revises: f3a8c2d6e1b5
Create Date: 2026-12-02 06:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d1e4f2a9c3'
down_revision = 'f3a8c2d6e1b5'
branch_labels = None
depends_on = None

# The same rows as `models.outreach.refresh_listings` writes for every entry.
BACKFILL = sa.text(
    "INSERT INTO outreach_listings (entry_id, state_id, campaign_id, occurred_on) "
    "SELECT e.id, os.state_id, oc.campaign_id, e.occurred_on FROM outreach_entries e "
    "JOIN outreach_states os ON os.entry_id = e.id JOIN outreach_campaigns oc ON oc.entry_id = e.id "
    "WHERE e.deleted_at IS NULL"
)


def upgrade():
    op.create_table('outreach_listings',
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('state_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_outreach_listings_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entry_id'], ['outreach_entries.id'], name=op.f('fk_outreach_listings_entry_id_outreach_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['state_id'], ['states.id'], name=op.f('fk_outreach_listings_state_id_states'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('entry_id', 'state_id', 'campaign_id', name=op.f('pk_outreach_listings'))
    )
    with op.batch_alter_table('outreach_listings', schema=None) as batch_op:
        batch_op.create_index('ix_outreach_listings_campaign_state_day',
                              ['campaign_id', 'state_id', 'occurred_on', 'entry_id'], unique=False)
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index('ix_follow_ups_campaign_state_open',
                              ['campaign_id', 'state_id', 'done_at', 'due_on', 'id'], unique=False)
    op.execute(BACKFILL)


def downgrade():
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_ups_campaign_state_open')
    op.drop_table('outreach_listings')
