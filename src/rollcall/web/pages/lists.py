"""The registrar's list upload: a CSV or XLSX sent from the browser goes through the same
import as `rollcall import` (`services.imports.import_list`: same validation, report and
change entries), and the answer is the new source's page with its import report.

The multipart body is spooled to disk by the form parser and copied in chunks to a
private temporary folder, so a large list is never held in memory; the folder is removed
when the import has finished, whatever its outcome.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path, PurePath
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from rollcall.api.exchanges import MAX_UPLOAD_BYTES, save_upload
from rollcall.errors import RollcallError
from rollcall.security.permissions import Permission
from rollcall.services.actor import Actor
from rollcall.services.imports import import_list
from rollcall.vocabulary import Origin
from rollcall.web.access import DbDep, requires
from rollcall.web.i18n import N_
from rollcall.web.params import optional_date
from rollcall.web.render import render

router = APIRouter()

Importer = Annotated[Actor, Depends(requires(Permission.SOURCES_IMPORT))]
Field = Annotated[str, Form(max_length=300)]
#: The fields the form requires, as the page names them when one is missing.
REQUIRED = {"file": N_("List file (CSV or XLSX)"), "title": N_("Title of the source")}


def _form(request: Request, values: dict[str, str], problem: str | None = None,
          missing: tuple[str, ...] = (), status: int = 200) -> Response:
    return render(request, "source_upload.html", {
        "section": "sources", "values": values, "problem": problem, "missing": missing,
        "Origin": Origin, "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024), "required": REQUIRED,
    }, status=status)


@router.get("/sources/new")
def upload_form(request: Request, actor: Importer) -> Response:
    return _form(request, {"origin": Origin.OWN_BUREAU.value})


def _file_name(upload: UploadFile | None) -> str:
    """The name the browser sent, without any folder part (never trusted as a path)."""
    raw = (upload.filename or "") if upload is not None else ""
    return PurePath(raw.replace("\\", "/")).name[:300]


@router.post("/sources/new")
def upload_list(
    request: Request, db: DbDep, actor: Importer,
    file: Annotated[UploadFile | None, File()] = None,
    mapping: Annotated[UploadFile | None, File()] = None,
    title: Field = "", origin: Field = "", received: Field = "",
) -> Response:
    values = {"title": title, "origin": origin, "received": received}
    name = _file_name(file)
    missing = tuple(key for key, present in (("file", bool(name)), ("title", title.strip()))
                    if not present)
    if missing:
        return _form(request, values, missing=missing, status=400)
    folder = Path(tempfile.mkdtemp(prefix="rollcall-upload-"))
    try:
        assert file is not None
        (folder / "mapping").mkdir()
        path = save_upload(file, folder)
        mapping_path = None
        if mapping is not None and _file_name(mapping):
            mapping_path = save_upload(mapping, folder / "mapping")
        report = import_list(db, actor, path, title=title, origin=origin,
                             mapping_path=mapping_path,
                             received=optional_date(received, "received"),
                             display_name=name)
    except RollcallError as exc:
        if exc.status >= 500:
            raise
        return _form(request, values, problem=exc.message, status=exc.status)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    again = "?again=1" if report.already_imported else ""
    return RedirectResponse(f"/sources/{report.source_id}{again}#report", status_code=303)

