"""Security headers and cookie flags for every response."""
from flask import request

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' https: data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def init_app(app):
    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    app.wsgi_app = SecureCookies(app.wsgi_app, always=app.config["FORUM_SECURE_COOKIES"])


class SecureCookies:
    """Mark every cookie Secure on HTTPS requests (or always).

    A WSGI wrapper, not an ``after_request`` hook: Flask writes the session cookie and
    Flask-Login the remember cookie after every hook has run. Installed inside ProxyFix,
    so a proxy's X-Forwarded-Proto counts only when FORUM_PROXY_FIX trusts it.
    """

    def __init__(self, wsgi_app, always=False):
        self.wsgi_app = wsgi_app
        self.always = always

    def __call__(self, environ, start_response):
        if not (self.always or environ.get("wsgi.url_scheme") == "https"):
            return self.wsgi_app(environ, start_response)

        def secure_start_response(status, headers, exc_info=None):
            headers = [(name, _secure(value) if name.lower() == "set-cookie" else value)
                       for name, value in headers]
            return start_response(status, headers, exc_info)
        return self.wsgi_app(environ, secure_start_response)


def _secure(cookie):
    return cookie if "; secure" in cookie.lower() else cookie + "; Secure"
