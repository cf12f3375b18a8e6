"""Tracing: finding a person in the registry from what a relative or a colleague knows, in
any script and spelling (DESIGN.md sections 1 and 4).

Public API:

- `trace(session, actor, text, limit=10)` - ranked candidate persons for a free-text query,
  each with why it matched (`TraceResult`, `Candidate`, `Reason`).
- `trace_query(session, query, limit=10)` - the same for a parsed query (`parse_query`).
- `refresh_index(session, source_id=None)` - file records not yet in the name-key index;
  imports call it for their source. `reindex_records(session, ids)` after a correction;
  `rebuild_index(session)` after the name keys changed. The index is derived data: no
  change entries.
"""

from rollcall.tracing.index import rebuild_index, refresh_index, reindex_records
from rollcall.tracing.query import TraceQuery, parse_query
from rollcall.tracing.rank import Reason
from rollcall.tracing.search import Candidate, TraceResult, trace, trace_query

__all__ = [
    "Candidate",
    "Reason",
    "TraceQuery",
    "TraceResult",
    "parse_query",
    "rebuild_index",
    "refresh_index",
    "reindex_records",
    "trace",
    "trace_query",
]
