"""The publication rule (rollcall.stats.suppression) on tables written out by hand: primary
suppression of small cells, secondary suppression where a total would give one away, in
one group and across a table's rows and columns."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rollcall.config import Settings
from rollcall.stats.indicators import (
    ALL,
    Cell,
    Definition,
    Filters,
    Group,
    Indicator,
    Kind,
    Suppression,
    publish,
)
from rollcall.stats.results import count_cell

P, S = Suppression.PRIMARY, Suppression.SECONDARY
NOWHERE = {"period": "-", "site": "-", "category": "-", "source": "-", "origin": "-"}


def definition(kind: Kind = Kind.COUNT, protected: bool = True) -> Definition:
    return Definition(code="test", title="test", kind=kind, dimensions=("x",), method="-",
                      period_date="-", applies=NOWHERE, not_applicable={},
                      protected=protected)


def one_way(values: dict[str, int], kind: Kind = Kind.COUNT,
            protected: bool = True) -> Indicator:
    """Cells x = values, and their total, in one group; denominators the total."""
    total = sum(values.values())
    cells = [count_cell((k,), v, total) for k, v in values.items()]
    cells.append(count_cell((ALL,), total, total))
    return Indicator(definition=definition(kind, protected), filters=Filters(),
                     cells=tuple(cells), groups=(Group((ALL,), tuple((k,) for k in values)),))


def shown(indicator: Indicator) -> dict[str, int | str]:
    """key -> the figure, or 'P'/'S' for a cell suppressed primarily/secondarily."""
    return {"/".join(c.key): c.numerator if c.suppressed is None else c.suppressed.name[0]
            for c in indicator.cells}


def test_primary_small_cells_and_not_zero():
    found = publish(one_way({"a": 0, "b": 1, "c": 4, "d": 5, "e": 12}), 5)
    assert shown(found) == {"a": 0, "b": "P", "c": "P", "d": 5, "e": 12, "all": 22}
    assert found.publication and found.threshold == 5
    b = found.cell("b")
    assert (b.value, b.lower, b.upper, b.denominator) == (None, None, None, 22)


def test_secondary_when_one_cell_could_be_recovered_from_the_total():
    # 3 alone hidden: 30 - 10 - 8 - 9 would give it back. The smallest other is hidden.
    found = publish(one_way({"a": 10, "b": 3, "c": 8, "d": 9}), 5)
    assert shown(found) == {"a": 10, "b": "P", "c": "S", "d": 9, "all": 30}
    assert found.cell("c").suppressed is S


def test_a_zero_is_not_hidden_to_protect_another():
    found = publish(one_way({"a": 0, "b": 2, "c": 7}), 5)
    assert shown(found) == {"a": 0, "b": "P", "c": "S", "all": 9}


def test_a_cell_is_hidden_rather_than_the_total():
    found = publish(one_way({"a": 3, "b": 9}), 5)
    assert shown(found) == {"a": "P", "b": "S", "all": 12}
    # Alone but for zeros, a small cell makes a small total: hidden in its own right.
    found = publish(one_way({"a": 2, "b": 0}), 5)
    assert shown(found) == {"a": "P", "b": 0, "all": "P"}


def test_denominators_go_with_a_hidden_total():
    found = publish(one_way({"a": 1, "b": 2}), 5)
    assert shown(found) == {"a": "P", "b": "P", "all": "P"}
    assert {c.denominator for c in found.cells} == {None}
    # Two hidden in the group: nothing else needed, the total stays.
    found = publish(one_way({"a": 1, "b": 2, "c": 40}), 5)
    assert shown(found) == {"a": "P", "b": "P", "c": 40, "all": 43}
    assert {c.denominator for c in found.cells} == {43}


def two_way(rows: dict[str, dict[str, int]]) -> Indicator:
    """A table with its row, column and grand totals, in groups."""
    cols = list(next(iter(rows.values())))
    cells = []
    for r, line in rows.items():
        cells += [count_cell((r, c), v) for c, v in line.items()]
        cells.append(count_cell((r, ALL), sum(line.values())))
    for c in cols:
        cells.append(count_cell((ALL, c), sum(line[c] for line in rows.values())))
    cells.append(count_cell((ALL, ALL), sum(sum(line.values()) for line in rows.values())))
    groups = [Group((r, ALL), tuple((r, c) for c in cols)) for r in rows]
    groups += [Group((ALL, c), tuple((r, c) for r in rows)) for c in cols]
    groups.append(Group((ALL, ALL), tuple((r, ALL) for r in rows)))
    groups.append(Group((ALL, ALL), tuple((ALL, c) for c in cols)))
    return Indicator(definition=replace(definition(), dimensions=("r", "c")),
                     filters=Filters(), cells=tuple(cells), groups=tuple(groups))


def test_secondary_cascades_across_rows_and_columns():
    """        x    y    z  | all
        a      2   10   20  |  32      2 is hidden (primary); row a then hides 10, its
        b     12   11   30  |  53      smallest; column x hides 12; column y, with 10
        ----------------------------   hidden, hides 11; row b then holds two hidden and
        all   14   21   50  |  85      needs no more. a/x is left anywhere from 0 to 12."""
    found = publish(two_way({"a": {"x": 2, "y": 10, "z": 20},
                             "b": {"x": 12, "y": 11, "z": 30}}), 5)
    assert shown(found) == {
        "a/x": "P", "a/y": "S", "a/z": 20, "a/all": 32,
        "b/x": "S", "b/y": "S", "b/z": 30, "b/all": 53,
        "all/x": 14, "all/y": 21, "all/z": 50, "all/all": 85}
    # No group is left with exactly one hidden figure: nothing can be subtracted out.
    hidden = {c.key for c in found.cells if c.suppressed}
    for group in found.groups:
        assert len(hidden & {group.total, *group.members}) != 1


def test_proportions_with_a_small_denominator_hide_it_too():
    def share(key: str, k: int, n: int) -> Cell:
        return Cell(key=(key,), numerator=k, denominator=n, value=k / n, lower=0.1, upper=0.9)

    indicator = Indicator(definition=definition(Kind.PROPORTION), filters=Filters(),
                          cells=(share("a", 3, 4), share("b", 9, 40), share("c", 2, 40),
                                 share("d", 0, 40)))
    found = publish(indicator, 5)
    a, b, c, d = found.cells
    assert (a.numerator, a.denominator, a.value, a.suppressed) == (None, None, None, P)
    assert (b.numerator, b.denominator, b.lower, b.suppressed) == (9, 40, 0.1, None)
    assert (c.numerator, c.denominator, c.upper, c.suppressed) == (None, 40, None, P)
    assert (d.numerator, d.suppressed) == (0, None)


def test_counts_of_places_are_published_whole():
    found = publish(one_way({"a": 1, "b": 2}, protected=False), 5)
    assert shown(found) == {"a": 1, "b": 2, "all": 3}
    assert found.publication


def test_threshold_one_hides_nothing():
    assert shown(publish(one_way({"a": 1, "b": 0}), 1)) == {"a": 1, "b": 0, "all": 1}


def test_the_threshold_setting(monkeypatch):
    assert Settings().small_cell_threshold == 5
    monkeypatch.setenv("ROLLCALL_SMALL_CELL_THRESHOLD", "10")
    assert Settings().small_cell_threshold == 10
    monkeypatch.setenv("ROLLCALL_SMALL_CELL_THRESHOLD", "0")
    with pytest.raises(ValueError, match="small_cell_threshold"):
        Settings()


def test_a_definition_must_speak_of_every_filter():
    with pytest.raises(ValueError, match="every filter"):
        Definition(code="x", title="x", kind=Kind.COUNT, dimensions=(), method="-",
                   period_date="-", applies={"period": "-"}, not_applicable={})


def test_the_library_exports_every_indicator_and_definition():
    """The report builds on rollcall.stats.indicators alone: every indicator's function
    and definition of the indicator modules is there, in DEFINITIONS order."""
    import inspect

    from rollcall.stats import access, exchanges, ill_treatment, incidents, indicators, persons

    for module in (access, exchanges, ill_treatment, incidents, persons):
        for name in module.__all__:
            item = getattr(module, name)
            if isinstance(item, Definition):
                assert item in indicators.DEFINITIONS, name
                assert name in indicators.__all__, name
            elif inspect.isfunction(item):
                assert name in indicators.__all__, name
    assert all(hasattr(indicators, name) for name in indicators.__all__)
    assert len({d.code for d in indicators.DEFINITIONS}) == len(indicators.DEFINITIONS)
