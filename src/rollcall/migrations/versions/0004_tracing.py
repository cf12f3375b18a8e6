"""Tracing: the name-key index and family tracing requests (issue 3, tracing/).

A mother asks about her son in her own spelling; the registry holds him in others. The
index files every source record under compound name keys with its year of birth, so a
search reads a narrow range of one index even in a registry of millions (`trace_keys`,
SQLite WITHOUT ROWID: the key is the table), and keeps each record's keys for ranking
(`trace_names`). It is derived data: `rollcall tracing reindex` rebuilds it, and the index
of records already imported is built by that command, not by this migration (it needs the
name keys of the code that runs it). Family tracing requests get their table, the
relative's contact in one column the integrity work will encrypt.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa
import rollcall.models.base


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('trace_names',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('surname_key', sa.String(length=80), nullable=False),
    sa.Column('given_key', sa.String(length=80), nullable=True),
    sa.Column('patronymic_key', sa.String(length=80), nullable=True),
    sa.Column('alt_surname_key', sa.String(length=80), nullable=True),
    sa.Column('alt_given_key', sa.String(length=80), nullable=True),
    sa.Column('birth_year', sa.SmallInteger(), nullable=False),
    sa.Column('birth_date', rollcall.models.base.PartialDateType(length=10), nullable=True),
    sa.Column('unit_numbers', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['record_id'], ['source_records.id'], name=op.f('fk_trace_names_record_id_source_records')),
    sa.PrimaryKeyConstraint('record_id', name=op.f('pk_trace_names'))
    )
    op.create_table('trace_keys',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('birth_year', sa.SmallInteger(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', 'birth_year', 'record_id', name=op.f('pk_trace_keys')),
    sqlite_with_rowid=False
    )
    op.create_table('tracing_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('received_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('surname', sa.String(length=200), nullable=False),
    sa.Column('given_name', sa.String(length=200), nullable=True),
    sa.Column('patronymic', sa.String(length=200), nullable=True),
    sa.Column('birth_date', rollcall.models.base.PartialDateType(length=10), nullable=True),
    sa.Column('unit', sa.Text(), nullable=True),
    sa.Column('last_known_place', sa.Text(), nullable=True),
    sa.Column('last_known_date', rollcall.models.base.PartialDateType(length=10), nullable=True),
    sa.Column('details', sa.Text(), nullable=True),
    sa.Column('requester_name', sa.String(length=200), nullable=False),
    sa.Column('requester_relation', sa.String(length=100), nullable=False),
    sa.Column('requester_contact', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'answered', 'closed', name='requeststatus', native_enum=False, length=32), nullable=False),
    sa.Column('matched_person_id', sa.Integer(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_by', sa.String(length=100), nullable=True),
    sa.Column('answered_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['matched_person_id'], ['persons.id'], name=op.f('fk_tracing_requests_matched_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracing_requests')),
    sa.UniqueConstraint('reference', name=op.f('uq_tracing_requests_reference'))
    )
    op.create_index('ix_tracing_requests_status', 'tracing_requests', ['status', 'received_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_tracing_requests_status', table_name='tracing_requests')
    op.drop_table('tracing_requests')
    op.drop_table('trace_keys')
    op.drop_table('trace_names')
