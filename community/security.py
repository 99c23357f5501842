"""Security headers and cookie flags for every response; the proxies trusted; the
secret keys that sign (the current one and those being rotated out)."""
from flask import current_app, request, session
from flask_login.utils import decode_cookie, encode_cookie
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix

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
    count = proxy_count(app.config)
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    if app.config["SECRET_KEY_FALLBACKS"]:
        # Flask's session already accepts SECRET_KEY_FALLBACKS; Flask-WTF signs CSRF
        # tokens with WTF_CSRF_SECRET_KEY, which itsdangerous takes as a list too.
        app.config.setdefault("WTF_CSRF_SECRET_KEY", signing_keys(app))
        app.before_request(_accept_old_remember_cookie)


def proxy_count(config):
    """How many proxies' X-Forwarded-* headers to trust (FORUM_PROXY_FIX means one)."""
    return config["PROXY_COUNT"] or (1 if config["FORUM_PROXY_FIX"] else 0)


def signing_keys(app=None):
    """The keys that sign, oldest first and the current one last, as itsdangerous
    takes them: it signs with the last and accepts any of them."""
    config = (app or current_app).config
    return [*reversed(config["SECRET_KEY_FALLBACKS"] or ()), config["SECRET_KEY"]]


def _accept_old_remember_cookie():
    """A "keep me logged in" cookie signed with a key being rotated out: Flask-Login
    checks it against the current key only, so re-sign it for this request; Flask-Login
    then sends it again (``_remember``) signed with the current key."""
    name = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    cookie = request.cookies.get(name)
    if not cookie or "_user_id" in session or decode_cookie(cookie) is not None:
        return
    for key in current_app.config["SECRET_KEY_FALLBACKS"]:
        user_id = decode_cookie(cookie, key=key)
        if user_id is not None:
            cookies = request.cookies.to_dict(flat=False)
            cookies[name] = [encode_cookie(user_id)]
            request.cookies = ImmutableMultiDict(cookies)
            session["_remember"] = "set"
            return


class SecureCookies:
    """Mark every cookie Secure on HTTPS requests (or always).

    A WSGI wrapper, not an ``after_request`` hook: Flask writes the session cookie and
    Flask-Login the remember cookie after every hook has run. Installed inside ProxyFix,
    so a proxy's X-Forwarded-Proto counts only when FORUM_PROXY_COUNT trusts it.
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
