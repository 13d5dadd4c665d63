"""Forms for signing in and changing one's password."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from app.forms import Form, no_control_chars, options
from app.i18n import LANGUAGES
from app.services.accounts import PASSWORD_MAX, PASSWORD_MIN


class LoginForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254), no_control_chars])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)])
    submit = SubmitField(_l("Sign in"))


class PasswordChangeForm(Form):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=PASSWORD_MIN, max=PASSWORD_MAX)],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class LogoutForm(Form):
    """An empty form: logging out is a POST carrying a CSRF token."""


class CodeForm(Form):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    submit = SubmitField(_l("Verify"))


class DisableTwoFactorForm(Form):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)])
    code = StringField(_l("A current code"), validators=[DataRequired(), Length(max=32)])
    submit = SubmitField(_l("Turn off two-factor sign-in"))


class LanguageForm(Form):
    """The language of the desk and of the documents one downloads."""

    locale = SelectField(_l("Language"), choices=options(LANGUAGES.items()), validators=[DataRequired()])
    next = HiddenField()
    submit = SubmitField(_l("Save"))
