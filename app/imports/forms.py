"""Forms of the import: the upload, the column mapping (one select per field), the confirmation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.validators import DataRequired, Length

from app.domain.enums import ImportKind
from app.forms import Form, options
from app.models import ImportBatch
from app.services.imports import fields_of

NOT_IN_FILE = ""


class UploadForm(Form):
    kind = SelectField(_l("What the file holds"), choices=options(ImportKind.choices()), validators=[DataRequired()])
    file = FileField(
        _l("File (CSV or Excel .xlsx, at most 2 MB and 5,000 rows)"),
        validators=[FileRequired(_l("Choose a file to upload."))],
        render_kw={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    )
    submit = SubmitField(_l("Upload and preview"))


class MappingForm(Form):
    """Built per file: `field_<name>` selects among the file's columns (by position)."""

    submit = SubmitField(_l("Use these columns"))

    def field_rows(self):
        """(field spec, select) pairs in form order."""
        return [(spec, self[f"field_{spec.name}"]) for spec in fields_of(self.kind)]

    def chosen(self) -> dict[str, str]:
        """{field name: header} from the selects."""
        return {spec.name: self.headers[int(select.data)] if select.data else "" for spec, select in self.field_rows()}


def mapping_form(batch: ImportBatch) -> MappingForm:
    """A mapping form for this file's columns, set to the batch's current mapping."""
    choices = [(NOT_IN_FILE, _l("— not in the file —"))] + [(str(i), h) for i, h in enumerate(batch.headers)]

    class Form(MappingForm):
        pass

    for spec in fields_of(batch.kind):
        current = batch.mapping.get(spec.name, "")
        default = str(batch.headers.index(current)) if current in batch.headers else NOT_IN_FILE
        label = str(spec.label) + ("" if spec.required else " " + str(_l("(optional)")))
        setattr(Form, f"field_{spec.name}", SelectField(label, choices=options(choices), default=default))
    form = Form()
    form.kind, form.headers = batch.kind, batch.headers
    return form


class ConfirmForm(Form):
    fingerprint = HiddenField(validators=[DataRequired(), Length(max=64)])
    submit = SubmitField(_l("Import every row"))
