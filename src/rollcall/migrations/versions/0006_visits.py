"""Monitoring visits: who visited which place of detention when, whom they were shown,
whether private interviews were allowed, which premises were refused (issue 4).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa
import rollcall.models.base


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('monitor', sa.Enum('icrc', 'ohchr', 'ombudsperson', 'other', name='monitor',
                                 native_enum=False, length=32), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('private_interviews', sa.Boolean(), nullable=False),
    sa.Column('premises_refused', sa.Text(), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('recorded_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_visits_site_id_sites')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'],
                            name=op.f('fk_visits_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visits'))
    )
    op.create_index(op.f('ix_visits_site_id'), 'visits', ['site_id'], unique=False)
    op.create_index(op.f('ix_visits_date'), 'visits', ['date'], unique=False)
    op.create_table('visit_persons',
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'],
                            name=op.f('fk_visit_persons_visit_id_visits')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'],
                            name=op.f('fk_visit_persons_person_id_persons')),
    sa.PrimaryKeyConstraint('visit_id', 'person_id', name=op.f('pk_visit_persons'))
    )
    op.create_index(op.f('ix_visit_persons_person_id'), 'visit_persons', ['person_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_visit_persons_person_id'), table_name='visit_persons')
    op.drop_table('visit_persons')
    op.drop_index(op.f('ix_visits_date'), table_name='visits')
    op.drop_index(op.f('ix_visits_site_id'), table_name='visits')
    op.drop_table('visits')
