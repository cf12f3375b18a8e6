"""Allegations and incidents, their victims, sources and status history (issue 4 part 6).

Four tables: `incidents` (what, where, when, how many victims, status), `incident_victims`
(the identified victims), `incident_sources` (testimonies, documents, media; withdrawn, never
deleted) and `incident_status_changes` (every move of a status with who, why and the
corroboration rule that allowed it).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa
import rollcall.models.base
from sqlalchemy.dialects import postgresql


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
STATUS = ('reported', 'credible', 'verified', 'retracted')


def _status() -> sa.Enum:
    return sa.Enum(*STATUS, name='incidentstatus', native_enum=False, length=32)


def upgrade() -> None:
    op.create_table('incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('type', sa.Enum('killing', 'death_in_custody', 'torture', 'sexual_violence',
                              'enforced_disappearance', 'denial_of_medical_care',
                              'incommunicado', 'status_denied', 'prosecution_for_hostilities',
                              'unfair_trial', name='incidenttype', native_enum=False,
                              length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('place', sa.Text(), nullable=True),
    sa.Column('date_from', rollcall.models.base.PartialDateType(length=10), nullable=True),
    sa.Column('date_to', rollcall.models.base.PartialDateType(length=10), nullable=True),
    sa.Column('victim_count', sa.Integer(), nullable=False),
    sa.Column('perpetrator', sa.Text(), nullable=True),
    sa.Column('status', _status(), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('victim_count >= 0',
                       name=op.f('ck_incidents_victim_count_not_negative')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_incidents_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incidents'))
    )
    op.create_index(op.f('ix_incidents_site_id'), 'incidents', ['site_id'], unique=False)
    op.create_index(op.f('ix_incidents_status'), 'incidents', ['status'], unique=False)
    op.create_index(op.f('ix_incidents_type'), 'incidents', ['type'], unique=False)
    op.create_table('incident_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('testimony', 'document', 'media', 'other',
                              name='incidentsourcekind', native_enum=False, length=32),
              nullable=False),
    sa.Column('testimony_id', sa.Integer(), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('reference', sa.Text(), nullable=True),
    sa.Column('origin', sa.String(length=300), nullable=True),
    sa.Column('repeats_id', sa.Integer(), nullable=True),
    sa.Column('added_by', sa.String(length=100), nullable=False),
    sa.Column('added_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by', sa.String(length=100), nullable=True),
    sa.Column('withdrawn_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'],
                            name=op.f('fk_incident_sources_incident_id_incidents')),
    sa.ForeignKeyConstraint(['repeats_id'], ['incident_sources.id'],
                            name=op.f('fk_incident_sources_repeats_id_incident_sources')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'],
                            name=op.f('fk_incident_sources_source_id_sources')),
    sa.ForeignKeyConstraint(['testimony_id'], ['testimonies.id'],
                            name=op.f('fk_incident_sources_testimony_id_testimonies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_sources')),
    sa.UniqueConstraint('incident_id', 'source_id', name='uq_incident_sources_source_once'),
    sa.UniqueConstraint('incident_id', 'testimony_id',
                        name='uq_incident_sources_testimony_once')
    )
    op.create_index(op.f('ix_incident_sources_incident_id'), 'incident_sources',
                    ['incident_id'], unique=False)
    op.create_index(op.f('ix_incident_sources_testimony_id'), 'incident_sources',
                    ['testimony_id'], unique=False)
    op.create_table('incident_status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('from_status', _status(), nullable=True),
    sa.Column('to_status', _status(), nullable=False),
    sa.Column('changed_by', sa.String(length=100), nullable=False),
    sa.Column('changed_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('rule', sa.Text(), nullable=True),
    sa.Column('figures', JSON, nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'],
                            name=op.f('fk_incident_status_changes_incident_id_incidents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_status_changes'))
    )
    op.create_index(op.f('ix_incident_status_changes_incident_id'), 'incident_status_changes',
                    ['incident_id'], unique=False)
    op.create_table('incident_victims',
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('added_by', sa.String(length=100), nullable=False),
    sa.Column('added_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'],
                            name=op.f('fk_incident_victims_incident_id_incidents')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'],
                            name=op.f('fk_incident_victims_person_id_persons')),
    sa.PrimaryKeyConstraint('incident_id', 'person_id', name=op.f('pk_incident_victims'))
    )
    op.create_index(op.f('ix_incident_victims_person_id'), 'incident_victims', ['person_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_incident_victims_person_id'), table_name='incident_victims')
    op.drop_table('incident_victims')
    op.drop_index(op.f('ix_incident_status_changes_incident_id'),
                  table_name='incident_status_changes')
    op.drop_table('incident_status_changes')
    op.drop_index(op.f('ix_incident_sources_testimony_id'), table_name='incident_sources')
    op.drop_index(op.f('ix_incident_sources_incident_id'), table_name='incident_sources')
    op.drop_table('incident_sources')
    op.drop_index(op.f('ix_incidents_type'), table_name='incidents')
    op.drop_index(op.f('ix_incidents_status'), table_name='incidents')
    op.drop_index(op.f('ix_incidents_site_id'), table_name='incidents')
    op.drop_table('incidents')
