"""The API reference page is drawn from the live OpenAPI document and needs no outside asset."""

from __future__ import annotations

from app.domain.enums import Role


def test_reference_lists_every_operation_and_schema(auth, client):
    auth.login(Role.ENVOY, states=["KHM"])
    html = client.get("/api-reference").get_data(as_text=True)
    document = client.get("/api/v1/openapi.json").json
    for path, item in document["paths"].items():
        for method in ("get", "post"):
            if method in item:
                assert f"{method.upper()}</span> <code>{path}</code>" in html
    assert 'id="schema-OutreachIn"' in html and "expected_version" in html
    assert "cdn" not in html.lower() and "<script src=\"http" not in html
