"""The reconciliation page and its PDF (shared by the two routes)."""

from __future__ import annotations

import io

from flask import abort, render_template, send_file
from flask_babel import force_locale
from flask_login import current_user

from app.auth.actor import current_actor
from app.extensions import db
from app.i18n import reader_translator
from app.models import Campaign, Stage
from app.services import audit
from app.services.briefs import document_context
from app.services.reconciliation import reconcile_stage


def reconciliation_response(campaign: Campaign, stage: Stage, pdf: bool):
    """The page, or the PDF (audited like every download); 404 while nothing is recorded."""
    rec = reconcile_stage(stage)
    if rec is None:
        abort(404)
    if not pdf:
        return render_template("campaigns/reconciliation.html", campaign=campaign, stage=stage, rec=rec)
    from app.pdf.reconciliation import render_reconciliation

    with force_locale(current_user.locale):  # the document in the reader's language
        data = render_reconciliation(rec, document_context(campaign, current_user, reader_translator()))
    audit.download(current_actor(), "report.download", "stage", stage.id, kind="reconciliation")
    db.session.commit()
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"reconciliation-{stage.held_on:%Y%m%d}-{stage.id}.pdf")
