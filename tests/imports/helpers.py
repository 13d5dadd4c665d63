"""Building upload files and walking the import pages as a user would."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.conftest import AuthActions, csrf_token

KEY_RE = re.compile(r"/import/([A-Za-z0-9_-]{20,})$")


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(auth: AuthActions, kind: str, data: bytes, filename: str, query: str = ""):
    """POST the upload form; returns the response (a redirect to the preview when the file was read)."""
    # Encoded in memory: the test client would spool a large body to a temporary file it never closes.
    boundary, body = encode_multipart({"csrf_token": csrf_token(auth.client, "/import"), "kind": kind,
                                       "file": FileStorage(io.BytesIO(data), filename)})
    return auth.client.post(f"/import{query}", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def preview_key(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    match = KEY_RE.search(response.headers["Location"].split("?")[0])
    assert match, response.headers["Location"]
    return match.group(1)


def confirm(auth: AuthActions, key: str):
    """Press the confirm button of the preview page (its fingerprint included)."""
    page = auth.client.get(f"/import/{key}").get_data(as_text=True)
    match = re.search(r'name="fingerprint" type="hidden" value="([^"]+)"', page)
    assert match, "no confirm button on the preview"
    return auth.post(f"/import/{key}/confirm", {"fingerprint": match.group(1)}, page=f"/import/{key}")
