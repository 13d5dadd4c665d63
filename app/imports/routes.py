"""Import pages: upload, preview with the column mapping, confirm, report. Staff and admins only."""

from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import EDIT_ROLES, allow
from app.auth.actor import current_actor
from app.campaign_context import current_campaign
from app.domain import clock
from app.domain.enums import ImportKind
from app.extensions import db
from app.imports import bp
from app.imports.csv_report import report_csv
from app.imports.forms import ConfirmForm, UploadForm, mapping_form
from app.models import Campaign, ImportBatch
from app.models.types import utcnow
from app.params import accepts_file
from app.services import ServiceError, audit
from app.services.campaigns import CampaignArchived
from app.services.import_files import MAX_BYTES
from app.services.imports import (
    apply_import,
    batch_for,
    build_preview,
    fields_of,
    set_mapping,
    start_import,
)


def _batch_or_404(key: str) -> ImportBatch:
    batch = batch_for(current_user, key)
    if batch is None:
        abort(404)
    return batch


@bp.route("", methods=["GET", "POST"])
@allow(*EDIT_ROLES)
@accepts_file("file")
def upload():
    form = UploadForm()
    campaign = current_campaign()
    if form.validate_on_submit():
        upload = form.file.data
        with upload.stream:  # a large upload is spooled to a temporary file: close it at once
            data = upload.stream.read(MAX_BYTES + 1)  # one byte more than allowed tells "too large"
        try:
            batch = start_import(current_user, ImportKind(form.kind.data), campaign, upload.filename or "", data,
                                 utcnow())
        except ServiceError as error:
            db.session.rollback()
            (form.kind if isinstance(error, CampaignArchived) else form.file).errors.append(str(error))
        else:
            db.session.commit()
            return redirect(url_for("imports.preview", key=batch.key))
    return render_template("imports/upload.html", form=form, campaign=campaign, kinds=list(ImportKind),
                           fields_of=fields_of), 400 if form.is_submitted() else 200


@bp.route("/<key>", methods=["GET", "POST"])
@allow(*EDIT_ROLES)
def preview(key: str):
    batch = _batch_or_404(key)
    form = mapping_form(batch)
    if batch.applied_at is None and form.validate_on_submit():
        set_mapping(batch, form.chosen(), current_user._get_current_object())
        db.session.commit()
        flash(_("Columns saved; they will be offered again for your next file of this kind."), "success")
        return redirect(url_for("imports.preview", key=batch.key))
    checked = build_preview(batch, clock.today()) if batch.applied_at is None else None
    confirm = ConfirmForm(fingerprint=checked.fingerprint) if checked and checked.ok else None
    campaign = db.session.get(Campaign, batch.campaign_id) if batch.campaign_id else None
    return render_template("imports/preview.html", batch=batch, form=form, preview=checked, confirm=confirm,
                           campaign=campaign), 400 if form.is_submitted() else 200


@bp.route("/<key>/confirm", methods=["POST"])
@allow(*EDIT_ROLES)
def confirm(key: str):
    batch = _batch_or_404(key)
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("The confirmation expired: check the preview and confirm again."), "danger")
        return redirect(url_for("imports.preview", key=batch.key))
    try:
        applied = apply_import(batch, current_actor(), utcnow(), form.fingerprint.data)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("imports.preview", key=batch.key))
    db.session.commit()
    flash(_("Imported %(rows)d rows: %(applied)d applied, %(unchanged)d already so.", rows=len(applied.rows),
            applied=applied.change_count, unchanged=len(applied.rows) - applied.change_count), "success")
    return redirect(url_for("imports.preview", key=batch.key))


@bp.route("/<key>/report.csv")
@allow(*EDIT_ROLES)
def report(key: str):
    batch = _batch_or_404(key)
    if batch.applied_at is None:
        abort(404)
    audit.download(current_actor(), "import.report", "import", batch.id, kind="import report CSV")
    db.session.commit()
    return send_file(io.BytesIO(report_csv(batch).encode("utf-8-sig")), mimetype="text/csv", as_attachment=True,
                     download_name=f"import-{batch.kind.value}-{batch.applied_at:%Y%m%d-%H%M}.csv")
