"""The report's chart over time: grouped columns, one group per month, quarter or year
and one column per series (persons held, released, escaped, dead), as geometry the
report's template draws as inline SVG. The horizontal bar charts with interval whiskers
are the dashboard's (rollcall.stats.charts).

Hand-written for the same reason as the dashboard's: simple shapes, no inline styles,
no fonts or scripts from anywhere (the report is one self-contained file). Sized in a
viewBox, so the chart scales to the page and prints whole.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

WIDTH = 640
LEGEND_LINE = 18  # a line of the legend, above the plot
CHAR = 6.5  # about how wide a character of the 11 px text is, to lay out labels
PLOT_HEIGHT = 180
AXIS_LEFT = 44
AXIS_BOTTOM = 22  # room for the interval labels
PLOT_RIGHT = 8
GROUP_GAP = 0.25  # of a group's width


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    series: int  # which series: its colour (CSS class s0, s1, ...)
    title: str  # read out on hover: "2023-Q1, held: 12"


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class Label:
    x: float
    text: str


@dataclass(frozen=True)
class ColumnChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    columns: tuple[Column, ...]
    ticks: tuple[Tick, ...]
    labels: tuple[Label, ...]
    legend: tuple[Label, ...]
    legend_y: tuple[float, ...]


def nice_step(top: float, steps: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten) that covers `top` in about `steps`."""
    raw = max(top, 1.0) / steps
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def column_chart(intervals: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
                 number: Callable[[float], str] = str) -> ColumnChart:
    """Columns of each series in each interval; None (withheld) draws no column. `number`
    formats the axis's figures for the reader's language."""
    legend, legend_y = _legend([name for name, _ in series])
    plot_top = int(max(legend_y, default=0.0)) + 12
    values = [v for _, vs in series for v in vs if v is not None]
    step = nice_step(max(values or [0.0]))
    top = step * max(1, math.ceil(max(values or [0.0]) / step))
    bottom = plot_top + PLOT_HEIGHT
    plot_width = WIDTH - AXIS_LEFT - PLOT_RIGHT
    group = plot_width / max(1, len(intervals))
    bar = group * (1 - GROUP_GAP) / max(1, len(series))
    columns = []
    for i, interval in enumerate(intervals):
        left = AXIS_LEFT + i * group + group * GROUP_GAP / 2
        for s, (name, vs) in enumerate(series):
            value = vs[i]
            if value is None:
                continue
            height = PLOT_HEIGHT * value / top
            columns.append(Column(x=round(left + s * bar, 1), y=round(bottom - height, 1),
                                  width=round(max(bar - 1, 1.0), 1), height=round(height, 1),
                                  series=s, title=f"{interval}, {name}: {number(value)}"))
    ticks = [Tick(y=round(bottom - PLOT_HEIGHT * k * step / top, 1), text=number(k * step))
             for k in range(round(top / step) + 1)]
    # Every label while they fit, else every second or third.
    widest = max((len(text) for text in intervals), default=1) * CHAR + 8
    every = max(1, math.ceil(widest / group))
    labels = [Label(x=round(AXIS_LEFT + (i + 0.5) * group, 1), text=text)
              for i, text in enumerate(intervals) if i % every == 0]
    return ColumnChart(width=WIDTH, height=bottom + AXIS_BOTTOM, plot_left=AXIS_LEFT,
                       plot_right=WIDTH - PLOT_RIGHT, plot_top=plot_top, plot_bottom=bottom,
                       columns=tuple(columns), ticks=tuple(ticks), labels=tuple(labels),
                       legend=tuple(legend), legend_y=tuple(legend_y))


def _legend(names: Sequence[str]) -> tuple[list[Label], list[float]]:
    """Each series' swatch and name, in a row while they fit, then on the next line: the
    names are as long as the language makes them. Returns the labels and each one's
    baseline."""
    labels, baselines = [], []
    x, y = float(AXIS_LEFT), float(LEGEND_LINE - 3)
    for name in names:
        width = 14 + len(name) * CHAR + 16
        if x > AXIS_LEFT and x + width > WIDTH - PLOT_RIGHT:
            x, y = float(AXIS_LEFT), y + LEGEND_LINE
        labels.append(Label(x=round(x, 1), text=name))
        baselines.append(y)
        x += width
    return labels, baselines


__all__ = ["Column", "ColumnChart", "Label", "Tick", "column_chart", "nice_step"]
