"""Indexes for the staff pages at 1,000,000 persons (issue 7, found by bench/web_load.py).

- A trigram index for the persons search on PostgreSQL: the search matches words anywhere
  in the folded names (LIKE '%word%'), which a b-tree cannot serve; with pg_trgm's GIN
  index a search among 1,000,000 persons takes milliseconds instead of a scan of the
  table. SQLite has no trigram index and keeps scanning (the embedded default holds
  smaller registries).
- source_records (source_id, person_id): a source's distinct persons, counted on its page
  up to a limit, come from the index in order instead of hashing a whole list.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

from alembic import op


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_source_records_source_person', 'source_records',
                    ['source_id', 'person_id'])
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE INDEX ix_persons_search_key_trgm ON persons "
               "USING gin (search_key gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_persons_search_key_trgm")
    op.drop_index('ix_source_records_source_person', table_name='source_records')
