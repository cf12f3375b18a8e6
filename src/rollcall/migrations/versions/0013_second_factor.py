"""The optional TOTP second factor of staff accounts: its secret, sealed (issue 5 part 5).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('totp_secret', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_column('totp_secret')
