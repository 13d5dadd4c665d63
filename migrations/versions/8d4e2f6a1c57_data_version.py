"""data version: one row whose stamp every write changes (cached figures are keyed by it)

Revision ID: 8d4e2f6a1c57
Revises: 5e1b7c0d9a24
Create Date: 2026-12-01 23:00:00.000000

"""
import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8d4e2f6a1c57'
down_revision = '5e1b7c0d9a24'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'data_version',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('stamp', sa.String(length=32), nullable=False),
        sa.Column('bumps', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version')),
    )
    op.bulk_insert(table, [{'id': 1, 'stamp': uuid.uuid4().hex, 'bumps': 0}])


def downgrade():
    op.drop_table('data_version')
