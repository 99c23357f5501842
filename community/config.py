"""Configuration from ``FORUM_*`` environment variables.

Every setting, the core's and each feature's, is one ``Setting``: the Flask config
key it fills, its default, a one-line description, its type and its environment
variable (``FORUM_<key>`` unless it says otherwise). The core's are in ``SETTINGS``;
a feature declares its own in its ``settings.py`` and applies them from
``init_app``. One parser reads them all, and a bad value is one error naming the
variable. The settings table is printed from these declarations (``flask --app
community config docs``), so code and documentation cannot drift apart.
"""
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class SettingError(ValueError):
    """A ``FORUM_*`` variable with a value its setting cannot take."""


@dataclass(frozen=True)
class Setting:
    key: str
    default: object
    doc: str
    kind: object = None     # bool, int, float, str or a parser; default: the default's type
    env: str = None         # default: FORUM_<key>
    secret: bool = False

    def __post_init__(self):
        if self.env is None:
            object.__setattr__(self, "env", "FORUM_" + self.key)
        if self.kind is None:
            object.__setattr__(self, "kind", str if self.default is None else type(self.default))

    def parse(self, raw):
        """The value of the variable's text ``raw``, or a SettingError naming it."""
        try:
            if self.kind is bool:
                value = raw.strip().lower()
                if value not in _TRUE | _FALSE:
                    raise ValueError("use true or false")
                return value in _TRUE
            return self.kind(raw)
        except ValueError as error:
            raise SettingError(f"{self.env}={raw!r} is not valid: {error}") from None


def _core(env, key, default, kind, doc):
    """A core setting whose config key is not its variable's name without FORUM_."""
    return Setting(key, default, doc, kind=kind, env=env)


def _features(value):
    return tuple(f.strip() for f in value.split(",") if f.strip())


def _log_format(value):
    value = value.strip().lower()
    if value not in ("text", "json"):
        raise ValueError("use text or json")
    return value


def _networks(value):
    """Comma-separated addresses or networks, as ``ipaddress`` networks."""
    import ipaddress
    return tuple(ipaddress.ip_network(part.strip(), strict=False)
                 for part in value.split(",") if part.strip())


SETTINGS = [
    _core("FORUM_INSTANCE_PATH", "INSTANCE_PATH", "./instance", str,
            "Folder for the SQLite database, search index and generated secret key."),
    _core("FORUM_DATABASE_URL", "SQLALCHEMY_DATABASE_URI", None, str,
            "SQLAlchemy URL of the database, e.g. `postgresql+psycopg://user@host/forum`. "
            "Default: SQLite file `forum.db` in the instance folder."),
    _core("FORUM_SECRET_KEY", "SECRET_KEY", None, str,
            "Signs sessions, CSRF tokens and links; every host of a site needs the same one "
            "(required with PostgreSQL). Default on SQLite: a random key kept in "
            "`instance/secret_key`."),
    _core("FORUM_SECRET_KEY_FALLBACKS", "SECRET_KEY_FALLBACKS", "", _features,
            "Comma-separated earlier secret keys, still accepted (sessions, CSRF tokens, "
            "unsubscribe links, open ask forms) while a new `FORUM_SECRET_KEY` takes over "
            "(key rotation)."),
    _core("FORUM_FEATURES", "FORUM_FEATURES", "moderation,search,agent_bridge", _features,
            "Comma-separated feature packages to load; the core runs with none."),
    _core("FORUM_SITE_NAME", "SITE_NAME", "Customer Community", str,
            "Name shown in the header, feeds and e-mails."),
    _core("FORUM_DEFAULT_LOCALE", "BABEL_DEFAULT_LOCALE", "en", str,
            "Language when neither the user's setting nor Accept-Language decides (`en`, `de`)."),
    _core("FORUM_DEFAULT_TIMEZONE", "BABEL_DEFAULT_TIMEZONE", "Europe/Berlin", str,
            "Time zone in which dates are shown."),
    _core("FORUM_SECURE_COOKIES", "FORUM_SECURE_COOKIES", False, bool,
            "Always mark cookies Secure (they are marked Secure anyway on HTTPS requests)."),
    _core("FORUM_PROXY_COUNT", "PROXY_COUNT", 0, int,
            "Proxies in front of the app whose X-Forwarded-For/-Proto/-Host headers are "
            "trusted: 0 direct, 1 behind nginx, 2 behind a load balancer and nginx."),
    _core("FORUM_PROXY_FIX", "FORUM_PROXY_FIX", False, bool,
            "Older name: `true` means `FORUM_PROXY_COUNT=1` (when that is not set)."),
    _core("FORUM_DB_POOL_SIZE", "DB_POOL_SIZE", 5, int,
            "Database connections each process keeps open (PostgreSQL)."),
    _core("FORUM_DB_MAX_OVERFLOW", "DB_MAX_OVERFLOW", 10, int,
            "Connections a process may open beyond the pool size at busy times (PostgreSQL)."),
    _core("FORUM_DB_POOL_TIMEOUT", "DB_POOL_TIMEOUT", 30.0, float,
            "Seconds a request waits for a free connection before it fails (PostgreSQL)."),
    _core("FORUM_DB_POOL_RECYCLE", "DB_POOL_RECYCLE", 1800, int,
            "Seconds after which a connection is replaced (-1: never), so none outlives a "
            "firewall's or pooler's idle limit (PostgreSQL)."),
    _core("FORUM_DB_CONNECT_TIMEOUT", "DB_CONNECT_TIMEOUT", 10, int,
            "Seconds to wait for the database to accept a connection (PostgreSQL)."),
    _core("FORUM_DB_STATEMENT_TIMEOUT", "DB_STATEMENT_TIMEOUT", 0.0, float,
            "Seconds one SQL statement may run before PostgreSQL cancels it (0: no limit; "
            "`db upgrade` is never limited). E.g. 30 for web hosts."),
    _core("FORUM_THREADS_PER_PAGE", "THREADS_PER_PAGE", 25, int,
            "Threads per page in category lists and profiles."),
    _core("FORUM_POSTS_PER_PAGE", "POSTS_PER_PAGE", 20, int, "Replies per page in a thread."),
    _core("FORUM_PAGE_CACHE_MB", "PAGE_CACHE_MB", 16, float,
          "Megabytes of visitors' pages (thread, category, home) each web process keeps, "
          "and as much again of the pages' skeletons members share; 0 turns both off. "
          "See docs/operations.md, \"The page cache\"."),
    _core("FORUM_PAGE_CACHE_SECONDS", "PAGE_CACHE_SECONDS", 300, int,
          "Longest time a cached page is served without being rendered again (what "
          "changes it moves its version at once; this bounds anything that does not)."),
    _core("FORUM_MAX_TAGS", "MAX_TAGS", 5, int, "Tags allowed on one question."),
    _core("FORUM_LOGIN_MAX_FAILURES", "LOGIN_MAX_FAILURES", 5, int,
            "Failed logins allowed per account and client IP within the window before that "
            "IP is throttled for the account."),
    _core("FORUM_LOGIN_MAX_FAILURES_PER_IP", "LOGIN_MAX_FAILURES_PER_IP", 20, int,
            "Failed logins allowed per client IP (all accounts) within the window."),
    _core("FORUM_LOGIN_WINDOW_MINUTES", "LOGIN_WINDOW_MINUTES", 15, int,
            "Length of the login throttling window in minutes."),
    _core("FORUM_LOGIN_MAX_FAILURES_PER_ACCOUNT", "LOGIN_MAX_FAILURES_PER_ACCOUNT", 50, int,
            "Failed logins allowed per account from all IPs within the account window; IPs "
            "the owner logged in from before are never throttled by it (0: no such limit)."),
    _core("FORUM_LOGIN_ACCOUNT_WINDOW_MINUTES", "LOGIN_ACCOUNT_WINDOW_MINUTES", 60, int,
            "Length of the account-wide login throttling window in minutes."),
    _core("FORUM_REGISTRATION_MAX_PER_IP", "REGISTRATION_MAX_PER_IP", 5, int,
            "Accounts that may be registered from one client IP within the registration "
            "window (0: no limit)."),
    _core("FORUM_REGISTRATION_MAX_PER_NETWORK", "REGISTRATION_MAX_PER_NETWORK", 20, int,
            "Accounts that may be registered from one network (IPv4 /24, IPv6 /64) within the "
            "registration window (0: no limit)."),
    _core("FORUM_REGISTRATION_WINDOW_MINUTES", "REGISTRATION_WINDOW_MINUTES", 60, int,
            "Length of the registration limits' window in minutes."),
    _core("FORUM_WORKER_POLL_SECONDS", "WORKER_POLL_SECONDS", 2, float,
            "How often the worker looks for due outbox rows."),
    _core("FORUM_OUTBOX_MAX_ATTEMPTS", "OUTBOX_MAX_ATTEMPTS", 12, int,
            "Attempts before an outbox row is marked failed (backoff doubles, capped at 1 h); "
            "a run the worker did not survive counts as one."),
    _core("FORUM_OUTBOX_LEASE_SECONDS", "OUTBOX_LEASE_SECONDS", 300, float,
            "Seconds a worker holds the outbox rows it claimed; renewed while it runs them, "
            "so only a worker that stopped loses them to another."),
    _core("FORUM_OUTBOX_RUN_TIMEOUT_SECONDS", "OUTBOX_RUN_TIMEOUT_SECONDS", 600, float,
            "Seconds one outbox row may run; a run still going then is given up as a failed "
            "attempt (retried with backoff, counted toward `FORUM_OUTBOX_MAX_ATTEMPTS`) and "
            "the worker goes on with the next row (0: no limit)."),
    _core("FORUM_OUTBOX_KEEP_DAYS", "OUTBOX_KEEP_DAYS", 14, int,
            "Days done outbox rows are kept (for the admin pages and debugging) before the "
            "worker deletes them."),
    _core("FORUM_BASE_URL", "BASE_URL", None, str,
            "Public address of the site for links in e-mails (the worker has no request to "
            "take it from), e.g. `https://community.example.com`. Default: "
            "`http://FORUM_HOST:FORUM_PORT`."),
    _core("FORUM_SMTP_HOST", "SMTP_HOST", None, str,
            "SMTP server for e-mail. Empty: no e-mail leaves the site; messages are stored, "
            "logged and shown to admins on `/admin/mailbox`."),
    _core("FORUM_SMTP_PORT", "SMTP_PORT", 587, int, "Port of the SMTP server."),
    _core("FORUM_SMTP_TLS", "SMTP_TLS", "starttls", str,
            "`none`, `starttls` or `ssl` (TLS from the first byte, usually port 465)."),
    _core("FORUM_SMTP_USER", "SMTP_USER", None, str,
            "User name for SMTP authentication; empty: no authentication."),
    _core("FORUM_SMTP_PASSWORD", "SMTP_PASSWORD", None, str, "Password for SMTP authentication."),
    _core("FORUM_SMTP_TIMEOUT", "SMTP_TIMEOUT", 20, float,
            "Seconds to wait for the SMTP server before the delivery is retried later."),
    _core("FORUM_MAIL_FROM", "MAIL_FROM", None, str,
            "Sender address of e-mails. Default: `noreply@` the host of `FORUM_BASE_URL`."),
    _core("FORUM_MAIL_WINDOW_MINUTES", "MAIL_WINDOW_MINUTES", 10, int,
            "At most one e-mail per thread and person within this many minutes; later events "
            "are folded into the next e-mail."),
    _core("FORUM_DIGEST_HOUR", "DIGEST_HOUR", 8, int,
            "Hour of the day (0-23, in `FORUM_DEFAULT_TIMEZONE`) from which the daily digest is sent."),
    _core("FORUM_PRIVACY_LOGIN_DAYS", "PRIVACY_LOGIN_DAYS", 30, int,
            "Days failed logins and registrations (with their IP addresses) are kept; after "
            "them a successful login keeps only its network (docs/privacy.md)."),
    _core("FORUM_PRIVACY_LOGIN_HISTORY_DAYS", "PRIVACY_LOGIN_HISTORY_DAYS", 365, int,
            "Days a successful login is kept (a member's login history)."),
    _core("FORUM_PRIVACY_MAIL_DAYS", "PRIVACY_MAIL_DAYS", 30, int,
            "Days stored e-mails are kept (the admins' mailbox) once they were sent."),
    _core("FORUM_PRIVACY_EXPORT_DAYS", "PRIVACY_EXPORT_DAYS", 7, int,
            "Days a member's data export can be downloaded before it is deleted."),
    _core("FORUM_PRIVACY_CONTROLLER", "PRIVACY_CONTROLLER", "", str,
            "The company responsible for the site's data (name and address), shown in the "
            "record of processing activities."),
    _core("FORUM_PRIVACY_DPO", "PRIVACY_DPO", "", str,
            "How to reach the data protection officer, shown in the record of processing "
            "activities."),
    _core("FORUM_HOST", "HOST", "127.0.0.1", str, "Address `make run` serves on."),
    _core("FORUM_PORT", "PORT", 5000, int, "Port `make run` serves on."),
    _core("FORUM_LOG_FORMAT", "LOG_FORMAT", "text", _log_format,
            "`text`, or `json`: one JSON object per line with the request id, user id, "
            "endpoint and duration (the worker's with the outbox row's kind and key)."),
    _core("FORUM_METRICS_ALLOW", "METRICS_ALLOW", "127.0.0.1,::1", _networks,
            "Comma-separated addresses or networks (`10.0.0.0/8`) allowed to read `/metrics`."),
    _core("FORUM_READY_OUTBOX_MAX_AGE", "READY_OUTBOX_MAX_AGE", 600, int,
            "`/readyz` fails when an outbox row has been due longer than this many seconds "
            "(no worker running, or it cannot keep up; 0: not checked)."),
    _core("FORUM_WORKER_HEARTBEAT_SECONDS", "WORKER_HEARTBEAT_SECONDS", 30, int,
            "How often each worker records that it is alive (shown on `/readyz` and "
            "`/admin/connectors`)."),
]

def load(environ=None, overrides=None):
    """Return the config dict for ``create_app`` from the environment and overrides."""
    environ = os.environ if environ is None else environ
    config = {}
    for setting in SETTINGS:
        raw = environ.get(setting.env)
        if raw is not None and raw != "":
            config[setting.key] = setting.parse(raw)
        elif isinstance(setting.default, str) and setting.kind is not str:
            config[setting.key] = setting.parse(setting.default)
        else:
            config[setting.key] = setting.default
    config.update(overrides or {})
    instance = Path(config["INSTANCE_PATH"])
    if not instance.is_absolute():
        instance = (Path.cwd() / instance).resolve()
    config["INSTANCE_PATH"] = str(instance)
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'forum.db'}"
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _instance_secret(instance, config["SQLALCHEMY_DATABASE_URI"])
    config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    config.setdefault("REMEMBER_COOKIE_DURATION", 60 * 60 * 24 * 30)
    config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(config))
    config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    config.setdefault("LANGUAGES", ("en", "de"))
    config.setdefault("MAX_CONTENT_LENGTH", 2 * 1024 * 1024)
    return config


def _instance_secret(instance, database_url):
    if not database_url.startswith("sqlite"):
        # A key file per host would sign sessions, CSRF tokens and unsubscribe links
        # that the other hosts of the same database refuse.
        raise SettingError(
            "FORUM_SECRET_KEY is not set. With a shared database (FORUM_DATABASE_URL) "
            "every web host and worker must sign with the same key: set FORUM_SECRET_KEY "
            "to the same long random value everywhere, e.g. the output of "
            "`python3 -c 'import secrets; print(secrets.token_hex(32))'`.")
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def engine_options(config):
    """SQLAlchemy engine options: the pool and timeouts of ``FORUM_DB_*`` on PostgreSQL."""
    options = {"pool_pre_ping": True}
    if not config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return options
    connect_args = {"connect_timeout": config["DB_CONNECT_TIMEOUT"]}
    if config["DB_STATEMENT_TIMEOUT"] > 0:
        milliseconds = int(config["DB_STATEMENT_TIMEOUT"] * 1000)
        connect_args["options"] = f"-c statement_timeout={milliseconds}"
    options.update(pool_size=config["DB_POOL_SIZE"], max_overflow=config["DB_MAX_OVERFLOW"],
                   pool_timeout=config["DB_POOL_TIMEOUT"], pool_recycle=config["DB_POOL_RECYCLE"],
                   connect_args=connect_args)
    return options


def apply_feature_settings(app, settings, environ=None):
    """A feature's settings: fill unset config keys from the environment, else the
    defaults; explicit ``create_app`` overrides win. Registers them for the table."""
    environ = os.environ if environ is None else environ
    for setting in settings:
        raw = environ.get(setting.env)
        app.config.setdefault(setting.key,
                              setting.parse(raw) if raw not in (None, "") else setting.default)
    registered = app.extensions.setdefault("forum_settings", [])
    registered.extend(s for s in settings if s not in registered)


def markdown_table(settings=None):
    """docs/operations.md's settings table: the core's, then the given features' settings."""
    rows = ["| Variable | Default | What it does |", "|---|---|---|"]
    for s in [*SETTINGS, *(settings or ())]:
        default = f"`{s.default}`" if s.default not in (None, "") else ""
        if s.kind is bool:
            default = "`true`" if s.default else "`false`"
        elif isinstance(s.default, tuple):
            default = f"`{','.join(s.default)}`"
        rows.append(f"| `{s.env}` | {default} | {s.doc} |")
    return "\n".join(rows)
