"""Describe JSON routes next to their code and assemble the OpenAPI 3 document from them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask
from pydantic import BaseModel

F = TypeVar("F", bound=Callable[..., Any])

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string"},
        "message": {"type": "string"},
        "fields": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


@dataclass(frozen=True)
class Param:
    """A path or query parameter."""

    name: str
    location: str = "query"  # "query" or "path"
    schema: dict[str, Any] = field(default_factory=lambda: {"type": "string"})
    required: bool = False
    description: str = ""


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says about one view."""

    summary: str
    tag: str
    body: type[BaseModel] | None = None
    body_content: str = "application/json"
    response: type[BaseModel] | None = None
    response_list: bool = False
    response_schema: dict[str, Any] | None = None
    response_content: str = "application/json"
    status: int = 200
    params: tuple[Param, ...] = ()
    errors: tuple[int, ...] = ()


def api_doc(operation: Operation) -> Callable[[F], F]:
    """Attach an OpenAPI description to a view function."""

    def decorate(view: F) -> F:
        view.openapi = operation  # type: ignore[attr-defined]
        return view

    return decorate


def documented(path: str) -> bool:
    """Return True for URL paths that belong in the OpenAPI document."""
    return path.startswith("/api/") or path == "/healthz"


def _schema_ref(model: type[BaseModel], components: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, sub in schema.pop("$defs", {}).items():
        components[name] = sub
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _openapi_path(rule: str) -> str:
    # Flask's "<int:id>" becomes OpenAPI's "{id}".
    out, i = [], 0
    while i < len(rule):
        if rule[i] == "<":
            j = rule.index(">", i)
            out.append("{" + rule[i + 1 : j].split(":")[-1] + "}")
            i = j + 1
        else:
            out.append(rule[i])
            i += 1
    return "".join(out)


def build_openapi(app: Flask) -> dict[str, Any]:
    """Assemble the OpenAPI 3.1 document (pydantic emits JSON Schema 2020-12) from every documented route of the app."""
    components: dict[str, Any] = {"Error": ERROR_SCHEMA}
    paths: dict[str, Any] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not documented(rule.rule):
            continue
        view = app.view_functions[rule.endpoint]
        op: Operation | None = getattr(view, "openapi", None)
        if op is None:
            raise LookupError(f"route {rule.rule} has no OpenAPI description")
        allowed = sorted(getattr(view, "allowed_roles", ()))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            entry: dict[str, Any] = {
                "summary": op.summary,
                "tags": [op.tag],
                "operationId": f"{rule.endpoint}.{method.lower()}",
                "x-roles": allowed,
                "parameters": [],
                "responses": {},
            }
            if "public" not in allowed:
                entry["security"] = [{"bearerAuth": []}, {"cookieAuth": []}]
            for arg in sorted(rule.arguments):
                conv = rule._converters[arg]  # noqa: SLF001 - werkzeug exposes no public accessor
                kind = type(conv).__name__
                path_schema: dict[str, Any] = {"type": "integer" if kind == "IntegerConverter" else "string"}
                if kind == "AnyConverter":
                    path_schema["enum"] = sorted(conv.items)  # type: ignore[attr-defined]
                entry["parameters"].append({"name": arg, "in": "path", "required": True, "schema": path_schema})
            for p in op.params:
                if p.location == "path":
                    continue
                entry["parameters"].append(
                    {
                        "name": p.name,
                        "in": p.location,
                        "required": p.required,
                        "schema": p.schema,
                        "description": p.description,
                    }
                )
            if op.body is not None:
                if op.body_content == "application/json":
                    content_schema = _schema_ref(op.body, components)
                else:
                    content_schema = op.body.model_json_schema()
                entry["requestBody"] = {"required": True, "content": {op.body_content: {"schema": content_schema}}}
            if op.response is not None:
                ref = _schema_ref(op.response, components)
                schema = {"type": "array", "items": ref} if op.response_list else ref
            else:
                schema = op.response_schema or {"type": "object"}
            entry["responses"][str(op.status)] = {
                "description": "success",
                "content": {op.response_content: {"schema": schema}},
            }
            codes = set(op.errors)
            if "public" not in allowed:
                codes |= {401, 403}
            if rule.arguments:
                codes.add(404)  # an unknown code or id in the path
            if method != "GET":
                codes.add(400)  # malformed body, or a signed-in browser session without its CSRF token
            if op.body is not None or op.params:
                codes.add(422)
            for code in sorted(codes):
                entry["responses"][str(code)] = {
                    "description": "error",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
            paths.setdefault(_openapi_path(rule.rule), {})[method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "supervise",
            "version": "1",
            "description": "双随机、一公开 draws, credit lists and accountability reports.",
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }
