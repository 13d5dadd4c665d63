"""The outreach form: the entry, an optional new status with evidence, an optional follow-up."""

from __future__ import annotations

from typing import ClassVar

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.domain.enums import Channel, InterlocutorLevel, SupportStatus
from app.forms import (
    LONG_TEXT_MAX,
    Form,
    due_in_sensible_window,
    no_control_chars,
    not_in_future,
    options,
    short_text,
)
from app.params import optional_version
from app.states.forms import EvidenceMixin

CHOOSE = ("", _l("— choose —"))


class OutreachForm(EvidenceMixin, Form):
    # (campaign id, state id) pairs the form offers a new status for; set by outreach_form_for.
    status_pairs: ClassVar[tuple[tuple[int, int], ...]] = ()

    occurred_on = DateField(_l("Date"), validators=[DataRequired(), not_in_future])
    # Nothing is pre-chosen: a quick note must not be stored as a head-of-state meeting.
    channel = SelectField(_l("Channel"), choices=options([CHOOSE, *Channel.choices()]), default="",
                          validators=[DataRequired(_l("Choose how the contact took place."))])
    level = SelectField(_l("Level of their interlocutor"), choices=options([CHOOSE, *InterlocutorLevel.choices()]),
                        default="", validators=[DataRequired(_l("Choose the level of their interlocutor."))])
    location = StringField(_l("Where (optional)"), validators=short_text(200))
    states = SelectMultipleField(_l("States covered"), coerce=str, validators=[DataRequired()],
                                 render_kw={"data-picker": ""})
    contacts = SelectMultipleField(_l("Their participants (known contacts)"), coerce=str,
                                   render_kw={"data-picker": ""})
    our_participants = TextAreaField(_l("Our participants"), validators=short_text(5000))
    their_participants = TextAreaField(_l("Their participants (others)"), validators=short_text(5000))
    summary = TextAreaField(
        _l("Summary"), validators=[DataRequired(), Length(max=LONG_TEXT_MAX), no_control_chars]
    )
    campaigns = SelectMultipleField(_l("Campaigns this entry served"), coerce=str, validators=[DataRequired()])
    status_reason = TextAreaField(_l("Why this status"), validators=short_text(LONG_TEXT_MAX))
    follow_up_text = TextAreaField(_l("Follow-up"), validators=short_text(5000))
    follow_up_due = DateField(_l("Follow-up due"), validators=[Optional(), due_in_sensible_window])
    follow_up_owner = SelectField(_l("Follow-up owner"), choices=options([("", "—")]), default="",
                                  render_kw={"data-picker": ""})
    submit = SubmitField(_l("Save entry"))

    def validate(self, extra_validators=None) -> bool:
        """A follow-up, when given, needs a due date and an owner."""
        valid = super().validate(extra_validators)
        if (self.follow_up_text.data or "").strip():
            if not self.follow_up_due.data and not self.follow_up_due.errors:
                self.follow_up_due.errors = [*self.follow_up_due.errors, _l("Give the follow-up a due date.")]
                valid = False
            if not self.follow_up_owner.data:
                self.follow_up_owner.errors = [*self.follow_up_owner.errors, _l("Give the follow-up an owner.")]
                valid = False
        return valid

    def status_fields(self) -> list[tuple[int, int, SelectField, HiddenField]]:
        """(campaign id, state id, new status, version) for each status the form can move."""
        return [(cid, sid, getattr(self, f"status_{cid}_{sid}"), getattr(self, f"version_{cid}_{sid}"))
                for cid, sid in self.status_pairs]


def outreach_form_for(campaigns, states) -> type[OutreachForm]:
    """The outreach form with a new-status choice per live campaign and covered state.

    Fields are `status_<campaign>_<state>` with their own `version_<campaign>_<state>`, so each
    status names the state it is for and has its own optimistic-lock check.
    """

    class CampaignOutreachForm(OutreachForm):
        status_pairs = tuple((c.id, s.id) for c in campaigns for s in states)

    for campaign in campaigns:
        for state in states:
            setattr(CampaignOutreachForm, f"status_{campaign.id}_{state.id}", SelectField(
                _l("New status of %(state)s in “%(campaign)s”", state=state.name, campaign=campaign.name),
                choices=options([("", _l("— unchanged —"))] + SupportStatus.choices()), default=""))
            setattr(
                CampaignOutreachForm, f"version_{campaign.id}_{state.id}", HiddenField(validators=[optional_version])
            )
    return CampaignOutreachForm


class DeleteForm(Form):
    reason = TextAreaField(_l("Reason for deleting"), validators=[DataRequired(), Length(max=5000), no_control_chars])
    submit = SubmitField(_l("Delete entry"))
