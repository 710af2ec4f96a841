"""HTTP for :mod:`kinerja.remote`: keep-alive connections, authentication, time limits.

The standard library's ``http.client``, one keep-alive connection per thread and host.
HTTP digest (RFC 7616) or basic authentication is answered without an extra round trip
once the server has challenged. Every request has a deadline: the socket waits at most
until it, and a request that passes it raises :class:`RemoteTimeout`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import http.client
import os
import re
import select
import threading
import time
import urllib.parse
import weakref
from collections.abc import Mapping
from dataclasses import dataclass

from kinerja.errors import KinerjaError, QueryTimeout

MESSAGE_LIMIT = 600  # characters of a server's error message kept in an exception


class RemoteError(KinerjaError):
    """A SPARQL server cannot be reached, refuses a request, or answers what cannot be read.

    The message names the URL and what the server answered (its HTTP status and message)."""

    def __init__(self, url: str, answer: str, status: int | None = None):
        self.url = url
        self.answer = answer
        self.status = status  # the HTTP status, when the server answered one
        super().__init__(f"{url}: {answer}")


class RemoteTimeout(RemoteError, QueryTimeout):
    """A request to a SPARQL server ran past its time limit, here or on the server."""


@dataclass
class Response:
    url: str
    status: int
    reason: str
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def media_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()


class Auth:
    """Credentials for HTTP digest (RFC 7616, qop=auth) or basic authentication.

    Nothing is sent until the server first challenges; from then on every request carries
    the answer to the last challenge (digest with a growing nonce count), so the 401
    round trip happens once, not per request."""

    def __init__(self, user: str, password: str):
        self.user = user
        self.password = password
        self._lock = threading.Lock()
        self._scheme: str | None = None
        self._challenge: dict[str, str] = {}
        self._count = 0

    def learn(self, values: list[str]) -> bool:
        """Take the challenge of a 401 answer; False if there is no usable new one."""
        with self._lock:
            for value in values:
                scheme, _, rest = value.strip().partition(" ")
                if scheme.lower() == "digest":
                    challenge = {k.lower(): v1 or v2 for k, v1, v2 in _PARAMS.findall(rest)}
                    algorithm = challenge.get("algorithm", "MD5").upper()
                    if algorithm not in _DIGESTS or "nonce" not in challenge:
                        continue
                    fresh = challenge.get("nonce") != self._challenge.get("nonce")
                    stale = challenge.get("stale", "").lower() == "true"
                    if self._scheme == "digest" and not (fresh or stale):
                        return False  # the same nonce again: the credentials are wrong
                    self._scheme, self._challenge, self._count = "digest", challenge, 0
                    return True
            if any(v.strip().lower().startswith("basic") for v in values):
                if self._scheme == "basic":
                    return False
                self._scheme = "basic"
                return True
            return False

    def header(self, method: str, target: str) -> dict[str, str]:
        with self._lock:
            if self._scheme == "basic":
                token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
                return {"Authorization": f"Basic {token}"}
            if self._scheme != "digest":
                return {}
            self._count += 1
            count = f"{self._count:08x}"
            c = self._challenge
        digest = _DIGESTS[c.get("algorithm", "MD5").upper()]
        cnonce = os.urandom(8).hex()
        ha1 = digest(f"{self.user}:{c.get('realm', '')}:{self.password}")
        ha2 = digest(f"{method}:{target}")
        fields = {
            "username": f'"{self.user}"',
            "realm": f'"{c.get("realm", "")}"',
            "nonce": f'"{c["nonce"]}"',
            "uri": f'"{target}"',
            "algorithm": c.get("algorithm", "MD5"),
        }
        qops = [q.strip() for q in c.get("qop", "").split(",")]
        if "auth" in qops:
            answer = digest(f"{ha1}:{c['nonce']}:{count}:{cnonce}:auth:{ha2}")
            fields |= {"qop": "auth", "nc": count, "cnonce": f'"{cnonce}"'}
        else:
            answer = digest(f"{ha1}:{c['nonce']}:{ha2}")
        fields["response"] = f'"{answer}"'
        if "opaque" in c:
            fields["opaque"] = f'"{c["opaque"]}"'
        return {"Authorization": "Digest " + ", ".join(f"{k}={v}" for k, v in fields.items())}


_PARAMS = re.compile(r'([\w-]+)\s*=\s*(?:"([^"]*)"|([^\s,]*))')
_DIGESTS = {
    "MD5": lambda s: hashlib.md5(s.encode()).hexdigest(),
    "SHA-256": lambda s: hashlib.sha256(s.encode()).hexdigest(),
}
_RETRYABLE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class _Pool(dict):
    """One thread's connections by (scheme, host, port); closed when the thread ends."""

    def __del__(self) -> None:
        for conn in self.values():
            conn.close()


class Http:
    """Keep-alive HTTP/1.1: one connection per thread and host, reused while it lives."""

    def __init__(self, auth: tuple[str, str] | None):
        self.auth = Auth(*auth) if auth else None
        self._local = threading.local()
        self._all: weakref.WeakSet[http.client.HTTPConnection] = weakref.WeakSet()
        self._lock = threading.Lock()

    def request(
        self,
        method: str,
        url: str,
        timeout: float,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool = True,
    ) -> Response:
        """Send one request and read the whole answer before ``timeout`` seconds pass."""
        deadline = time.monotonic() + timeout
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RemoteError(url, "not an http(s) URL")
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sent_credentials = False
        retried = False
        challenges = 0
        while True:
            conn, reused = self._connection(parts)
            all_headers = dict(headers or {})
            if self.auth is not None:
                all_headers |= self.auth.header(method, target)
                sent_credentials = sent_credentials or "Authorization" in all_headers
            try:
                response = self._exchange(conn, method, target, body, all_headers, deadline)
            except TimeoutError:
                conn.close()
                raise RemoteTimeout(
                    url, f"no complete answer within the time limit of {timeout:g} s"
                ) from None
            except _RETRYABLE as e:
                conn.close()
                # A kept-alive connection the server closed meanwhile: once more, afresh.
                if reused and not retried and idempotent:
                    retried = True
                    continue
                raise RemoteError(url, f"the connection broke: {_reason(e)}") from None
            except (OSError, http.client.HTTPException) as e:
                conn.close()
                raise RemoteError(url, f"cannot connect: {_reason(e)}") from None
            answer = Response(url, response[0], response[1], response[2], response[3])
            if answer.status == 401 and self.auth is not None:
                challenges += 1
                challenge = answer.headers.get_all("WWW-Authenticate") or []
                if challenges <= 2 and self.auth.learn(challenge):
                    continue
                if sent_credentials:
                    raise RemoteError(
                        url, f"the credentials of user {self.auth.user!r} were refused", 401
                    )
            return answer

    def _exchange(
        self,
        conn: http.client.HTTPConnection,
        method: str,
        target: str,
        body: bytes | None,
        headers: dict[str, str],
        deadline: float,
    ) -> tuple[int, str, http.client.HTTPMessage, bytes]:
        conn.timeout = _remaining(deadline)
        if conn.sock is not None:
            conn.sock.settimeout(conn.timeout)
        conn.request(method, target, body=body, headers=headers)
        sock = conn.sock  # the answer may take the socket over (Connection: close)
        response = conn.getresponse()
        chunks = []
        while True:
            if sock is not None:
                sock.settimeout(_remaining(deadline))
            chunk = response.read(1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
        return response.status, response.reason, response.headers, b"".join(chunks)

    def _connection(
        self, parts: urllib.parse.SplitResult
    ) -> tuple[http.client.HTTPConnection, bool]:
        key = (parts.scheme, parts.hostname, parts.port)
        pool: _Pool = self._local.__dict__.setdefault("pool", _Pool())
        conn = pool.get(key)
        if conn is not None and conn.sock is not None and not _dropped(conn.sock):
            return conn, True
        if conn is not None:
            conn.close()
        cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = cls(parts.hostname, parts.port)
        pool[key] = conn
        with self._lock:
            self._all.add(conn)
        return conn, False

    def close(self) -> None:
        with self._lock:
            for conn in list(self._all):
                conn.close()


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _dropped(sock) -> bool:
    """Whether an idle kept-alive socket was closed by the server (it reads as ready)."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def server_message(body: bytes, media_type: str = "") -> str:
    """The readable part of a server's error answer, on one line, cut to a sensible size."""
    text = body.decode("utf-8", "replace")
    if "html" in media_type or text.lstrip().startswith("<"):
        text = re.sub(r"(?is)<(head|script|style)\b.*?</\1>", " ", text)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.split(r"\n\s*SPARQL query:\s*\n", text)[0]  # Virtuoso repeats the query
    return one_line(text) or "(no message)"


def one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT] + " ..."
