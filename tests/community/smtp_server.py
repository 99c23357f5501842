"""A real SMTP server on loopback for the mail tests (aiosmtpd in a thread).

``Mailbox`` accepts mail and keeps each message parsed; it can refuse the first
``refuse_first`` messages with 451 (try again later) and reject some recipients
with 550 (no such user), like real servers do.
"""
import email
import email.policy
import socket
from dataclasses import dataclass

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    sender: str
    recipients: list
    message: email.message.EmailMessage

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
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class SmtpServer:
    """``with SmtpServer(Mailbox()) as server:`` on 127.0.0.1:``server.port``."""

    def __init__(self, handler, port=None):
        self.handler = handler
        self.port = port or free_port()
        self.controller = None

    @property
    def messages(self):
        return self.handler.messages

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
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
