"""The web app's settings: where data lives, who may connect, how much may be uploaded.

Explicit values, injected into :func:`stridelab.web.app.create_app` (tests build their
own); :meth:`WebSettings.from_config` derives them from the user's
:class:`~stridelab.config.Settings` (``STRIDELAB_*`` environment variables).
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from stridelab.config import Settings

__all__ = ["WebSettings", "is_loopback", "token_problem"]

MB = 1024 * 1024
#: A token travels in a header, a query string and a cookie: URL-safe characters only.
_TOKEN = re.compile(r"[A-Za-z0-9._~-]{12,256}")


def token_problem(token: str, /) -> str | None:
    """None for a usable token, else what is wrong with it (one line)."""
    if _TOKEN.fullmatch(token):
        return None
    if len(token.strip()) < 12:
        return f"the token must be at least 12 characters long (got {len(token.strip())})"
    return "the token may only use letters, digits and . _ ~ -"


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ``::1``)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class WebSettings(BaseModel):
    """Everything :func:`create_app` needs, explicit and immutable.

    Parameters
    ----------
    data_dir : the app's folder; uploads (``uploads/``) and video reports (``videos/``)
        are kept under it and nowhere else.
    db_url : SQLAlchemy URL of the stridelab database.
    athlete : whose data the app shows and stores.
    token : when set, every request except ``GET /api/health`` must carry it
        (``Authorization: Bearer``, ``?token=`` or the cookie set by ``?token=``); at
        least 12 URL-safe characters. When None the app is for this computer only:
        requests must name it ``localhost``, ``127.x.x.x`` or ``[::1]`` in ``Host``.
    extra_hosts : further host names accepted in ``Host`` when there is no token (a
        name in ``/etc/hosts`` pointing at loopback; the test client's ``testserver``).
    max_upload_bytes : largest accepted upload (the file part), bytes.
    max_pending_jobs : uploads waiting or running at once; more are refused (429).
    workers : background worker threads (video analysis uses two pose processes each).
    keep_jobs : finished jobs remembered for ``GET /api/jobs`` (oldest forgotten first).
    """

    model_config = ConfigDict(frozen=True)

    data_dir: Path
    db_url: str
    athlete: str = "me"
    token: str | None = None
    extra_hosts: frozenset[str] = frozenset()
    max_upload_bytes: int = Field(default=1024 * MB, gt=0)
    max_pending_jobs: int = Field(default=8, gt=0)
    workers: int = Field(default=1, gt=0, le=8)
    keep_jobs: int = Field(default=200, gt=0)

    @field_validator("token")
    @classmethod
    def _usable_token(cls, token: str | None) -> str | None:
        if token is not None and (problem := token_problem(token)) is not None:
            raise ValueError(problem)
        return token

    @classmethod
    def from_config(
        cls,
        config: Settings,
        /,
        *,
        athlete: str = "me",
        token: str | None = None,
        **limits: int,
    ) -> WebSettings:
        """Settings for the user's data directory and database (``stridelab serve``);
        ``limits``: ``max_upload_bytes``, ``max_pending_jobs``, ``workers``, ``keep_jobs``."""
        return cls.model_validate(
            {
                "data_dir": config.data_dir,
                "db_url": config.db_url,
                "athlete": athlete,
                "token": token,
                **limits,
            }
        )

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def videos_dir(self) -> Path:
        return self.data_dir / "videos"
