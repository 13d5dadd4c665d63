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
from app.services.campaigns import CampaignInput
from app.services.stages import RoundInput, StageInput

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

    def values(self) -> CampaignInput:
        """The campaign as plain values for the service."""
        return CampaignInput(
            name=self.name.data, office=self.office.data, candidate_name=self.candidate_name.data or "",
            candidate_state_id=int(self.candidate_state.data), is_default=self.is_default.data,
            archived=self.archived.data, source=self.source.data or "", learnt_weights=bool(self.learnt_weights.data))

    def expected_version(self) -> int | None:
        """The version the form was read at (None for a new campaign)."""
        return int(self.version.data) if self.version.data else None


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

    def fill(self, stage) -> None:
        """The stage's choices, as the form first shows them."""
        self.body_kind.data, self.winning_rule.data = stage.body_kind.value, stage.winning_rule.value
        self.electorate_mode.data = stage.electorate_mode.value
        self.regional_group.data = stage.regional_group.value if stage.regional_group else ""
        self.manual_electors.data = [str(s.id) for s in stage.manual_electors]
        self.non_voters.data = [str(s.id) for s in stage.non_voters]
        for sub, rival in zip(self.rivals, stage.rivals, strict=False):
            sub.form.name.data, sub.form.state.data = rival.name, str(rival.state_id or "")

    def values(self) -> StageInput:
        """The stage as plain values for the service."""
        return StageInput(
            name=self.name.data, body_kind=BodyKind(self.body_kind.data),
            regional_group=RegionalGroup(self.regional_group.data) if self.regional_group.data else None,
            body_name=self.body_name.data or "", held_on=self.held_on.data, date_provisional=self.date_provisional.data,
            electorate_mode=ElectorateMode(self.electorate_mode.data), winning_rule=WinningRule(self.winning_rule.data),
            expected_turnout=self.expected_turnout.data, seats=self.seats.data, source=self.source.data or "",
            manual_elector_ids=[int(v) for v in self.manual_electors.data or []],
            non_voter_ids=[int(v) for v in self.non_voters.data or []],
            rivals=[(r.form.name.data or "", int(r.form.state.data) if (r.form.state.data or "").isdigit() else None)
                    for r in self.rivals],
        )


class RoundForm(Form):
    held_on = DateField(_l("Date of the round"), validators=[DataRequired()])
    present = IntegerField(_l("Members present"), validators=COUNT)
    abstentions = IntegerField(_l("Abstentions"), default=0, validators=COUNT)
    invalid = IntegerField(_l("Invalid ballots"), default=0, validators=COUNT)
    source = TextAreaField(_l("Source of the figures"), validators=short_text(5000))
    submit = SubmitField(_l("Record the round"))

    def values(self, candidates) -> RoundInput:
        """The round as plain values: its turnout and each candidate's votes."""
        return RoundInput(
            held_on=self.held_on.data,
            present=self.present.data,
            abstentions=self.abstentions.data,
            invalid=self.invalid.data,
            votes={c.id: getattr(self, f"votes_{c.id}").data for c in candidates},
            source=self.source.data or "",
        )


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
