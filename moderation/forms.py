"""Forms of the moderation pages: CSRF and field rendering; the rules live in services."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, HiddenField, IntegerField, RadioField, SelectField,
                     StringField, SubmitField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from community.inputs import MAX_INT

from .labels import DECISION_REASONS, FLAG_REASONS, MODES, SANCTIONS, TRUST_LEVELS


def _choices(table, empty=None):
    choices = [SelectChoice("", empty)] if empty else []
    return choices + [SelectChoice(code, text) for code, text in table.items()]


def _reason_code():
    return SelectField(_l("Reason"), choices=_choices(DECISION_REASONS, _l("— choose a reason —")),
                       description=_l("Required when acting against a member's content; "
                                      "the member is told."))


def _reason():
    return TextAreaField(_l("Explanation (optional)"), validators=[Length(max=2000)])


class FlagForm(FlaskForm):
    reason = RadioField(_l("What is wrong with this post?"), choices=_choices(FLAG_REASONS),
                        validators=[DataRequired(_l("Please choose a reason."))])
    text = TextAreaField(_l("Details"), validators=[Length(max=500)],
                         description=_l("Needed for \"Something else\"; helps the moderators."))
    submit = SubmitField(_l("Send flag"))


class ItemActionForm(FlaskForm):
    """One review item; the pressed button sends ``action``."""
    version = IntegerField(validators=[DataRequired()])
    action = StringField()
    reason_code = _reason_code()
    reason = _reason()
    urgent = BooleanField(_l("Urgent (for escalations)"))


class PostActionForm(FlaskForm):
    expected = HiddenField(validators=[DataRequired()])
    action = StringField()
    reason_code = _reason_code()
    reason = _reason()


class ThreadActionForm(FlaskForm):
    action = StringField()
    reason = StringField(_l("Reason (optional)"), validators=[Length(max=500)])


class MoveForm(FlaskForm):
    category = SelectField(_l("Move to category"), coerce=int)
    reason = StringField(_l("Reason (optional)"), validators=[Length(max=500)])
    submit = SubmitField(_l("Move thread"))


class RenameForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired()])
    tags = StringField(_l("Tags"), description=_l("Up to 5, separated by commas."))
    reason = StringField(_l("Reason (optional)"), validators=[Length(max=200)])
    submit = SubmitField(_l("Save title and tags"))


class TargetForm(FlaskForm):
    target = StringField(_l("Thread number or URL"), validators=[DataRequired()])
    reason = StringField(_l("Reason (optional)"), validators=[Length(max=500)])
    submit = SubmitField()


class EscalateForm(FlaskForm):
    reason = TextAreaField(_l("What should the support team know?"), validators=[Length(max=2000)])
    urgent = BooleanField(_l("Urgent (cancellation, outage, security)"))
    submit = SubmitField(_l("Escalate to support"))


class TrustForm(FlaskForm):
    level = SelectField(_l("Trust level"), choices=[SelectChoice("auto", _l("Automatic"))]
                        + _choices(TRUST_LEVELS))
    reason = StringField(_l("Reason (optional)"), validators=[Length(max=500)])
    submit = SubmitField(_l("Set trust"))


class StaffForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[
        SelectChoice("customer", _l("Customer")), SelectChoice("moderator", _l("Moderator")),
        SelectChoice("agent", _l("Support agent")), SelectChoice("admin", _l("Administrator"))])
    staff_title = StringField(_l("Staff title"), validators=[Length(max=60)],
                              description=_l("Shown with their posts, e.g. \"Support team\". "
                                             "Empty: the role's name."))
    submit = SubmitField(_l("Save role and title"))


class SanctionForm(FlaskForm):
    kind = RadioField(_l("Sanction"), choices=_choices(SANCTIONS),
                      validators=[DataRequired(_l("Choose silence or suspension."))])
    duration = SelectField(_l("Duration"), choices=[
        SelectChoice("1", _l("1 day")), SelectChoice("3", _l("3 days")),
        SelectChoice("7", _l("7 days")), SelectChoice("30", _l("30 days")),
        SelectChoice("permanent", _l("Permanently"))])
    reason_code = _reason_code()
    reason = TextAreaField(_l("Explanation shown to the member"), validators=[Length(max=2000)])
    submit = SubmitField(_l("Apply sanction"))


class LiftForm(FlaskForm):
    reason = StringField(_l("Reason (optional)"), validators=[Length(max=500)])
    submit = SubmitField(_l("Lift now"))


class BlockedWordsForm(FlaskForm):
    words = TextAreaField(_l("Words or phrases"), validators=[DataRequired()],
                          description=_l("One per line or separated by commas. A post containing "
                                         "one is held for review, never refused."))
    submit = SubmitField(_l("Add"))


class CategoryForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    mode = SelectField(_l("Moderation mode"), choices=_choices(MODES))
    submit = SubmitField(_l("Create category"))


class CategoryEditForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    mode = SelectField(_l("Moderation mode"), choices=_choices(MODES))
    submit = SubmitField(_l("Save"))


class CategoryMoveForm(FlaskForm):
    """Up or down in the order; the pressed button sends ``direction``."""
    direction = StringField()


class AppealForm(FlaskForm):
    text = TextAreaField(_l("Why should the decision be changed?"),
                         validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Send appeal"))


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    actor = StringField(_l("Actor (name or id)"), validators=[Optional()])
    action = SelectField(_l("Action"), validators=[Optional()])
    target_type = SelectField(_l("Target"), validators=[Optional()], choices=[
        SelectChoice("", _l("any")), SelectChoice("post", _l("post")),
        SelectChoice("thread", _l("thread")), SelectChoice("user", _l("member")),
        SelectChoice("category", _l("category")), SelectChoice("blocked_word", _l("blocked word"))])
    target_id = IntegerField(_l("Target id"), validators=[Optional(), NumberRange(1, MAX_INT)])
    since = StringField(_l("From (YYYY-MM-DD)"), validators=[Optional()])
    until = StringField(_l("To (YYYY-MM-DD)"), validators=[Optional()])
