"""Who may talk to the app: the token rule, the loopback host rule, same-origin posts.

Pure ASGI middlewares (they never read the body, so uploads keep streaming).

- :class:`TokenGuard`: off loopback every request must carry the app's token, as
  ``Authorization: Bearer <token>``, as ``?token=<token>`` (which also sets an HttpOnly,
  SameSite=Strict cookie so the browser's later requests carry it; a page opened so is
  redirected to the same address without the token) or as that cookie.
  ``GET /api/health`` stays open so a supervisor can probe the app.
- :class:`LoopbackHostGuard`: without a token, the ``Host`` header must name this
  computer (``localhost``, ``127.x.x.x``, ``[::1]``). A web page on another site can
  point its own host name at 127.0.0.1 ("DNS rebinding"); the browser then treats the
  app as that site and lets the page read it and post to it. Such requests carry the
  other site's name in ``Host`` and are refused (the defence Jupyter, webpack and
  Vite's dev servers use).
- :class:`SameOriginGuard`: a POST sent by another web site is refused.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import quote, urlencode

from starlette.datastructures import Headers, QueryParams
from starlette.requests import cookie_parser

from stridelab.web.settings import is_loopback

__all__ = [
    "COOKIE_NAME",
    "OPEN_PATHS",
    "LoopbackHostGuard",
    "SameOriginGuard",
    "SecurityHeaders",
    "TokenGuard",
    "host_name",
]

COOKIE_NAME = "stridelab_token"
OPEN_PATHS = frozenset({"/api/health"})

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_PAGE = (
    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>stridelab: token "
    "needed</title></head><body style='font-family:system-ui;max-width:40rem;margin:3rem auto'>"
    "<h1>Token needed</h1><p>This stridelab app listens on the network, so it asks for the "
    "token printed when it started. Open the address printed there (it ends in "
    "<code>?token=…</code>), or add <code>?token=YOUR_TOKEN</code> to this address.</p>"
    "</body></html>"
)


def _is_page(path: str) -> bool:
    """A page for people (not the JSON API, its schema or a file)."""
    return (
        not (path.startswith(("/api/", "/static/", "/vendor/")) or path == "/openapi.json")
        and "/files/" not in path
    )


class TokenGuard:
    """Refuse (401) any request without the token, except :data:`OPEN_PATHS`."""

    def __init__(self, app: ASGIApp, *, token: str) -> None:
        if not token:
            raise ValueError("an empty token would let everyone in")
        self.app = app
        self._token = token.encode()

    def _matches(self, candidate: str | None) -> bool:
        if not candidate:
            return False
        return hmac.compare_digest(candidate.encode("utf-8", "replace"), self._token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or (
            scope["type"] == "http" and scope["path"] in OPEN_PATHS
        ):
            await self.app(scope, receive, send)  # lifespan, and the open health probe
            return
        headers = Headers(scope=scope)
        auth = headers.get("authorization", "")
        bearer = auth[7:].strip() if auth[:7].lower() == "bearer " else None
        query = QueryParams(scope.get("query_string", b"").decode("latin-1")).get("token")
        cookie = cookie_parser(headers.get("cookie", "")).get(COOKIE_NAME)
        if self._matches(bearer) or self._matches(cookie):
            await self.app(scope, receive, send)
            return
        if self._matches(query):
            if scope["type"] == "http" and scope["method"] == "GET" and _is_page(scope["path"]):
                # a page opened from the printed link: set the cookie and drop the token
                # from the address bar (and so from history and bookmarks)
                await self._redirect_without_token(scope, send)
                return
            await self.app(scope, receive, self._with_cookie(send))
            return
        await self._refuse(scope, send)

    def _cookie(self) -> tuple[bytes, bytes]:
        value = f"{COOKIE_NAME}={self._token.decode()}; Path=/; HttpOnly; SameSite=Strict"
        return (b"set-cookie", value.encode("latin-1"))

    def _with_cookie(self, send: Send) -> Send:
        cookie = self._cookie()

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), cookie]
            await send(message)

        return wrapped

    async def _redirect_without_token(self, scope: Scope, send: Send) -> None:
        query = QueryParams(scope.get("query_string", b"").decode("latin-1"))
        rest = urlencode([(k, v) for k, v in query.multi_items() if k != "token"])
        # one leading slash: "//other.site" must not become a redirect to another site
        location = "/" + quote(scope["path"]).lstrip("/") + (f"?{rest}" if rest else "")
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", location.encode("latin-1")),
                    (b"content-length", b"0"),
                    (b"cache-control", b"no-store"),
                    self._cookie(),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    async def _refuse(self, scope: Scope, send: Send) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope["path"].startswith("/api/") or scope["path"] == "/openapi.json":
            body = json.dumps(
                {
                    "detail": "this app is not on loopback and needs its token: send "
                    "'Authorization: Bearer <token>' or '?token=<token>'"
                }
            ).encode()
            ctype = b"application/json"
        else:
            body = _PAGE.encode()
            ctype = b"text/html; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", ctype),
                    (b"content-length", str(len(body)).encode()),
                    (b"www-authenticate", b'Bearer realm="stridelab"'),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def host_name(host_header: str, /) -> str:
    """The name in a ``Host`` header without its port (``[::1]:8765`` → ``::1``)."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else ""
    name, sep, port = host.rpartition(":")
    return name if sep and port.isdigit() else host


async def _send_json(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class LoopbackHostGuard:
    """Refuse (400) requests whose ``Host`` is not this computer (DNS rebinding).

    For an app without a token: it listens on loopback only, so a legitimate browser
    names it ``localhost``, a 127.x.x.x address or ``[::1]`` (or one of ``extra_hosts``);
    any other name means a page of another site reached it through its own DNS name.
    """

    def __init__(self, app: ASGIApp, *, extra_hosts: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.extra_hosts = frozenset(h.lower() for h in extra_hosts)

    def allowed(self, host_header: str | None) -> bool:
        if not host_header:
            return False
        name = host_name(host_header)
        return bool(name) and (name in self.extra_hosts or is_loopback(name))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            host = Headers(scope=scope).get("host")
            if not self.allowed(host):
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                shown = (host or "")[:100]
                await _send_json(
                    send,
                    400,
                    f"this app answers only to this computer's own names (localhost, "
                    f"127.0.0.1, [::1]), not to Host {shown!r}",
                )
                return
        await self.app(scope, receive, send)


class SameOriginGuard:
    """Refuse (403) state-changing requests sent by another web site.

    A page on any site can make the browser POST a form to ``127.0.0.1``; browsers then
    send an ``Origin`` header naming that site. A POST/PUT/PATCH/DELETE whose ``Origin``
    is not this app's own (scheme-less ``host:port`` equal to the ``Host`` header) is
    refused before its body is read. Requests without ``Origin`` (curl, scripts, the
    test client) pass: they are not sent by a browser on behalf of another site.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("POST", "PUT", "PATCH", "DELETE"):
            headers = Headers(scope=scope)
            origin = headers.get("origin")
            if origin is not None:
                host = headers.get("host", "")
                own = origin.split("://", 1)[-1].rstrip("/")
                if origin == "null" or own.lower() != host.lower():
                    await _send_json(send, 403, f"cross-site request from {origin[:100]!r} refused")
                    return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """Add ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY`` and
    ``Referrer-Policy: no-referrer`` to every response (the browser must not guess types
    of served files, frame the app into another site, or pass a ``?token=`` address on)."""

    HEADERS = (
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.HEADERS]
            await send(message)

        await self.app(scope, receive, wrapped)
