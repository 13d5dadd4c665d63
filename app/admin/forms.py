"""Forms to manage users."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, Length

from app.domain.enums import Role
from app.forms import Form, no_control_chars, options


class UserCreateForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), no_control_chars])
    # No default: a role is a decision, never a pre-selected value.
    role = SelectField(_l("Role"), choices=options([("", _l("— choose a role —")), *Role.choices()]), default="",
                       validators=[DataRequired(_l("Choose the user's role."))])
    submit = SubmitField(_l("Create user"))


class UserEditForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), no_control_chars])
    role = SelectField(_l("Role"), choices=options(Role.choices()))
    active = BooleanField(_l("Active"))
    assigned = SelectMultipleField(_l("Assigned states (envoys)"), coerce=str, render_kw={"data-picker": ""})
    submit = SubmitField(_l("Save user"))


class ActionForm(Form):
    """A button with a CSRF token (password reset)."""

    submit = SubmitField(_l("Reset password"))
