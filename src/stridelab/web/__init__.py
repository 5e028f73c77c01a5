"""The local web app (``stridelab serve``): a thin shell over the library.

In: :class:`WebSettings` (data folder, database, athlete, token, upload limits). Out: a
FastAPI app (:func:`create_app`) with server-rendered pages (dashboard, activities,
video report, tests, plan) and a JSON API under ``/api/`` (uploads → background jobs
with progress, activities, overview, videos, tests, findings, plan and its iCalendar
file). Needs the ``web`` extra (fastapi, uvicorn, python-multipart).
"""

from stridelab.web.app import create_app
from stridelab.web.settings import WebSettings, is_loopback

__all__ = ["WebSettings", "create_app", "is_loopback"]
