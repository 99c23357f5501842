"""Access to the real Request Tracker 5 of the tests (started by ``make test-rt`` and
``.ci/run`` with ``.ci/request-tracker/start-rt.sh``): a REST 2 client, the server
itself (stopped and started again the way start-rt.sh's README says), and a loopback
relay in front of it that loses RT's answers, as a slow RT does when the forum gives
up waiting."""
import base64
import fcntl
import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

RT_URL = os.environ.get("FORUM_TEST_RT_URL", "http://127.0.0.1:8080/rt")
STATE_DIR = Path(os.environ.get("RT_STATE_DIR")
                 or Path(os.environ.get("TMPDIR", "/tmp")) / "request-tracker")
ROOT_PASSWORD = os.environ.get("RT_ROOT_PW", "password123")
PROJECT_ROOT = Path(__file__).resolve().parents[3]
# As in .ci/run: relative to the project root.
START_SCRIPT = PROJECT_ROOT / os.environ.get("RT_START_SCRIPT",
                                             ".ci/request-tracker/start-rt.sh")
LOCK_PATH = Path(tempfile.gettempdir()) / "request-tracker-tests.lock"


@contextmanager
def using_rt(exclusive=False):
    """Held while a test uses RT (shared) or stops it (exclusive), across processes:
    the xdist workers of a run and other test runs on this machine."""
    fd = os.open(LOCK_PATH, os.O_RDONLY | os.O_CREAT, 0o644)  # flock needs no write access
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)  # and with it the lock


def tokens():
    path = STATE_DIR / "tokens.txt"
    pairs = [line.split() for line in path.read_text().splitlines() if line.strip()]
    return {name: token for name, token in pairs}


def unavailable():
    """Why the real RT cannot be used here, or None."""
    try:
        token = tokens()["forum-bridge"]
    except (OSError, KeyError, ValueError) as error:
        return f"no RT tokens in {STATE_DIR} ({error}); `make test-rt` starts RT (root)"
    try:
        RT(token).call("GET", "/queue/General")
    except Exception as error:  # noqa: BLE001 - any reason makes RT unusable
        return f"Request Tracker not reachable at {RT_URL}: {error}"
    return None


class RT:
    """A tiny REST 2 client, as an agent (token) or root (password) uses RT."""

    def __init__(self, token=None, basic=None):
        self.auth = f"token {token}" if token else \
            "Basic " + base64.b64encode(basic.encode()).decode()

    def call(self, method, path, payload=None):
        body = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(f"{RT_URL}/REST/2.0{path}", data=body, method=method,
                                         headers={"Authorization": self.auth,
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=20) as answer:
            return json.loads(answer.read() or b"null")

    def history(self, ticket_id):
        items = self.call("GET", f"/ticket/{ticket_id}/history?fields=Type,Creator&per_page=100")
        return [(i["Type"], i["Creator"]["id"], i["id"]) for i in items["items"]]

    def content(self, transaction_id):
        parts = self.call("GET", f"/transaction/{transaction_id}/attachments"
                                 "?fields=ContentType,Content")["items"]
        return "".join(p["Content"] for p in parts if p["ContentType"] == "text/plain")


class LocalRT:
    """The RT server start-rt.sh runs on this machine. ``stop`` does what its README
    says (``kill -- -$(cat $RT_STATE_DIR/rt-server.pid)``: SIGTERM to the server's
    process group); ``start`` runs start-rt.sh again, which reuses the install and
    writes new tokens (the old ones stay valid). ``seconds`` records how long each took."""

    def __init__(self):
        parts = urlsplit(RT_URL)
        self.address = (parts.hostname, parts.port or 80)
        self.seconds = {}

    @staticmethod
    def cannot_restart():
        """Why this run cannot stop and start RT itself, or None."""
        if os.geteuid() != 0:
            return "stopping and starting Request Tracker needs root (start-rt.sh)"
        if not START_SCRIPT.is_file():
            return f"start-rt.sh not found at {START_SCRIPT} (set RT_START_SCRIPT)"
        if urlsplit(RT_URL).hostname not in ("127.0.0.1", "localhost"):
            return f"RT at {RT_URL} is not one start-rt.sh runs on this machine"
        if not (STATE_DIR / "rt-server.pid").is_file():
            return f"no {STATE_DIR / 'rt-server.pid'}: RT was not started by start-rt.sh"
        return None

    def listening(self):
        try:
            socket.create_connection(self.address, timeout=2).close()
        except OSError:
            return False
        return True

    def stop(self, patience=60):
        began = time.monotonic()
        group = self._server_group()
        if group is not None:
            os.killpg(group, signal.SIGTERM)
        # Not our child: watch its port until every worker let go of it.
        while self.listening():
            if time.monotonic() - began > patience:
                raise RuntimeError(f"RT still listens on {self.address} after {patience} s")
            time.sleep(0.1)
        self.seconds["stop"] = time.monotonic() - began

    def _server_group(self):
        """The process group of the server listening on RT's port. rt-server.pid names
        it too, unless two start-rt.sh ran at once and the file names the one that
        found the port taken; a stale pid must not make us signal someone else."""
        sockets = self._listening_sockets()
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                if any(os.readlink(fd) in sockets for fd in (proc / "fd").iterdir()):
                    return os.getpgid(int(proc.name))
            except OSError:
                continue  # gone, or not ours to look at
        return None

    def _listening_sockets(self):
        port = f":{self.address[1]:04X}"
        found = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[1].endswith(port) and fields[3] == "0A":  # 0A: LISTEN
                    found.add(f"socket:[{fields[9]}]")
        return found

    def start(self):
        """start-rt.sh, then RT's tokens as they were: it makes a new token per user on
        every run, and RT tries a user's tokens one by one with bcrypt (about 0.25 s
        each), so each restart would slow every later request with the newest token."""
        began = time.monotonic()
        tokens_file = STATE_DIR / "tokens.txt"
        kept = tokens_file.read_text()
        env = {**os.environ, "RT_STATE_DIR": str(STATE_DIR), "RT_PORT": str(self.address[1])}
        done = subprocess.run(["bash", str(START_SCRIPT)], env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=900)
        if done.returncode != 0:
            raise RuntimeError(f"start-rt.sh failed ({done.returncode}): "
                               f"{done.stdout.decode(errors='replace')[-2000:]}")
        self.seconds["start"] = time.monotonic() - began
        made = tokens_file.read_text()
        if made != kept:
            _rt_perl(REVOKE_TOKENS, stdin=made)
            tokens_file.write_text(kept)

    def ensure_running(self):
        if unavailable():
            self.start()


# Reads "name token" lines and revokes each token (the newest match of its owner).
REVOKE_TOKENS = r"""
while (my $line = <STDIN>) {
    my ($name, $auth) = split ' ', $line;
    next unless $auth;
    my ($owner, $clear) = RT::AuthToken->ParseAuthString($auth) or die "bad token of $name\n";
    my $tokens = RT::AuthTokens->new(RT->SystemUser);
    $tokens->LimitOwner(VALUE => $owner);
    $tokens->OrderBy(FIELD => 'id', ORDER => 'DESC');
    my $found;
    while (my $token = $tokens->Next) { if ($token->IsToken($clear)) { $found = $token; last } }
    die "no token of $name to revoke\n" unless $found;
    my ($ok, $msg) = $found->Delete;
    die "$name: $msg\n" unless $ok;
}
"""


def _rt_perl(code, stdin=""):
    """Run Perl with RT's own library on its database, as RT's user (as make-users.pl runs)."""
    script = ("use strict; use warnings; use lib '/usr/share/request-tracker5/lib'; use RT; "
              "RT::LoadConfig(); RT::Init();\n" + code)
    done = subprocess.run(["runuser", "-u", "www-data", "--", "perl", "-e", script],
                          input=stdin, capture_output=True, text=True, cwd=STATE_DIR,
                          timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"RT perl failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


class AnswerLosingRelay:
    """A loopback TCP relay in front of RT that forwards every request and drops RT's
    answer: RT does what it was asked, the client hears nothing until it gives up
    (its timeout). ``wait_for_answers(n)`` waits until RT has finished n requests."""

    def __init__(self):
        parts = urlsplit(RT_URL)
        self.target = (parts.hostname, parts.port or 80)
        self._server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}{parts.path}"
        self._sockets = [self._server]
        self._answered = 0
        self._changed = threading.Condition()
        threading.Thread(target=self._accept, daemon=True).start()

    def wait_for_answers(self, count, timeout=60):
        with self._changed:
            if not self._changed.wait_for(lambda: self._answered >= count, timeout):
                raise AssertionError(f"RT finished {self._answered} of {count} requests "
                                     f"within {timeout} s")

    def close(self):
        for sock in self._sockets:
            try:
                sock.close()
            except OSError:
                pass

    def _accept(self):
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return  # closed
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            self._sockets += [client, upstream]
            threading.Thread(target=self._forward, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._swallow, args=(upstream,), daemon=True).start()

    @staticmethod
    def _forward(client, upstream):
        # The request goes on; then silence until the client gives up and hangs up.
        try:
            while data := client.recv(65536):
                upstream.sendall(data)
        except OSError:
            pass
        client.close()

    def _swallow(self, upstream):
        try:
            while upstream.recv(65536):  # RT closes after its answer (Connection: close)
                pass
        except OSError:
            pass
        upstream.close()
        with self._changed:
            self._answered += 1
            self._changed.notify_all()
