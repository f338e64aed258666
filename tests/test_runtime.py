"""The generated clients at runtime, over real HTTP against tests/fake_providers.py."""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import importlib
import logging
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator

import pytest

from conftest import GENERATED
from fake_providers import API_KEY, PROVIDERS, FakeProviderServer

sys.path.insert(0, str(GENERATED))

# How each provider's listing is called and how its items are identified.
LISTINGS = {
    "aigenstudio_image": ("list_jobs", {"limit": 100}, "id"),
    "aigenstudio_product_photo": ("list_product_photo_jobs", {"limit": 100}, "id"),
    "krea": ("list_jobs", {"limit": 100}, "job_id"),
    "depicta": ("list_generation_jobs", {"limit": 100}, "job_id"),
    "fashion_studio": ("list_jobs", {"limit": 100}, "public_id"),
}
# Faults consumed one per request after the first page; "ok" answers normally. No more than
# two failures in a row, so the default two retries always recover.
FAULTS = ["429:Retry-After:1", "ok", "500", "503", "ok", "drop", "ok", "slow", "ok",
          "503:retry-after-ms:250", "ok"]


class SleepRecorder:
    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.delays.append(seconds)


def package(name: str) -> ModuleType:
    return importlib.import_module(name)


@pytest.fixture(params=list(PROVIDERS))
def provider_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def server(provider_name: str) -> Iterator[FakeProviderServer]:
    with FakeProviderServer(PROVIDERS[provider_name](), slow_seconds=1.0) as running:
        yield running


def make_client(provider_name: str, server: FakeProviderServer, sleep: SleepRecorder,
                asynchronous: bool = False, **options: Any) -> Any:
    module = package(provider_name)
    settings: dict[str, Any] = {"api_key": API_KEY, "base_url": server.base_url,
                                "timeout": 0.4, **options}
    if asynchronous:
        return module.AsyncClient(sleep=sleep.asleep, **settings)
    return module.Client(sleep=sleep, **settings)


def key_text(item: Any, key: str) -> str:
    return str(getattr(item, key))


# ------------------------------------------------------------------------ full listings


def test_sync_listing_yields_every_job_once_in_order_through_faults(
    provider_name: str, server: FakeProviderServer
) -> None:
    method, kwargs, key = LISTINGS[provider_name]
    sleep = SleepRecorder()
    with make_client(provider_name, server, sleep) as client:
        first = getattr(client, method)(**kwargs)
        server.faults = list(FAULTS)
        seen = [key_text(item, key) for item in first]
    assert seen == server.provider.ids()
    assert not server.faults, "every fault was met"
    assert 1.0 in sleep.delays and 0.25 in sleep.delays  # Retry-After and retry-after-ms


def test_async_listing_yields_every_job_once_in_order_through_faults(
    provider_name: str, server: FakeProviderServer
) -> None:
    method, kwargs, key = LISTINGS[provider_name]
    sleep = SleepRecorder()

    async def collect() -> list[str]:
        async with make_client(provider_name, server, sleep, asynchronous=True) as client:
            server.faults = ["ok", *FAULTS]
            return [key_text(item, key) async for item in getattr(client, method)(**kwargs)]

    assert asyncio.run(collect()) == server.provider.ids()
    assert not server.faults


def test_pages_expose_fields_navigation_and_request_ids(
    provider_name: str, server: FakeProviderServer
) -> None:
    method, kwargs, key = LISTINGS[provider_name]
    with make_client(provider_name, server, SleepRecorder()) as client:
        page = getattr(client, method)(**kwargs)
        assert page.has_next_page()
        second = page.next_page()
        assert second.http_response.status_code == 200
        assert isinstance(second.request_id, str) and second.request_id.startswith("req_")
        pages = list(page.iter_pages(max_pages=3))
        assert len(pages) == 3
        assert len(list(page.iter_items(max_items=150))) == 150


def test_async_page_navigation(provider_name: str, server: FakeProviderServer) -> None:
    method, kwargs, key = LISTINGS[provider_name]

    async def run() -> tuple[int, int]:
        async with make_client(provider_name, server, SleepRecorder(), asynchronous=True) as client:
            page = await getattr(client, method)(**kwargs)
            second = await page.next_page()
            pages = [p async for p in page.iter_pages(max_pages=2)]
            return second.http_response.status_code, len(pages)

    assert asyncio.run(run()) == (200, 2)


# ------------------------------------------------------------------- pagination safety


def test_repeated_cursor_raises_the_loop_error_within_two_pages(
    provider_name: str, server: FakeProviderServer
) -> None:
    method, kwargs, _ = LISTINGS[provider_name]
    errors = package(f"{provider_name}.errors")
    server.repeat_cursor = True
    with make_client(provider_name, server, SleepRecorder()) as client:
        with pytest.raises(errors.PaginationLoopError):
            for _ in getattr(client, method)(**kwargs):
                pass
    assert len(server.requests) <= 2


# --------------------------------------------------------------------------- retries


@pytest.mark.parametrize("provider_name", ["aigenstudio_image"])
@pytest.mark.parametrize(
    ("header", "value", "expected"),
    [
        ("Retry-After", "2", 2.0),
        ("retry-after-ms", "1500", 1.5),
        ("Retry-After", "http-date+3", 3.0),
    ],
)
def test_429_is_retried_after_the_servers_delay(
    provider_name: str, server: FakeProviderServer, header: str, value: str, expected: float
) -> None:
    is_date = value.startswith("http-date")
    if is_date:
        when = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=3)
        value = email.utils.format_datetime(when, usegmt=True)
    sleep = SleepRecorder()
    server.faults = [f"429:{header}:{value}"]
    with make_client(provider_name, server, sleep) as client:
        page = client.list_jobs(limit=5)
    assert len(page.jobs) == 5
    assert len(sleep.delays) == 1
    # An HTTP-date has one-second resolution.
    assert sleep.delays[0] == pytest.approx(expected, abs=1.01 if is_date else 0.01)


@pytest.mark.parametrize(
    ("provider_name", "status", "error_class", "body_check"),
    [
        ("aigenstudio_image", 429, "RateLimitError", lambda b: b.error.code == "http_429"),
        ("aigenstudio_image", 400, "BadRequestError", lambda b: b.error.message == "injected"),
        ("aigenstudio_product_photo", 429, "RateLimitError",
         lambda b: b.error.request_id.startswith("req_")),
        ("krea", 400, "BadRequestError", lambda b: b.error == "injected"),
        ("krea", 500, "InternalServerError", lambda b: b == {"error": "injected"}),
        ("depicta", 409, "ConflictError", lambda b: b.message == "injected"),
        ("depicta", 503, "InternalServerError", lambda b: b.error == "http_503"),
        ("fashion_studio", 429, "RateLimitError", lambda b: b["detail"][0]["msg"] == "injected"),
    ],
)
def test_exhausted_retries_raise_the_status_error_with_decoded_body(
    provider_name: str, server: FakeProviderServer, status: int, error_class: str,
    body_check: Any,
) -> None:
    method, kwargs, _ = LISTINGS[provider_name]
    errors = package(f"{provider_name}.errors")
    server.faults = [str(status)] * 3
    sleep = SleepRecorder()
    with make_client(provider_name, server, sleep) as client:
        with pytest.raises(getattr(errors, error_class)) as caught:
            getattr(client, method)(**kwargs)
    error = caught.value
    assert isinstance(error, errors.APIStatusError)
    assert error.status_code == status
    assert error.request_id == server.requests[-1][2].get("x-request-id") or error.request_id
    assert error.request_id and error.request_id.startswith("req_")
    assert body_check(error.body)
    retried = status in (409, 429) or status >= 500
    assert len(server.requests) == (3 if retried else 1)
    assert len(sleep.delays) == (2 if retried else 0)


def test_malformed_json_is_a_typed_error(server: FakeProviderServer, provider_name: str) -> None:
    method, kwargs, _ = LISTINGS[provider_name]
    errors = package(f"{provider_name}.errors")
    server.faults = ["badjson"]
    with make_client(provider_name, server, SleepRecorder()) as client:
        with pytest.raises(errors.APIResponseValidationError) as caught:
            getattr(client, method)(**kwargs)
    assert caught.value.body == "{not json"


def test_timeouts_are_retried_then_raised(server: FakeProviderServer, provider_name: str) -> None:
    method, kwargs, _ = LISTINGS[provider_name]
    errors = package(f"{provider_name}.errors")
    server.faults = ["slow", "slow"]
    with make_client(provider_name, server, SleepRecorder(), max_retries=1) as client:
        with pytest.raises(errors.APITimeoutError):
            getattr(client, method)(**kwargs)


# ------------------------------------------------------------ POST and idempotency keys


@pytest.fixture(scope="module")
def jobs_api(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    from generator.diagnostics import Reporter
    from generator.pipeline import generate_package
    from generator.writer import write_package

    out = tmp_path_factory.mktemp("fixture_clients")
    name, files = generate_package(Path(__file__).parent / "fixtures" / "jobs-api.yaml",
                                   "jobs_fixture", Reporter())
    write_package(files, out / name)
    sys.path.insert(0, str(out))
    return importlib.import_module(name)


@pytest.mark.parametrize("provider_name", ["krea"])
def test_post_without_idempotency_key_is_not_retried(
    jobs_api: ModuleType, server: FakeProviderServer
) -> None:
    sleep = SleepRecorder()
    server.faults = ["503"]
    with jobs_api.Client(api_key=API_KEY, base_url=server.base_url, sleep=sleep) as client:
        with pytest.raises(jobs_api.InternalServerError) as caught:
            client.create_job(body=jobs_api.NewJob(prompt="a red shoe"))
    assert len(server.requests) == 1 and not sleep.delays
    assert caught.value.body == jobs_api.Error(error="injected")


@pytest.mark.parametrize("provider_name", ["krea"])
def test_post_with_declared_idempotency_key_is_retried_with_the_same_key(
    jobs_api: ModuleType, server: FakeProviderServer
) -> None:
    sleep = SleepRecorder()
    server.faults = ["503", "drop"]
    with jobs_api.Client(api_key=API_KEY, base_url=server.base_url, sleep=sleep) as client:
        job = client.cancel_job("job_1")
    assert job.id == "job_1"
    keys = [headers["idempotency-key"] for _, _, headers in server.requests]
    assert len(keys) == 3 and len(set(keys)) == 1
    assert len(sleep.delays) == 2


@pytest.mark.parametrize("provider_name", ["krea"])
def test_post_with_a_callers_idempotency_key_is_retried(
    jobs_api: ModuleType, server: FakeProviderServer
) -> None:
    server.faults = ["503"]
    with jobs_api.Client(api_key=API_KEY, base_url=server.base_url, sleep=SleepRecorder()) as client:
        client.create_job(body=jobs_api.NewJob(prompt="x"),
                          extra_headers={"Idempotency-Key": "mine-1"})
    assert [h["idempotency-key"] for _, _, h in server.requests] == ["mine-1", "mine-1"]


# ----------------------------------------------------------------- requests on the wire


@pytest.mark.parametrize("provider_name", ["fashion_studio"])
def test_array_query_parameters_repeat_and_enums_serialise(server: FakeProviderServer) -> None:
    models = package("fashion_studio.models")
    with make_client("fashion_studio", server, SleepRecorder()) as client:
        page = client.list_jobs(
            job_type=[models.ListJobsJobTypeItem.MODEL_GENERATOR,
                      models.ListJobsJobTypeItem.BACKGROUND_GENERATOR],
            status=models.JobStatus.SUCCESS, limit=10,
            created_after=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
            x_shopify_hmac_sha256="abc=", extra_query={"debug": "1"},
        )
    _, path, headers = server.requests[-1]
    assert ("job_type=MODEL_GENERATOR&job_type=BACKGROUND_GENERATOR&status=SUCCESS&"
            "created_after=2026-01-01T00%3A00%3A00Z&limit=10&debug=1") in path
    assert headers["x-shopify-hmac-sha256"] == "abc="
    assert headers["user-agent"].startswith("fashion_studio/")
    assert {job.job_type for job in page.jobs} <= {"MODEL_GENERATOR", "BACKGROUND_GENERATOR"}


@pytest.mark.parametrize("provider_name", ["aigenstudio_image"])
def test_raw_response_is_reachable(server: FakeProviderServer) -> None:
    with make_client("aigenstudio_image", server, SleepRecorder()) as client:
        raw = client.with_raw_response.list_jobs(limit=3, x_request_id="mine-42")
    assert raw.status_code == 200 and raw.headers["x-request-id"].startswith("req_")
    assert len(raw.parse().jobs) == 3
    assert server.requests[-1][2]["x-request-id"] == "mine-42"


# ------------------------------------------------------------------------ credentials


@pytest.mark.parametrize("provider_name", ["aigenstudio_image"])
def test_api_key_never_appears_in_repr_logs_or_errors(
    server: FakeProviderServer, caplog: pytest.LogCaptureFixture
) -> None:
    errors = package("aigenstudio_image.errors")
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    server.faults = ["503", "ok"]
    with make_client("aigenstudio_image", server, SleepRecorder()) as client:
        texts.append(repr(client))
        page = client.list_jobs(limit=2)
        texts += [repr(page), str(page)]
        server.faults = ["500", "500", "500"]
        with pytest.raises(errors.APIStatusError) as caught:
            client.list_jobs(limit=2)
        texts += [str(caught.value), repr(caught.value)]
    texts.append(caplog.text)
    assert "retrying" in caplog.text  # the log really was captured
    for text in texts:
        assert API_KEY not in text


def test_missing_api_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    krea = package("krea")
    monkeypatch.delenv("KREA_API_KEY", raising=False)
    client = krea.Client(base_url="http://127.0.0.1:9")
    with pytest.raises(krea.MissingCredentialsError, match="KREA_API_KEY"):
        client.list_jobs()


def test_api_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeProviderServer(PROVIDERS["krea"]()) as server:
        monkeypatch.setenv("KREA_API_KEY", API_KEY)
        monkeypatch.setenv("KREA_BASE_URL", server.base_url)
        krea = package("krea")
        with krea.Client() as client:
            assert len(client.list_jobs(limit=3).items) == 3


@pytest.mark.parametrize("provider_name", ["krea"])
def test_api_key_in_the_query_is_redacted_from_httpx_logs(
    jobs_api: ModuleType, server: FakeProviderServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with jobs_api.Client(api_key=API_KEY, base_url=server.base_url) as client:
        with pytest.raises(jobs_api.NotFoundError) as caught:
            client.get_job("job_9")
    assert "api_key=" in server.requests[-1][1] and API_KEY in server.requests[-1][1]
    assert "api_key=***" in caplog.text  # httpx logged the URL, redacted
    for text in (caplog.text, str(caught.value), repr(caught.value)):
        assert API_KEY not in text
