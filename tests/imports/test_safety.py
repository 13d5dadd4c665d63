"""Uploads are parsed safely: size and row limits, no formulas evaluated, no macros, only CSV and XLSX."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import sqlalchemy as sa

from app.domain.enums import Role
from app.extensions import db
from app.models import ImportBatch
from app.services.import_files import MAX_ROWS
from tests.imports.helpers import confirm, csv_bytes, preview_key, upload, xlsx_bytes


def _refusal(auth, data: bytes, filename: str, kind: str = "contacts") -> str:
    response = upload(auth, kind, data, filename)
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportBatch)) == 0
    return response.get_data(as_text=True)


def test_a_formula_is_never_evaluated(auth):
    auth.login(Role.STAFF)
    page = _refusal(auth, xlsx_bytes([["State", "Name"], ["KHM", "=1+1"]]), "f.xlsx")
    assert "Cell B2 holds a formula (=1+1). Formulas are not evaluated" in page


def test_formula_text_in_a_csv_is_kept_as_text_and_neutralised_in_the_report(auth):
    auth.login(Role.STAFF)
    key = preview_key(upload(auth, "contacts", csv_bytes([["State", "Name"], ["KHM", "=1+1"]]), "f.csv"))
    confirm(auth, key)
    from app.models import Contact

    assert db.session.scalar(sa.select(Contact.name)) == "=1+1"
    report = auth.client.get(f"/import/{key}/report.csv").get_data(as_text=True)
    assert "Cambodia: new contact =1+1" in report  # not at a cell's start, so harmless
    assert "\n'=" not in report and ",=" not in report


def test_oversized_files_are_refused_with_a_message(auth):
    auth.login(Role.STAFF)
    big = b"State,Name\r\n" + b"KHM," + b"x" * (2 * 1024 * 1024) + b"\r\n"
    assert "the limit is 2 MB" in _refusal(auth, big, "big.csv")


def test_too_many_rows_are_refused(auth):
    auth.login(Role.STAFF)
    rows = [["State", "Name"]] + [["KHM", f"Person {i}"] for i in range(MAX_ROWS + 1)]
    assert "The file has more than 5,000 rows" in _refusal(auth, csv_bytes(rows), "many.csv")


def test_macros_and_other_types_are_refused(auth):
    auth.login(Role.STAFF)
    assert "Workbooks with macros" in _refusal(auth, xlsx_bytes([["State"], ["KHM"]]), "m.xlsm")
    workbook = io.BytesIO(xlsx_bytes([["State", "Name"], ["KHM", "A"]]))
    with zipfile.ZipFile(workbook, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 10)
    assert "Workbooks with macros are refused" in _refusal(auth, workbook.getvalue(), "renamed.xlsx")
    assert "Upload a CSV (.csv) or an Excel workbook (.xlsx)" in _refusal(auth, b"%PDF-1.4", "a.pdf")
    assert "The file is not an Excel workbook" in _refusal(auth, b"State,Name\nKHM,A\n", "a.xlsx")
    assert "not UTF-8 text" in _refusal(auth, "State,Name\nKHM,Sé\n".encode("utf-16"), "a.csv")
    assert "Old Excel files (.xls)" in _refusal(auth, b"\xd0\xcf\x11\xe0", "a.xls")


def test_a_file_is_accepted_only_in_the_upload_field(auth):
    auth.login(Role.STAFF)
    response = auth.post(
        "/import",
        {"kind": (io.BytesIO(b"x"), "a.csv"), "file": (io.BytesIO(b"State\nKHM\n"), "a.csv")},
        page="/import",
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    response = auth.post("/states/KHM/contacts/new", {"name": (io.BytesIO(b"x"), "a.csv")},
                         page="/states/KHM/contacts/new", content_type="multipart/form-data")
    assert response.status_code == 400


def test_envoys_and_leadership_cannot_import_and_only_editors_see_the_link(auth):
    auth.login(Role.ENVOY, states=["KHM"])
    assert auth.client.get("/import").status_code == 403
    assert 'href="/import"' not in auth.client.get("/states/").get_data(as_text=True)
    auth.logout()
    auth.login(Role.STAFF)
    assert 'href="/import"' in auth.client.get("/states/").get_data(as_text=True)


def test_a_far_away_row_and_semicolons_in_cells(auth):
    auth.login(Role.STAFF)
    workbook = openpyxl.Workbook()
    workbook.active.append(["State", "Name"])
    workbook.active["A200000"] = "KHM"
    out = io.BytesIO()
    workbook.save(out)
    assert "The file runs past row 100,000" in _refusal(auth, out.getvalue(), "far.xlsx")
    rows = [["Date", "States", "Channel", "Level", "Summary"], ["2026-01-05", "KHM; LAO", "phone", "minister", "Call"]]
    key = preview_key(upload(auth, "outreach", csv_bytes(rows), "o.csv"))
    assert "Cambodia; Lao People&#39;s Democratic Republic" in auth.client.get(f"/import/{key}").get_data(as_text=True)
