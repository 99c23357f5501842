"""Forms of the privacy pages (community/views/privacy.py). The rules are in the
services; the forms check only that the required fields are there."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..services.privacy import REDACTABLE_KINDS

CONFIRM = _l("Please confirm that you understand this.")


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    delete_posts = BooleanField(_l("Also delete my posts"),
                                description=_l("Their text is replaced by a note that they were "
                                               "deleted; otherwise they stay under an anonymous "
                                               "name, so the threads still make sense."))
    confirm = BooleanField(_l("I understand that my account is deleted for good and cannot be "
                              "restored."), validators=[DataRequired(CONFIRM)])
    submit = SubmitField(_l("Delete my account"))


class EraseMemberForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)],
                           description=_l("Kept in the record of erasures and the audit log. "
                                          "Do not repeat the member's data here."))
    delete_posts = BooleanField(_l("Also delete the member's posts"))
    spam = BooleanField(_l("This is a spam account (its posts are deleted too)"))
    confirm = BooleanField(_l("I understand that this cannot be undone."),
                           validators=[DataRequired(CONFIRM)])
    submit = SubmitField(_l("Erase the account"))


KIND_LABELS = {
    "iban": _l("Bank account (IBAN)"), "phone": _l("Phone number"),
    "email": _l("E-mail address"), "customer_number": _l("Customer or contract number"),
    "address": _l("Postal address"), "name": _l("Name"), "other": _l("Other personal data"),
}


class RedactForm(FlaskForm):
    text = TextAreaField(_l("Other text to remove"), validators=[Length(max=2000)],
                         description=_l("Copied exactly as it stands in the post's text above. "
                                        "Every occurrence is removed."))
    kind = SelectField(_l("It is"), choices=[SelectChoice(k, KIND_LABELS[k])
                                             for k in REDACTABLE_KINDS], default="other")
    submit = SubmitField(_l("Remove from the post and every copy"))


class LegalPageForm(FlaskForm):
    body = TextAreaField(_l("Text (Markdown)"), validators=[Length(max=50_000)])
    submit = SubmitField(_l("Save"))
