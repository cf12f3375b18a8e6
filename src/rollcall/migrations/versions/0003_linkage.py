"""Identity resolution: link decisions and the review queue (issue 3, linkage/).

Until imported records are merged into one person per human, nobody can say who is held.
This adds what identity resolution stores: the linkage runs (with the trained model an
incremental run reuses), the uncertain pairs a run leaves for review, the humans'
decisions on record pairs (kept forever, the newest wins), and `persons.merged_into_id`,
which keeps a merged person's row (its id may be cited elsewhere) pointing at the survivor.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa
import rollcall.models.base
from sqlalchemy.dialects import postgresql


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table('linkage_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('full', 'incremental', name='runkind', native_enum=False, length=32), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('started_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('records', sa.Integer(), nullable=False),
    sa.Column('max_record_id', sa.Integer(), nullable=False),
    sa.Column('new_records', sa.Integer(), nullable=False),
    sa.Column('persons_before', sa.Integer(), nullable=False),
    sa.Column('persons_after', sa.Integer(), nullable=False),
    sa.Column('clusters_merged', sa.Integer(), nullable=False),
    sa.Column('persons_merged', sa.Integer(), nullable=False),
    sa.Column('review_pairs', sa.Integer(), nullable=False),
    sa.Column('matched_pairs', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.Column('model', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_linkage_runs'))
    )
    op.create_table('link_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('left_record_id', sa.Integer(), nullable=False),
    sa.Column('right_record_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('accept', 'reject', 'split', name='decisionkind', native_enum=False, length=32), nullable=False),
    sa.Column('decided_by', sa.String(length=100), nullable=False),
    sa.Column('decided_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.CheckConstraint('left_record_id < right_record_id', name=op.f('ck_link_decisions_ordered')),
    sa.ForeignKeyConstraint(['left_record_id'], ['source_records.id'], name=op.f('fk_link_decisions_left_record_id_source_records')),
    sa.ForeignKeyConstraint(['right_record_id'], ['source_records.id'], name=op.f('fk_link_decisions_right_record_id_source_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_link_decisions'))
    )
    op.create_index('ix_link_decisions_records', 'link_decisions', ['left_record_id', 'right_record_id', 'id'], unique=False)
    op.create_index(op.f('ix_link_decisions_right_record_id'), 'link_decisions', ['right_record_id'], unique=False)

    op.create_table('review_pairs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('left_record_id', sa.Integer(), nullable=False),
    sa.Column('right_record_id', sa.Integer(), nullable=False),
    sa.Column('probability', sa.Float(), nullable=False),
    sa.Column('match_weight', sa.Float(), nullable=False),
    sa.Column('evidence', JSON, nullable=False),
    sa.Column('status', sa.Enum('open', 'decided', 'superseded', name='reviewstatus', native_enum=False, length=32), nullable=False),
    sa.Column('certainty', sa.Float(), nullable=False),
    sa.Column('created_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('left_record_id < right_record_id', name=op.f('ck_review_pairs_ordered')),
    sa.ForeignKeyConstraint(['decision_id'], ['link_decisions.id'], name=op.f('fk_review_pairs_decision_id_link_decisions')),
    sa.ForeignKeyConstraint(['left_record_id'], ['source_records.id'], name=op.f('fk_review_pairs_left_record_id_source_records')),
    sa.ForeignKeyConstraint(['right_record_id'], ['source_records.id'], name=op.f('fk_review_pairs_right_record_id_source_records')),
    sa.ForeignKeyConstraint(['run_id'], ['linkage_runs.id'], name=op.f('fk_review_pairs_run_id_linkage_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_pairs'))
    )
    op.create_index('ix_review_pairs_queue', 'review_pairs', ['status', 'certainty', 'id'], unique=False)
    op.create_index('ix_review_pairs_records', 'review_pairs', ['left_record_id', 'right_record_id'], unique=False)
    op.create_index(op.f('ix_review_pairs_right_record_id'), 'review_pairs', ['right_record_id'], unique=False)
    op.create_index(op.f('ix_review_pairs_run_id'), 'review_pairs', ['run_id'], unique=False)

    if op.get_bind().dialect.name == 'sqlite':
        # SQLite adds a column with a REFERENCES clause in place. Batch mode would copy and
        # drop `persons`, which records and events refer to: refused with foreign keys on.
        op.execute('ALTER TABLE persons ADD COLUMN merged_into_id INTEGER '
                   'REFERENCES persons (id)')
    else:
        op.add_column('persons', sa.Column('merged_into_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_persons_merged_into_id_persons'), 'persons', 'persons',
                              ['merged_into_id'], ['id'])
    op.create_index(op.f('ix_persons_merged_into_id'), 'persons', ['merged_into_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_persons_merged_into_id'), table_name='persons')
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE persons DROP COLUMN merged_into_id')
    else:
        op.drop_constraint(op.f('fk_persons_merged_into_id_persons'), 'persons', type_='foreignkey')
        op.drop_column('persons', 'merged_into_id')
    op.drop_table('review_pairs')
    op.drop_table('link_decisions')
    op.drop_table('linkage_runs')
