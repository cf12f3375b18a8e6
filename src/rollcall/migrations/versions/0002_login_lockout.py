"""Login lockout: count failed logins per user and lock the account for a while at the
limit (OWASP ASVS 2.2.1), so a password cannot be guessed online.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 04:04:39.427844
"""

from alembic import op
import sqlalchemy as sa
import rollcall.models.base


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('locked_until', rollcall.models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')
