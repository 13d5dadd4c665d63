"""Follow-up forms."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import Form, due_in_sensible_window, no_control_chars
from app.params import optional_version


class FollowUpForm(Form):
    text = TextAreaField(_l("What to do"), validators=[DataRequired(), Length(max=5000), no_control_chars])
    due_on = DateField(_l("Due"), validators=[DataRequired(), due_in_sensible_window])
    owner = SelectField(_l("Owner"), validators=[DataRequired()], render_kw={"data-picker": ""})
    submit = SubmitField(_l("Add follow-up"))


class ToggleForm(Form):
    """Done / reopen button with a CSRF token and the version the page showed."""

    version = HiddenField(validators=[optional_version])
