"""The report's period (dates as people type them, cut into months, quarters or years)
and the geometry of its chart over time. No database."""

from __future__ import annotations

import datetime as dt

import pytest

from rollcall.errors import InvalidValue
from rollcall.reports import parse_period
from rollcall.reports.charts import column_chart, nice_step


def test_partial_dates_stand_for_their_first_and_last_day():
    period = parse_period("2023", "02.2024")
    assert (period.start, period.end) == (dt.date(2023, 1, 1), dt.date(2024, 2, 29))
    assert parse_period("2024-03-05", "2024-03-05").end == dt.date(2024, 3, 5)


@pytest.mark.parametrize(("start", "end", "message"), [
    ("", "2024", "--from: the report needs the start of its period"),
    ("2024", None, "--to: the report needs the end of its period"),
    ("2024-13", "2024", "--from: not a date"),
    ("2024", "yesterday", "--to: not a date"),
    ("2025", "2024", "--from: the start of the period is after its end (--to)"),
    ("0001", "9999", "--to: a report covers at most 50 years"),
])
def test_bad_periods_are_refused_naming_the_option(start, end, message):
    with pytest.raises(InvalidValue, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_period(start, end)


def test_a_form_names_its_own_fields():
    with pytest.raises(InvalidValue, match=r"^date_to: not a date"):
        parse_period("2024", "x", from_name="date_from", to_name="date_to")


def test_the_period_is_cut_into_about_a_dozen_intervals():
    months = parse_period("2023-11-15", "2024-02").intervals()
    assert [i.code for i in months] == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert months[0].start == dt.date(2023, 11, 15)  # cut to the period
    assert months[-1].end == dt.date(2024, 2, 29)
    quarters = parse_period("2023-02", "2024-12").intervals()  # 23 months
    assert [i.code for i in quarters][:2] == ["2023-Q1", "2023-Q2"] and len(quarters) == 8
    assert quarters[0].start == dt.date(2023, 2, 1)
    assert quarters[0].end == dt.date(2023, 3, 31)
    years = parse_period("2015", "2024").intervals()  # beyond 5 years
    assert [i.code for i in years] == [str(y) for y in range(2015, 2025)]
    assert sum((i.end - i.start).days + 1 for i in years) == (
        dt.date(2024, 12, 31) - dt.date(2015, 1, 1)).days + 1  # no day lost or counted twice


def test_the_chart_over_time_scales_its_columns_and_leaves_withheld_ones_out():
    # Steps of 1, 2 or 5 times a power of ten, about a quarter of the top (950: 200 is short).
    assert [nice_step(x) for x in (3, 40, 130, 950)] == [1, 10, 50, 500]
    chart = column_chart(["Q1", "Q2"], [("held", [100.0, None]), ("dead", [50.0, 0.0])])
    assert [(c.series, c.height) for c in chart.columns] == [(0, 180.0), (1, 90.0), (1, 0.0)]
    assert chart.columns[0].y == chart.plot_top  # the tallest reaches the top
    assert [t.text for t in chart.ticks] == ["0", "50", "100"]
    assert [label.text for label in chart.legend] == ["held", "dead"]
    assert len({y for y in chart.legend_y}) == 1  # short names: one line
    long = column_chart(["Q1"], [("x" * 60, [1.0]), ("y" * 60, [2.0])])
    assert len(set(long.legend_y)) == 2  # too long for one line: the second wraps
    assert long.plot_top > chart.plot_top


def test_over_time_a_lone_withheld_interval_takes_another_with_it():
    """Three months of deaths adding up to the period's 21: May's 3 is withheld (fewer
    than 5), and June's 6, the smallest other, too, or 21 - 12 - 6 would give May away.
    The period's figure and the months' other statuses stay as each query publishes
    them."""
    from rollcall.reports.figures import over_time
    from rollcall.reports.period import Interval
    from rollcall.stats.indicators import Filters
    from rollcall.stats.persons import PERSONS_BY_STATUS
    from rollcall.stats.results import computed, count_cell

    def month(held: int, dead: int) -> object:
        return computed(PERSONS_BY_STATUS, Filters(), [count_cell(("held",), held),
                                                       count_cell(("dead",), dead)])

    months = [Interval(dt.date(2024, m, 1), dt.date(2024, m, 28), "month", f"2024-0{m}")
              for m in (4, 5, 6)]
    raw = list(zip(months, [month(30, 12), month(40, 3), month(50, 6)], strict=True))
    series, whole = over_time(raw, month(120, 21), threshold=5)
    dead = {i.code: item.cell("dead") for i, item in series}
    assert dead["2024-05"].suppressed == "primary"
    assert dead["2024-06"].suppressed == "secondary" and dead["2024-06"].numerator is None
    assert dead["2024-04"].numerator == 12
    assert whole.cell("dead").numerator == 21 and whole.cell("held").numerator == 120
    assert all(item.cell("held").suppressed is None for _, item in series)
    assert all(item.publication and item.threshold == 5 for _, item in series)
