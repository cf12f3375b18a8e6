"""Field encryption: the wrapped data keys, and the blind index of a tracing request's
contact (issue 5 part 4). Contacts stored before this stay readable as they are until
`rollcall keys rotate` encrypts them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa
import rollcall.models.base


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('field_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum('data', 'index', name='keypurpose', native_enum=False,
                                 length=32), nullable=False),
    sa.Column('wrapped', sa.LargeBinary(), nullable=True),
    sa.Column('master_fingerprint', sa.String(length=16), nullable=False),
    sa.Column('created_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('destroyed_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_field_keys'))
    )
    with op.batch_alter_table('tracing_requests') as batch:
        batch.add_column(sa.Column('requester_contact_index', sa.String(length=64),
                                   nullable=True))
        batch.create_index(batch.f('ix_tracing_requests_requester_contact_index'),
                           ['requester_contact_index'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('tracing_requests') as batch:
        batch.drop_index(batch.f('ix_tracing_requests_requester_contact_index'))
        batch.drop_column('requester_contact_index')
    op.drop_table('field_keys')
