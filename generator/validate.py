"""Stage 3: check the document against its declared OpenAPI version.

A finding of openapi-spec-validator is a located warning: real specs are often invalid against
their own version (a number `exclusiveMinimum` under 3.0, `nullable` inside 3.1) and still
describe a usable API. The IR builder reports what it truly cannot use as errors; `--strict`
makes every warning an error. The version itself is checked here: without a supported
`openapi` field there is nothing sensible to generate.
"""

from __future__ import annotations

import os
import pickle
import re
import struct
import tempfile
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator

from . import collector
from .diagnostics import Diagnostic, Reporter, pointer_join
from .forked import cores, start_in_fork
from .resolver import ResolvedSpec

_MAX_FINDINGS = 50


def check_version(spec: ResolvedSpec, reporter: Reporter) -> str | None:
    """The `3.x` version family, or None after reporting why the document is not OpenAPI 3."""
    data = spec.root.data
    name = spec.root.display_name
    if "swagger" in data:
        reporter.error(name, "/swagger", "Swagger 2.0 documents are not supported; convert it "
                       "to OpenAPI 3 first (e.g. with swagger2openapi or editor.swagger.io)")
        return None
    version = data.get("openapi")
    if version is None:
        reporter.error(name, "", "not an OpenAPI document: the `openapi` version field is "
                       "missing")
        return None
    match = re.fullmatch(r"3\.(\d+)(\.\d+)?(-[\w.]+)?", str(version))
    if not match:
        reporter.error(name, "/openapi", f"unsupported OpenAPI version {version!r}: 3.0 and "
                       "3.1 are supported")
        return None
    minor = int(match.group(1))
    if minor == 0:
        return "3.0"
    if minor > 1:
        reporter.error(name, "/openapi", f"OpenAPI {version} is not supported yet: 3.0 and 3.1 "
                       "are (declare 3.1 if the document uses no 3.2 features)")
        return None
    return "3.1"


# Above this many characters of spec text openapi-spec-validator takes seconds (8-10 s on
# GitHub, OpenAI, Stripe): it then runs only under --strict or `clientgen validate`.
VALIDATE_LIMIT = 1_000_000

Findings = list[Diagnostic] | None  # None: the process that validated failed


def validate_alongside(spec: ResolvedSpec, family: str, reporter: Reporter,
                       worker: ValidationWorker | None = None) -> Callable[[], None] | None:
    """Start `validate` in another process and return the function that waits for it and adds
    its findings where `validate` would have: before every diagnostic reported since. Its
    findings are warnings, which stop nothing, so the IR can be built meanwhile on the other
    core (the validator takes about as long as everything else on a mid-sized spec). The
    process is `worker` when given (started before the validator was needed), else a fork of
    this one. Under `--strict` (warnings are errors, and stop the run), or without `fork`, it
    runs here, and None is returned."""
    if reporter.strict or not hasattr(os, "fork") or cores() < 2:
        validate(spec, family, reporter)
        return None
    before = len(reporter.diagnostics)
    receive = (worker.submit(spec, family, reporter) if worker is not None
               else _validate_in_fork(spec, family, reporter))

    def finish() -> None:
        findings = receive()
        later = reporter.diagnostics[before:]
        del reporter.diagnostics[before:]
        if findings is None:  # the process failed: validate here, where its error shows
            validate(spec, family, reporter)
        else:
            reporter.diagnostics.extend(findings)
        seen = {(d.file, d.pointer, d.message) for d in reporter.diagnostics[before:]}
        reporter.diagnostics.extend(d for d in later if (d.file, d.pointer, d.message) not in seen)

    return finish


def _validate_in_fork(spec: ResolvedSpec, family: str, reporter: Reporter
                      ) -> Callable[[], Findings]:
    """`validate` in a forked process (which shares the spec as it is); the function returned
    waits for its findings."""
    before = len(reporter.diagnostics)

    def findings() -> list[Diagnostic]:
        validate(spec, family, reporter)
        return reporter.diagnostics[before:]

    return start_in_fork(findings)


class ValidationWorker:
    """A forked process that imports openapi-spec-validator at once and then validates each spec
    it is sent (`submit`), in the order sent, until `close`.

    Importing the validator takes longer than importing the generator (0.23-0.27 s against
    0.13 s, measured here with `python -X importtime`), and on a small spec much longer than
    validating it.
    `clientgen generate` starts the worker before it imports the rest of the generator, so the
    two imports run on two cores, and validation starts as soon as the spec is loaded."""

    def __init__(self, pid: int, requests: BinaryIO, results: BinaryIO) -> None:
        self._pid = pid
        self._requests = requests
        self._results = results

    @classmethod
    def start(cls) -> ValidationWorker | None:
        """The worker, or None where it cannot help (no `fork`, or one core)."""
        if not hasattr(os, "fork") or cores() < 2:
            return None
        request_read, request_write = os.pipe()
        result_read, result_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the worker; tests check what it sends back
            try:
                os.close(request_write)
                os.close(result_read)
                _serve(request_read, result_write)
            finally:
                os._exit(0)
        os.close(request_read)
        os.close(result_write)
        return cls(pid, os.fdopen(request_write, "wb"), os.fdopen(result_read, "rb"))

    def submit(self, spec: ResolvedSpec, family: str, reporter: Reporter
               ) -> Callable[[], Findings]:
        """Send the spec to validate as `validate(spec, family, reporter)` would; the function
        returned waits for its findings. Call those functions in the order of the submits."""
        # The spec goes through a file, the pipe carrying only its name: a pipe holds 64 KiB,
        # and the worker reads nothing until its import is done, while this process has its own
        # work to go on with.
        handle, name = tempfile.mkstemp(prefix="clientgen-validate-", suffix=".pickle")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump((spec, family, reporter.blank_copy()), stream, pickle.HIGHEST_PROTOCOL)
        _send(self._requests, os.fsencode(name))

        def receive() -> Findings:
            try:
                payload = _read_frame(self._results)
                findings: Findings = pickle.loads(payload) if payload else None
                return findings
            finally:
                Path(name).unlink(missing_ok=True)

        return receive

    def close(self) -> None:
        """End the worker (it stops at the end of its input) and wait for it."""
        for stream in (self._requests, self._results):
            try:
                stream.close()
            except OSError:  # the worker is gone: nothing was waiting for what is unsent
                pass
        os.waitpid(self._pid, 0)


def _serve(request_fd: int, result_fd: int) -> None:  # pragma: no cover - runs in the worker
    import openapi_spec_validator  # noqa: F401 - now, while the generator imports the rest

    with os.fdopen(request_fd, "rb") as requests, os.fdopen(result_fd, "wb") as results:
        while (name := _read_frame(requests)) is not None:
            findings: Findings = None
            try:
                with open(name, "rb") as stream:
                    spec, family, reporter = pickle.load(stream)
                validate(spec, family, reporter, split=True)
                findings = reporter.diagnostics
            except Exception:  # noqa: BLE001 - None sends the spec back to be validated in line
                findings = None
            _send(results, pickle.dumps(findings, pickle.HIGHEST_PROTOCOL))


_FRAME_LENGTH = struct.Struct("<Q")


def _send(stream: BinaryIO, payload: bytes) -> None:
    try:
        stream.write(_FRAME_LENGTH.pack(len(payload)) + payload)
        stream.flush()
    except OSError:  # the other end is gone; the reader sees the end of the stream
        pass


def _read_frame(stream: BinaryIO) -> bytes | None:
    """The next payload `_send` wrote, or None at the end of the stream."""
    head = stream.read(_FRAME_LENGTH.size)
    if len(head) < _FRAME_LENGTH.size:
        return None
    (length,) = _FRAME_LENGTH.unpack(head)
    payload = stream.read(length)
    return payload if len(payload) == length else None


def validate(spec: ResolvedSpec, family: str, reporter: Reporter, split: bool = False) -> None:
    """Report the validator's findings as located warnings (at most `_MAX_FINDINGS`). With
    `split`, its two passes run on two cores: see `_findings`."""
    with collector.collecting():
        findings, stop = _findings(spec, family, split)
    name = spec.root.display_name
    reported: set[str] = set()
    for count, finding in enumerate(findings, start=1):
        if count > _MAX_FINDINGS:
            reporter.warning(name, "", f"more than {_MAX_FINDINGS} validation findings; "
                             "the rest are not listed")
            return
        tokens, message, located = finding
        if not located:
            # A schema checked on its own: the path is relative to a schema the validator
            # does not name. Usually a repeat of a located finding; else say what we know.
            if message in reported:
                continue
            message += f" (at {pointer_join('', *tokens) or '#'} inside a schema)"
            tokens = []
        reported.add(message)
        reporter.warning(name, pointer_join("", *tokens) or _locate_from_message(message),
                         f"not valid OpenAPI {family}: {message}")
    if stop is not None:
        reporter.warning(name, "", stop)


# A finding: the path of the failing value, the message, and whether the path is in the
# document (else it is relative to a schema checked on its own).
Finding = tuple[list[str], str, bool]
# The validator's findings, at most one past the limit, and why it stopped early (or None).
Collected = tuple[list[Finding], str | None]


def _findings(spec: ResolvedSpec, family: str, split: bool) -> Collected:
    """The validator's findings in its order. openapi-spec-validator makes two passes, the
    document against the OpenAPI schema and then its own checks of keywords (`iter_errors`);
    with `split` the second runs in a forked process meanwhile (it is about a third of the
    time), and the findings are the same: the first pass's, then the second's, unless the
    first stopped early."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    base_class = OpenAPIV30SpecValidator if family == "3.0" else OpenAPIV31SpecValidator
    handlers = {"file": _LoadedDocumentHandler(spec)}
    validator_class: Any = type("_Validator", (base_class,), {"resolver_handlers": handlers})
    try:
        data = _with_string_keys(spec.root.data, {})
        validator = validator_class(data, base_uri=spec.root.path.resolve().as_uri())
        passes = _passes(validator) if split and hasattr(os, "fork") else None
        if passes is None:
            return _collect(validator.iter_errors(), data)
        schema_pass, keyword_pass = passes
        receive = start_in_fork(lambda: _collect(keyword_pass(), data))
        first, stop = _collect(schema_pass(), data)
        second = receive()
        if stop is not None:  # run in line, the validator would not have reached its second pass
            return first, stop
        if second is None:  # the forked process failed: the pass runs here
            second = _collect(keyword_pass(), data)
        return first + second[0], second[1]
    except RecursionError:
        return [], _TOO_DEEP
    except Exception as exc:  # noqa: BLE001 - the validator's own failures must not stop us
        return [], _stopped(exc)


_TOO_DEEP = "validation skipped: the document is nested too deeply"


def _stopped(exc: Exception) -> str:
    return f"validation stopped early: {_short(str(exc))}"


ErrorPass = Callable[[], Iterator[Any]]


def _passes(validator: Any) -> tuple[ErrorPass, ErrorPass] | None:
    """The validator's two passes as `iter_errors` makes them (each error wrapped as it wraps
    them), or None when this version of the validator is not built so."""
    try:
        from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

        schema_validator, schema = validator.schema_validator, validator.schema
        root_validator, schema_path = validator.root_validator, validator.schema_path
    except (ImportError, AttributeError):
        return None

    def wrapped(errors: Iterator[Any]) -> Iterator[Any]:
        for error in errors:
            yield (error if isinstance(error, OpenAPIValidationError)
                   else OpenAPIValidationError.create_from(error))

    return (lambda: wrapped(schema_validator.iter_errors(schema)),
            lambda: wrapped(root_validator(schema_path)))


def _collect(errors: Iterator[Any], data: Any) -> Collected:
    """The findings of `errors`, at most one past `_MAX_FINDINGS` (that one is only counted)."""
    found: list[Finding] = []
    try:
        for error in errors:
            if len(found) == _MAX_FINDINGS:
                found.append(([], "", True))
                break
            error = _most_relevant(error)
            tokens = [str(p) for p in getattr(error, "absolute_path", [])]
            message = _short(getattr(error, "message", str(error)))
            found.append((tokens, message, _exists(data, tokens)))
    except RecursionError:
        return found, _TOO_DEEP
    except Exception as exc:  # noqa: BLE001 - the validator's own failures must not stop us
        return found, _stopped(exc)
    return found, None


# The validator's checks of operations (unique operationIds, resolved path parameters) carry no
# JSON path; their messages name the method and the path, which locate them.
_OPERATION_IN_MESSAGE = re.compile(r"for '(\w+)'(?: operation)? in '([^']*)'")


def _locate_from_message(message: str) -> str:
    match = _OPERATION_IN_MESSAGE.search(message)
    if match is None:
        return ""
    method, path = match.groups()
    pointer = pointer_join("/paths", path, method)
    return pointer + "/operationId" if message.startswith("Operation ID") else pointer


def _most_relevant(error: Any) -> Any:
    """For "not valid under any of the given schemas", the alternative that got furthest into
    the value (the schema alternative of a schema-or-$ref, not the `$ref` one)."""
    while getattr(error, "context", None):
        deepest = max(error.context, key=lambda e: len(e.absolute_path))
        if len(deepest.absolute_path) <= len(error.absolute_path):
            break
        error = deepest
    return error


def _exists(data: Any, tokens: list[str]) -> bool:
    for token in tokens:
        if isinstance(data, dict) and token in data:
            data = data[token]
        elif isinstance(data, list) and token.isdigit() and int(token) < len(data):
            data = data[int(token)]
        else:
            return False
    return True


def _with_string_keys(data: Any, memo: dict[int, Any]) -> Any:
    """`data` with every mapping key a string: YAML reads `200:` as an int, and the validator's
    regexes stop on one. Shared subtrees (YAML aliases) stay shared."""
    if isinstance(data, dict):
        if id(data) not in memo:
            copy: dict[str, Any] = {}
            memo[id(data)] = copy
            for key, value in data.items():
                copy[key if isinstance(key, str) else _key_text(key)] = _with_string_keys(
                    value, memo)
        return memo[id(data)]
    if isinstance(data, list):
        if id(data) not in memo:
            items: list[Any] = []
            memo[id(data)] = items
            items.extend(_with_string_keys(value, memo) for value in data)
        return memo[id(data)]
    return data


def _key_text(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return "null" if key is None else str(key)


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _LoadedDocumentHandler:
    """Serves the validator only the files the resolver already loaded and checked."""

    def __init__(self, spec: ResolvedSpec) -> None:
        self._spec = spec

    def __call__(self, uri: str) -> Any:
        from urllib.parse import unquote, urlsplit

        path = Path(unquote(urlsplit(uri).path)).resolve()
        document = self._spec.documents.get(path)
        if document is None:
            raise ValueError(f"{uri} is not a file the spec may refer to")
        return _with_string_keys(document.data, {})
