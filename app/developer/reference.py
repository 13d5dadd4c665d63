"""The API reference page's content, read from the OpenAPI document (so the two never disagree)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Param:
    name: str
    where: str
    required: bool
    type: str
    description: str


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    params: list[Param]
    body: str | None
    success: list[tuple[str, str]]


@dataclass
class SchemaDoc:
    name: str
    description: str
    properties: list[Param] = field(default_factory=list)


def _ref_name(schema: dict[str, Any]) -> str:
    return schema.get("$ref", "").rsplit("/", 1)[-1]


def type_of(schema: dict[str, Any]) -> str:
    """A schema in a few words: a named schema, an array of…, an enum's values, or the type."""
    if "$ref" in schema:
        return _ref_name(schema)
    if schema.get("type") == "array" or schema.get("type") == ["array"]:
        return f"array of {type_of(schema.get('items', {}))}"
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"] if v is not None)
    kind = schema.get("type", "any")
    kind = " or ".join(kind) if isinstance(kind, list) else kind
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def _params(operation: dict[str, Any]) -> list[Param]:
    return [Param(p["name"], p["in"], p.get("required", False), type_of(p.get("schema", {})),
                  p.get("description", "")) for p in operation.get("parameters", [])]


def _body(operation: dict[str, Any]) -> str | None:
    content = operation.get("requestBody", {}).get("content", {})
    return type_of(next(iter(content.values()))["schema"]) if content else None


def _success(operation: dict[str, Any]) -> list[tuple[str, str]]:
    found = []
    for code, response in operation.get("responses", {}).items():
        if code.startswith("2"):
            content = response.get("content", {})
            found.append((code, type_of(next(iter(content.values()))["schema"]) if content else ""))
    return found


def reference_from(spec: dict[str, Any]) -> dict[str, Any]:
    """Operations grouped by tag, and every named schema with its properties."""
    groups: dict[str, list[Operation]] = {}
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            tag = (operation.get("tags") or ["other"])[0]
            groups.setdefault(tag, []).append(Operation(
                method.upper(), path, operation.get("summary", ""), operation.get("description", ""),
                _params(operation) + _params(item), _body(operation), _success(operation)))
    schemas = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        schemas.append(SchemaDoc(name, schema.get("description", ""), [
            Param(prop, "", prop in required, type_of(value), value.get("description", ""))
            for prop, value in schema.get("properties", {}).items()]))
    return {"info": spec.get("info", {}), "openapi": spec.get("openapi", ""), "groups": groups, "schemas": schemas}
