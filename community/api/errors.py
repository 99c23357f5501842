"""Every API error is ``{"error": {"code", "message", "fields"}}`` with its HTTP status;
nothing else (no stack trace, no HTML) ever leaves the API."""
from flask import jsonify, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from ..errors import RateLimited, ServiceError

HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
              422: "invalid", 429: "rate_limited", 500: "server_error"}


def error_response(status, code, message, fields=None, headers=None, details=None):
    """The error object; ``details`` add keys beside the three every error has."""
    extra = {k: v for k, v in (details or {}).items() if k not in ("code", "message", "fields")}
    response = jsonify(error={"code": code, "message": str(message), "fields": fields or {},
                              **extra})
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def json_error(error):
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, RateLimited) else None
    return error_response(error.status, error.code, error.message, error.fields, headers,
                          error.details)


def http_error(error, status):
    message = error.description if isinstance(error, HTTPException) and status != 500 \
        else "Internal server error."
    return error_response(status, HTTP_CODES.get(status, "error"), message)


def json_body(allow_empty=False):
    """The request's JSON object, or 400 ``bad_json``. With ``allow_empty`` an empty
    body counts as ``{}`` (actions whose fields are all optional)."""
    if allow_empty and not request.get_data(cache=True):
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ServiceError(_l("Send a JSON object with 'Content-Type: application/json'."),
                           code="bad_json")
    return data
