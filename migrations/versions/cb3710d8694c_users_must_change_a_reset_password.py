"""users must change a reset password

Revision ID: cb3710d8694c
Revises: 46b54ce510c4
Create Date: 2026-12-01 20:30:08.626928

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cb3710d8694c'
down_revision = '46b54ce510c4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    # SQLite rebuilds `users` to drop a column: with foreign keys enforced that would cascade.
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("PRAGMA foreign_keys=OFF")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
    if sqlite:
        op.execute("PRAGMA foreign_keys=ON")
