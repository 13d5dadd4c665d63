"""user locale: the language each user reads the desk and its documents in

Revision ID: 9e2d4c7a1b30
Revises: bdc7d9ea6887
Create Date: 2026-12-02 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9e2d4c7a1b30'
down_revision = 'bdc7d9ea6887'
branch_labels = None
depends_on = None


def upgrade():
    # Existing users keep English, the language they have used so far.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=8), server_default='en', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('locale')
