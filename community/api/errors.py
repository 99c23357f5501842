"""Every API error is ``{"error": {"code", "message", "fields"}}`` with its HTTP status;
nothing else (no stack trace, no HTML) ever leaves the API."""
from flask import jsonify
from werkzeug.exceptions import HTTPException

from ..errors import RateLimited

HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
              422: "invalid", 429: "rate_limited", 500: "server_error"}


def error_response(status, code, message, fields=None, headers=None):
    response = jsonify(error={"code": code, "message": str(message), "fields": fields or {}})
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def json_error(error):
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, RateLimited) else None
    return error_response(error.status, error.code, error.message, error.fields, headers)


def http_error(error, status):
    message = error.description if isinstance(error, HTTPException) and status != 500 \
        else "Internal server error."
    return error_response(status, HTTP_CODES.get(status, "error"), message)
