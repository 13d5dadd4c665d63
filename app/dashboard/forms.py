"""The form admins use to set the probabilities behind expected votes."""

from __future__ import annotations

from wtforms import DecimalField, SubmitField
from wtforms.validators import InputRequired, NumberRange

from app.domain.enums import SupportStatus
from app.forms import Form


def _probability(label: str) -> DecimalField:
    return DecimalField(label, places=2, validators=[InputRequired(), NumberRange(min=0, max=1)])


class WeightsForm(Form):
    """One probability per status, plus the discount on conditional pledges."""

    conditional_factor = _probability("Conditional pledges are multiplied by")
    submit = SubmitField("Save probabilities")


for _status in SupportStatus:
    setattr(WeightsForm, _status.value, _probability(str(_status.label)))


class SplitForm(Form):
    """How present members that do not vote for us divide: the share that abstains."""

    abstain_share = DecimalField(
        "Of the members present who do not vote for us, the share that abstains (the rest vote for rivals)",
        places=2, validators=[InputRequired(), NumberRange(min=0, max=1)],
    )
    submit = SubmitField("Save the split")
