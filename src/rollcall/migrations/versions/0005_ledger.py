"""Transparency log: Merkle leaves, stored subtree hashes and signed checkpoints (issue 5, ledger/).

Records will be attacked as fabricated; the change log alone cannot show that no entry was
altered since. These tables turn its entries into the leaves of an append-only Merkle tree
(RFC 9162) with signed checkpoints. On PostgreSQL a trigger also refuses UPDATE and DELETE
on `changes` and on these tables, so the database itself keeps them append-only for
anyone short of a superuser (deployments also REVOKE those rights: docs/ledger.md).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa
import rollcall.models.base


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

APPEND_ONLY = ('changes', 'ledger_leaves', 'ledger_nodes', 'ledger_checkpoints')
BIG_KEY = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('ledger_leaves',
    sa.Column('leaf_index', BIG_KEY, autoincrement=False, nullable=False),
    sa.Column('change_id', sa.BigInteger(), nullable=False),
    sa.Column('leaf_hash', sa.LargeBinary(length=32), nullable=False),
    sa.PrimaryKeyConstraint('leaf_index', name=op.f('pk_ledger_leaves')),
    sa.UniqueConstraint('change_id', name=op.f('uq_ledger_leaves_change_id'))
    )
    op.create_table('ledger_nodes',
    sa.Column('level', sa.SmallInteger(), autoincrement=False, nullable=False),
    sa.Column('position', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('hash', sa.LargeBinary(length=32), nullable=False),
    sa.PrimaryKeyConstraint('level', 'position', name=op.f('pk_ledger_nodes')),
    sqlite_with_rowid=False
    )
    op.create_table('ledger_checkpoints',
    sa.Column('tree_size', BIG_KEY, autoincrement=False, nullable=False),
    sa.Column('root_hash', sa.LargeBinary(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', rollcall.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('tree_size', name=op.f('pk_ledger_checkpoints'))
    )
    if op.get_bind().dialect.name == 'postgresql':
        schema = op.get_bind().execute(sa.text('SELECT current_schema()')).scalar()
        # A seal waits for writers of change entries still open (rollcall.ledger.log): the
        # SHARE lock it takes needs UPDATE rights on `changes`, which the application's
        # role should not have. This function, run with its owner's rights, takes it.
        op.execute(f"""
            CREATE FUNCTION rollcall_seal_lock(wait boolean) RETURNS boolean
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
            BEGIN
                IF wait THEN
                    LOCK TABLE "{schema}".changes IN SHARE MODE;
                ELSE
                    LOCK TABLE "{schema}".changes IN SHARE MODE NOWAIT;
                END IF;
                RETURN true;
            EXCEPTION WHEN lock_not_available THEN
                RETURN false;
            END
            $$
        """)
        op.execute("""
            CREATE FUNCTION rollcall_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END
            $$
        """)
        for table in APPEND_ONLY:
            op.execute(f'CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON "{table}" '
                       'FOR EACH ROW EXECUTE FUNCTION rollcall_append_only()')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for table in APPEND_ONLY:
            op.execute(f'DROP TRIGGER IF EXISTS {table}_append_only ON "{table}"')
        op.execute('DROP FUNCTION IF EXISTS rollcall_append_only()')
        op.execute('DROP FUNCTION IF EXISTS rollcall_seal_lock(boolean)')
    op.drop_table('ledger_checkpoints')
    op.drop_table('ledger_nodes')
    op.drop_table('ledger_leaves')
