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
    stamp = (timestamp or "").strip()
    # Unix seconds in ASCII digits, as ``headers`` sends them; int() alone would also
    # take "+1_764_000_000" or non-ASCII digits.
    if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 12):
        return "missing or malformed timestamp"
    sent_at = int(stamp)
    if abs(now - sent_at) > max_age:
        return f"stale timestamp ({now - sent_at:+d} s)"
    given = (given or "").strip()
    # compare_digest raises TypeError on a str with non-ASCII characters; such a
    # signature is never genuine anyway.
    if not given.isascii() or not hmac.compare_digest(
            signature(secret, stamp, body).encode(), given.encode()):
        return "bad signature"
    return None
