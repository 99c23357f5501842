"""Errors raised by services. Views turn them into form errors or flash messages,
the API into ``{"error": {"code", "message", "fields"}}`` with ``status``; ``details``
(JSON values) are added to that object for clients that act on them."""


class ServiceError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message, fields=None, code=None, details=None):
        super().__init__(message)
        self.message = str(message)
        self.fields = {k: str(v) for k, v in (fields or {}).items()}
        self.details = dict(details or {})
        if code:
            self.code = code


class ValidationError(ServiceError):
    status = 422
    code = "invalid"


class NeedsConfirmation(ValidationError):
    """A write a feature wants the writer to confirm first (private data in a public
    post). Sent again with ``<confirm>_ok`` (a form field, or ``true`` in JSON) it
    passes. ``page``, when given, renders the feature's own page for a browser (the
    warning with "send it privately instead"); the API answers with the error."""

    def __init__(self, message, confirm, page=None, **kwargs):
        super().__init__(message, **kwargs)
        self.confirm = confirm
        self.page = page


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class RateLimited(ServiceError):
    status = 429
    code = "rate_limited"

    def __init__(self, message, retry_after=60, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = int(retry_after)
