"""The form admins use to set the probabilities behind expected votes."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, SubmitField
from wtforms.validators import InputRequired, NumberRange

from app.domain.enums import SupportStatus
from app.forms import Form


def _probability(label) -> DecimalField:
    return DecimalField(label, places=2, validators=[InputRequired(), NumberRange(min=0, max=1)])


class WeightsForm(Form):
    """One probability per status, plus the discount on conditional pledges."""

    conditional_factor = _probability(_l("Conditional pledges are multiplied by"))
    submit = SubmitField(_l("Save probabilities"))

    def fill(self, by_status: Mapping[SupportStatus, float], conditional_factor: float) -> None:
        """Show these probabilities (as typed decimals)."""
        self.conditional_factor.data = Decimal(str(conditional_factor))
        for status in SupportStatus:
            getattr(self, status.value).data = Decimal(str(by_status[status]))

    def values(self) -> tuple[dict[SupportStatus, float], float]:
        """The probabilities per status and the conditional factor, as the service takes them."""
        return {s: float(getattr(self, s.value).data) for s in SupportStatus}, float(self.conditional_factor.data)


for _status in SupportStatus:
    setattr(WeightsForm, _status.value, _probability(_status.label))


class SplitForm(Form):
    """How present members that do not vote for us divide: the share that abstains."""

    abstain_share = DecimalField(
        _l("Of the members present who do not vote for us, the share that abstains (the rest vote for rivals)"),
        places=2, validators=[InputRequired(), NumberRange(min=0, max=1)],
    )
    submit = SubmitField(_l("Save the split"))
