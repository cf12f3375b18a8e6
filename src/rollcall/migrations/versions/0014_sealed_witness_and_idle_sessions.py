"""The witness link of a testimony sealed, and page sessions that expire when idle
(issue 5 parts 4 and 5).

`testimonies.witness_person_id` (a person id in clear, with a foreign key) becomes
`testimonies.witness`: sealed text (AES-256-GCM, `rollcall.security.fields`) beside a blind
index `witness_index`. A migration has no key, so it moves each existing id as clear text
into `witness` (readers accept a value stored before encryption) and leaves its index
empty; `rollcall keys seal` (or `rollcall keys rotate`) then seals those values and fills
their index. Downgrading is possible only while no link is sealed.

`auth_tokens.last_seen_at`: when a page session was last used, for the idle timeout.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa

import rollcall.models.base


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('testimonies') as batch:
        batch.add_column(sa.Column('witness', sa.Text(), nullable=True))
        batch.add_column(sa.Column('witness_index', sa.String(length=64), nullable=True))
    op.execute("UPDATE testimonies SET witness = CAST(witness_person_id AS TEXT) "
               "WHERE witness_person_id IS NOT NULL")
    op.drop_index(op.f('ix_testimonies_witness_person_id'), table_name='testimonies')
    with op.batch_alter_table('testimonies') as batch:
        batch.drop_constraint(op.f('fk_testimonies_witness_person_id_persons'),
                              type_='foreignkey')
        batch.drop_column('witness_person_id')
    op.create_index(op.f('ix_testimonies_witness_index'), 'testimonies', ['witness_index'],
                    unique=False)
    with op.batch_alter_table('auth_tokens') as batch:
        batch.add_column(sa.Column('last_seen_at',
                                   rollcall.models.base.UTCDateTime(timezone=True),
                                   nullable=True))


def downgrade() -> None:
    sealed = op.get_bind().execute(sa.text(
        "SELECT count(*) FROM testimonies WHERE witness LIKE 'enc:%'")).scalar()
    if sealed:
        raise RuntimeError(f"{sealed} witness links are sealed: a downgrade would lose them")
    with op.batch_alter_table('auth_tokens') as batch:
        batch.drop_column('last_seen_at')
    op.drop_index(op.f('ix_testimonies_witness_index'), table_name='testimonies')
    with op.batch_alter_table('testimonies') as batch:
        batch.add_column(sa.Column('witness_person_id', sa.Integer(), nullable=True))
    op.execute("UPDATE testimonies SET witness_person_id = CAST(witness AS INTEGER) "
               "WHERE witness IS NOT NULL")
    with op.batch_alter_table('testimonies') as batch:
        batch.drop_column('witness_index')
        batch.drop_column('witness')
        batch.create_foreign_key(op.f('fk_testimonies_witness_person_id_persons'), 'persons',
                                 ['witness_person_id'], ['id'])
    op.create_index(op.f('ix_testimonies_witness_person_id'), 'testimonies',
                    ['witness_person_id'], unique=False)
