"""The corroboration rule: when an incident may move from `reported` to `credible`.

The rule is written, set by the mission (setting `corroboration_rule`) and stored with
every status change it allowed, so a later reader knows which rule moved an incident. It
is parsed, never evaluated as Python. Grammar:

    rule        := conjunction ("or" conjunction)*
    conjunction := term ("and" term)*
    term        := "(" rule ")" | NAME OP INTEGER
    OP          := ">=" | ">" | "==" | "<=" | "<"
    NAME        := sources | independent_sources | testimonies | documents | media | other

The figures count an incident's sources that are not withdrawn. Two sources are
*independent* when their origins differ; the origin of a source is, in this order:

1. the origin of the source it `repeats` (a media report quoting a witness we heard);
2. for a testimony, its witness (a person merged since counts once); a testimony with no
   witness linked in the registry is its own origin;
3. the `origin` given (publisher, author, issuing body), compared without case and with
   runs of spaces as one;
4. the registry source it cites;
5. otherwise the source itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rollcall.errors import RollcallError
from rollcall.models import IncidentSource, Person
from rollcall.services.witnesses import witness_links
from rollcall.vocabulary import IncidentSourceKind

NAMES = ("sources", "independent_sources", "testimonies", "documents", "media", "other")
OPERATORS = {
    ">=": lambda a, b: a >= b, ">": lambda a, b: a > b, "==": lambda a, b: a == b,
    "<=": lambda a, b: a <= b, "<": lambda a, b: a < b,
}
_TOKEN = re.compile(r"\s*(?:(?P<num>\d+)|(?P<op>>=|<=|==|>|<)|(?P<paren>[()])"
                    r"|(?P<word>[A-Za-z_]+))")
MAX_RULE_CHARS = 1000


class CorroborationRuleError(RollcallError):
    """The configured rule cannot be read: the operator must fix the setting."""

    title = "Corroboration rule misset"


@dataclass(frozen=True)
class Figures:
    """What the rule is tested on: an incident's sources not withdrawn."""

    sources: int = 0
    independent_sources: int = 0
    testimonies: int = 0
    documents: int = 0
    media: int = 0
    other: int = 0

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in NAMES}


@dataclass(frozen=True)
class Comparison:
    name: str
    op: str
    value: int

    def holds(self, figures: Figures) -> bool:
        return bool(OPERATORS[self.op](getattr(figures, self.name), self.value))

    def text(self, figures: Figures | None) -> str:
        base = f"{self.name} {self.op} {self.value}"
        return base if figures is None else f"{base} (have {getattr(figures, self.name)})"


@dataclass(frozen=True)
class Combination:
    joiner: str  # "and" | "or"
    parts: tuple[Node, ...]

    def holds(self, figures: Figures) -> bool:
        results = (part.holds(figures) for part in self.parts)
        return all(results) if self.joiner == "and" else any(results)

    def text(self, figures: Figures | None) -> str:
        shown = []
        for part in self.parts:
            inner = part.text(figures)
            nested = isinstance(part, Combination) and part.joiner != self.joiner
            shown.append(f"({inner})" if nested else inner)
        return f" {self.joiner} ".join(shown)


Node = Comparison | Combination


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = self._tokenize(text)
        self.at = 0

    @staticmethod
    def _tokenize(text: str) -> list[tuple[str, str]]:
        tokens: list[tuple[str, str]] = []
        position = 0
        while position < len(text):
            if text[position:].strip() == "":
                break
            match = _TOKEN.match(text, position)
            if match is None or match.end() == position:
                raise CorroborationRuleError(
                    f"corroboration rule: unexpected character at position {position + 1}")
            kind = match.lastgroup
            assert kind is not None
            tokens.append((kind, match.group(kind)))
            position = match.end()
        return tokens

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        token = self._peek()
        if token is None:
            raise CorroborationRuleError("corroboration rule: ends too early")
        self.at += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise CorroborationRuleError("corroboration rule: empty")
        node = self._any()
        extra = self._peek()
        if extra is not None:
            raise CorroborationRuleError(f"corroboration rule: unexpected {extra[1]!r}")
        return node

    def _joined(self, joiner: str, part: Any) -> Node:
        parts = [part()]
        while self._peek() == ("word", joiner):
            self.at += 1
            parts.append(part())
        return parts[0] if len(parts) == 1 else Combination(joiner, tuple(parts))

    def _any(self) -> Node:
        return self._joined("or", self._all)

    def _all(self) -> Node:
        return self._joined("and", self._term)

    def _term(self) -> Node:
        kind, value = self._take()
        if (kind, value) == ("paren", "("):
            node = self._any()
            if self._peek() != ("paren", ")"):
                raise CorroborationRuleError("corroboration rule: a '(' is not closed")
            self.at += 1
            return node
        if kind != "word" or value not in NAMES:
            raise CorroborationRuleError(
                f"corroboration rule: unknown figure {value!r}; expected one of "
                + ", ".join(NAMES))
        op_kind, op = self._take()
        if op_kind != "op":
            raise CorroborationRuleError(
                f"corroboration rule: {value} needs a comparison (>=, >, ==, <=, <)")
        num_kind, number = self._take()
        if num_kind != "num":
            raise CorroborationRuleError(f"corroboration rule: {value} {op} needs a number")
        return Comparison(value, op, int(number))


@dataclass(frozen=True)
class Rule:
    """A parsed corroboration rule; `text` is what the status history stores."""

    text: str
    root: Node

    @classmethod
    def parse(cls, text: str) -> Rule:
        if len(text) > MAX_RULE_CHARS:
            raise CorroborationRuleError(
                f"corroboration rule: longer than {MAX_RULE_CHARS} characters")
        return cls(" ".join(text.split()), _Parser(text).parse())

    def met(self, figures: Figures) -> bool:
        return self.root.holds(figures)

    def explain(self, figures: Figures | None = None) -> str:
        """The rule in its normal form, each comparison with the figure it saw."""
        return self.root.text(figures)


@dataclass(frozen=True)
class Assessment:
    """An incident's sources against a rule. `groups` numbers the origins (1, 2, ...) by
    their first source, so readers see which sources are independent of which without
    learning who the witness is; withdrawn sources have no group."""

    rule: Rule
    figures: Figures
    met: bool
    groups: dict[int, int]

    def missing(self) -> str:
        return f"the corroboration rule is not met: {self.rule.explain(self.figures)}"


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _witnesses(session: Session, testimony_ids: Iterable[int]) -> dict[int, int | None]:
    """Testimony id -> its witness as the registry knows them today (merges flattened;
    None when not linked). The sealed links are opened here for grouping only
    (`services.witnesses`): they never leave this module, which shows group numbers."""
    links = witness_links(session, testimony_ids)
    if not links:
        return {}
    survivors = dict(session.execute(
        select(Person.id, func.coalesce(Person.merged_into_id, Person.id))
        .where(Person.id.in_(sorted(set(links.values()))))).all())
    return {testimony: survivors.get(person) for testimony, person in links.items()}


def origins(session: Session, sources: Sequence[IncidentSource]) -> dict[int, str]:
    """Incident source id -> its origin key (see the module docstring). `sources` are all
    the sources of one incident, withdrawn ones included (a source may repeat one)."""
    witness = _witnesses(session, (s.testimony_id for s in sources if s.testimony_id))
    keys: dict[int, str] = {}
    for item in sorted(sources, key=lambda s: s.id):
        if item.repeats_id is not None and item.repeats_id in keys:
            keys[item.id] = keys[item.repeats_id]
        elif item.testimony_id is not None:
            person = witness.get(item.testimony_id)
            keys[item.id] = (f"witness:{person}" if person is not None
                             else f"testimony:{item.testimony_id}")
        elif item.origin and item.origin.strip():
            keys[item.id] = f"origin:{_fold(item.origin)}"
        elif item.source_id is not None:
            keys[item.id] = f"source:{item.source_id}"
        else:
            keys[item.id] = f"item:{item.id}"
    return keys


def assess(session: Session, sources: Sequence[IncidentSource], rule: Rule) -> Assessment:
    """Count an incident's standing sources and test the rule on them."""
    keys = origins(session, sources)
    standing = sorted((s for s in sources if s.withdrawn_at is None), key=lambda s: s.id)
    groups: dict[str, int] = {}
    for item in standing:
        groups.setdefault(keys[item.id], len(groups) + 1)
    kinds = [s.kind for s in standing]
    figures = Figures(
        sources=len(standing), independent_sources=len(groups),
        testimonies=kinds.count(IncidentSourceKind.TESTIMONY),
        documents=kinds.count(IncidentSourceKind.DOCUMENT),
        media=kinds.count(IncidentSourceKind.MEDIA),
        other=kinds.count(IncidentSourceKind.OTHER),
    )
    return Assessment(rule=rule, figures=figures, met=rule.met(figures),
                      groups={s.id: groups[keys[s.id]] for s in standing})


__all__ = ["Assessment", "CorroborationRuleError", "Figures", "Rule", "assess", "origins"]
