"""HMAC-SHA256 signatures of webhook calls, the same in both directions.

The signed text is ``"<timestamp>.<raw body>"``: binding the timestamp into the
signature is what makes the replay window meaningful.
"""
import hashlib
import hmac


def signature(secret, timestamp, body):
    """``sha256=<hex>`` over ``"<timestamp>.<body>"``; ``body`` is the raw bytes sent."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def headers(secret, timestamp, body):
    return {"X-Forum-Timestamp": str(timestamp),
            "X-Forum-Signature": signature(secret, timestamp, body)}


def check(secret, timestamp, given, body, now, max_age):
    """The reason a signed call is refused, or None when it is genuine and fresh."""
    if not secret:
        return "no secret configured"
    try:
        sent_at = int(timestamp or "")
    except ValueError:
        return "missing or malformed timestamp"
    if abs(now - sent_at) > max_age:
        return f"stale timestamp ({now - sent_at:+d} s)"
    expected = signature(secret, timestamp.strip(), body)
    if not given or not hmac.compare_digest(expected, given.strip()):
        return "bad signature"
    return None
