"""campaign forecast split

How a present member that does not vote for us divides between rivals and abstention, per
campaign, for the ballot forecast; NULL means the default (all to rivals, no abstention).

Revision ID: c4f1a2b9d7e3
Revises: 6b6ac09115bc
Create Date: 2026-12-08 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4f1a2b9d7e3'
down_revision = '6b6ac09115bc'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('forecast_split', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_column('forecast_split')
