"""Horizontal bar charts of indicator cells, as geometry a template draws as inline SVG
(templates/charts.html): hand-written rather than matplotlib, because the bars are simple
and matplotlib's SVG carries inline styles the pages' Content-Security-Policy refuses.

Each bar has its label above it, so labels of any length fit in any language; a share
has its 95% interval as a whisker. Suppressed figures get no bar, only their mark. The
chart is an image for the eye: every page that shows one also shows its figures in a
table, the text alternative.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
ROW = 34  # label line + bar
BAR = 14
LABEL_BASELINE = 12
PLOT_LEFT = 4
PLOT_WIDTH = 520
VALUE_GAP = 6


@dataclass(frozen=True)
class Row:
    """What a bar shows: `value` None draws no bar (suppressed or no figure); `low` and
    `high` the interval of a share."""

    label: str
    value: float | None
    text: str
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    label_y: float
    y: float
    width: float
    text_x: float
    whisker: tuple[float, float] | None


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bar_height: int
    left: int
    bars: tuple[Bar, ...]


def _scale(rows: Sequence[Row], maximum: float | None) -> float:
    if maximum is not None:
        return maximum
    top = max([r.high or r.value or 0.0 for r in rows] or [0.0])
    return top if top > 0 else 1.0


def bar_chart(rows: Sequence[Row], maximum: float | None = None) -> BarChart:
    """Bars scaled to `maximum` (1.0 for shares), else to the largest value."""
    scale = _scale(rows, maximum)

    def x(value: float) -> float:
        return PLOT_LEFT + PLOT_WIDTH * min(max(value, 0.0), scale) / scale

    bars = []
    for i, row in enumerate(rows):
        top = i * ROW
        width = 0.0 if row.value is None else x(row.value) - PLOT_LEFT
        whisker = (None if row.low is None or row.high is None
                   else (round(x(row.low), 1), round(x(row.high), 1)))
        end = max(PLOT_LEFT + width, whisker[1] if whisker else 0.0)
        bars.append(Bar(label=row.label, text=row.text, label_y=top + LABEL_BASELINE,
                        y=top + LABEL_BASELINE + 4, width=round(width, 1),
                        text_x=round(end + VALUE_GAP, 1), whisker=whisker))
    height = max(ROW, math.ceil(len(rows) * ROW))
    return BarChart(width=WIDTH, height=height, bar_height=BAR, left=PLOT_LEFT,
                    bars=tuple(bars))


__all__ = ["Bar", "BarChart", "Row", "bar_chart"]
