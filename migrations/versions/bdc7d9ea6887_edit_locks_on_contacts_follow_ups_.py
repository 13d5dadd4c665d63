"""edit locks on contacts, follow-ups, requests and campaigns

Revision ID: bdc7d9ea6887
Revises: cb3710d8694c
Create Date: 2026-12-01 21:08:54.986210

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bdc7d9ea6887'
down_revision = 'cb3710d8694c'
branch_labels = None
depends_on = None


def _foreign_keys(on: bool) -> None:
    """SQLite rebuilds each table to add a foreign key: with enforcement on, dropping the old copy
    would cascade to the rows that reference it (a campaign's positions and history)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def upgrade():
    _foreign_keys(False)
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('edited_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_campaigns_edited_by_id_users'), 'users', ['edited_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('edited_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_contacts_edited_by_id_users'), 'users', ['edited_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('edited_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_follow_ups_edited_by_id_users'), 'users', ['edited_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('reciprocal_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('edited_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_reciprocal_requests_edited_by_id_users'), 'users', ['edited_by_id'], ['id'], ondelete='SET NULL')
    _foreign_keys(True)


def downgrade():
    _foreign_keys(False)
    with op.batch_alter_table('reciprocal_requests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reciprocal_requests_edited_by_id_users'), type_='foreignkey')
        batch_op.drop_column('edited_by_id')
        batch_op.drop_column('edited_at')
        batch_op.drop_column('version')

    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_follow_ups_edited_by_id_users'), type_='foreignkey')
        batch_op.drop_column('edited_by_id')
        batch_op.drop_column('edited_at')
        batch_op.drop_column('version')

    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contacts_edited_by_id_users'), type_='foreignkey')
        batch_op.drop_column('edited_by_id')
        batch_op.drop_column('edited_at')
        batch_op.drop_column('version')

    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_campaigns_edited_by_id_users'), type_='foreignkey')
        batch_op.drop_column('edited_by_id')
        batch_op.drop_column('edited_at')
        batch_op.drop_column('version')
    _foreign_keys(True)
