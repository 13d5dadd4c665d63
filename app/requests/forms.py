"""The reciprocal request form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from app.domain.enums import RequestDirection, RequestStatus
from app.forms import Form, no_control_chars, options, short_text
from app.params import optional_version
from app.services.requests import RequestInput


class RequestForm(Form):
    campaign = SelectField(_l("Campaign it serves"), validators=[DataRequired()])
    direction = SelectField(_l("Direction"), choices=options(RequestDirection.choices()))
    body = StringField(
        _l("Body (e.g. HRC, ECOSOC, UNESCO Executive Board)"),
        validators=[DataRequired(), Length(max=120), no_control_chars],
    )
    post = StringField(_l("Post or seat"), validators=[DataRequired(), Length(max=200), no_control_chars])
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(min=1945, max=2100)])
    status = SelectField(_l("Status"), choices=options(RequestStatus.choices()))
    notes = TextAreaField(_l("Notes"), validators=short_text(20000))
    version = HiddenField(validators=[optional_version])  # optimistic lock: the version the form was read at
    submit = SubmitField(_l("Save request"))

    def values(self) -> RequestInput:
        """The fields as the service's input, like the other record forms."""
        return RequestInput(direction=RequestDirection(self.direction.data), body=self.body.data, post=self.post.data,
                            year=self.year.data, status=RequestStatus(self.status.data), notes=self.notes.data or "",
                            campaign_id=int(self.campaign.data))
