"""A test server that behaves like our five providers' list endpoints, over real HTTP.

Each provider keeps its own pagination semantics and error body over a data set of a few
thousand jobs, some sharing a `created_at`:

- aigenstudio image / product photo: a date-time cursor, *inclusive* (`created_at <= cursor`),
  so the jobs that share the boundary's timestamp come again on the next page;
- krea: a date-time cursor, *exclusive* ("jobs created before this time"); the server ends a
  page before a group of equal timestamps so no job is skipped;
- depicta: `limit`/`offset` with a `total`;
- fashion studio: `limit`/`offset` with the page's `count` (the listing ends on a short page).

Faults are queued per server and consumed one per request: `429` (with `Retry-After`), `500`,
`503`, `drop` (close the connection without answering), `slow` (answer after the client's
timeout), `badjson`, and the `repeat_cursor` mode (every page answers the cursor it was sent).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

API_KEY = "sk-test-5ecret-value-1234"
JOBS = 2500
BASE_TIME = dt.datetime(2026, 6, 1, 12, 0, 0, tzinfo=dt.timezone.utc)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _timestamps(count: int, seed: int) -> list[dt.datetime]:
    """Newest first; about one in six shares its timestamp with the one before it."""
    rng = random.Random(seed)
    moments = []
    current = BASE_TIME
    for index in range(count):
        if index and rng.random() >= 1 / 6:
            current -= dt.timedelta(seconds=rng.randint(1, 90))
        moments.append(current)
    return moments


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class Provider:
    """One provider's list endpoint over its data set."""

    path: str
    jobs: list[dict[str, Any]]

    def list(self, query: dict[str, list[str]], repeat_cursor: bool) -> Reply:
        raise NotImplementedError

    def error(self, status: int, message: str, request_id: str) -> Any:
        raise NotImplementedError

    def ids(self) -> list[str]:
        raise NotImplementedError


def _one(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[0] if values else None


class AigenstudioImage(Provider):
    path = "/api/v1/jobs"
    statuses = ["queued", "processing", "completed", "failed", "cancelled", "partially_completed"]
    tools = ["remove_background", "image_editing", "image_ai_edit", "ai_background",
             "image_generation", "ad_creative"]

    def __init__(self, seed: int = 1) -> None:
        rng = random.Random(seed)
        self.jobs = [
            {
                "id": _uuid(rng),
                "api": rng.choice(self.tools),
                "status": rng.choice(self.statuses),
                "sandbox": rng.random() < 0.5,
                "total_results": 4,
                "completed_results": 4,
                "credits_reserved": 2,
                "created_at": _iso(moment),
                "updated_at": _iso(moment),
                "completed_at": None if rng.random() < 0.3 else _iso(moment),
            }
            for moment in _timestamps(JOBS, seed)
        ]

    def ids(self) -> list[str]:
        return [job["id"] for job in self.jobs]

    def page_body(self, page: list[dict[str, Any]], next_cursor: str | None) -> Any:
        return {"jobs": page, "next_cursor": next_cursor, "request_id": f"req_{uuid.uuid4().hex}"}

    def list(self, query: dict[str, list[str]], repeat_cursor: bool) -> Reply:
        limit = int(_one(query, "limit") or 20)
        if not 1 <= limit <= 100:
            return Reply(400, self.error(400, "limit must be 1..100", "req_bad"))
        cursor = _one(query, "cursor")
        jobs = self.jobs
        if cursor is not None:
            boundary = dt.datetime.fromisoformat(cursor)
            jobs = [j for j in jobs if dt.datetime.fromisoformat(j["created_at"]) <= boundary]
        page = jobs[:limit]
        more = len(jobs) > limit
        next_cursor = page[-1]["created_at"] if more and page else None
        if repeat_cursor and cursor is not None:
            next_cursor = cursor
        return Reply(200, self.page_body(page, next_cursor))

    def error(self, status: int, message: str, request_id: str) -> Any:
        return {"error": {"code": f"http_{status}", "message": message, "details": {}},
                "request_id": request_id}


class AigenstudioProductPhoto(AigenstudioImage):
    path = "/api/v1/product-photo-jobs"
    statuses = ["queued", "processing", "completed", "partially_completed", "failed", "cancelled"]

    def __init__(self, seed: int = 2) -> None:
        rng = random.Random(seed)
        self.jobs = [
            {
                "id": _uuid(rng),
                "status": rng.choice(self.statuses),
                "total_items": rng.randint(1, 9),
                "credits_reserved": rng.randint(0, 9),
                "sandbox": rng.random() < 0.5,
                "created_at": _iso(moment),  # not in the schema: kept as an unknown field
            }
            for moment in _timestamps(JOBS, seed)
        ]

    def page_body(self, page: list[dict[str, Any]], next_cursor: str | None) -> Any:
        body: dict[str, Any] = {"jobs": page, "request_id": f"req_{uuid.uuid4().hex}"}
        if next_cursor is not None:  # optional in this API: omitted on the last page
            body["next_cursor"] = next_cursor
        return body

    def error(self, status: int, message: str, request_id: str) -> Any:
        return {"error": {"code": f"http_{status}", "message": message, "request_id": request_id}}


class Krea(Provider):
    path = "/jobs"
    statuses = ["backlogged", "queued", "scheduled", "processing", "sampling",
                "intermediate-complete", "completed", "failed", "cancelled"]

    def __init__(self, seed: int = 3) -> None:
        rng = random.Random(seed)
        self.jobs = [
            {
                "job_id": _uuid(rng),
                "status": rng.choice(self.statuses),
                "created_at": _iso(moment),
                "result": {"urls": [f"https://cdn.example/{index}.png"]},
            }
            for index, moment in enumerate(_timestamps(JOBS, seed))
        ]

    def ids(self) -> list[str]:
        return [job["job_id"] for job in self.jobs]

    def list(self, query: dict[str, list[str]], repeat_cursor: bool) -> Reply:
        limit = int(_one(query, "limit") or 100)
        if not 1 <= limit <= 1000:
            return Reply(400, self.error(400, "limit must be 1..1000", "req_bad"))
        cursor = _one(query, "cursor")
        jobs = self.jobs
        if cursor is not None:
            boundary = dt.datetime.fromisoformat(cursor)
            jobs = [j for j in jobs if dt.datetime.fromisoformat(j["created_at"]) < boundary]
        page = jobs[:limit]
        if len(jobs) > limit:
            # End the page before a group of equal timestamps that the limit would split.
            while len(page) > 1 and page[-1]["created_at"] == jobs[len(page)]["created_at"]:
                page.pop()
            next_cursor = page[-1]["created_at"]
        else:
            next_cursor = None
        if repeat_cursor and cursor is not None:
            next_cursor = cursor
        return Reply(200, {"items": page, "next_cursor": next_cursor})

    def error(self, status: int, message: str, request_id: str) -> Any:
        return {"error": message}


class Depicta(Provider):
    path = "/v1/jobs"

    def __init__(self, seed: int = 4) -> None:
        rng = random.Random(seed)
        self.jobs = []
        for moment in _timestamps(JOBS, seed):
            status = rng.choice(["pending", "processing", "completed", "failed"])
            job: dict[str, Any] = {"job_id": _uuid(rng), "status": status,
                                   "created_at": _iso(moment), "scenes_total": 3,
                                   "scenes_completed": 3 if status == "completed" else 0,
                                   "started_at": None if status == "pending" else _iso(moment),
                                   "completed_at": None}
            if status == "failed":
                job["error"] = {"code": "content_rejected", "message": "rejected"}
            self.jobs.append(job)

    def ids(self) -> list[str]:
        return [job["job_id"] for job in self.jobs]

    def list(self, query: dict[str, list[str]], repeat_cursor: bool) -> Reply:
        limit = int(_one(query, "limit") or 20)
        offset = int(_one(query, "offset") or 0)
        if repeat_cursor:
            offset = 0  # a server that ignores the offset
        page = self.jobs[offset:offset + limit]
        return Reply(200, {"generations": page, "limit": limit, "offset": offset,
                           "total": len(self.jobs)})

    def error(self, status: int, message: str, request_id: str) -> Any:
        return {"error": f"http_{status}", "message": message, "request_id": request_id,
                "details": None}


class FashionStudio(Provider):
    path = "/v1/jobs"
    types = ["MODEL_GENERATOR", "BACKGROUND_GENERATOR", "COMPLEMENTARY_GARMENT_GENERATOR",
             "PRODUCT_TO_MODEL_DIRECT", "PRODUCT_TO_MODEL_PHASED", "BACKGROUND_SWAP_WITH_IMAGE",
             "BACKGROUND_SWAP_WITH_SPEC", "MODEL_SWAP_WITH_IMAGE"]

    def __init__(self, seed: int = 5) -> None:
        rng = random.Random(seed)
        self.jobs = [
            {"public_id": f"01J{index:023d}", "job_type": rng.choice(self.types),
             "status": rng.choice(["NOT_STARTED", "IN_PROGRESS", "SUCCESS", "FAILURE"]),
             "created_at": _iso(moment)}
            for index, moment in enumerate(_timestamps(JOBS, seed))
        ]

    def ids(self) -> list[str]:
        return [job["public_id"] for job in self.jobs]

    def list(self, query: dict[str, list[str]], repeat_cursor: bool) -> Reply:
        limit = int(_one(query, "limit") or 50)
        if not 1 <= limit <= 200:
            return Reply(422, {"detail": [{"loc": ["query", "limit"], "msg": "out of range",
                                           "type": "value_error"}]})
        offset = int(_one(query, "offset") or 0)
        if repeat_cursor:
            offset = 0  # a server that ignores the offset
        wanted = query.get("job_type")
        jobs = [j for j in self.jobs if not wanted or j["job_type"] in wanted]
        page = jobs[offset:offset + limit]
        return Reply(200, {"jobs": page, "limit": limit, "offset": offset, "count": len(page)})

    def error(self, status: int, message: str, request_id: str) -> Any:
        return {"detail": [{"loc": ["header"], "msg": message, "type": f"http_{status}"}]}


PROVIDERS: dict[str, Callable[[], Provider]] = {
    "aigenstudio_image": AigenstudioImage,
    "aigenstudio_product_photo": AigenstudioProductPhoto,
    "krea": Krea,
    "depicta": Depicta,
    "fashion_studio": FashionStudio,
}


class FakeProviderServer:
    """Serves one provider on 127.0.0.1 at a free port, in a background thread."""

    def __init__(self, provider: Provider, slow_seconds: float = 1.0) -> None:
        self.provider = provider
        self.faults: list[str] = []
        self.repeat_cursor = False
        self.slow_seconds = slow_seconds
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                server._handle(self)

            def do_POST(self) -> None:  # noqa: N802
                server._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        prefix = "/api/v1" if self.provider.path.startswith("/api/v1") else ""
        return f"http://{host}:{port}{prefix}"

    def __enter__(self) -> "FakeProviderServer":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _next_fault(self) -> str | None:
        with self._lock:
            return self.faults.pop(0) if self.faults else None

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlsplit(handler.path)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            self.requests.append((handler.command, handler.path, headers))
        request_id = f"req_{uuid.uuid4().hex[:12]}"
        fault = self._next_fault()
        try:
            if fault == "drop":
                handler.close_connection = True
                handler.connection.shutdown(2)
                return
            if fault == "slow":
                time.sleep(self.slow_seconds)
            query_key = _one(parse_qs(url.query), "api_key")
            if API_KEY not in (headers.get("authorization", "").removeprefix("Bearer "),
                               headers.get("x-api-key"), query_key):
                reply = Reply(401, self.provider.error(401, "invalid api key", request_id))
            elif fault and fault.split(":")[0] in ("429", "500", "503", "409", "400"):
                status = int(fault.split(":")[0])
                reply = Reply(status, self.provider.error(status, "injected", request_id))
                if ":" in fault:
                    reply.headers[fault.split(":", 2)[1]] = fault.split(":", 2)[2]
            elif handler.command == "POST":
                reply = Reply(201, {"id": "job_1", "status": "queued"})
            elif url.path == self.provider.path and handler.command == "GET":
                reply = self.provider.list(parse_qs(url.query), self.repeat_cursor)
            else:
                reply = Reply(404, self.provider.error(404, "no such route", request_id))
            body = b"{not json" if fault == "badjson" else json.dumps(reply.body).encode()
            handler.send_response(reply.status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(body)))
            handler.send_header("X-Request-Id", request_id)
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass  # the client gave up (a timeout test); nothing to answer
