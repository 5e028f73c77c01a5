"""The token rule: off loopback, every request must prove it knows the app's token.

A pure ASGI middleware (it never reads the body, so uploads keep streaming). The token
is accepted as ``Authorization: Bearer <token>``, as ``?token=<token>`` (which also sets
an HttpOnly, SameSite=Strict cookie so the browser's later requests carry it) or as that
cookie. ``GET /api/health`` stays open so a supervisor can probe the app.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.datastructures import Headers, QueryParams
from starlette.requests import cookie_parser

__all__ = ["COOKIE_NAME", "OPEN_PATHS", "SameOriginGuard", "SecurityHeaders", "TokenGuard"]

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
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
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
            await self.app(scope, receive, self._with_cookie(send))
            return
        await self._refuse(scope, send)

    def _with_cookie(self, send: Send) -> Send:
        value = (f"{COOKIE_NAME}={self._token.decode()}; Path=/; HttpOnly; SameSite=Strict").encode(
            "latin-1"
        )

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"set-cookie", value)]
            await send(message)

        return wrapped

    async def _refuse(self, scope: Scope, send: Send) -> None:
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
                    body = json.dumps(
                        {"detail": f"cross-site request from {origin[:100]!r} refused"}
                    ).encode()
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 403,
                            "headers": [
                                (b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                            ],
                        }
                    )
                    await send({"type": "http.response.body", "body": body})
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
