"""The one input layer: what every request may carry, checked before any view runs.

Text that cannot be stored is refused or cleaned here, not in each form: PostgreSQL
rejects NUL characters in text (a 500 on 36 inputs before this layer), a lone
surrogate ("\\ud800", possible only through JSON escapes) cannot be encoded, and
JSON nested thousands of levels deep overflows the decoder's recursion. Numbers in
URLs are bounded by the ``int`` converter, numbers in JSON by ``MAX_INT``
(PostgreSQL refused ids beyond 32 bits with a 500).

- JSON bodies (API clients, helpdesk callbacks) are refused with 422 ``invalid``
  naming the field, or 400 ``bad_json`` when nested too deeply: a client learns
  of its bug.
- Forms and query strings (browsers) lose the characters no keyboard types and no
  database stores (NUL and the other C0 controls except tab and line breaks), and
  go on: the member's text is kept.
"""
import re

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

from .errors import ServiceError, ValidationError

# The largest number a request may carry: ids are 32-bit ``integer`` columns on
# PostgreSQL (64-bit on SQLite), and no count, page or limit a client sends needs more.
MAX_INT = 2**31 - 1
MAX_JSON_DEPTH = 64
# NUL and the C0 controls but tab, line feed and carriage return; lone surrogates.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` in URLs: an id beyond ``MAX_INT`` matches no route (404) instead of
    reaching the database."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_INT)
        super().__init__(map, *args, **kwargs)


class TooDeep(ServiceError):
    status = 400
    code = "bad_json"


def id_number(raw):
    """The id written in ``raw`` (digits), or None when it is none or beyond ``MAX_INT``."""
    raw = str(raw or "").strip()
    if not raw.isdigit() or not raw.isascii():
        return None
    number = int(raw)
    return number if 1 <= number <= MAX_INT else None


def has_unstorable(text):
    return _UNSTORABLE.search(text) is not None


def clean_text(text):
    """``text`` without the characters no database stores (for browser input)."""
    return _UNSTORABLE.sub("", text)


def _clean_multidict(values):
    if not any(has_unstorable(value) for value in values.values()
               if isinstance(value, str)):
        return None
    return ImmutableMultiDict([(clean_text(key), clean_text(value))
                               for key, value in values.items(multi=True)])


def _json_problem(data):
    """(field path, message) of the first value no column can hold, or None.

    Walks the document without recursion, so its depth costs no stack."""
    stack = [("", data, 0)]
    while stack:
        path, value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise TooDeep(_l("The JSON is nested more than %(n)d levels deep.", n=MAX_JSON_DEPTH))
        if isinstance(value, str):
            if has_unstorable(value):
                return path or "body", _l("Contains a control character (such as NUL) or an "
                                          "unpaired surrogate, which cannot be stored.")
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int):
            if not -MAX_INT <= value <= MAX_INT:
                return path or "body", _l("This number is too large.")
        elif isinstance(value, dict):
            for key, item in value.items():
                if has_unstorable(key):
                    return path or "body", _l("A key contains a control character.")
                stack.append((f"{path}.{key}" if path else key, item, depth + 1))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", item, depth + 1) for i, item in enumerate(value))
    return None


def _check_json():
    if not request.is_json or not request.content_length:
        return
    try:
        data = request.get_json(silent=True, cache=True)
    except RecursionError:
        raise TooDeep(_l("The JSON is nested more than %(n)d levels deep.",
                         n=MAX_JSON_DEPTH)) from None
    problem = _json_problem(data)
    if problem:
        field, message = problem
        raise ValidationError(_l("Please correct the marked fields."), fields={field: message})


def check_request():
    """``before_request``: refuse or clean what the request carries."""
    if request.view_args and any(isinstance(v, str) and has_unstorable(v)
                                 for v in request.view_args.values()):
        raise ValidationError(_l("The address contains characters that cannot be used."),
                              fields={"url": _l("Remove the control characters.")})
    args = _clean_multidict(request.args)
    if args is not None:
        request.args = args
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = _clean_multidict(request.form)
            if form is not None:
                request.form = form
        _check_json()


def init_app(app):
    """Before the blueprints: routes compile their converters when added."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request_funcs.setdefault(None, []).insert(0, check_request)
