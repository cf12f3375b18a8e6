"""Registry foundation: sources, records, persons, events, sites, accounts, changes.

The first schema: everything issue 2 (registry foundation) needs, so that every later
change to the schema is a migration of its own.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 02:06:26.787472
"""

from alembic import op
import sqlalchemy as sa
import rollcall.models.base
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('changes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('via', sa.String(length=8), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('entity_type', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=False),
    sa.Column('diff', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('state', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_changes'))
    )
    with op.batch_alter_table('changes', schema=None) as batch_op:
        batch_op.create_index('ix_changes_entity', ['entity_type', 'entity_id'], unique=False)

    op.create_table('persons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('surname', sa.String(length=200), nullable=False),
    sa.Column('given_name', sa.String(length=200), nullable=True),
    sa.Column('patronymic', sa.String(length=200), nullable=True),
    sa.Column('name_script', sa.Enum('cyrl', 'latn', 'mixed', name='script', native_enum=False, length=32), nullable=True),
    sa.Column('sex', sa.String(length=1), nullable=True),
    sa.Column('birth_date', rollcall.models.base.PartialDateType(length=10), nullable=True),
    sa.Column('category', sa.Enum('pow', 'civilian_internee', 'civilian_detainee', 'missing', 'unknown', name='category', native_enum=False, length=32), nullable=False),
    sa.Column('custody_status', sa.Enum('held', 'released', 'escaped', 'dead', 'missing', 'unknown', name='custodystatus', native_enum=False, length=32), nullable=False),
    sa.Column('legal_status', sa.Enum('pow', 'status_denied', 'pending_tribunal', 'civilian', 'unknown', name='legalstatus', native_enum=False, length=32), nullable=False),
    sa.Column('status_as_of', rollcall.models.base.PartialDateType(length=10), nullable=True),
    sa.Column('search_key', sa.Text(), nullable=False),
    sa.Column('created_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_persons'))
    )
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.create_index('ix_persons_surname_given', ['surname', 'given_name'], unique=False)

    op.create_table('sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=True),
    sa.Column('name_uk', sa.String(length=300), nullable=True),
    sa.Column('name_ru', sa.String(length=300), nullable=True),
    sa.Column('name_en', sa.String(length=300), nullable=True),
    sa.Column('aliases', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('type', sa.Enum('colony', 'pretrial_detention', 'temporary', 'filtration', 'hospital', 'transit', 'other', name='sitetype', native_enum=False, length=32), nullable=False),
    sa.Column('region', sa.String(length=200), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sites')),
    sa.UniqueConstraint('key', name=op.f('uq_sites_key'))
    )
    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('origin', sa.Enum('own_bureau', 'adversary_bureau', 'icrc', 'family', 'testimony', 'media', 'open_source', 'other', name='origin', native_enum=False, length=32), nullable=False),
    sa.Column('received', rollcall.models.base.PartialDateType(length=10), nullable=True),
    sa.Column('file_name', sa.String(length=300), nullable=True),
    sa.Column('file_sha256', sa.String(length=64), nullable=True),
    sa.Column('file_format', sa.String(length=8), nullable=True),
    sa.Column('encoding', sa.String(length=16), nullable=True),
    sa.Column('header_mapping', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('rows_accepted', sa.Integer(), nullable=False),
    sa.Column('rows_rejected', sa.Integer(), nullable=False),
    sa.Column('imported_by', sa.String(length=100), nullable=False),
    sa.Column('imported_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources')),
    sa.UniqueConstraint('file_sha256', name=op.f('uq_sources_file_sha256'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('roles', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('access_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('monitor', sa.String(length=50), nullable=False),
    sa.Column('level', sa.Enum('none', 'partial', 'full', name='accesslevel', native_enum=False, length=32), nullable=False),
    sa.Column('start', rollcall.models.base.PartialDateType(length=10), nullable=True),
    sa.Column('end', rollcall.models.base.PartialDateType(length=10), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_access_periods_site_id_sites')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_access_periods_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_periods'))
    )
    with op.batch_alter_table('access_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_periods_site_id'), ['site_id'], unique=False)

    op.create_table('auth_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=True),
    sa.Column('created_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_auth_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_tokens')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_auth_tokens_token_sha256'))
    )
    with op.batch_alter_table('auth_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auth_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('import_issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=True),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('field', sa.String(length=200), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_import_issues_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_issues'))
    )
    with op.batch_alter_table('import_issues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_issues_source_id'), ['source_id'], unique=False)

    op.create_table('source_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('source_key', sa.String(length=200), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('refused_fields', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('raw', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('surname', sa.String(length=200), nullable=False),
    sa.Column('given_name', sa.String(length=200), nullable=True),
    sa.Column('patronymic', sa.String(length=200), nullable=True),
    sa.Column('name_script', sa.Enum('cyrl', 'latn', 'mixed', name='script', native_enum=False, length=32), nullable=True),
    sa.Column('sex', sa.String(length=1), nullable=True),
    sa.Column('birth_date', rollcall.models.base.PartialDateType(length=10), nullable=True),
    sa.Column('place_of_birth', sa.Text(), nullable=True),
    sa.Column('service_number', sa.String(length=100), nullable=True),
    sa.Column('rank', sa.String(length=200), nullable=True),
    sa.Column('unit', sa.Text(), nullable=True),
    sa.Column('power_depended_on', sa.String(length=200), nullable=True),
    sa.Column('father_name', sa.String(length=200), nullable=True),
    sa.Column('mother_maiden_name', sa.String(length=200), nullable=True),
    sa.Column('person_to_inform', sa.Text(), nullable=True),
    sa.Column('capture_date', rollcall.models.base.PartialDateType(length=10), nullable=True),
    sa.Column('capture_place', sa.Text(), nullable=True),
    sa.Column('category', sa.Enum('pow', 'civilian_internee', 'civilian_detainee', 'missing', 'unknown', name='category', native_enum=False, length=32), nullable=True),
    sa.Column('stated_status', sa.Text(), nullable=True),
    sa.Column('status_date', rollcall.models.base.PartialDateType(length=10), nullable=True),
    sa.Column('health_notes', sa.Text(), nullable=True),
    sa.Column('site_named', sa.Text(), nullable=True),
    sa.Column('death_date', rollcall.models.base.PartialDateType(length=10), nullable=True),
    sa.Column('death_place', sa.Text(), nullable=True),
    sa.Column('death_cause', sa.Text(), nullable=True),
    sa.Column('burial_place', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_source_records_person_id_persons')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_source_records_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_records')),
    sa.UniqueConstraint('source_id', 'row_number', name='uq_source_records_source_row')
    )
    with op.batch_alter_table('source_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_source_records_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_source_records_surname', ['surname'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('source_record_id', sa.Integer(), nullable=True),
    sa.Column('type', sa.Enum('captured', 'held', 'transferred', 'hospitalised', 'seen_by_monitor', 'charged', 'sentenced', 'released', 'exchanged', 'repatriated', 'escaped', 'died', 'body_repatriated', 'identified', 'contact_with_family', name='eventtype', native_enum=False, length=32), nullable=False),
    sa.Column('date', rollcall.models.base.PartialDateType(length=10), nullable=True),
    sa.Column('place', sa.Text(), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('site_named', sa.Text(), nullable=True),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('recorded_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_events_person_id_persons')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_events_site_id_sites')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_events_source_id_sources')),
    sa.ForeignKeyConstraint(['source_record_id'], ['source_records.id'], name=op.f('fk_events_source_record_id_source_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_source_id'), ['source_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_source_id'))
        batch_op.drop_index(batch_op.f('ix_events_site_id'))
        batch_op.drop_index(batch_op.f('ix_events_person_id'))

    op.drop_table('events')
    with op.batch_alter_table('source_records', schema=None) as batch_op:
        batch_op.drop_index('ix_source_records_surname')
        batch_op.drop_index(batch_op.f('ix_source_records_person_id'))

    op.drop_table('source_records')
    with op.batch_alter_table('import_issues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_issues_source_id'))

    op.drop_table('import_issues')
    with op.batch_alter_table('auth_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auth_tokens_user_id'))

    op.drop_table('auth_tokens')
    with op.batch_alter_table('access_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_periods_site_id'))

    op.drop_table('access_periods')
    op.drop_table('users')
    op.drop_table('sources')
    op.drop_table('sites')
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_index('ix_persons_surname_given')

    op.drop_table('persons')
    with op.batch_alter_table('changes', schema=None) as batch_op:
        batch_op.drop_index('ix_changes_entity')

    op.drop_table('changes')
