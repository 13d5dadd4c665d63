"""RFC 9457 problem details: every API error is one of these, never an HTML page."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from flask import Response, jsonify
from werkzeug.exceptions import HTTPException

PROBLEM_TYPE = "application/problem+json"


def problem(status: int, detail: str = "", errors: list[dict[str, str]] | None = None,
            headers: dict[str, str] | None = None, **extra: Any) -> Response:
    """A problem details response: type, title, status, detail and, for bad input, field messages."""
    body: dict[str, Any] = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status,
                            "detail": detail or HTTPStatus(status).description}
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_TYPE
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def field_errors(messages: dict[str, Any]) -> list[dict[str, str]]:
    """webargs/marshmallow messages ({location: {field: [msg]}}) as a flat list of field messages."""
    found: list[dict[str, str]] = []

    def walk(location: str, path: list[str], value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(location, [*path, str(key)], inner)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            for message in value:
                found.append({"location": location, "field": ".".join(p for p in path if p != "_schema"),
                              "detail": message})
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                walk(location, [*path, str(index)], inner)
        else:
            found.append({"location": location, "field": ".".join(path), "detail": str(value)})

    for location, fields in messages.items():
        walk(str(location), [], fields)
    return found


def from_http_error(error: HTTPException) -> Response:
    """Any HTTP error raised while serving the API, as problem details."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = field_errors(data["messages"]) if "messages" in data else None
    detail = "The request has invalid fields; see errors." if errors else (error.description or "")
    headers = {"WWW-Authenticate": 'Bearer realm="suara"'} if status == 401 else {}
    if status == 429:
        detail = "Too many requests for this token; slow down and retry later."
    if status == 500:
        detail = "Something went wrong on the server; nothing was saved."
    response = problem(status, detail, errors, headers)
    for name, value in (error.get_headers() if status in (405, 429) else []):
        if name.lower() in {"allow", "retry-after"}:
            response.headers[name] = value
    return response
