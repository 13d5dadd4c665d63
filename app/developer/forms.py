"""Forms for tokens and calendar feeds."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange

from app.domain.enums import TokenScope
from app.forms import Form, no_control_chars, options
from app.services.tokens import MAX_DAYS, NAME_MAX


class TokenForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_MAX), no_control_chars],
                       description=_l("What the token is for, e.g. “Analysts' notebook”."))
    scope = SelectField(_l("Access"), choices=options(TokenScope.choices()), default=TokenScope.READ.value)
    days = IntegerField(_l("Expires after (days)"), default=90, validators=[DataRequired(), NumberRange(1, MAX_DAYS)])
    submit = SubmitField(_l("Create token"))


class ConfirmForm(Form):
    """A button that only carries the CSRF token (revoke, issue a feed URL)."""

    submit = SubmitField(_l("Confirm"))
