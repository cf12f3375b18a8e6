"""The periodic report in the words of one language: every figure formatted for the
reader (withheld ones marked), each tagged with its figure id and the raw numbers it
shows (`data-*` in the HTML, so a test or a reader can check it against its query), the
tables, the charts' geometry, the estimate in sentences, the methods and the appendix of
queries. Labels of codes are the dashboard's (rollcall.web.dashboard_view)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from babel.dates import format_date as babel_date
from babel.numbers import format_decimal

from rollcall.reports.charts import ColumnChart, column_chart
from rollcall.reports.estimates import (
    DOCUMENTED,
    ESTIMATED,
    UNDOCUMENTED,
    UNDOCUMENTED_ESTIMATE,
    PopulationEstimate,
)
from rollcall.reports.figures import PeriodicReport, Query, figure_id, query_id
from rollcall.reports.period import Interval
from rollcall.stats.charts import BarChart, Row, bar_chart
from rollcall.stats.indicators import (
    ALL,
    DEFINITIONS,
    WHY,
    Cell,
    Definition,
    Indicator,
    Suppression,
)
from rollcall.stats.persons import DATED
from rollcall.vocabulary import CustodyStatus, ExchangeDirection, IncidentStatus, IncidentType
from rollcall.vocabulary import Origin as OriginCode
from rollcall.web.dashboard_view import FILTER_LABELS, View
from rollcall.web.i18n import N_, Translator
from rollcall.web.labels import label_msgid
from rollcall.web.render import format_date

MARK = "*"
_LOCALES = {"uk": "uk", "en": "en_GB"}
METHOD_NAMES = {"loglinear": N_("log-linear models"), "chapman": N_("Chapman's estimator"),
                "lincoln_petersen": N_("the Lincoln-Petersen estimator"),
                "lcmcr": N_("the Bayesian latent-class model")}
INTERVAL_NAMES = {"profile likelihood": N_("profile likelihood"),
                  "normal on log scale": N_("log-normal"),
                  "credible": N_("Bayesian credible")}
POPULATION_TITLES = {"held": N_("Persons held"), "dead": N_("Persons who died")}
SERIES_TITLES = {CustodyStatus.HELD: N_("captured, still held"),
                 CustodyStatus.RELEASED: N_("released"), CustodyStatus.ESCAPED: N_("escaped"),
                 CustodyStatus.DEAD: N_("died")}
KEY_TITLES = {CustodyStatus.HELD: N_("Captured in the period, still held"),
              CustodyStatus.RELEASED: N_("Released in the period"),
              CustodyStatus.ESCAPED: N_("Escaped in the period"),
              CustodyStatus.DEAD: N_("Died in the period")}
OVER_TIME_CAPTIONS = {
    "month": N_("Persons by status, by month of the status's date"),
    "quarter": N_("Persons by status, by quarter of the status's date"),
    "year": N_("Persons by status, by year of the status's date")}
INTERVAL_KINDS = {"month": N_("Month"), "quarter": N_("Quarter"), "year": N_("Year")}


@dataclass(frozen=True)
class Num:
    """A figure as shown: its text, its figure id and the raw numbers it shows."""

    text: str
    figure: str = ""
    data: tuple[tuple[str, str], ...] = ()
    withheld: bool = False
    anchor: bool = False  # the figure's first showing carries its id as an anchor


@dataclass(frozen=True)
class Table:
    caption: str
    columns: list[str]
    rows: list[tuple[str, list[Num]]]
    query: str
    corner: str = ""  # the head of the rows' column, when it has one


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    query: str
    bars: BarChart | None = None
    columns: ColumnChart | None = None


@dataclass(frozen=True)
class Part:
    """A section of the report."""

    code: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # in English: the estimator's words
    codes: list[tuple[str, str]] = field(default_factory=list)  # a sentence, then a code


@dataclass(frozen=True)
class Method:
    title: str
    text: str
    terms: list[tuple[str, str]]
    tables: str  # the registry's tables the figures are counted from


#: The registry tables each indicator reads (src/rollcall/models), for the methods section.
SOURCE_TABLES = {
    "persons_by_status": "persons, events",
    "deaths_in_custody": "persons, events",
    "sites_by_access": "sites, visits, access_periods",
    "ill_treatment_methods": "testimonies, acts, persons, sealed witness links",
    "incidents": "incidents, incident_sources, testimonies, sources",
    "victims": "incidents, incident_sources, testimonies, sources",
    "exchanges": "exchanges, exchange_persons",
    "persons_exchanged": "exchange_persons, exchanges, persons",
    "undocumented_estimate": "persons, source_records, sources",
}


@dataclass(frozen=True)
class Source:
    """An entry of the appendix: a query and the figures it gave."""

    number: int
    id: str
    title: str
    filters: str
    command: str
    figures: list[str]


@dataclass(frozen=True)
class ReportView:
    language: str
    title: str
    period: str
    issued: str
    key_figures: list[tuple[str, Num, str]]
    parts: list[Part]
    methods: list[Method]
    method_notes: list[str]
    sources: list[Source]
    withheld_note: str
    refs: dict[str, int]


class Words:
    """Formats one report for one language."""

    def __init__(self, report: PeriodicReport, t: Translator) -> None:
        self.report, self.t, self.language = report, t, t.language
        self.labels = View(t)
        self.figures: dict[str, list[str]] = {}
        self.anchors: set[str] = set()

    # -- figures --------------------------------------------------------------------------

    def number(self, value: float | None) -> str:
        if value is None:
            return ""
        return format_decimal(round(value), locale=self.language)

    def percent(self, value: float | None) -> str:
        return "" if value is None else f"{100 * value:.0f}%"

    def _noted(self, query: str, cell: Cell) -> str:
        fid = figure_id(query, cell)
        listed = self.figures.setdefault(query, [])
        if fid not in listed:
            listed.append(fid)
            self.anchors.add(fid)
        return fid

    def _first(self, shown: Num) -> Num:
        """The figure with its anchor, if this is its first showing."""
        if shown.figure in self.anchors:
            self.anchors.discard(shown.figure)
            return replace(shown, anchor=True)
        return shown

    def count(self, query: str, cell: Cell) -> Num:
        return self._first(self._count(query, cell))

    def _count(self, query: str, cell: Cell) -> Num:
        fid = self._noted(query, cell)
        if cell.suppressed:
            return Num(MARK, fid, (("withheld", cell.suppressed.value),), True)
        return Num(self.number(cell.numerator), fid, (("numerator", str(cell.numerator)),))

    def part_of(self, query: str, cell: Cell, part: str) -> Num:
        """One number of a share's cell: numerator, denominator, value or interval."""
        return self._first(self._part_of(query, cell, part))

    def _part_of(self, query: str, cell: Cell, part: str) -> Num:
        fid = self._noted(query, cell)
        if part == "denominator":
            if cell.denominator is None:
                return Num(MARK if cell.suppressed else "", fid,
                           (("withheld", cell.suppressed.value),) if cell.suppressed else (),
                           bool(cell.suppressed))
            return Num(self.number(cell.denominator), fid,
                       (("denominator", str(cell.denominator)),))
        if cell.suppressed:
            return Num(MARK, fid, (("withheld", cell.suppressed.value),), True)
        if part == "numerator":
            return Num(self.number(cell.numerator), fid, (("numerator", str(cell.numerator)),))
        if part == "value":
            return Num(self.percent(cell.value) or "–", fid,
                       (("value", f"{cell.value:.6f}"),) if cell.value is not None else ())
        if cell.lower is None or cell.upper is None:
            return Num("–", fid)
        return Num(f"{self.percent(cell.lower)}–{self.percent(cell.upper)}", fid,
                   (("lower", f"{cell.lower:.6f}"), ("upper", f"{cell.upper:.6f}")))

    def code(self, code: str, kind: object = None) -> str:
        return self.labels.code(code, kind)

    # -- sections --------------------------------------------------------------------------

    def _one_way(self, item: Indicator, kind: object = None) -> tuple[Table, list[Row]]:
        t, q = self.t, item.code
        rows, bars = [], []
        for cell in item.cells:
            label = t.gettext("Total") if cell.key == (ALL,) else self.code(cell.key[0], kind)
            shown = self.count(q, cell)
            rows.append((label, [shown]))
            if cell.key != (ALL,):
                bars.append(Row(label, None if cell.suppressed else float(cell.numerator or 0),
                                shown.text))
        return Table(t.gettext(item.definition.title), [t.gettext("Count")], rows, q), bars

    def _part(self, item: Indicator, **more: object) -> Part:
        t = self.t
        notes = [t.gettext(note) for note in item.notes]
        notes += [t.gettext("Filter not applied: %(filter)s (%(why)s).",
                            filter=t.gettext(FILTER_LABELS[name]), why=t.gettext(why))
                  for name, why in item.not_applied.items()]
        return Part(code=item.code, title=t.gettext(item.definition.title), notes=notes,
                    **more)  # type: ignore[arg-type]

    def persons(self) -> Part:
        t, found = self.t, self.report.indicators["persons_by_status"]
        table, _ = self._one_way(found, CustodyStatus)
        series = self.report.series
        kind = series[0][0].kind if series else "month"
        names = [t.gettext(SERIES_TITLES[s]) for s in DATED]
        rows = []
        for interval, item in series:
            rows.append((self.interval(interval),
                         [self.count(query_id(item.code, interval), item.cell(s.value))
                          for s in DATED]))
        over_time = Table(t.gettext(OVER_TIME_CAPTIONS[kind]), names, rows,
                          query_id("persons_by_status", series[0][0]) if series else "",
                          corner=t.gettext(INTERVAL_KINDS[kind]))
        chart = column_chart(
            [self.interval(i, short=True) for i, _ in series],
            [(name, [None if item.cell(s.value).suppressed
                     else float(item.cell(s.value).numerator or 0) for _, item in series])
             for name, s in zip(names, DATED, strict=True)],
            number=self.number)
        return self._part(
            found,
            paragraphs=[t.gettext(
                "Each person counts in the interval of the date their present status follows "
                "from: the capture of those still held, the release, exchange or escape of "
                "those who left custody, the death of the dead. A date known only to the "
                "month or year counts in every interval it may fall in.")],
            charts=[Chart("persons-over-time", t.gettext("Persons by status over time"),
                          over_time.query, columns=chart)],
            tables=[table, over_time])

    def interval(self, interval: Interval, short: bool = False) -> str:
        if interval.kind == "year":
            return str(interval.start.year)
        if interval.kind == "quarter":
            quarter = (interval.start.month - 1) // 3 + 1
            return self.t.gettext("Q%(quarter)s %(year)s", quarter=quarter,
                                  year=interval.start.year)
        locale = _LOCALES[self.language]
        return babel_date(interval.start, "LLL yy" if short else "LLLL y", locale=locale)

    def deaths(self) -> Part:
        found = self.report.indicators["deaths_in_custody"]
        table, _ = self._one_way(found)
        return self._part(found, tables=[table])

    def sites(self) -> Part:
        t, found = self.t, self.report.indicators["sites_by_access"]
        table, bars = self._one_way(found)
        return self._part(found, tables=[table], charts=[
            Chart("sites-chart", t.gettext("Places of detention by monitor access"),
                  found.code, bars=bar_chart(bars))])

    def ill_treatment(self) -> Part:
        t, found = self.t, self.report.indicators["ill_treatment_methods"]
        q = found.code
        listed = [c for c in found.cells if c.key == (ALL,) or c.suppressed or c.numerator]
        listed.sort(key=lambda c: (c.key != (ALL,), -(c.numerator or 0)))
        rows, bars = [], []
        for c in listed:
            label = t.gettext("any method") if c.key == (ALL,) else self.code(c.key[0])
            parts = [self.part_of(q, c, p) for p in ("numerator", "denominator", "value",
                                                     "interval")]
            rows.append((label, parts))
            bars.append(Row(label, c.value, parts[2].text, c.lower, c.upper))
        table = Table(t.gettext(found.definition.title),
                      [t.gettext("Report it"), t.gettext("Witnesses"), t.gettext("Share"),
                       t.gettext("95% interval")], rows, q)
        return self._part(found, tables=[table], paragraphs=[t.gettext(
            "Methods nobody reported are left out. The whiskers show the 95% Wilson interval "
            "of each share.")], charts=[
            Chart("ill-treatment-chart",
                  t.gettext("Share of witnesses, with 95% interval"), q,
                  bars=bar_chart(bars, maximum=1.0))])

    def _two_way(self, item: Indicator, caption: str, rows_of: type, cols: list[str],
                 col_label: object, keep: object) -> Table:
        t, q = self.t, item.code
        lines = []
        for code in [m.value for m in rows_of] + [ALL]:  # type: ignore[attr-defined]
            cells = [item.cell(code, col) for col in cols]
            if code == ALL or keep(cells):  # type: ignore[operator]
                header = t.gettext("Total") if code == ALL else self.code(code, rows_of)
                lines.append((header, [self.count(q, c) for c in cells]))
        return Table(caption, [col_label(c) for c in cols], lines, q)  # type: ignore[operator]

    def incidents(self) -> Part:
        t = self.t
        incidents = self.report.indicators["incidents"]
        victims = self.report.indicators["victims"]
        cols = [s.value for s in IncidentStatus] + [ALL]

        def status(code: str) -> str:
            return (t.gettext("Total (not retracted)") if code == ALL
                    else t.gettext(label_msgid(IncidentStatus(code))))

        def shown(cells: list[Cell]) -> bool:
            return any(c.suppressed or c.numerator for c in cells)

        tables = [self._two_way(incidents, t.gettext("Incidents"), IncidentType, cols, status,
                                shown),
                  self._two_way(victims, t.gettext("Victims"), IncidentType, cols, status,
                                shown)]
        bars = []
        for kind in IncidentType:
            cell = incidents.cell(kind.value, ALL)
            if shown([cell]):
                bars.append(Row(self.code(kind.value, IncidentType),
                                None if cell.suppressed else float(cell.numerator or 0),
                                MARK if cell.suppressed else self.number(cell.numerator)))
        charts = [Chart("incidents-chart", t.gettext("Incidents by type (not retracted)"),
                        incidents.code, bars=bar_chart(bars))] if bars else []
        return self._part(incidents, tables=tables, charts=charts, paragraphs=[
            t.gettext(incidents.definition.method), t.gettext(victims.definition.method)])

    def exchanges(self) -> Part:
        t = self.t
        held = self.report.indicators["exchanges"]
        handed = self.report.indicators["persons_exchanged"]
        count, _ = self._one_way(held)
        cols = ["alive", "body", "unnamed_body", ALL]
        table = self._two_way(handed, t.gettext(handed.definition.title), ExchangeDirection,
                              cols, lambda c: t.gettext("Total") if c == ALL else self.code(c),
                              lambda cells: True)
        part = self._part(handed, tables=[count, table])
        return Part(code="exchanges", title=t.gettext("Exchanges and persons handed over"),
                    tables=part.tables, notes=part.notes)

    def estimates(self) -> Part:
        t = self.t
        item = self.report.estimate_figures
        paragraphs = [t.gettext(
            "How many persons no list documents, estimated from how the documented ones "
            "appear on the registry's lists. The estimate is made on the registry as it "
            "stands on the day of issue, not on the period alone.")]
        tables, charts, details, codes = [], [], [], []
        for found in self.report.estimates:
            title = t.gettext(POPULATION_TITLES[found.population])
            sentence, detail = self._estimate_words(found, item)
            paragraphs.append(f"{title}: {sentence}")
            details += detail
            e = found.estimate
            if e is not None and e.method == "loglinear" and not item.cell(
                    found.population, DOCUMENTED).suppressed:
                codes.append((t.gettext("%(population)s: the model chosen by %(criterion)s "
                                        "(its interactions between lists):",
                                        population=title,
                                        criterion=str(e.details["criterion"]).upper()),
                              str(e.details["chosen"]["model"])))
            documented = item.get(found.population, DOCUMENTED)
            estimated = item.get(found.population, ESTIMATED)
            undocumented = item.get(found.population, UNDOCUMENTED)
            rows = [(t.gettext("Documented on the lists"),
                     [self.count(item.code, documented)] if documented else [Num("")])]
            if estimated is not None:
                rows.append((t.gettext("Estimated total"), [self.count(item.code, estimated)]))
                rows.append((t.gettext("95% interval"), [self.interval_of(item.code,
                                                                          estimated)]))
            if undocumented is not None:
                rows.append((t.gettext("Estimated not documented"),
                             [self.count(item.code, undocumented)]))
            tables.append(Table(title, [t.gettext("Persons")], rows, item.code))
            if documented is not None and estimated is not None:
                charts.append(Chart(
                    f"estimate-{found.population}-chart",
                    t.gettext("%(population)s: documented and estimated, with 95%% interval",
                              population=title), item.code,
                    bars=bar_chart([
                        Row(t.gettext("Documented on the lists"),
                            None if documented.suppressed else float(documented.numerator or 0),
                            self.count(item.code, documented).text),
                        Row(t.gettext("Estimated total"),
                            None if estimated.suppressed else estimated.value,
                            self.count(item.code, estimated).text,
                            None if estimated.suppressed else estimated.lower,
                            None if estimated.suppressed or not math.isfinite(
                                estimated.upper or math.inf) else estimated.upper)])))
        return Part(code=item.code, title=t.gettext(item.definition.title),
                    paragraphs=paragraphs, tables=tables, charts=charts, details=details,
                    codes=codes)

    def interval_of(self, query: str, cell: Cell) -> Num:
        return self._first(self._interval_of(query, cell))

    def _interval_of(self, query: str, cell: Cell) -> Num:
        fid = self._noted(query, cell)
        if cell.suppressed or cell.lower is None or cell.upper is None:
            return Num(MARK if cell.suppressed else "–", fid, (), bool(cell.suppressed))
        upper = (self.t.gettext("unbounded") if not math.isfinite(cell.upper)
                 else self.number(cell.upper))
        return Num(f"{self.number(cell.lower)}–{upper}", fid,
                   (("lower", f"{cell.lower:.6f}"), ("upper", f"{cell.upper:.6f}")))

    def _estimate_words(self, found: PopulationEstimate, item: Indicator
                        ) -> tuple[str, list[str]]:
        """A sentence in the reader's language, and the estimator's own words (English)."""
        t = self.t
        lists = ", ".join(self._list_name(name) for name in found.lists) or "–"
        if found.estimate is None:
            if found.documented == 0:
                return t.gettext("nobody in the registry is on any list; nothing to "
                                 "estimate."), [found.refused or ""]
            reason = (t.gettext("these persons are on fewer than two lists (%(lists)s), and "
                                "one list cannot show whom it missed", lists=lists)
                      if len(found.lists) < 2
                      else t.gettext("the lists (%(lists)s) cannot support an estimate",
                                     lists=lists))
            return t.gettext("no estimate: %(reason)s.", reason=reason), [found.refused or ""]
        e = found.estimate
        if item.cell(found.population, DOCUMENTED).suppressed:
            return t.gettext("withheld for publication: the persons documented are fewer "
                             "than %(threshold)s.", threshold=self.report.threshold), []
        sentence = t.gettext(
            "estimated by %(method)s on %(k)s lists (%(lists)s), with a 95%% %(interval)s "
            "interval.", method=t.gettext(METHOD_NAMES.get(e.method, e.method)),
            k=len(e.lists), lists=lists,
            interval=t.gettext(INTERVAL_NAMES.get(e.interval, e.interval)))
        if e.warnings:
            sentence += " " + t.gettext("The estimator warns (in its words below):")
        return sentence, list(e.warnings)

    def _list_name(self, name: str) -> str:
        if name in OriginCode._value2member_map_:
            return self.t.gettext(label_msgid(OriginCode(name)))
        return name

    # -- methods and sources ------------------------------------------------------------

    def method(self, d: Definition) -> Method:
        """How the indicator is computed and which date the report's period reads (the
        report filters by nothing else)."""
        t = self.t
        terms = [(t.gettext("Date of the period"), t.gettext(d.period_date))]
        return Method(t.gettext(d.title), t.gettext(d.method), terms, SOURCE_TABLES[d.code])

    def describe(self, q: Query) -> str:
        f = self.t
        if q.filters.period_from is None:
            return f.gettext("the whole registry on the day of issue")
        return f.gettext("period %(start)s – %(end)s",
                         start=format_date(q.filters.period_from, self.language),
                         end=format_date(q.filters.period_to, self.language))

    def sources(self, refs: dict[str, int]) -> list[Source]:
        titles = {d.code: d.title for d in (*DEFINITIONS, UNDOCUMENTED_ESTIMATE)}
        found = []
        for q in self.report.queries:
            if q.id not in refs:
                continue
            found.append(Source(refs[q.id], q.id, self.t.gettext(titles[q.indicator]),
                                self.describe(q), q.command, self.figures.get(q.id, [])))
        return found


def report_view(report: PeriodicReport, t: Translator) -> ReportView:
    w = Words(report, t)
    found = report.indicators
    persons, deaths = found["persons_by_status"], found["deaths_in_custody"]
    sites, methods = found["sites_by_access"], found["ill_treatment_methods"]
    incidents, victims = found["incidents"], found["victims"]
    handed, held = found["persons_exchanged"], found["exchanges"]
    key: list[tuple[str, Num, str]] = [
        (t.gettext(KEY_TITLES[status]), w.count(persons.code, persons.cell(status.value)),
         persons.code) for status in DATED]
    key += [
        (t.gettext("of whom died in custody"), w.count(deaths.code, deaths.cell("in_custody")),
         deaths.code),
        (t.gettext("Places of detention never visited by a monitor"),
         w.count(sites.code, sites.cell("never_visited")), sites.code),
        (t.gettext("Released prisoners interviewed who report ill-treatment"),
         w.part_of(methods.code, methods.cell(ALL), "numerator"), methods.code),
        (t.gettext("Released prisoners interviewed"),
         w.part_of(methods.code, methods.cell(ALL), "denominator"), methods.code),
        (t.gettext("Incidents (not retracted)"), w.count(incidents.code,
                                                         incidents.cell(ALL, ALL)),
         incidents.code),
        (t.gettext("Victims of those incidents"), w.count(victims.code,
                                                          victims.cell(ALL, ALL)),
         victims.code),
        (t.gettext("Exchanges"), w.count(held.code, held.cell(ALL)), held.code),
        (t.gettext("Persons and bodies handed over"), w.count(handed.code,
                                                              handed.cell(ALL, ALL)),
         handed.code),
    ]
    estimate = report.estimate_figures
    for population in ("held", "dead"):
        cell = estimate.get(population, ESTIMATED)
        if cell is not None:
            key.append((t.gettext("%(population)s: estimated total, documented or not",
                                  population=t.gettext(POPULATION_TITLES[population])),
                        w.count(estimate.code, cell), estimate.code))
    parts = [w.persons(), w.deaths(), w.sites(), w.ill_treatment(), w.incidents(),
             w.exchanges(), w.estimates()]
    refs: dict[str, int] = {}
    for query in [q for _, _, q in key] + [
            item.query for part in parts for item in (*part.charts, *part.tables)]:
        if query and query not in refs:
            refs[query] = len(refs) + 1
    for q in report.queries:  # every query of the series, in order
        if q.id in w.figures and q.id not in refs:
            refs[q.id] = len(refs) + 1
    locale = _LOCALES[t.language]
    start = babel_date(report.period.start, "long", locale=locale)
    end = babel_date(report.period.end, "long", locale=locale)
    withheld = t.gettext(
        "%(mark)s withheld for publication: %(primary)s, or %(secondary)s.", mark=MARK,
        primary=t.gettext(WHY[Suppression.PRIMARY], threshold=report.threshold),
        secondary=t.gettext(WHY[Suppression.SECONDARY]))
    notes = [
        t.gettext("Shares of interviewed witnesses carry a 95% Wilson score interval: it stays "
                  "within 0-100% and keeps its coverage for small numbers and for shares near "
                  "0 or 100%, where the usual normal interval fails. The witnesses are those "
                  "who could be interviewed, not a random sample, which no interval can "
                  "correct."),
        t.gettext("Figures about people are withheld for publication when they are at least 1 "
                  "and fewer than %(threshold)s, and so is any figure from which a withheld one "
                  "could be worked out by subtraction from a total (the smallest other figure "
                  "of its table row or column, else the total). Zero is published: it points "
                  "at nobody. Counts of places and of exchanges are published whole.",
                  threshold=report.threshold),
        t.gettext("Over time, each status's figures of the intervals and of the whole period "
                  "are treated as one table: a figure is also withheld where a withheld one "
                  "could be worked out from the period's figure and the other intervals."),
        t.gettext("Persons are the registry's linked persons: records of several lists that "
                  "identity resolution found to be one person count once; a person merged into "
                  "another counts as the one they were merged into."),
        t.gettext("Each figure carries the number of the query it comes from; the appendix "
                  "lists each query with its filters, the command that computes the same "
                  "figures again, and the ids of its figures."),
    ]
    return ReportView(
        language=t.language,
        title=t.gettext("Periodic report on prisoners of war and detained civilians"),
        period=t.gettext("%(start)s – %(end)s", start=start, end=end),
        issued=babel_date(report.issued.date(), "long", locale=locale),
        key_figures=key, parts=parts,
        methods=[w.method(d) for d in (*DEFINITIONS, UNDOCUMENTED_ESTIMATE)],
        method_notes=notes, sources=w.sources(refs), withheld_note=withheld, refs=refs)


__all__ = ["Chart", "Num", "Part", "ReportView", "Source", "Table", "report_view"]
