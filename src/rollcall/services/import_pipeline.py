"""Running the preparation of an import in a second process.

Parsing and validating rows costs about as much as writing them, and the machine has
more than one core: a worker process reads and prepares batch N+1 while the importing
process writes batch N. Small files are prepared in-process (starting a worker costs more
than it saves).

Failure handling: an exception in the worker is sent back and raised in the importing
process (an ImportFileError keeps its file, row and field; anything else carries the
worker's traceback). If the importing process dies, the worker notices its parent is gone
and exits instead of waiting forever.
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queue_module
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rollcall.errors import ImportFileError
from rollcall.services.import_rows import ImportPlan, PreparedBatch, prepare_batches

_POLL_SECONDS = 1.0


@dataclass(frozen=True)
class _Failure:
    """An exception from the worker, in a form that survives pickling."""

    file_error: dict[str, Any] | None
    text: str

    @classmethod
    def of(cls, exc: BaseException) -> _Failure:
        if isinstance(exc, ImportFileError):
            return cls({"message": exc.reason, "file": exc.file, "row": exc.row,
                        "field": exc.field}, str(exc))
        return cls(None, "".join(traceback.format_exception(exc)))

    def exception(self) -> Exception:
        if self.file_error is not None:
            message = self.file_error.pop("message")
            return ImportFileError(message, **self.file_error)
        return RuntimeError(f"the import worker failed:\n{self.text}")


def _can_spawn() -> bool:
    """A spawned worker re-imports the main module by its path: a main read from standard
    input or typed into a console has none, so preparation stays in-process there."""
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    return main_file is not None and Path(main_file).is_file()


def batches(plan: ImportPlan, *, in_worker: bool) -> Iterator[PreparedBatch]:
    if not (in_worker and _can_spawn()):
        yield from prepare_batches(plan)
        return
    context = multiprocessing.get_context("spawn")
    channel: Any = context.Queue(maxsize=2)
    worker = context.Process(target=_work, args=(plan, channel, os.getpid()), daemon=True)
    worker.start()
    try:
        while True:
            try:
                item = channel.get(timeout=_POLL_SECONDS)
            except queue_module.Empty:
                if not worker.is_alive():
                    raise RuntimeError(
                        f"the import worker stopped unexpectedly (exit code {worker.exitcode})"
                    ) from None
                continue
            if item is None:
                return
            if isinstance(item, _Failure):
                raise item.exception()
            yield item
    finally:
        if worker.is_alive():
            worker.terminate()
        worker.join()
        channel.close()


def _work(plan: ImportPlan, channel: Any, parent: int) -> None:
    try:
        for batch in prepare_batches(plan):
            _send(channel, batch, parent)
        _send(channel, None, parent)
    except BaseException as exc:  # sent to the parent, which raises it
        _send(channel, _Failure.of(exc), parent)


def _send(channel: Any, item: object, parent: int) -> None:
    while True:
        try:
            channel.put(item, timeout=_POLL_SECONDS)
            return
        except queue_module.Full:
            if os.getppid() != parent:
                os._exit(1)
