"""Contract tests: every generated client against Prism, a mock server no one here wrote.

Prism serves each spec (`prism mock`) and rejects a request that breaks it with 400 or 422 and
an `sl-violations` header, so these tests show the clients agree with the specs themselves,
not with our reading of them (tests/fake_providers.py). For each spec and operation, sync and
async:

- static mode: the call succeeds with no request violation, with its required parameters and
  again with every parameter the spec gives a value for; the body decodes into the typed model,
  re-encodes to the same JSON and survives `to_dict` → `from_dict`; a paginated listing stops
  (Prism repeats its example cursor: the pagination-loop error);
- dynamic mode (`--dynamic`, a fixed seed): `DYNAMIC_CALLS` calls, every invented body decodes;
- each documented error status, forced with `Prefer: code=NNN`, raises its exception class
  with the decoded error body (the five providers).

The specs are our five providers (generated/) and the real AI-job APIs in
../shared/corpus/domain (fal, Replicate, Ideogram, Recraft: every GET operation), whose clients
are generated into a temporary folder here. One Prism runs per spec and mode at a time.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from contract import (
    ALL_DOMAIN_SPECS, DOMAIN_SPECS, PROVIDERS, Call, Plan, Python, Target, error_class_name,
    import_package, plan,
)
from generator import ir
from openapi_values import canonical
from prism import Exchange, PrismServer, Recorder

API_KEY = "prism-test-key"
SEED = 20260601
DYNAMIC_CALLS = 25  # per flavour: 50 calls per operation, sync and async together
MAX_PAGES = 5

# How each provider's listing ends in static mode, where every page is Prism's example page.
#   "loop": the example cursor comes back, so auto-pagination raises PaginationLoopError;
#   "end": the example page says it is the last (depicta's example total is 0);
#   "relay rejected": the example `next_cursor` is the placeholder "string", which the client
#   sends back as the cursor parameter, and the same spec declares that parameter
#   `format: date-time`, so Prism rejects the second request (a spec inconsistency: the
#   response's cursor is untyped, the request's is typed).
STATIC_LISTING_END = {
    "aigenstudio_image": "relay rejected",
    "aigenstudio_product_photo": "loop",
    "krea": "relay rejected",
    "depicta": "end",
    "fashion_studio": "loop",
}

# Prism's own errors (not the spec's responses) carry a `type` under this address.
PRISM_ERRORS = "https://stoplight.io/prism/errors#"

STATS: dict[str, dict[str, Any]] = {}


def _stats(target: Target) -> dict[str, Any]:
    return STATS.setdefault(target.name, {"operations": set(), "calls": 0, "decoded": 0,
                                          "invalid": 0, "errors": 0, "relayed": 0,
                                          "invalid_bodies": set()})


# ------------------------------------------------------------------------------- fixtures


class PrismPool:
    """One Prism per mode, for the spec the current test needs (tests come grouped by spec)."""

    def __init__(self) -> None:
        self.running: dict[bool, PrismServer] = {}

    def server(self, target: Target, *, dynamic: bool) -> PrismServer:
        current = self.running.get(dynamic)
        if current is not None and current.spec == target.spec:
            return current
        if current is not None:
            del self.running[dynamic]
            current.stop()
        server = PrismServer(target.spec, dynamic=dynamic, seed=SEED)
        server.__enter__()
        self.running[dynamic] = server
        return server

    def close(self) -> None:
        for server in list(self.running.values()):
            server.stop()
        self.running.clear()


@pytest.fixture(scope="module")
def prism() -> Iterator[PrismPool]:
    pool = PrismPool()
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("prism_contract")


def _cases(targets: tuple[Target, ...]) -> list[Any]:
    cases = []
    for target in targets:
        for name, operation in plan(target).operations.items():
            if target.domain and operation.op.method != "GET":
                continue
            marks = [pytest.mark.skip(reason=operation.skipped)] if operation.skipped else []
            cases.append(pytest.param(target, name, id=f"{target.name}-{name}", marks=marks))
    return cases


CASES = _cases(PROVIDERS + DOMAIN_SPECS)
ERROR_CASES = [
    pytest.param(target, name, response.status, id=f"{target.name}-{name}-{response.status}")
    for target in PROVIDERS
    for name, operation in plan(target).operations.items()
    for response in operation.op.errors
    if response.status.isdigit()
]


# -------------------------------------------------------------------------------- calling


class Session:
    """A generated client of one target talking to one Prism, with every exchange kept."""

    def __init__(self, target: Target, scratch: Path, server: PrismServer) -> None:
        self.target = target
        self.plan: Plan = plan(target)
        self.package = import_package(target, scratch)
        self.py = Python(self.plan.api, self.package)
        self.server = server
        self.recorder = Recorder()

    def _options(self) -> dict[str, Any]:
        return {"api_key": API_KEY, "username": "user", "password": "secret",
                "base_url": self.server.base_url, "max_retries": 0, "timeout": 30.0}

    def call(self, op: ir.Operation, call: Call, flavour: str,
             extra_headers: dict[str, str] | None = None,
             extra_query: dict[str, object] | None = None) -> Any:
        """The result of one call (the first page of a listing)."""
        args, kwargs = self.py.call_args(op, call)
        if extra_headers:
            kwargs["extra_headers"] = extra_headers
        if extra_query:
            kwargs["extra_query"] = extra_query
        if flavour == "sync":
            with self.recorder.sync_client() as http, self.package.Client(
                    http_client=http, **self._options()) as client:
                return getattr(client, op.name)(*args, **kwargs)

        async def run() -> Any:
            async with self.recorder.async_client() as http, self.package.AsyncClient(
                    http_client=http, **self._options()) as client:
                return await getattr(client, op.name)(*args, **kwargs)

        return asyncio.run(run())

    def iterate(self, op: ir.Operation, call: Call, flavour: str) -> int:
        """Every item of every page (at most MAX_PAGES); the number of items."""
        args, kwargs = self.py.call_args(op, call)
        if flavour == "sync":
            with self.recorder.sync_client() as http, self.package.Client(
                    http_client=http, **self._options()) as client:
                return len(list(getattr(client, op.name)(*args, **kwargs).iter_items(
                    max_pages=MAX_PAGES)))

        async def run() -> int:
            async with self.recorder.async_client() as http, self.package.AsyncClient(
                    http_client=http, **self._options()) as client:
                page = await getattr(client, op.name)(*args, **kwargs)
                return len([item async for item in page.iter_items(max_pages=MAX_PAGES)])

        return asyncio.run(run())

    def assert_no_violations(self) -> None:
        bad = self.recorder.violations()
        assert not bad, "Prism reports request violations:\n" + "\n".join(
            exchange.describe() for exchange in bad)


def _check_decoded(session: Session, op: ir.Operation, result: Any, exchange: Exchange) -> None:
    """The body decodes into the typed result, loses nothing and survives a round trip."""
    success = op.success
    assert success is not None
    text = exchange.body.decode("utf-8", errors="replace")
    if success.kind is ir.ResponseKind.BINARY:
        assert result == exchange.body
        return
    if success.kind is ir.ResponseKind.TEXT:
        assert result == text
        return
    if success.kind is ir.ResponseKind.EMPTY:
        assert result is None
        return
    assert success.kind is ir.ResponseKind.JSON, success.kind
    wire = json.loads(exchange.body)
    py = session.py
    if success.type is not None and isinstance(ir.strip_nullable(success.type), ir.RefType):
        declaration = session.plan.api.declaration(ir.strip_nullable(success.type).name)
        if isinstance(declaration, ir.Model) and wire is not None:
            assert isinstance(result, getattr(py.models, declaration.name)), (
                f"{type(result).__name__} is not {declaration.name}; body: {text}")
    encoded = py.to_json(result)
    assert canonical(encoded) == canonical(wire), (
        f"the decoded body does not re-encode to what was sent\nbody:    {text}\n"
        f"encoded: {json.dumps(encoded, default=str)}")
    if hasattr(result, "to_dict"):
        again = type(result).from_dict(result.to_dict())
    else:
        again = py.decode_success(op, encoded)
    assert again == result, f"to_dict → from_dict changed the value; body: {text}"


# ---------------------------------------------------------------------------------- tests


def _call_and_check(session: Session, op: ir.Operation, call: Call, flavour: str,
                    extra_headers: dict[str, str] | None = None) -> bool:
    """One call whose body must decode and round-trip: True when it did, False when Prism
    itself reports that its answer breaks the spec (a spec example that contradicts its own
    schema), where the client may rightly refuse the body with APIResponseValidationError."""
    stats = _stats(session.target)
    stats["calls"] += 1
    try:
        result = session.call(op, call, flavour, extra_headers)
    except session.package.errors.APIStatusError as exc:
        body = exc.body if isinstance(exc.body, dict) else {}
        if exc.status_code == 500 and str(body.get("type", "")).startswith(PRISM_ERRORS):
            pytest.skip(f"Prism cannot mock this response: {body.get('title')}")
        session.assert_no_violations()  # names what Prism found wrong with the request
        raise
    except session.package.errors.APIResponseValidationError as exc:
        exchange = session.recorder.exchanges[-1]
        if not exchange.response_violations:
            raise AssertionError(f"a body Prism finds valid does not decode: {exc}\nbody: "
                                 f"{exchange.body.decode(errors='replace')}") from exc
        _note_invalid(session, op, exchange)
        return False
    exchange = session.recorder.exchanges[-1]
    assert exchange.status < 300, exchange.describe()
    if exchange.response_violations:
        _note_invalid(session, op, exchange)
        return False
    _check_decoded(session, op, result, exchange)
    stats["decoded"] += 1
    return True


def _note_invalid(session: Session, op: ir.Operation, exchange: Exchange) -> None:
    stats = _stats(session.target)
    stats["invalid"] += 1
    message = re.sub(r"\.\d+(?=\.| )", ".N", exchange.response_violations[0]["message"])
    stats["invalid_bodies"].add(f"{op.name}: {message}")


@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize(("target", "op_name"), CASES)
def test_static_call_decodes_and_round_trips(
    prism: PrismPool, scratch: Path, target: Target, op_name: str, flavour: str
) -> None:
    session = Session(target, scratch, prism.server(target, dynamic=False))
    operation = session.plan.operations[op_name]
    _stats(target)["operations"].add(op_name)
    for call in (operation.required_call, operation.full_call):
        _call_and_check(session, operation.op, call, flavour)
    session.assert_no_violations()


@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize(
    ("target", "op_name"),
    [case for case in CASES if case.values[0] in PROVIDERS
     and plan(case.values[0]).operations[case.values[1]].op.pagination is not None],
)
def test_static_listing_stops(
    prism: PrismPool, scratch: Path, target: Target, op_name: str, flavour: str
) -> None:
    session = Session(target, scratch, prism.server(target, dynamic=False))
    operation = session.plan.operations[op_name]
    errors = session.package.errors
    expected = STATIC_LISTING_END[target.name]
    if expected == "end":
        assert session.iterate(operation.op, operation.full_call, flavour) >= 1
        assert len(session.recorder.exchanges) < MAX_PAGES
        session.assert_no_violations()
    elif expected == "loop":
        with pytest.raises(errors.PaginationLoopError):
            session.iterate(operation.op, operation.full_call, flavour)
        assert len(session.recorder.exchanges) <= 2  # seen on the first or second page
        session.assert_no_violations()
    else:
        pagination = operation.op.pagination
        assert isinstance(pagination, ir.CursorPagination)
        with pytest.raises(errors.BadRequestError):
            session.iterate(operation.op, operation.full_call, flavour)
        first, second = session.recorder.exchanges
        assert not first.violations
        sent = json.loads(first.body)[pagination.next_cursor_field]
        assert second.violations == [{
            "location": ["request", "query", pagination.cursor_param], "severity": "Error",
            "code": "format",
            "message": f'Request query parameter {pagination.cursor_param} must match format '
                       '"date-time"'}]
        assert f"{pagination.cursor_param}={sent}" in second.url  # relayed as received
        _stats(target)["relayed"] += 1
    _stats(target)["calls"] += len(session.recorder.exchanges)


@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize(("target", "op_name"), CASES)
def test_dynamic_bodies_decode(
    prism: PrismPool, scratch: Path, target: Target, op_name: str, flavour: str
) -> None:
    session = Session(target, scratch, prism.server(target, dynamic=True))
    operation = session.plan.operations[op_name]
    _stats(target)["operations"].add(op_name)
    failures = []
    for index in range(DYNAMIC_CALLS):
        call = operation.full_call if index % 2 else operation.required_call
        # Prism re-seeds its generator for every response from the seed it was given, so one
        # seed gives one body; a seed per call (Prism's `Prefer: seed=...`) gives a different,
        # reproducible body each time.
        seed = {"Prefer": f"seed={SEED}-{op_name}-{flavour}-{index}"}
        try:
            _call_and_check(session, operation.op, call, flavour, seed)
        except AssertionError as exc:
            failures.append(str(exc))
    session.assert_no_violations()
    assert not failures, f"{len(failures)} of {DYNAMIC_CALLS} bodies failed:\n" + "\n\n".join(
        failures[:5])


@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize(("target", "op_name", "status"), ERROR_CASES)
def test_documented_error_status_raises_its_class_with_decoded_body(
    prism: PrismPool, scratch: Path, target: Target, op_name: str, status: str, flavour: str
) -> None:
    session = Session(target, scratch, prism.server(target, dynamic=False))
    operation = session.plan.operations[op_name]
    op = operation.op
    errors = session.package.errors
    expected = getattr(errors, error_class_name(int(status)))
    with pytest.raises(errors.APIStatusError) as caught:
        session.call(op, operation.full_call, flavour, extra_headers={"Prefer": f"code={status}"})
    error = caught.value
    assert type(error) is expected
    assert error.status_code == int(status)
    session.assert_no_violations()
    (exchange,) = session.recorder.exchanges  # max_retries=0: no retry
    response = next(r for r in op.errors if r.status == status)
    if response.kind is ir.ResponseKind.JSON and response.type is not None:
        wire = json.loads(exchange.body)
        assert error.body == session.py.decode_error(op, status, wire)
        target_type = ir.strip_nullable(response.type)
        if isinstance(target_type, ir.RefType):
            declaration = session.plan.api.declaration(target_type.name)
            if isinstance(declaration, ir.Model):
                assert isinstance(error.body, getattr(session.py.models, declaration.name))
        assert canonical(session.py.to_json(error.body)) == canonical(wire)
    stats = _stats(target)
    stats["calls"] += 1
    stats["errors"] += 1


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_a_request_that_breaks_the_spec_is_caught(
    prism: PrismPool, scratch: Path, flavour: str
) -> None:
    """The check above is live: `limit` sent as a word is a violation Prism names."""
    target = next(t for t in PROVIDERS if t.name == "krea")
    session = Session(target, scratch, prism.server(target, dynamic=False))
    op = session.plan.operations["list_jobs"].op
    session.call(op, Call([], {"limit": 10}), flavour)
    session.assert_no_violations()
    with pytest.raises(session.package.errors.BadRequestError):
        session.call(op, Call([], {}), flavour, extra_query={"limit": "ten"})
    (bad,) = session.recorder.violations()
    assert bad.status == 400
    assert bad.violations[0]["location"] == ["request", "query", "limit"]
    assert "must be integer" in bad.violations[0]["message"]
    with pytest.raises(AssertionError, match="request violations"):
        session.assert_no_violations()


def test_the_domain_specs_are_there() -> None:
    missing = [str(t.spec) for t in ALL_DOMAIN_SPECS if t not in DOMAIN_SPECS]
    assert not missing, f"missing (../shared/corpus/domain beside the checkout): {missing}"
