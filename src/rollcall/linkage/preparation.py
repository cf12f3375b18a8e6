"""The DuckDB side of a run: load the feature table, correct it with what the data itself
teaches (name order, unit numbers to brigades, rare places), and narrow an incremental run to
the records that can pair with a new one."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from typing import Any

import duckdb
import pyarrow as pa

from rollcall.linkage.records import LinkRecord, feature_table
from rollcall.linkage.settings import (
    PREDICTION_BLOCKS,
    RARE_PLACE_RECORDS,
    TF_COLUMNS,
    LinkageSettings,
    link_columns,
)


def connect(settings: LinkageSettings, spill: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = '{settings.duckdb_memory_limit}'")
    con.execute(f"SET temp_directory = '{spill}'")
    if settings.duckdb_threads:
        con.execute(f"SET threads = {int(settings.duckdb_threads)}")
    con.execute("SET preserve_insertion_order = false")
    return con


def load_tables(con: duckdb.DuckDBPyConnection, features: pa.Table, raw: pa.Table) -> None:
    """Tables `features`, `raw_records` and `link_input` (what Splink reads), with names
    turned the right way round and brigades filled in from unit numbers."""
    con.register("features_arrow", features)
    con.execute("CREATE TABLE features AS SELECT * FROM features_arrow")
    con.unregister("features_arrow")
    con.register("raw_arrow", raw)
    con.execute("CREATE TABLE raw_records AS SELECT * FROM raw_arrow")
    con.unregister("raw_arrow")
    orient_names(con)
    fill_brigades(con)
    con.execute(f"""
        UPDATE features f SET cplace_rare = f.cplace FROM (
            SELECT cplace FROM features WHERE cplace IS NOT NULL GROUP BY cplace
            HAVING count(*) <= {RARE_PLACE_RECORDS}
        ) rare WHERE rare.cplace = f.cplace
    """)
    con.execute(f"CREATE TABLE link_input AS SELECT {', '.join(link_columns())} FROM features")


def prepared_features(
    records: Iterable[LinkRecord] | pa.Table, *, new_record_ids: set[int] | None = None
) -> pa.Table:
    """The table Splink reads, as Arrow: write it to Parquet to link on Spark (see
    docs/linkage.md). Same preparation as `resolve` does on DuckDB."""
    features, raw = feature_table(records, new_record_ids=new_record_ids)
    spill = tempfile.mkdtemp(prefix="rollcall-linkage-")
    con = connect(LinkageSettings(), spill)
    try:
        load_tables(con, features, raw)
        return con.sql("SELECT * FROM link_input").to_arrow_table()
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


#: A surname field read as a given name this many times more often than as a surname (the
#: record itself counting once as a surname)...
GIVEN_NAME_EVIDENCE = 10
#: ...beside a given-name field seen as a given name at most this often, is turned round.
RARE_GIVEN_NAME = 2


def orient_names(con: duckdb.DuckDBPyConnection) -> None:
    """Put surname and given name the right way round where a list wrote them in the other
    order ("Максим Романив" read as surname Максим).

    Decided by the data: a record is turned round when its surname is more often seen as
    a given name than as a surname, and its given name more often as a surname than as a
    given name, across all records of the run. Also when its surname is overwhelmingly a
    given name (`GIVEN_NAME_EVIDENCE` times more often than a surname) and its given name
    is hardly ever one: a misspelt surname in the given-name field ("Алексей Прмймак") is
    seen nowhere else, so the first rule cannot count it as a surname.
    """
    con.execute("""
        CREATE OR REPLACE TEMP TABLE name_use AS
        SELECT k, sum(as_surname) AS as_surname, sum(as_given) AS as_given FROM (
            SELECT sn AS k, 1 AS as_surname, 0 AS as_given FROM features WHERE sn IS NOT NULL
            UNION ALL
            SELECT gn, 0, 1 FROM features WHERE gn IS NOT NULL
        ) GROUP BY k
    """)
    con.execute(f"""
        UPDATE features f SET
            sn = f.gn_as_sn, gn = f.sn_as_gn, gn_as_sn = f.sn, sn_as_gn = f.gn,
            sn_gn = f.gn_as_sn || ' ' || f.sn_as_gn,
            sn_gn_noyear = CASE WHEN f.birth_y IS NULL
                THEN f.gn_as_sn || ' ' || f.sn_as_gn END
        FROM (
            SELECT f.unique_id FROM features f
            JOIN name_use s_as_g ON s_as_g.k = f.sn_as_gn
            LEFT JOIN name_use s_as_s ON s_as_s.k = f.sn
            LEFT JOIN name_use g_as_s ON g_as_s.k = f.gn_as_sn
            LEFT JOIN name_use g_as_g ON g_as_g.k = f.gn
            WHERE f.gn_as_sn IS NOT NULL AND (
                (s_as_g.as_given > coalesce(s_as_s.as_surname, 0)
                 AND coalesce(g_as_s.as_surname, 0) > coalesce(g_as_g.as_given, 0))
                OR (s_as_g.as_given >= {GIVEN_NAME_EVIDENCE} * coalesce(s_as_s.as_surname, 1)
                    AND coalesce(g_as_g.as_given, 0) <= {RARE_GIVEN_NAME}))
        ) turn WHERE turn.unique_id = f.unique_id
    """)


def fill_brigades(con: duckdb.DuckDBPyConnection) -> None:
    """Give records that name only a military unit number the brigade it belongs to.

    Lists name a unit by number ("в/ч А2363") or by brigade ("38 ОМБр"); records that give
    both teach which is which. A unit number is mapped when at least two records agree and
    nine in ten of those naming it give the same brigade. Learnt from the data, never typed.
    """
    con.execute("""
        CREATE OR REPLACE TEMP TABLE unit_brigade AS
        WITH counts AS (
            SELECT unit_no, brigade_no, brigade_kind, count(*) AS n
            FROM features WHERE unit_no IS NOT NULL AND brigade_no IS NOT NULL
            GROUP BY ALL
        ), ranked AS (
            SELECT *, sum(n) OVER (PARTITION BY unit_no) AS total,
                   row_number() OVER (PARTITION BY unit_no ORDER BY n DESC, brigade_no) AS rank
            FROM counts
        )
        SELECT unit_no, brigade_no, brigade_kind FROM ranked
        WHERE rank = 1 AND n >= 2 AND n >= 0.9 * total
    """)
    con.execute("""
        UPDATE features f SET brigade_no = m.brigade_no, brigade_kind = m.brigade_kind
        FROM unit_brigade m
        WHERE f.unit_no = m.unit_no AND f.brigade_no IS NULL
    """)


def register_term_frequencies(con: duckdb.DuckDBPyConnection, db_api: Any, linker: Any) -> None:
    """Name frequencies from all records (an incremental run predicts on a subset only)."""
    for col in TF_COLUMNS:
        con.execute(
            f"CREATE OR REPLACE TABLE tf_{col} AS SELECT {col}, "
            f"count(*)::DOUBLE / sum(count(*)) OVER () AS tf_{col} "
            f"FROM features WHERE {col} IS NOT NULL GROUP BY {col}"
        )
        linker.table_management.register_term_frequency_lookup(
            db_api.register(f"tf_{col}"), col
        )


def narrow_to_new(con: duckdb.DuckDBPyConnection) -> None:
    """Table `scope`: the new records and every old one sharing a blocking key with one."""
    parts = ["SELECT unique_id FROM link_input WHERE is_new"]
    for block in PREDICTION_BLOCKS.values():
        for cond in (
            " AND ".join(f"n.{a} = o.{b}" for a, b in block),
            " AND ".join(f"o.{a} = n.{b}" for a, b in block),
        ):
            parts.append(
                f"SELECT o.unique_id FROM link_input o JOIN link_input n ON {cond} "
                f"WHERE n.is_new AND NOT o.is_new"
            )
    con.execute(
        "CREATE OR REPLACE TABLE scope AS SELECT f.* FROM link_input f WHERE unique_id IN ("
        + " UNION ".join(parts) + ")"
    )
