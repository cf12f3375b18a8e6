"""The evidence store's catalogue: evidence items (files named by their SHA-256, derived
copies pointing at their original) and their links to incidents, testimonies, persons
and sources. Custody events are change entries, so no table for them.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa
import rollcall.models.base


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('evidence_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('media_type', sa.String(length=127), nullable=False),
    sa.Column('kind', sa.Enum('photo', 'video', 'document', 'audio', 'other',
                              name='evidencekind', native_enum=False, length=32),
              nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=True),
    sa.Column('derived_from_id', sa.Integer(), nullable=True),
    sa.Column('derivation', sa.Enum('redacted', 'transcoded', 'exif_stripped', 'other',
                                    name='derivation', native_enum=False, length=32),
              nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('received_by', sa.String(length=100), nullable=False),
    sa.Column('received_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(derived_from_id IS NULL) = (derivation IS NULL)',
                       name=op.f('ck_evidence_items_derivation_with_original')),
    sa.CheckConstraint('size >= 0', name=op.f('ck_evidence_items_size_not_negative')),
    sa.ForeignKeyConstraint(['derived_from_id'], ['evidence_items.id'],
                            name=op.f('fk_evidence_items_derived_from_id_evidence_items')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'],
                            name=op.f('fk_evidence_items_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_items')),
    sa.UniqueConstraint('sha256', name=op.f('uq_evidence_items_sha256'))
    )
    op.create_index(op.f('ix_evidence_items_derived_from_id'), 'evidence_items',
                    ['derived_from_id'], unique=False)
    op.create_index(op.f('ix_evidence_items_source_id'), 'evidence_items', ['source_id'],
                    unique=False)
    op.create_table('evidence_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('entity_type', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('linked_by', sa.String(length=100), nullable=False),
    sa.Column('linked_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['evidence_items.id'],
                            name=op.f('fk_evidence_links_item_id_evidence_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_links')),
    sa.UniqueConstraint('item_id', 'entity_type', 'entity_id', name='uq_evidence_links_once')
    )
    op.create_index('ix_evidence_links_entity', 'evidence_links', ['entity_type', 'entity_id'],
                    unique=False)
    op.create_index(op.f('ix_evidence_links_item_id'), 'evidence_links', ['item_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_evidence_links_item_id'), table_name='evidence_links')
    op.drop_index('ix_evidence_links_entity', table_name='evidence_links')
    op.drop_table('evidence_links')
    op.drop_index(op.f('ix_evidence_items_source_id'), table_name='evidence_items')
    op.drop_index(op.f('ix_evidence_items_derived_from_id'), table_name='evidence_items')
    op.drop_table('evidence_items')
