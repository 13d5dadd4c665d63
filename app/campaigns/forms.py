"""The campaign form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.forms import no_control_chars, options
from app.models.enums import ElectorateMode, RegionalGroup, WinningRule


class CampaignForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), no_control_chars])
    office = StringField(_l("Office sought"), validators=[DataRequired(), Length(max=200), no_control_chars])
    body = StringField(_l("Electing body (e.g. HRC)"), validators=[DataRequired(), Length(max=20), no_control_chars])
    election_date = DateField(_l("Election date"), validators=[DataRequired()])
    candidate_name = StringField(_l("Our candidate"), validators=[Length(max=200), no_control_chars])
    candidate_state = SelectField(_l("Candidate state"), validators=[DataRequired()])
    group_in_turn = SelectField(_l("Regional group in turn"), choices=options([("", "—")] + RegionalGroup.choices()))
    winning_rule = SelectField(_l("Winning rule"), choices=options(WinningRule.choices()))
    expected_turnout = IntegerField(
        _l("Expected turnout (members present and voting)"), validators=[Optional(), NumberRange(min=1, max=400)]
    )
    electorate_mode = SelectField(_l("Electorate"), choices=options(ElectorateMode.choices()))
    manual_electors = SelectMultipleField(_l("Voting states (when set by hand)"), coerce=str)
    is_active = BooleanField(_l("Active campaign"))
    submit = SubmitField(_l("Save campaign"))
