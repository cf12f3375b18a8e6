"""The same model on Spark: the settings dict for the Spark dialect carries the parameters
trained on DuckDB; an opt-in run on a local Spark session when pyspark is installed."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest
from engine_support import load_synth

from rollcall.linkage import (
    LinkageSettings,
    LinkRecord,
    cluster_records,
    pairwise_scores,
    prepared_features,
    resolve,
    splink_settings,
)


def _people() -> list[LinkRecord]:
    """Made-up people, each on two or three lists in different scripts."""
    rows = [
        ("Гнатюк", "Марта", "Степанівна", "1988-05-02", "АВ-123456", "Бахмут"),
        ("Гнатюк", "Марта", "Степановна", "1988-05-02", "АВ123456", "Бахмут"),
        ("Hnatiuk", "Marta", None, "1988-05-02", "AB 123456", "Bakhmut"),
        ("Тарасенко", "Остап", "Ілліч", "1991-02-14", "КМ-654321", "Лиман"),
        ("Тарасенко", "Остап", "Ильич", "1991-02-14", "КМ654321", "Лиман"),
        ("Яремчук", "Богдан", "Петрович", "1979-11-30", None, "Херсон"),
        ("Yaremchuk", "Bohdan", None, "1979-11-30", None, "Kherson"),
    ]
    people = []
    for i, (surname, given, patronymic, birth, number, place) in enumerate(rows, start=1):
        people.append(LinkRecord(i, 1 + i % 3, surname, given, patronymic, None, birth, number,
                                 None, "2023-05-01", place, None))
    return people * 1


def test_spark_settings_carry_the_trained_parameters():
    duck = splink_settings("duckdb")
    # pretend training set every m and u
    for comp in duck["comparisons"]:
        for i, level in enumerate(comp["comparison_levels"]):
            if not level.get("is_null_level"):
                level["m_probability"] = 0.1 + i / 100
                level["u_probability"] = 0.2 + i / 100
    duck["probability_two_random_records_match"] = 0.001
    spark = splink_settings("spark", json.dumps(duck))
    assert spark["probability_two_random_records_match"] == 0.001
    for d, s in zip(duck["comparisons"], spark["comparisons"], strict=True):
        for dl, sl in zip(d["comparison_levels"], s["comparison_levels"], strict=True):
            assert dl.get("m_probability") == sl.get("m_probability")
            assert dl.get("u_probability") == sl.get("u_probability")
    spark_sql = json.dumps(spark["comparisons"])
    assert "jaro_winkler(" in spark_sql and "jaro_winkler_similarity" not in spark_sql


def test_prepared_features_have_every_column_the_model_reads():
    table = prepared_features(_people())
    assert isinstance(table, pa.Table) and table.num_rows == 7
    sql = json.dumps(splink_settings("duckdb"))
    for column in ("sn", "gn", "bdate", "svc", "cplace"):
        assert column in table.column_names and f"{column}_l" in sql


def test_linkage_runs_on_spark_with_the_same_settings(tmp_path: Path):
    pyspark = pytest.importorskip(
        "pyspark", reason="pyspark is not installed (no network to Maven here); see "
                          "docs/linkage.md for running on Spark")
    from splink import Linker, SparkAPI
    from splink.backends.spark import similarity_jar_location

    # Splink's string-similarity functions (jaro_winkler, ...) are Scala UDFs in a jar that
    # ships inside the splink package: no download needed.
    spark = (pyspark.sql.SparkSession.builder.master("local[1]")
             .config("spark.jars", similarity_jar_location())
             .appName("rollcall-linkage-test").getOrCreate())
    spark.sparkContext.setCheckpointDir(str(tmp_path / "spark-checkpoints"))
    try:
        synth = load_synth(tmp_path, 300, seed=5)
        trained = resolve(synth.records)
        table = prepared_features(synth.records).to_pandas()
        db_api = SparkAPI(spark_session=spark)
        linker = Linker(db_api.register(spark.createDataFrame(table)),
                        splink_settings("spark", trained.model_json))
        threshold = LinkageSettings().match_probability
        pairs = linker.inference.predict(
            threshold_match_probability=threshold).as_pandas_dataframe()
        edges = [(int(a), int(b), float(p)) for a, b, p in zip(
            pairs.unique_id_l, pairs.unique_id_r, pairs.match_probability, strict=True)]
        on_spark = cluster_records(trained.clusters, edges, threshold=threshold).clusters
        agreement = pairwise_scores(on_spark, trained.clusters)
        assert agreement.f1 >= 0.99, agreement
    finally:
        spark.stop()
