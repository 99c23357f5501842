"""Forms: CSRF, field rendering and keeping the user's input. The rules themselves
live in the services; ``apply_errors`` puts their messages next to the fields."""
from flask import g
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, EmailField, HiddenField, PasswordField, SelectField,
                     StringField, SubmitField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class RegisterForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired()])
    name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=60)],
                       description=_l("Shown with your posts. You can use your real name or a nickname."))
    password = PasswordField(_l("Password"), validators=[DataRequired()],
                             description=_l("At least 10 characters."))
    submit = SubmitField(_l("Create account"))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me logged in"))
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired()],
                                 description=_l("At least 10 characters."))
    submit = SubmitField(_l("Change password"))


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=[
        SelectChoice("", _l("As my browser says")), SelectChoice("en", "English"),
        SelectChoice("de", "Deutsch")])
    submit = SubmitField(_l("Save language"))


class NameForm(FlaskForm):
    name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=60)],
                       description=_l("Shown with your posts."))
    submit = SubmitField(_l("Save name"))


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=60)],
                       description=_l("For example the name of the app that will use it."))
    submit = SubmitField(_l("Create token"))


class AskForm(FlaskForm):
    category = SelectField(_l("Category"), validators=[DataRequired()])
    title = StringField(_l("Your question"), validators=[DataRequired()],
                        description=_l("One sentence: what do you want to know?"))
    body = TextAreaField(_l("Details"), validators=[DataRequired()],
                         description=_l("Markdown works: **bold**, lists, `code`, > quotes, links."))
    tags = StringField(_l("Tags"), description=_l("Up to 5, separated by commas."))
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Post question"))


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Your answer"), validators=[DataRequired()],
                         description=_l("Markdown works: **bold**, lists, `code`, > quotes, links."))
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Post answer"))


class EditForm(FlaskForm):
    title = StringField(_l("Title"))
    tags = StringField(_l("Tags"), description=_l("Up to 5, separated by commas."))
    body = TextAreaField(_l("Text"), validators=[DataRequired()])
    reason = StringField(_l("Reason for the edit (optional)"), validators=[Length(max=200)])
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Save changes"))


def confirmations(values):
    """What a writer confirmed in a form: ``X`` for each ``X_ok`` field sent non-empty
    (``public_data_ok=1`` from a feature's "post it anyway" button)."""
    return frozenset(name[:-3] for name, value in values.items()
                     if name.endswith("_ok") and value)


def apply_errors(form, error):
    """Show a service's per-field messages next to the form's fields. A rate limit's
    wait goes to the response's ``Retry-After`` (community/views/__init__.py)."""
    if getattr(error, "retry_after", None):
        g.retry_after = error.retry_after
    placed = False
    for name, message in error.fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors or []) + [message]
            placed = True
    if not placed:
        form.form_errors.append(error.message)
