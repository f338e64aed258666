"""What the contract tests call: each spec under test, its operations, and their arguments.

A `Target` is one spec with its generated package; `plan(target)` reads the spec into the IR
(the same stages `clientgen generate` runs) and the raw document, so a test can find, for every
operation, the generated method, the arguments its required (and optional) parameters take,
and the raw schema of each response.
"""

from __future__ import annotations

import datetime as _dt
import functools
import importlib
import json
import sys
import uuid as _uuid
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

from conftest import GENERATED, ROOT
from generator import ir
from generator.config import load_config
from generator.diagnostics import Reporter
from generator.loader import load_document
from generator.pipeline import Options, build_ir, generate_package
from generator.render.types import TypeRenderer
from generator.writer import write_package
from openapi_values import NOTHING, SchemaValues, Unsupported

DOMAIN = ROOT.parent / "shared" / "corpus" / "domain"

# Errors a status raises, written out here rather than read from the generated errors.py.
STATUS_ERRORS = {
    400: "BadRequestError", 401: "AuthenticationError", 402: "PaymentRequiredError",
    403: "PermissionDeniedError", 404: "NotFoundError", 409: "ConflictError",
    422: "UnprocessableEntityError", 429: "RateLimitError",
}


def error_class_name(status: int) -> str:
    return "InternalServerError" if status >= 500 else STATUS_ERRORS.get(status, "APIStatusError")


@dataclass(frozen=True)
class Target:
    name: str  # the test id and the package name
    spec: Path
    domain: bool  # from ../shared/corpus/domain: generated into a temporary folder


PROVIDERS = tuple(Target(p.package, p.spec, False)
                  for p in load_config(ROOT / "pyproject.toml").providers)
ALL_DOMAIN_SPECS = (
    Target("fal_platform", DOMAIN / "fal-platform-openapi.json", True),
    Target("fal_queue_seedream", DOMAIN / "fal-queue-seedream-v4-text-to-image.json", True),
    Target("ideogram", DOMAIN / "ideogram-openapi.json", True),
    Target("recraft", DOMAIN / "recraft-openapi.yaml", True),
    Target("replicate", DOMAIN / "replicate-openapi.json", True),
)
# Only those present, so a checkout without ../shared still collects the provider tests;
# test_prism_contract.py fails on a missing one.
DOMAIN_SPECS = tuple(target for target in ALL_DOMAIN_SPECS if target.spec.is_file())


@dataclass
class Call:
    """One way to call an operation: positional (path) and keyword arguments as JSON values."""

    path_args: list[Any]
    keyword_args: dict[str, Any]


@dataclass
class OperationPlan:
    op: ir.Operation
    required_call: Call  # required parameters only
    full_call: Call  # every parameter the spec gives a value for
    raw: dict[str, Any]  # the operation object of the spec
    skipped: str = ""  # why the operation is not called, if it is not


@dataclass
class Plan:
    target: Target
    api: ir.Api
    values: SchemaValues
    operations: dict[str, OperationPlan] = field(default_factory=dict)

    def response_schema(self, op: ir.Operation, response: ir.Response) -> Any:
        raw = self.operations[op.name].raw
        answer = self.values.deref(raw["responses"][_status_key(raw, response.status)])
        media = self.values.deref(answer["content"][response.content_type])
        return media.get("schema", {})


def _status_key(raw: dict[str, Any], status: str) -> Any:
    for key in raw["responses"]:
        if str(key).upper() == status.upper():
            return key
    raise KeyError(status)


@functools.cache
def plan(target: Target) -> Plan:
    api = build_ir(target.spec, target.name, Reporter(), Options(validate=False))
    document = load_document(target.spec).data
    values = SchemaValues(document)
    result = Plan(target, api, values)
    for op in api.operations:
        path_item = document["paths"][op.path]
        raw = path_item[op.method.lower()]
        result.operations[op.name] = _plan_operation(op, path_item, raw, values)
    return result


def _plan_operation(op: ir.Operation, path_item: dict[str, Any], raw: dict[str, Any],
                    values: SchemaValues) -> OperationPlan:
    declared: dict[tuple[str, str], Any] = {}
    for parameter in [*(path_item.get("parameters") or []), *(raw.get("parameters") or [])]:
        parameter = values.deref(parameter)
        declared[(parameter["name"], parameter["in"])] = parameter
    required, full = Call([], {}), Call([], {})
    skipped = ""
    for p in op.parameters:
        try:
            value = values.parameter_sample(declared[(p.wire_name, p.location.value)])
        except Unsupported as exc:
            value, skipped = NOTHING, f"parameter {p.wire_name}: {exc}"
        if isinstance(value, list) and len(value) == 1:
            value = _two_items(value, declared[(p.wire_name, p.location.value)], values)
        if value is NOTHING or value is None:
            if p.required:
                skipped = skipped or f"no value for required parameter {p.wire_name}"
            continue
        for call in ((required, full) if p.required else (full,)):
            if p.location is ir.ParamLocation.PATH:
                call.path_args.append(value)
            else:
                call.keyword_args[p.name] = value
    if op.body is not None and op.body.required:
        skipped = skipped or "takes a request body"
    return OperationPlan(op, required, full, raw, skipped)


def _two_items(value: list[Any], parameter: dict[str, Any], values: SchemaValues) -> list[Any]:
    """Two items instead of one for an array parameter whose schema is not plainly an array
    (`anyOf: [array, null]`, `type: [array, null]`): Prism reads a lone `?a=x` there as a
    string, not as the one-item array OpenAPI says it is (stoplightio/prism#2675), while two
    items reach it as an array. The client's encoding is the same either way."""
    schema = values.merged(parameter.get("schema", {}))
    if schema.get("type") == "array":
        return value
    candidates = [schema, *(values.merged(v) for v in schema.get("anyOf") or schema.get("oneOf")
                            or [])]
    array = next((c for c in candidates if c.get("type") == "array"
                  or (isinstance(c.get("type"), list) and "array" in c["type"])), None)
    if array is None or (array.get("maxItems") or 2) < 2:
        return value
    items = values.merged(array.get("items", {}))
    others = [v for v in items.get("enum") or [] if v != value[0]]
    if others:
        return [value[0], others[0]]
    return value if array.get("uniqueItems") else [value[0], value[0]]


# ------------------------------------------------------------------------------ packages


def import_package(target: Target, scratch: Path) -> ModuleType:
    """The generated package of `target`: generated/ for a provider, else generated now."""
    if target.domain:
        out = scratch / "domain_clients"
        if not (out / target.name).exists():
            name, files = generate_package(target.spec, target.name, Reporter())
            write_package(files, out / name)
        folder = out
    else:
        folder = GENERATED
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    return importlib.import_module(target.name)


class Python:
    """JSON values → the Python values a generated package's methods take, and back."""

    def __init__(self, api: ir.Api, package: ModuleType) -> None:
        self._types = TypeRenderer(api.declaration, model_prefix="_m.")
        self.models = importlib.import_module(package.__name__ + ".models")
        self.runtime = importlib.import_module(package.__name__ + "._runtime")
        self.client_module = importlib.import_module(package.__name__ + ".client")
        self._namespace = {"_m": self.models, "_rt": self.runtime, "_dt": _dt, "_uuid": _uuid}

    def value(self, t: ir.TypeRef, data: Any) -> Any:
        """`data` decoded as the generated code decodes a value of type `t`."""
        expression = self._types.decode(t, "data")
        return eval(expression, {**self._namespace, "data": data})  # noqa: S307 (our own code)

    def call_args(self, op: ir.Operation, call: Call) -> tuple[list[Any], dict[str, Any]]:
        types = {p.name: p.type for p in op.parameters}
        path_types = [p.type for p in op.parameters if p.location is ir.ParamLocation.PATH]
        args = [self.value(t, v) for t, v in zip(path_types, call.path_args)]
        kwargs = {name: self.value(types[name], v) for name, v in call.keyword_args.items()}
        return args, kwargs

    def to_json(self, value: Any) -> Any:
        return self.runtime.to_json(value)

    def endpoint(self, op: ir.Operation) -> Any:
        return getattr(self.client_module, "_" + op.name.upper())

    def decode_success(self, op: ir.Operation, body: Any) -> Any:
        response = httpx.Response(200, content=json.dumps(body).encode(),
                                  headers={"content-type": "application/json"})
        return self.endpoint(op).decode(response)

    def decode_error(self, op: ir.Operation, status: str, body: Any) -> Any:
        return self.endpoint(op).errors[status](body)
