"""Testimonies of released persons and their coded acts (issue 4 part 5).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa
import rollcall.models.base


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('testimonies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pseudonym', sa.String(length=40), nullable=False),
    sa.Column('witness_person_id', sa.Integer(), nullable=True),
    sa.Column('interviewer', sa.String(length=200), nullable=False),
    sa.Column('interviewed_on', sa.Date(), nullable=False),
    sa.Column('place', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('consent_statistics', sa.Boolean(), nullable=False),
    sa.Column('consent_public_report', sa.Boolean(), nullable=False),
    sa.Column('consent_prosecution', sa.Boolean(), nullable=False),
    sa.Column('consent_icrc', sa.Boolean(), nullable=False),
    sa.Column('saw_monitor', sa.Boolean(), nullable=True),
    sa.Column('family_contact', sa.Boolean(), nullable=True),
    sa.Column('narrative', sa.Text(), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'],
                            name=op.f('fk_testimonies_source_id_sources')),
    sa.ForeignKeyConstraint(['witness_person_id'], ['persons.id'],
                            name=op.f('fk_testimonies_witness_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_testimonies')),
    sa.UniqueConstraint('pseudonym', name=op.f('uq_testimonies_pseudonym'))
    )
    op.create_index(op.f('ix_testimonies_interviewed_on'), 'testimonies', ['interviewed_on'],
                    unique=False)
    op.create_index(op.f('ix_testimonies_witness_person_id'), 'testimonies',
                    ['witness_person_id'], unique=False)
    op.create_table('acts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('testimony_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=64), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('period_start', rollcall.models.base.PartialDateType(length=10), nullable=True),
    sa.Column('period_end', rollcall.models.base.PartialDateType(length=10), nullable=True),
    sa.Column('stage', sa.Enum('capture', 'transit', 'admission', 'daily_routine',
                               'interrogation', 'transfer', name='captivitystage',
                               native_enum=False, length=32), nullable=True),
    sa.Column('perpetrator', sa.Text(), nullable=True),
    sa.Column('victim_person_id', sa.Integer(), nullable=True),
    sa.Column('victim_is_witness', sa.Boolean(), nullable=False),
    sa.Column('monitor_seen', sa.Boolean(), nullable=True),
    sa.Column('family_contact_allowed', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_acts_site_id_sites')),
    sa.ForeignKeyConstraint(['testimony_id'], ['testimonies.id'],
                            name=op.f('fk_acts_testimony_id_testimonies')),
    sa.ForeignKeyConstraint(['victim_person_id'], ['persons.id'],
                            name=op.f('fk_acts_victim_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acts'))
    )
    op.create_index(op.f('ix_acts_method'), 'acts', ['method'], unique=False)
    op.create_index(op.f('ix_acts_site_id'), 'acts', ['site_id'], unique=False)
    op.create_index(op.f('ix_acts_testimony_id'), 'acts', ['testimony_id'], unique=False)
    op.create_index(op.f('ix_acts_victim_person_id'), 'acts', ['victim_person_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_acts_victim_person_id'), table_name='acts')
    op.drop_index(op.f('ix_acts_testimony_id'), table_name='acts')
    op.drop_index(op.f('ix_acts_site_id'), table_name='acts')
    op.drop_index(op.f('ix_acts_method'), table_name='acts')
    op.drop_table('acts')
    op.drop_index(op.f('ix_testimonies_witness_person_id'), table_name='testimonies')
    op.drop_index(op.f('ix_testimonies_interviewed_on'), table_name='testimonies')
    op.drop_table('testimonies')
