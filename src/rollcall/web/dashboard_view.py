"""The dashboard's indicators as a page shows them: every figure formatted for the
reader's language (withheld ones marked), the key figures, a table for each indicator
(the charts' text alternative) and the charts' geometry (rollcall.stats.charts).

Labels come from the vocabularies (rollcall.web.labels) and the methods vocabulary; the
few codes of the indicators themselves (access classes, kinds handed over) are here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from babel.numbers import format_decimal

from rollcall.monitoring.methods import vocabulary
from rollcall.stats.charts import BarChart, Row, bar_chart
from rollcall.stats.indicators import ALL, WHY, Cell, Indicator, Indicators, Suppression
from rollcall.vocabulary import CustodyStatus, ExchangeDirection, IncidentStatus, IncidentType
from rollcall.web.i18n import N_, Translator
from rollcall.web.labels import label_msgid

CODES = {
    "never_visited": N_("never visited"), "partial_only": N_("partial access only"),
    "full_access": N_("full access"), "in_custody": N_("died in custody"),
    "otherwise": N_("not known to have been in custody"), "alive": N_("persons alive"),
    "body": N_("bodies named on a list"), "unnamed_body": N_("bodies no list names"),
    ALL: N_("all"),
}
FILTER_LABELS = {"period": N_("Period"), "site": N_("Site"), "category": N_("Category"),
                 "source": N_("Source"), "origin": N_("Origin")}
MARK = "*"


@dataclass(frozen=True)
class Shown:
    """A figure as text; `withheld` when suppressed for publication."""

    text: str
    withheld: bool = False


@dataclass(frozen=True)
class Table:
    caption: str
    columns: list[str]
    rows: list[tuple[str, list[Shown]]]


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    tables: list[Table]
    chart: BarChart | None = None
    chart_title: str = ""
    not_applied: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Dashboard:
    key_figures: list[tuple[str, Shown]]
    sections: list[Section]
    withheld_note: str | None


class View:
    """Formats one set of indicators for one language."""

    def __init__(self, t: Translator) -> None:
        self.t, self.language = t, t.language

    def number(self, value: int | None) -> str:
        return "" if value is None else format_decimal(value, locale=self.language)

    def percent(self, value: float | None) -> str:
        return "" if value is None else f"{100 * value:.0f}%"

    def count(self, cell: Cell) -> Shown:
        return Shown(MARK, True) if cell.suppressed else Shown(self.number(cell.numerator))

    def of_whom(self, cell: Cell) -> Shown:
        """'4 of 5 (80%)', or the mark."""
        if cell.suppressed:
            return Shown(MARK, True)
        return Shown(self.t.gettext("%(num)s of %(of)s (%(share)s)",
                                    num=self.number(cell.numerator),
                                    of=self.number(cell.denominator),
                                    share=self.percent(cell.value) or "–"))

    def code(self, code: str, kind: object = None) -> str:
        if code in CODES:
            return self.t.gettext(CODES[code])
        if kind is not None:
            return self.t.gettext(label_msgid(kind(code)))  # type: ignore[operator]
        method = vocabulary().get(code)
        return method.label(self.language) if method else code

    def _section(self, indicator: Indicator, tables: list[Table], *,
                 chart: BarChart | None = None, chart_title: str = "") -> Section:
        d, t = indicator.definition, self.t
        return Section(
            code=d.code, title=t.gettext(d.title), tables=tables, chart=chart,
            chart_title=chart_title,
            not_applied=[(t.gettext(FILTER_LABELS[name]), t.gettext(why))
                         for name, why in indicator.not_applied.items()],
            notes=[t.gettext(note) for note in indicator.notes])

    def one_way(self, indicator: Indicator, kind: object = None, *,
                chart_title: str = "") -> Section:
        """A list of cells (one dimension) as a table and a bar chart."""
        t = self.t
        rows = [(t.gettext("Total") if c.key == (ALL,) else self.code(c.key[0], kind),
                 [self.count(c)]) for c in indicator.cells]
        table = Table(caption=t.gettext(indicator.definition.title),
                      columns=[t.gettext("Count")], rows=rows)
        bars = [Row(label, None if c.suppressed else float(c.numerator or 0), shown[0].text)
                for (label, shown), c in zip(rows, indicator.cells, strict=True)
                if c.key != (ALL,)]
        return self._section(indicator, [table], chart=bar_chart(bars) if chart_title else None,
                             chart_title=chart_title)

    def shares(self, indicator: Indicator) -> Section:
        """Methods reported, the most reported first; those nobody reports left out."""
        t = self.t
        listed = [c for c in indicator.cells
                  if c.key == (ALL,) or c.suppressed or c.numerator]
        listed.sort(key=lambda c: (c.key != (ALL,), -(c.numerator or 0)))
        rows, bars = [], []
        for c in listed:
            label = (t.gettext("any method") if c.key == (ALL,) else self.code(c.key[0]))
            share = self.percent(c.value)
            interval = ("" if c.lower is None or c.upper is None else
                        f"{self.percent(c.lower)}–{self.percent(c.upper)}")
            whole = (Shown(MARK, True) if c.denominator is None and c.suppressed
                     else Shown(self.number(c.denominator)))
            if c.suppressed:
                rows.append((label, [Shown(MARK, True), whole, Shown(MARK, True),
                                     Shown(MARK, True)]))
            else:
                rows.append((label, [self.count(c), whole, Shown(share), Shown(interval)]))
            bars.append(Row(label, c.value, MARK if c.suppressed else share, c.lower, c.upper))
        table = Table(caption=t.gettext(indicator.definition.title),
                      columns=[t.gettext("Report it"), t.gettext("Witnesses"),
                               t.gettext("Share"), t.gettext("95% interval")], rows=rows)
        return self._section(indicator, [table], chart=bar_chart(bars, maximum=1.0),
                             chart_title=t.gettext("Share of witnesses, with 95% interval"))

    def two_way(self, indicator: Indicator, caption: str, rows_of: type, cols: list[str],
                col_label: Callable[[str], str], keep: Callable[[list[Cell]], bool]) -> Table:
        t = self.t
        lines = []
        for code in [m.value for m in rows_of] + [ALL]:  # type: ignore[attr-defined]
            cells = [indicator.cell(code, col) for col in cols]
            if code == ALL or keep(cells):
                header = t.gettext("Total") if code == ALL else self.code(code, rows_of)
                lines.append((header, [self.count(c) for c in cells]))
        return Table(caption=caption, columns=[col_label(c) for c in cols], rows=lines)

    def incidents(self, incidents: Indicator, victims: Indicator) -> Section:
        t = self.t
        cols = [s.value for s in IncidentStatus] + [ALL]

        def status(code: str) -> str:
            return (t.gettext("Total (not retracted)") if code == ALL
                    else t.gettext(label_msgid(IncidentStatus(code))))

        def any_cell(cells: list[Cell]) -> bool:
            return any(c.suppressed or c.numerator for c in cells)

        tables = [self.two_way(incidents, t.gettext("Incidents"), IncidentType, cols, status,
                               any_cell),
                  self.two_way(victims, t.gettext("Victims"), IncidentType, cols, status,
                               any_cell)]
        totals = [(kind, incidents.cell(kind.value, ALL)) for kind in IncidentType]
        bars = [Row(self.code(kind.value, IncidentType),
                    None if c.suppressed else float(c.numerator or 0), self.count(c).text)
                for kind, c in totals if any_cell([c])]
        return self._section(incidents, tables, chart=bar_chart(bars) if bars else None,
                             chart_title=t.gettext("Incidents by type (not retracted)"))

    def exchanged(self, indicator: Indicator) -> Section:
        t = self.t
        cols = ["alive", "body", "unnamed_body", ALL]
        table = self.two_way(indicator, t.gettext(indicator.definition.title),
                             ExchangeDirection, cols,
                             lambda c: t.gettext("Total") if c == ALL else self.code(c),
                             lambda cells: True)
        return self._section(indicator, [table])


def dashboard(found: Indicators, t: Translator) -> Dashboard:
    """Key figures and a section per indicator."""
    v = View(t)
    persons, deaths = found["persons_by_status"], found["deaths_in_custody"]
    sites, methods = found["sites_by_access"], found["ill_treatment_methods"]
    incidents, victims = found["incidents"], found["victims"]
    handed = found["persons_exchanged"]
    key: list[tuple[str, Shown]] = []
    if persons.get(ALL) is not None:
        key.append((t.gettext("Persons documented"), v.count(persons.cell(ALL))))
    for status in (CustodyStatus.HELD, CustodyStatus.RELEASED, CustodyStatus.DEAD,
                   CustodyStatus.MISSING):
        cell = persons.get(status.value)
        if cell is not None:
            key.append((t.gettext(label_msgid(status)), v.count(cell)))
    key += [
        (t.gettext("died in custody"), v.count(deaths.cell("in_custody"))),
        (t.gettext("Places of detention never visited by a monitor"),
         v.count(sites.cell("never_visited"))),
        (t.gettext("Released prisoners interviewed who report ill-treatment"),
         v.of_whom(methods.cell(ALL))),
        (t.gettext("Incidents (not retracted)"), v.count(incidents.cell(ALL, ALL))),
        (t.gettext("Victims of those incidents"), v.count(victims.cell(ALL, ALL))),
        (t.gettext("Exchanges"), v.count(found["exchanges"].cell(ALL))),
        (t.gettext("Persons and bodies handed over"), v.count(handed.cell(ALL, ALL))),
    ]
    sections = [
        v.one_way(persons, CustodyStatus, chart_title=t.gettext("Persons by status")),
        v.one_way(deaths),
        v.one_way(sites, chart_title=t.gettext("Places of detention by monitor access")),
        v.shares(methods),
        v.incidents(incidents, victims),
        v.one_way(found["exchanges"]),
        v.exchanged(handed),
    ]
    note = None
    if found.publication:
        note = t.gettext("%(mark)s withheld for publication: %(primary)s, or %(secondary)s.",
                         mark=MARK,
                         primary=t.gettext(WHY[Suppression.PRIMARY],
                                           threshold=found.threshold),
                         secondary=t.gettext(WHY[Suppression.SECONDARY]))
    return Dashboard(key_figures=key, sections=sections, withheld_note=note)


__all__ = ["Dashboard", "Section", "Shown", "Table", "dashboard"]
