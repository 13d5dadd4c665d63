"""The contact form."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.forms import Form, no_control_chars, short_text
from app.params import optional_version
from app.services.contacts import ContactInput


class ContactForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), no_control_chars])
    title = StringField(_l("Title"), validators=short_text(200))
    organisation = StringField(_l("Organisation"), validators=short_text(200))
    email = EmailField(_l("Email"), validators=[Optional(), Email(check_deliverability=False), Length(max=254)])
    phone = StringField(_l("Phone"), validators=short_text(60))
    notes = TextAreaField(_l("Notes"), validators=short_text(20000))
    is_primary = BooleanField(_l("Primary contact"))
    version = HiddenField(validators=[optional_version])  # optimistic lock: the version the form was read at
    submit = SubmitField(_l("Save contact"))

    def values(self) -> ContactInput:
        """The fields as the service's input (blank text as "")."""
        return ContactInput(name=self.name.data, title=self.title.data or "", organisation=self.organisation.data or "",
                            email=self.email.data or "", phone=self.phone.data or "", notes=self.notes.data or "",
                            is_primary=bool(self.is_primary.data))
