"""Forms of the desk and its admin pages: CSRF and field rendering; the rules live
in the services."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, IntegerField, SelectField, StringField, SubmitField,
                     TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .labels import HOLIDAYS, LANGUAGES, PRIORITIES, STATUSES


def _choices(table):
    return [SelectChoice(code, text) for code, text in table.items()]


class AssignForm(FlaskForm):
    assignee = SelectField(_l("Assignee"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Assign"))


class TicketForm(FlaskForm):
    """The ticket page's one form: who works on it, its status and priority."""
    assignee = SelectField(_l("Assignee"), choices=[], validate_choice=False)
    claim = SubmitField(_l("Assign to me"))
    status = SelectField(_l("Status"), choices=_choices(STATUSES))
    priority = SelectField(_l("Priority"), choices=_choices(PRIORITIES))
    submit = SubmitField(_l("Save"))


class ReplyForm(FlaskForm):
    canned = SelectField(_l("Canned reply"), choices=[], validate_choice=False)
    insert = SubmitField(_l("Insert"))
    body = TextAreaField(_l("Official reply"), validators=[DataRequired()],
                         description=_l("Posted in the public thread under your name and "
                                        "title. Markdown works."))
    after = SelectField(_l("Then"), choices=[
        SelectChoice("pending", _l("Wait for the customer")),
        SelectChoice("solved", _l("Mark the ticket solved"))])
    accept = BooleanField(_l("Confirm this reply as the accepted answer"))
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Post official reply"))


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Internal note"), validators=[DataRequired()],
                         description=_l("Only agents and admins see notes."))
    submit = SubmitField(_l("Add note"))


class PrivateRequestForm(FlaskForm):
    message = TextAreaField(_l("What do you need from the customer?"),
                            validators=[DataRequired()],
                            description=_l("The customer gets a notification and answers in a "
                                           "private form that only agents see."))
    submit = SubmitField(_l("Request private details"))


class PrivateAnswerForm(FlaskForm):
    answer = TextAreaField(_l("Your answer"), validators=[DataRequired()],
                           description=_l("Only the support team sees this; it is never "
                                          "published."))
    submit = SubmitField(_l("Send privately"))


class EscalateForm(FlaskForm):
    reason = StringField(_l("What should the support team know? (optional)"),
                         validators=[Length(max=500)])
    submit = SubmitField(_l("Ask the support team"))


class RuleForm(FlaskForm):
    enabled = BooleanField(_l("Escalate automatically"))
    no_reply_after_hours = IntegerField(
        _l("No reply at all after (hours)"),
        validators=[InputRequired(), NumberRange(min=1, max=24 * 60)])
    escalate_after_hours = IntegerField(
        _l("No accepted answer and no staff reply after (hours)"),
        validators=[InputRequired(), NumberRange(min=1, max=24 * 60)])
    ask_mode = SelectField(_l("Asker may ask the support team"), choices=[
        SelectChoice("never", _l("Never")), SelectChoice("now", _l("At once")),
        SelectChoice("after", _l("After a delay"))])
    ask_after_hours = IntegerField(_l("Delay (hours)"),
                                   validators=[Optional(), NumberRange(min=1, max=24 * 60)])
    business_hours = BooleanField(_l("Count business hours only"))
    holidays = SelectField(_l("Holiday calendar"), choices=_choices(HOLIDAYS))
    submit = SubmitField(_l("Save rule"))


class TermForm(FlaskForm):
    language = SelectField(_l("Language"), choices=_choices(LANGUAGES))
    term = StringField(_l("Term"), validators=[DataRequired(), Length(min=3, max=80)],
                       description=_l("Matches the start of a word, in title or text."))
    submit = SubmitField(_l("Add term"))


class CannedForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    body = TextAreaField(_l("Text"), validators=[DataRequired()],
                         description=_l("Placeholders: {customer_name}, {thread_url}, "
                                        "{agent_name}."))
    submit = SubmitField(_l("Save canned reply"))
