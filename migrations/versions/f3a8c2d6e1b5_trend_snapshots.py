"""trend snapshots: each campaign's replayed statuses at the end of a day; status changes by campaign and day;
open follow-ups by campaign and due day

Revision ID: f3a8c2d6e1b5
Revises: 8d4e2f6a1c57
Create Date: 2026-12-02 06:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3a8c2d6e1b5'
down_revision = '8d4e2f6a1c57'
branch_labels = None
depends_on = None


def upgrade():
    # Starts empty: the first dashboard view of each campaign replays its history once and fills it.
    op.create_table(
        'trend_snapshots',
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('statuses', sa.JSON(), nullable=False),
        sa.Column('signals', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'],
                                name=op.f('fk_trend_snapshots_campaign_id_campaigns'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('campaign_id', 'day', name=op.f('pk_trend_snapshots')),
    )
    # A new index only: no table is rebuilt, so SQLite needs no batch mode here.
    op.create_index('ix_status_changes_campaign_day', 'status_changes', ['campaign_id', 'effective_on', 'id'],
                    unique=False)
    op.create_index('ix_follow_ups_open_campaign_due', 'follow_ups', ['campaign_id', 'due_on', 'id'], unique=False,
                    sqlite_where=sa.text('done_at IS NULL'), postgresql_where=sa.text('done_at IS NULL'))


def downgrade():
    op.drop_index('ix_follow_ups_open_campaign_due', table_name='follow_ups')
    op.drop_index('ix_status_changes_campaign_day', table_name='status_changes')
    op.drop_table('trend_snapshots')
