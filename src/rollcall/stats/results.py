"""What an indicator answers, as plain typed values the API, the pages, the CLI and the
periodic report all print: cells with a numerator, a denominator, a value and (for a
proportion) an interval; the filters it was computed under and, for each given filter that
does not apply to it, why; and, when prepared for publication, which cells were suppressed
and why.

A cell's key names its place in the table, one code per dimension (`("held",)`,
`("torture", "verified")`); `ALL` stands for a margin (`("torture", "all")` is every
status of torture). A *group* is a total and the cells that add up to it: the unit of
secondary suppression (rollcall.stats.suppression).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from rollcall.vocabulary import Category, Origin
from rollcall.web.i18n import N_

ALL = "all"
Key = tuple[str, ...]

#: The filters every indicator is asked about, in the order they are shown.
FILTER_NAMES = ("period", "site", "category", "source", "origin")


class Kind(StrEnum):
    """`count`: the value is the numerator; the denominator, when given, is the whole it
    is part of. `proportion`: the value is numerator / denominator, with a 95% Wilson
    interval (the figure estimates a share from those interviewed)."""

    COUNT = "count"
    PROPORTION = "proportion"


class Suppression(StrEnum):
    """Why a cell prepared for publication shows no figure."""

    PRIMARY = "primary"  # fewer than the threshold
    SECONDARY = "secondary"  # could be worked out from a total by subtraction


WHY = {
    Suppression.PRIMARY: N_("fewer than %(threshold)s"),
    Suppression.SECONDARY: N_("could be worked out from a total and the other figures"),
}


@dataclass(frozen=True)
class Filters:
    """Which part of the registry an indicator covers; None means all. The period is read
    on the date that matters for each indicator (its definition says which), both ends
    included. `source` and `origin` select what a source, or every source of an origin,
    documents."""

    period_from: dt.date | None = None
    period_to: dt.date | None = None
    site_id: int | None = None
    category: Category | None = None
    source_id: int | None = None
    origin: Origin | None = None

    @property
    def has_period(self) -> bool:
        return self.period_from is not None or self.period_to is not None

    def given(self) -> tuple[str, ...]:
        """The names (FILTER_NAMES) of the filters set."""
        values = {"period": self.has_period, "site": self.site_id is not None,
                  "category": self.category is not None,
                  "source": self.source_id is not None, "origin": self.origin is not None}
        return tuple(name for name in FILTER_NAMES if values[name])


@dataclass(frozen=True)
class Cell:
    """One figure. Suppressed: numerator, value and interval are None (and the
    denominator too when it is itself small or a suppressed total)."""

    key: Key
    numerator: int | None
    denominator: int | None = None
    value: float | None = None
    lower: float | None = None
    upper: float | None = None
    suppressed: Suppression | None = None

    def hidden(self, why: Suppression, *, denominator: bool = False) -> Cell:
        return replace(self, numerator=None, value=None, lower=None, upper=None,
                       suppressed=why,
                       denominator=None if denominator else self.denominator)


@dataclass(frozen=True)
class Group:
    """A total and the cells that add up to it."""

    total: Key
    members: tuple[Key, ...]


@dataclass(frozen=True)
class Definition:
    """What an indicator is, independent of any data: the periodic report's methods
    section prints `method`, `period_date` and how each filter applies (`applies`) or why
    it does not (`not_applicable`); between them they name every filter."""

    code: str
    title: str  # an English msgid, translated where shown
    kind: Kind
    dimensions: tuple[str, ...]
    method: str  # an English msgid: how the figure is computed
    period_date: str  # an English msgid: the date the period filter reads
    applies: Mapping[str, str]
    not_applicable: Mapping[str, str]
    #: Whether the publication rule applies: cells that count people (persons, victims,
    #: witnesses, incidents that could point at them). Counts of places and of exchanges
    #: (public events) are published whole.
    protected: bool = True

    def __post_init__(self) -> None:
        named = set(self.applies) | set(self.not_applicable)
        if named != set(FILTER_NAMES) or set(self.applies) & set(self.not_applicable):
            raise ValueError(f"{self.code}: say of every filter whether it applies")


@dataclass(frozen=True)
class Indicator:
    """An indicator computed under some filters."""

    definition: Definition
    filters: Filters
    cells: tuple[Cell, ...]
    groups: tuple[Group, ...] = ()
    #: Filters given that do not apply, with why (the definition's words).
    not_applied: Mapping[str, str] = field(default_factory=dict)
    #: Said of this computation (e.g. "no total: the statuses are read on different dates").
    notes: tuple[str, ...] = ()
    publication: bool = False
    threshold: int | None = None

    @property
    def code(self) -> str:
        return self.definition.code

    def cell(self, *key: str) -> Cell:
        for cell in self.cells:
            if cell.key == key:
                return cell
        raise KeyError(key)

    def get(self, *key: str) -> Cell | None:
        return next((c for c in self.cells if c.key == key), None)


def count_cell(key: Key, count: int, whole: int | None = None) -> Cell:
    return Cell(key=key, numerator=count, denominator=whole, value=float(count))


def computed(definition: Definition, filters: Filters, cells: list[Cell],
             groups: list[Group] | None = None, notes: tuple[str, ...] = ()) -> Indicator:
    """The indicator, with the given filters that do not apply named."""
    not_applied = {name: definition.not_applicable[name] for name in filters.given()
                   if name in definition.not_applicable}
    return Indicator(definition=definition, filters=filters, cells=tuple(cells),
                     groups=tuple(groups or ()), not_applied=not_applied, notes=notes)


__all__ = ["ALL", "FILTER_NAMES", "WHY", "Cell", "Definition", "Filters", "Group",
           "Indicator", "Key", "Kind", "Suppression", "computed", "count_cell"]
