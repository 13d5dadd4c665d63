"""Forms for a state's profile and its status."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.domain.enums import InterlocutorLevel, LabelledEnum, PledgeForm, Priority, SupportStatus
from app.domain.text import Message
from app.forms import LONG_TEXT_MAX, Form, no_control_chars, not_in_future, options, short_text
from app.params import valid_version
from app.services.status import Evidence


class ProfileForm(Form):
    capital = StringField(_l("Capital"), validators=short_text(200))
    head_of_state = StringField(_l("Head of state or government"), validators=short_text(200))
    foreign_minister = StringField(_l("Foreign minister"), validators=short_text(200))
    mission_geneva = TextAreaField(_l("Mission in Geneva"), validators=short_text(2000))
    mission_new_york = TextAreaField(_l("Mission in New York"), validators=short_text(2000))
    our_embassy = TextAreaField(_l("Our embassy"), validators=short_text(2000))
    priority = SelectField(_l("Priority"), choices=options(Priority.choices()), validators=[InputRequired()])
    the_ask = TextAreaField(_l("The ask"), validators=short_text(LONG_TEXT_MAX))
    version = HiddenField(validators=[valid_version])
    talking_points = TextAreaField(_l("Talking points"), validators=short_text(LONG_TEXT_MAX))
    submit = SubmitField(_l("Save profile"))

    def values(self, names: tuple[str, ...]) -> dict:
        """The profile fields as plain values for the service (the priority as its enum)."""
        values = {name: (getattr(self, name).data or "") for name in names}
        values["priority"] = Priority(values["priority"])
        return values


def optional_enum_choices(enum_cls: type[LabelledEnum]) -> list[tuple[str, str | Message]]:
    return [("", "—"), *enum_cls.choices()]


class EvidenceMixin:
    """Evidence fields shared by the status form and the outreach form."""

    source_level = SelectField(
        _l("Position given by"), choices=options(optional_enum_choices(InterlocutorLevel)), default=""
    )
    pledge_form = SelectField(
        _l("Form of the pledge"), choices=options(optional_enum_choices(PledgeForm)), default=""
    )
    note_reference = StringField(_l("Note reference number"), validators=short_text(120))
    note_date = DateField(_l("Date of the note"), validators=[Optional(), not_in_future])
    conditional = BooleanField(_l("Conditional on a reciprocal request"))
    condition_request = SelectField(_l("Condition"), choices=options([("", "—")]), default="")

    def validate_pledge_form(self, field) -> None:
        from wtforms import ValidationError

        chosen = [getattr(self, "status", None)] + [f for *_, f, _ in getattr(self, "status_fields", list)()]
        if any(f is not None and f.data == SupportStatus.WRITTEN_PLEDGE.value for f in chosen) and not field.data:
            raise ValidationError(_l("Say in what form the written pledge was given."))


class StatusForm(EvidenceMixin, Form):
    status = SelectField(_l("New status"), choices=options(SupportStatus.choices()), validators=[DataRequired()])
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(), Length(max=LONG_TEXT_MAX), no_control_chars]
    )
    effective_on = DateField(_l("Position expressed on"), validators=[Optional(), not_in_future])
    version = HiddenField(validators=[valid_version])
    submit = SubmitField(_l("Change status"))



def evidence_from(form: EvidenceMixin) -> Evidence:
    """The evidence fields of a status or outreach form as plain values."""
    return Evidence(
        source_level=InterlocutorLevel(form.source_level.data) if form.source_level.data else None,
        pledge_form=PledgeForm(form.pledge_form.data) if form.pledge_form.data else None,
        note_reference=form.note_reference.data or "",
        note_date=form.note_date.data,
        conditional=bool(form.conditional.data),
        condition_request_id=int(form.condition_request.data) if form.condition_request.data else None,
    )


def set_condition_choices(form: EvidenceMixin, state) -> None:
    """The state's reciprocal requests, offered as the condition of a pledge."""
    from app.services.requests import requests_for_state

    form.condition_request.choices = options([("", "—")] + [
        (str(r.id), f"{r.direction.label}: {r.post} ({r.body} {r.year})") for r in requests_for_state(state)
    ])
