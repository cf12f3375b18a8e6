"""The publication rule for small cells (setting `small_cell_threshold`, default 5).

A figure about fewer people than the threshold can point at someone: "2 civilians from
this village died at site X in May". So, in anything prepared for publication, for each
indicator whose definition is `protected` (it counts people):

1. Primary suppression. A cell whose numerator is at least 1 and below the threshold is
   suppressed: its numerator, value and interval are withheld. So is a proportion whose
   denominator is at least 1 and below the threshold, denominator included (a share of
   three witnesses says too much about each). Zero is published: it points at nobody.
2. Secondary suppression. In every group (a total and the cells that add up to it) no
   suppressed cell may be recovered by subtraction, so a group may not hold exactly one
   suppressed figure: if it does, the smallest published non-zero cell of the group is
   suppressed too; failing that the total; failing that a cell that is zero. A
   figure suppressed this way may leave another group with exactly one, so the pass is
   repeated until no group has exactly one suppressed figure (a table's rows and columns
   both hold).
3. A count cell's denominator is its group's total (a total's, itself): it is withheld
   where the total is.

Proportions of one denominator that do not add up (a witness reports several methods)
form no group, so only rule 1 applies to them.
"""

from __future__ import annotations

from dataclasses import replace

from rollcall.stats.results import Cell, Indicator, Key, Kind, Suppression


def _small(value: int | None, threshold: int) -> bool:
    return value is not None and 0 < value < threshold


def _primary(cell: Cell, kind: Kind, threshold: int) -> Cell:
    if kind is Kind.PROPORTION and _small(cell.denominator, threshold):
        return cell.hidden(Suppression.PRIMARY, denominator=True)
    if _small(cell.numerator, threshold):
        return cell.hidden(Suppression.PRIMARY)
    return cell


def _second_choice(members: list[Cell], total: Cell) -> Cell | None:
    """Which published figure of a group with one suppressed to suppress as well."""
    shown = [c for c in members if c.suppressed is None]
    nonzero = [c for c in shown if c.numerator]
    if nonzero:
        return min(nonzero, key=lambda c: c.numerator or 0)
    if total.suppressed is None and total.numerator:
        return total
    if shown:
        return shown[0]
    return total if total.suppressed is None else None


def publish(indicator: Indicator, threshold: int) -> Indicator:
    """The indicator as it may be published under the threshold (rules in the module
    docstring). An unprotected indicator is returned whole, marked as prepared."""
    prepared = replace(indicator, publication=True, threshold=threshold)
    if not indicator.definition.protected:
        return prepared
    kind = indicator.definition.kind
    cells: dict[Key, Cell] = {c.key: _primary(c, kind, threshold) for c in indicator.cells}
    groups = [g for g in indicator.groups
              if g.total in cells and all(k in cells for k in g.members)]
    changed = True
    while changed:
        changed = False
        for group in groups:
            members = [cells[k] for k in group.members]
            total = cells[group.total]
            hidden = [c for c in (*members, total) if c.suppressed is not None]
            if len(hidden) != 1:
                continue
            chosen = _second_choice(members, total)
            if chosen is not None:
                cells[chosen.key] = chosen.hidden(Suppression.SECONDARY)
                changed = True
    if kind is Kind.COUNT:
        whole_of: dict[Key, Key] = {}
        for group in groups:
            whole_of.setdefault(group.total, group.total)
            for member in group.members:
                whole_of.setdefault(member, group.total)
        for key, cell in cells.items():
            whole = cells[whole_of[key]] if key in whole_of else None
            if cell.denominator is not None and whole is not None and whole.suppressed:
                cells[key] = replace(cell, denominator=None)
    return replace(prepared, cells=tuple(cells[c.key] for c in indicator.cells))


__all__ = ["publish"]
