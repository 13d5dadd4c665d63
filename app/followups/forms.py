"""Follow-up forms."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import Form, no_control_chars


class FollowUpForm(Form):
    text = TextAreaField(_l("What to do"), validators=[DataRequired(), Length(max=5000), no_control_chars])
    due_on = DateField(_l("Due"), validators=[DataRequired()])
    owner = SelectField(_l("Owner"), validators=[DataRequired()], render_kw={"data-picker": ""})
    submit = SubmitField(_l("Add follow-up"))


class ToggleForm(Form):
    """Done / reopen button with a CSRF token."""
