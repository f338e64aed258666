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
from typing import Any, Callable

from .diagnostics import Reporter, pointer_join
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


def validate_alongside(spec: ResolvedSpec, family: str, reporter: Reporter
                       ) -> Callable[[], None]:
    """Start `validate` in a forked process and return the function that waits for it and adds
    its findings where `validate` would have: before every diagnostic reported since. Its
    findings are warnings, which stop nothing, so the IR can be built meanwhile on the other
    core (the validator takes about as long as everything else on a mid-sized spec). Under
    `--strict` (warnings are errors, and stop the run), or without `fork`, it runs here."""
    if reporter.strict or not hasattr(os, "fork") or _cores() < 2:
        validate(spec, family, reporter)
        return lambda: None
    before = len(reporter.diagnostics)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the forked process; its result is checked by tests
        payload = pickle.dumps(None)
        try:
            os.close(read)
            validate(spec, family, reporter)
            payload = pickle.dumps(reporter.diagnostics[before:])
        finally:
            try:
                with os.fdopen(write, "wb") as stream:
                    stream.write(payload)
            finally:
                os._exit(0)
    os.close(write)

    def finish() -> None:
        with os.fdopen(read, "rb") as stream:
            payload = stream.read()
        os.waitpid(child, 0)
        findings = pickle.loads(payload) if payload else None
        later = reporter.diagnostics[before:]
        del reporter.diagnostics[before:]
        if findings is None:  # the process failed: validate here, where its error shows
            validate(spec, family, reporter)
        else:
            reporter.diagnostics.extend(findings)
        seen = {(d.file, d.pointer, d.message) for d in reporter.diagnostics[before:]}
        reporter.diagnostics.extend(d for d in later if (d.file, d.pointer, d.message) not in seen)

    return finish


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def validate(spec: ResolvedSpec, family: str, reporter: Reporter) -> None:
    """Report the validator's findings as located warnings (at most `_MAX_FINDINGS`)."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    base_class = OpenAPIV30SpecValidator if family == "3.0" else OpenAPIV31SpecValidator
    handlers = {"file": _LoadedDocumentHandler(spec)}
    validator_class: Any = type("_Validator", (base_class,), {"resolver_handlers": handlers})
    base_uri = spec.root.path.resolve().as_uri()
    name = spec.root.display_name
    count = 0
    reported: set[str] = set()
    try:
        data = _with_string_keys(spec.root.data, {})
        for error in validator_class(data, base_uri=base_uri).iter_errors():
            count += 1
            if count > _MAX_FINDINGS:
                reporter.warning(name, "", f"more than {_MAX_FINDINGS} validation findings; "
                                 "the rest are not listed")
                break
            error = _most_relevant(error)
            tokens = [str(p) for p in getattr(error, "absolute_path", [])]
            message = _short(getattr(error, "message", str(error)))
            if not _exists(data, tokens):
                # A schema checked on its own: the path is relative to a schema the validator
                # does not name. Usually a repeat of a located finding; else say what we know.
                if message in reported:
                    continue
                message += f" (at {pointer_join('', *tokens) or '#'} inside a schema)"
                tokens = []
            reported.add(message)
            reporter.warning(name, pointer_join("", *tokens) or _locate_from_message(message),
                             f"not valid OpenAPI {family}: {message}")
    except RecursionError:
        reporter.warning(name, "", "validation skipped: the document is nested too deeply")
    except Exception as exc:  # noqa: BLE001 - the validator's own failures must not stop us
        reporter.warning(name, "", f"validation stopped early: {_short(str(exc))}")


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
        from pathlib import Path
        from urllib.parse import unquote, urlsplit

        path = Path(unquote(urlsplit(uri).path)).resolve()
        document = self._spec.documents.get(path)
        if document is None:
            raise ValueError(f"{uri} is not a file the spec may refer to")
        return _with_string_keys(document.data, {})
