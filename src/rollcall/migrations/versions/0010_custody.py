"""Custody periods: which person was held at which site when (issue 4 part 1). Registrars
record them where the events are silent or wrong; they win over the stays derived from
events on the days they cover (rollcall.monitoring.custody).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa
import rollcall.models.base


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('custody_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('end', sa.Date(), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('recorded_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'],
                            name=op.f('fk_custody_periods_person_id_persons')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'],
                            name=op.f('fk_custody_periods_site_id_sites')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'],
                            name=op.f('fk_custody_periods_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custody_periods'))
    )
    op.create_index(op.f('ix_custody_periods_person_id'), 'custody_periods', ['person_id'],
                    unique=False)
    op.create_index(op.f('ix_custody_periods_site_id'), 'custody_periods', ['site_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_custody_periods_site_id'), table_name='custody_periods')
    op.drop_index(op.f('ix_custody_periods_person_id'), table_name='custody_periods')
    op.drop_table('custody_periods')
