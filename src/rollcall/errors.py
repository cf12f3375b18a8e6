"""One error hierarchy for every door (CLI, API, pages).

    RollcallError                  500  something the operator must look at
    ├── InputError                 400  the user's input is wrong; the message says how
    │   ├── ImportFileError        400  a list cannot be read at all (names file, row, field)
    │   ├── InvalidValue           422  a value a service refuses
    │   └── EstimateRefused        422  the data cannot support the estimate asked for
    ├── AuthenticationRequired     401
    ├── PermissionDenied           403
    ├── NotFound                   404
    ├── Conflict                   409  the write contradicts what is stored
    ├── DatabaseSchemaError        500  the database is newer than this code, or broken
    ├── LedgerError                500  the transparency log refuses: it was altered or misset
    └── LinkageError               500  record linkage cannot run (e.g. nothing to train on)

Each carries an HTTP status and a short title, so the API answers problem+json and the
pages a template from one handler, and the CLI prints one clean line. Messages name files,
rows and fields but never a person's data: they end up in logs.
"""

from __future__ import annotations


class RollcallError(Exception):
    status: int = 500
    title: str = "Internal error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(RollcallError):
    status = 400
    title = "Bad input"


class ImportFileError(InputError):
    """A list that cannot be imported at all. Carries where the problem is."""

    title = "List cannot be imported"

    def __init__(
        self,
        message: str,
        *,
        file: str,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        where = file
        if row is not None:
            where += f", row {row}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")
        self.file = file
        self.row = row
        self.field = field
        self.reason = message


class InvalidValue(InputError):
    status = 422
    title = "Invalid value"


class EstimateRefused(InputError):
    """The data cannot support a population estimate (too few lists, no overlap between
    two lists, an estimate the likelihood leaves infinite). The message says which and
    why; a doubt that still allows an estimate travels with it as a warning instead."""

    status = 422
    title = "Cannot estimate"


class AuthenticationRequired(RollcallError):
    status = 401
    title = "Login required"


class PermissionDenied(RollcallError):
    status = 403
    title = "Not allowed"


class NotFound(RollcallError):
    status = 404
    title = "Not found"


class Conflict(RollcallError):
    status = 409
    title = "Conflict"


class DatabaseSchemaError(RollcallError):
    title = "Database schema mismatch"


class LedgerError(RollcallError):
    title = "Transparency log error"


class LinkageError(RollcallError):
    title = "Record linkage failed"
