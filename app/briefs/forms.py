"""The trip pack form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.forms import Form, no_control_chars, options
from app.i18n import LANGUAGES

MAX_PACK_STATES = 100  # a tour of half the Assembly; gunicorn.conf.py's timeout fits the largest


class PackForm(Form):
    title = StringField(_l("Trip title"), validators=[DataRequired(), Length(max=200), no_control_chars])
    start_date = DateField(_l("From"), validators=[DataRequired()])
    end_date = DateField(_l("To"), validators=[DataRequired()])
    states = SelectMultipleField(_l("States"), coerce=str, validate_choice=False, validators=[DataRequired()],
                                 render_kw={"data-picker": ""})
    language = SelectField(_l("Language of the pack"), choices=options(LANGUAGES.items()), default="en")
    submit = SubmitField(_l("Build the pack (PDF)"))

    def validate(self, extra_validators=None) -> bool:
        """Dates in order and a pack of reasonable size."""
        valid = super().validate(extra_validators)
        if self.start_date.data and self.end_date.data and self.end_date.data < self.start_date.data:
            self.end_date.errors = [*self.end_date.errors, _l("The trip cannot end before it starts.")]
            valid = False
        if len(self.states.data or []) > MAX_PACK_STATES:
            self.states.errors = [*self.states.errors, _l("Choose at most %(n)d states.", n=MAX_PACK_STATES)]
            valid = False
        return valid
