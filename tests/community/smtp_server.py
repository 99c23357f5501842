"""A real SMTP server on loopback for the mail tests (aiosmtpd in a thread).

``Mailbox`` accepts mail and keeps each message parsed; it can refuse the first
``refuse_first`` messages with 451 (try again later) and reject some recipients
with 550 (no such user), like real servers do. ``SmtpServer`` speaks plain SMTP,
STARTTLS or TLS from the first byte (``tls``), and can demand a login
(``users``), with the self-signed certificate below for 127.0.0.1.
"""
import email
import email.policy
import socket
import ssl
from dataclasses import dataclass

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

# A self-signed certificate (and its key) for 127.0.0.1 and localhost, valid until
# 2054; only ever used by this loopback server. Tests trust it through
# SSL_CERT_FILE, the way an operator trusts a private CA.
CERTIFICATE = """-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUb1BIDJQNj61e6GAKCK9TGQIa828wCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyMzA5NDQyMVoYDzIwNTQwNDEw
MDk0NDIxWjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAS8HjlWxyU0xXyzZWOeIu4ziOGKpuWzZd7DTlnYJOHcSrW9dhaZz10x
YTdLeoDSM6ZWAlVvntmtZinv47//5aK3o28wbTAdBgNVHQ4EFgQUBumiAvnePC1w
2DLUMNStivwHH70wHwYDVR0jBBgwFoAUBumiAvnePC1w2DLUMNStivwHH70wDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDSAAwRQIhAKeeTbScWJhn6qcUps+VBul3p2RwyBSUDoo6vp3+r+uOAiAg
y93Az8pFri7tuYdazBikF1uuBihjx5GfrhLcR5Ub+A==
-----END CERTIFICATE-----
"""
PRIVATE_KEY = """-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgikrck69YlFQm/zDz
zo/XiAFbK33ADuGGp4zs+/Q8MG+hRANCAAS8HjlWxyU0xXyzZWOeIu4ziOGKpuWz
Zd7DTlnYJOHcSrW9dhaZz10xYTdLeoDSM6ZWAlVvntmtZinv47//5aK3
-----END PRIVATE KEY-----
"""


def write_certificate(folder):
    """Write the certificate and key to ``folder``; returns (certificate, key) paths."""
    cert, key = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert.write_text(CERTIFICATE)
    key.write_text(PRIVATE_KEY)
    return cert, key


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    sender: str
    recipients: list
    message: email.message.EmailMessage
    login: str | None = None  # who logged in on that connection
    tls: bool = False         # whether the message came over an encrypted connection

    def header(self, name):
        return str(self.message[name]) if self.message[name] is not None else None

    @property
    def text(self):
        return self.message.get_body(("plain",)).get_content()

    @property
    def html(self):
        return self.message.get_body(("html",)).get_content()


class Mailbox:
    """The aiosmtpd handler."""

    def __init__(self, refuse_first=0, reject=()):
        self.messages = []
        self.refuse_first = refuse_first
        self.refused = 0
        self.reject = {address.lower() for address in reject}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refused < self.refuse_first:
            self.refused += 1
            return "451 4.3.0 Mailbox busy, try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        auth = session.auth_data if session.authenticated else None
        login = auth.login.decode() if isinstance(auth, LoginPassword) else None
        tls = server.transport.get_extra_info("ssl_object") is not None
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message,
                                      login=login, tls=tls))
        return "250 Message accepted for delivery"


class SmtpServer:
    """``with SmtpServer(Mailbox()) as server:`` on 127.0.0.1:``server.port``.

    ``tls``: None (plain), "starttls" (required before MAIL) or "ssl" (TLS from the
    first byte), with the certificate files ``certificate`` = (cert, key).
    ``users``: login -> password; when given, mail is only taken after a login.
    """

    def __init__(self, handler, port=None, tls=None, certificate=None, users=None):
        self.handler = handler
        self.port = port or free_port()
        self.tls = tls
        self.certificate = certificate
        self.users = users
        self.controller = None

    def _options(self):
        options = {}
        if self.tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*self.certificate)
            if self.tls == "ssl":
                options["ssl_context"] = context
            else:
                options.update(tls_context=context, require_starttls=True)
        if self.users is not None:
            # Over implicit TLS aiosmtpd does not see the encryption AUTH requires,
            # so there the login is checked per message (``Mailbox`` records it).
            options.update(authenticator=self._authenticate, auth_required=self.tls != "ssl",
                           auth_require_tls=self.tls != "ssl")
        return options

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and self.users.get(auth_data.login.decode()) == auth_data.password.decode())
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    @property
    def messages(self):
        return self.handler.messages

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port,
                                     **self._options())
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
