"""`/docs`: the API described as a plain page built from the OpenAPI document.

FastAPI's Swagger UI loads its scripts from a CDN; Rollcall pages load nothing from
outside (a content security policy forbids it), so this page renders the same paths,
methods, parameters and access rules as HTML, with a link to /openapi.json."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from rollcall.web.access import public, route_rules
from rollcall.web.render import render

router = APIRouter()

_METHODS = ("get", "post", "put", "patch", "delete")


def _type_of(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type_of(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list[{_type_of(schema.get('items', {}))}]"
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    return str(schema.get("type", "any"))


def operations(spec: dict[str, Any], rules: dict[tuple[str, str], str]) -> list[dict[str, Any]]:
    found = []
    for path, item in sorted(spec.get("paths", {}).items()):
        for method in _METHODS:
            op = item.get(method)
            if op is None:
                continue
            ok = op.get("responses", {}).get("200", {})
            schema = ok.get("content", {}).get("application/json", {}).get("schema")
            found.append({
                "method": method.upper(),
                "path": path,
                "anchor": re.sub(r"[^a-z0-9]+", "-", f"{method} {path}".lower()).strip("-"),
                "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "rule": rules.get((method.upper(), path), "?"),
                "parameters": [
                    {"name": p["name"], "location": p.get("in", ""),
                     "type": _type_of(p.get("schema", {})), "required": p.get("required", False)}
                    for p in op.get("parameters", [])
                ],
                "response": _type_of(schema) if schema else "",
            })
    return found


@router.get("/docs")
def docs_page(request: Request, _: Annotated[None, Depends(public)]) -> Response:
    app = request.app
    rules = {}
    for methods, path, rule in route_rules(app):
        for method in methods.split(","):
            rules[(method, path)] = rule
    spec = app.openapi()
    return render(request, "docs.html", {"spec": spec, "operations": operations(spec, rules)})
