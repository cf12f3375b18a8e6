"""Prosecutions, exchanges and repatriation, family contact (issue 4 parts 7-9).

Five tables: `exchanges` (day, mediator, unnamed bodies each way), `exchange_persons` (who
was handed over which way, alive or as a body, and a body's identification),
`prosecutions` with `prosecution_concerns` (one row per fair-trial guarantee recorded as
missing, so counts by concern are one grouped query), and `family_contacts` (capture
cards, letters, calls: whether they reached the addressee, GC III Art. 70-71).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa
import rollcall.models.base


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def _vocabulary(name: str, *codes: str) -> sa.Enum:
    return sa.Enum(*codes, name=name, native_enum=False, length=32)


def upgrade() -> None:
    op.create_table('exchanges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('mediator', sa.Text(), nullable=True),
    sa.Column('mediator_code', _vocabulary('mediator', 'icrc', 'uae', 'qatar', 'saudi_arabia',
                                           'turkey', 'vatican', 'other'), nullable=True),
    sa.Column('place', sa.Text(), nullable=True),
    sa.Column('unnamed_bodies_to_own_side', sa.Integer(), nullable=False),
    sa.Column('unnamed_bodies_to_adversary', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('recorded_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'],
                            name=op.f('fk_exchanges_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchanges'))
    )
    op.create_index(op.f('ix_exchanges_date'), 'exchanges', ['date'], unique=False)
    op.create_table('family_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', _vocabulary('contactkind', 'capture_card', 'letter', 'call', 'parcel',
                                  'message_via_icrc', 'other'), nullable=False),
    sa.Column('direction', _vocabulary('contactdirection', 'from_person', 'to_person'),
              nullable=False),
    sa.Column('date', rollcall.models.base.PartialDateType(length=10), nullable=True),
    sa.Column('delivered', sa.Boolean(), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('recorded_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'],
                            name=op.f('fk_family_contacts_person_id_persons')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'],
                            name=op.f('fk_family_contacts_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_contacts'))
    )
    op.create_index(op.f('ix_family_contacts_person_id'), 'family_contacts', ['person_id'],
                    unique=False)
    op.create_table('prosecutions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('charges', sa.Text(), nullable=False),
    sa.Column('article_codes', sa.String(length=300), nullable=True),
    sa.Column('court', sa.Text(), nullable=True),
    sa.Column('charged_on', rollcall.models.base.PartialDateType(length=10), nullable=True),
    sa.Column('trial_start', rollcall.models.base.PartialDateType(length=10), nullable=True),
    sa.Column('verdict', _vocabulary('verdict', 'pending', 'convicted', 'acquitted',
                                     'dismissed'), nullable=False),
    sa.Column('verdict_on', rollcall.models.base.PartialDateType(length=10), nullable=True),
    sa.Column('sentence', sa.Text(), nullable=True),
    sa.Column('sentence_months', sa.Integer(), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('recorded_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'],
                            name=op.f('fk_prosecutions_person_id_persons')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'],
                            name=op.f('fk_prosecutions_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prosecutions'))
    )
    op.create_index(op.f('ix_prosecutions_person_id'), 'prosecutions', ['person_id'],
                    unique=False)
    op.create_index(op.f('ix_prosecutions_verdict'), 'prosecutions', ['verdict'], unique=False)
    op.create_table('exchange_persons',
    sa.Column('exchange_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('direction', _vocabulary('exchangedirection', 'to_own_side', 'to_adversary'),
              nullable=False),
    sa.Column('kind', _vocabulary('exchangekind', 'alive', 'body'), nullable=False),
    sa.Column('identification', _vocabulary('identificationstatus', 'unidentified',
                                            'pending', 'identified'), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('source_record_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['exchange_id'], ['exchanges.id'],
                            name=op.f('fk_exchange_persons_exchange_id_exchanges')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'],
                            name=op.f('fk_exchange_persons_person_id_persons')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'],
                            name=op.f('fk_exchange_persons_source_id_sources')),
    sa.ForeignKeyConstraint(['source_record_id'], ['source_records.id'],
                            name=op.f('fk_exchange_persons_source_record_id_source_records')),
    sa.PrimaryKeyConstraint('exchange_id', 'person_id', name=op.f('pk_exchange_persons'))
    )
    op.create_index(op.f('ix_exchange_persons_person_id'), 'exchange_persons', ['person_id'],
                    unique=False)
    op.create_table('prosecution_concerns',
    sa.Column('prosecution_id', sa.Integer(), nullable=False),
    sa.Column('concern', _vocabulary('fairtrialconcern', 'no_lawyer_of_choice',
                                     'no_interpreter', 'coerced_confession', 'closed_hearing',
                                     'protecting_power_not_notified',
                                     'insufficient_time_for_defence',
                                     'court_not_regularly_constituted', 'trial_in_absentia',
                                     'other'), nullable=False),
    sa.ForeignKeyConstraint(['prosecution_id'], ['prosecutions.id'],
                            name=op.f('fk_prosecution_concerns_prosecution_id_prosecutions')),
    sa.PrimaryKeyConstraint('prosecution_id', 'concern', name=op.f('pk_prosecution_concerns'))
    )
    op.create_index(op.f('ix_prosecution_concerns_concern'), 'prosecution_concerns',
                    ['concern'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_prosecution_concerns_concern'), table_name='prosecution_concerns')
    op.drop_table('prosecution_concerns')
    op.drop_index(op.f('ix_exchange_persons_person_id'), table_name='exchange_persons')
    op.drop_table('exchange_persons')
    op.drop_index(op.f('ix_prosecutions_verdict'), table_name='prosecutions')
    op.drop_index(op.f('ix_prosecutions_person_id'), table_name='prosecutions')
    op.drop_table('prosecutions')
    op.drop_index(op.f('ix_family_contacts_person_id'), table_name='family_contacts')
    op.drop_table('family_contacts')
    op.drop_index(op.f('ix_exchanges_date'), table_name='exchanges')
    op.drop_table('exchanges')
