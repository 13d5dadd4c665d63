"""Forms of the campaigns area: a campaign, a stage, a recorded round, a decision, the switcher."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.domain.enums import BodyKind, ElectorateMode, RegionalGroup, StageResult, WinningRule
from app.forms import Form, no_control_chars, options, short_text
from app.params import optional_version

COUNT = [InputRequired(), NumberRange(min=0, max=400)]


class CampaignForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), no_control_chars])
    office = StringField(_l("Office sought"), validators=[DataRequired(), Length(max=200), no_control_chars])
    candidate_name = StringField(_l("Our candidate"), validators=short_text(200))
    candidate_state = SelectField(_l("Candidate state"), validators=[DataRequired()], render_kw={"data-picker": ""})
    source = TextAreaField(_l("Sources of these facts"), validators=short_text(5000))
    is_default = BooleanField(_l("Default campaign (opened for users who have chosen none)"))
    archived = BooleanField(_l("Archived (finished: read-only, still viewable)"))
    learnt_weights = BooleanField(_l("Start with the weights learnt from past ballots"), default=True)
    version = HiddenField(validators=[optional_version])  # optimistic lock: the version the form was read at
    submit = SubmitField(_l("Save campaign"))


class RivalForm(Form):
    """One rival candidate (a sub-form: no CSRF of its own)."""

    class Meta:
        csrf = False

    name = StringField(_l("Rival"), validators=short_text(200))
    state = SelectField(_l("Rival's state"), choices=[], validate_choice=False, render_kw={"data-picker": ""})


class StageForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), no_control_chars])
    body_kind = SelectField(_l("Who votes"), choices=options(BodyKind.choices()))
    regional_group = SelectField(_l("Regional group"), choices=options([("", "—")] + RegionalGroup.choices()))
    body_name = StringField(_l("Name of the other body"), validators=short_text(200))
    held_on = DateField(_l("Date"), validators=[DataRequired()])
    date_provisional = BooleanField(_l("The date is provisional"))
    winning_rule = SelectField(_l("Winning rule"), choices=options(WinningRule.choices()))
    seats = IntegerField(_l("Seats to fill"), default=1, validators=[DataRequired(), NumberRange(min=1, max=20)])
    expected_turnout = IntegerField(_l("Expected turnout (members present and voting; empty follows the electorate)"),
                                    validators=[Optional(), NumberRange(min=0, max=400)])
    electorate_mode = SelectField(_l("Electorate"), choices=options(ElectorateMode.choices()))
    manual_electors = SelectMultipleField(_l("Voting states (when set by hand)"), coerce=str,
                                          render_kw={"data-picker": ""})
    non_voters = SelectMultipleField(_l("Members not voting (e.g. Article 19 arrears)"), coerce=str,
                                     render_kw={"data-picker": ""})
    rivals = FieldList(FormField(RivalForm), min_entries=3, max_entries=12)
    source = TextAreaField(_l("Source"), validators=short_text(5000))
    submit = SubmitField(_l("Save stage"))


class RoundForm(Form):
    held_on = DateField(_l("Date of the round"), validators=[DataRequired()])
    present = IntegerField(_l("Members present"), validators=COUNT)
    abstentions = IntegerField(_l("Abstentions"), default=0, validators=COUNT)
    invalid = IntegerField(_l("Invalid ballots"), default=0, validators=COUNT)
    source = TextAreaField(_l("Source of the figures"), validators=short_text(5000))
    submit = SubmitField(_l("Record the round"))


class DecisionForm(Form):
    result = SelectField(_l("Result"), choices=options([(r.value, r.label) for r in StageResult if r.is_decided]))
    note = TextAreaField(_l("How it was decided"), validators=[DataRequired(), Length(max=5000), no_control_chars])
    submit = SubmitField(_l("Record the decision"))


class SwitchForm(Form):
    campaign = SelectField(_l("Campaign"), validators=[DataRequired()])
    next = HiddenField()
    submit = SubmitField(_l("Switch"))


def round_form_for(candidates) -> type[RoundForm]:
    """A round form with one vote count per candidate of the stage (field `votes_<id>`)."""

    class StageRoundForm(RoundForm):
        pass

    for candidate in candidates:
        setattr(StageRoundForm, f"votes_{candidate.id}", IntegerField(candidate.label, validators=COUNT))
    return StageRoundForm
