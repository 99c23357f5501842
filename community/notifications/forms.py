"""The notification settings form: one e-mail choice per kind, and auto-subscribe."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice

from .kinds import EMAIL_CHOICE_LABELS, EMAIL_CHOICES, KINDS
from .preferences import preferences

PREFIX = "ntf"


class PreferencesForm(FlaskForm):
    auto_subscribe = BooleanField(_l("Watch the questions I ask or answer"),
                                  description=_l("You are told about new answers in them."))
    submit = SubmitField(_l("Save notification settings"))

    def kind_fields(self):
        return [getattr(self, f"email_{name}") for name in KINDS]

    def choices(self):
        return {name: getattr(self, f"email_{name}").data for name in KINDS}


for _name, _kind in KINDS.items():
    setattr(PreferencesForm, f"email_{_name}", SelectField(
        _kind.label, choices=[SelectChoice(c, EMAIL_CHOICE_LABELS[c]) for c in EMAIL_CHOICES]))


def preferences_form(user, display_only=False):
    """The form filled with ``user``'s settings. ``display_only``: ignore the
    request's form data (the form is shown on a page that handles another form)."""
    data = {f"email_{kind}": choice for kind, choice in preferences(user).items()}
    data["auto_subscribe"] = user.auto_subscribe
    if display_only:
        return PreferencesForm(prefix=PREFIX, formdata=None, data=data)
    return PreferencesForm(prefix=PREFIX, data=data)
