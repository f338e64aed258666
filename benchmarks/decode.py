"""Decoding speed of generated models: JSON bytes of a 1,000-job list page → a typed page.

For each provider in pyproject's `[tool.clientgen]`, one run times, side by side:

- **ours**: `json.loads` + the generated page class's `from_dict` (`generated/<package>`), as
  the generated client decodes a list response (`decode_json(<Page>.from_dict)`);
- **opc**: openapi-python-client 0.29.1's generated `from_dict` of the same 200 response, with
  `json.loads` (what its `_parse_response` does with `response.json()`), once generated with
  its default configuration (enums are `StrEnum` classes) and once with `literal_enums: true`
  (enums are `Literal` strings checked against a set: less work than an enum class);
- **pydantic v2**: `Model.model_validate_json(bytes)` of a model built from the same schema
  (uuid → `UUID`, date-time → `datetime`, enums → `Enum` classes, nested models, optional and
  nullable fields, unknown properties kept: `extra="allow"`, as ours keeps them);
- **json.loads** alone (the floor).

The page is built deterministically from the list response schema of the spec (uuids,
date-times with and without fractional seconds, "Z" and numeric offsets, enum values, nested
optional objects, some nulls), so every run decodes the same bytes.

opc and pydantic run in their own venv (`benchmarks/.cache/opc-venv`, made here on first use,
not committed), in a worker subprocess that is this file run with `--worker`; ours and
json.loads run in this process (the project's venv, the same Python). The decoders take turns
sample by sample, each round in a rotated order, so load from elsewhere on the machine falls on
all of them alike. A sample is the mean of INNER decodes of the page in a row with the garbage
collector paused (as `timeit` does; it is collected between rounds); the first decode after a
switch between the two processes runs on cold caches, which INNER spreads out. The table shows
the median sample of each decoder in milliseconds, and their ratios.

    python benchmarks/decode.py [--runs N]

`decode_table(runs)` returns the Markdown table lines (used by benchmarks/run.py).
Only the standard library is imported at module level: the worker runs in the other venv.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
import tomllib
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
OPC_VENV = CACHE / "opc-venv"
OPC_VERSION = "0.29.1"
# ruff: opc formats its output with it (its default post hooks); without it opc only warns.
OPC_REQUIREMENTS = [f"openapi-python-client=={OPC_VERSION}", "pydantic>=2,<3", "httpx", "ruff"]
OPC_VARIANTS = {  # name → opc config file text ("" = opc's defaults, no --config)
    "default": "",
    "literal": "literal_enums: true\n",
}
JOBS = 1000
WARMUP = 2  # rounds not counted
DEFAULT_RUNS = 20  # rounds counted: samples per decoder
INNER = 10  # decodes per sample

# ----------------------------------------------------------------------------- the schema
#
# The list response schema, normalised to plain JSON (so the worker gets the same one):
#   {"kind": "object", "name", "properties": [[wire, schema, required]], "extra": schema|None}
#   {"kind": "array", "items"}  {"kind": "map", "values"}  {"kind": "enum", "values"}
#   {"kind": "scalar", "type": "string|integer|number|boolean", "format"}
#   {"kind": "any"}  {"kind": "union", "variants"}
# and "nullable": true on any of them when null is allowed.


def _pascal(text: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", text) if part)


class SchemaReader:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def resolve(self, schema: Any) -> dict[str, Any]:
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema:
            ref = schema["$ref"]
            if not ref.startswith("#/"):
                raise ValueError(f"only local $ref is supported: {ref}")
            target: Any = self.document
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            siblings = {k: v for k, v in schema.items() if k != "$ref"}
            schema = {**target, **siblings}
            seen += 1
            if seen > 50:
                raise ValueError("$ref cycle")
        return schema if isinstance(schema, dict) else {}

    def normalise(self, schema: Any, name: str, depth: int = 0) -> dict[str, Any]:
        if depth > 20:
            raise ValueError("schema too deep (recursive?)")
        raw = schema
        schema = self.resolve(schema)
        if isinstance(raw, dict) and "$ref" in raw:
            name = raw["$ref"].rsplit("/", 1)[-1]
        nullable = bool(schema.get("nullable"))
        types = schema.get("type")
        if isinstance(types, list):
            nullable = nullable or "null" in types
            types = [t for t in types if t != "null"]
            types = types[0] if len(types) == 1 else (types or None)
        for key in ("anyOf", "oneOf"):
            if key in schema:
                variants = [v for v in schema[key] if self.resolve(v).get("type") != "null"]
                nullable = nullable or len(variants) < len(schema[key])
                rest = {k: v for k, v in schema.items() if k not in (key, "nullable")}
                if len(variants) == 1:
                    inner = self.normalise({**rest, **self.resolve(variants[0])}
                                           if "$ref" not in variants[0] else variants[0],
                                           name, depth + 1)
                else:
                    inner = {"kind": "union", "variants": [
                        self.normalise(v, f"{name}Variant{i}", depth + 1)
                        for i, v in enumerate(variants)]}
                return {**inner, "nullable": nullable or inner.get("nullable", False)}
        if "allOf" in schema:
            merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
            for part in schema["allOf"]:
                part = self.resolve(part)
                merged["properties"].update(part.get("properties", {}))
                merged["required"] += part.get("required", [])
            return {**self.normalise(merged, name, depth + 1), "nullable": nullable}
        if "enum" in schema:
            values = [v for v in schema["enum"] if v is not None]
            return {"kind": "enum", "name": name, "values": values,
                    "nullable": nullable or None in schema["enum"]}
        if isinstance(types, list):  # a union of JSON types
            return {"kind": "union", "nullable": nullable, "variants": [
                self.normalise({**schema, "type": t}, name, depth + 1) for t in types]}
        if types == "array":
            return {"kind": "array", "nullable": nullable,
                    "items": self.normalise(schema.get("items", {}), f"{name}Item", depth + 1)}
        if types == "object" or "properties" in schema:
            required = set(schema.get("required", []))
            properties = [
                [wire, self.normalise(sub, name + _pascal(wire), depth + 1), wire in required]
                for wire, sub in schema.get("properties", {}).items()]
            extra = schema.get("additionalProperties")
            if not properties and isinstance(extra, dict) and extra:
                return {"kind": "map", "nullable": nullable,
                        "values": self.normalise(extra, f"{name}Value", depth + 1)}
            if not properties and extra is not False:
                return {"kind": "map", "nullable": nullable, "values": {"kind": "any"}}
            return {"kind": "object", "name": name, "nullable": nullable,
                    "properties": properties}
        if types in ("string", "integer", "number", "boolean"):
            return {"kind": "scalar", "type": types, "format": schema.get("format", ""),
                    "nullable": nullable}
        return {"kind": "any", "nullable": True}


@dataclass
class ListOperation:
    method: str
    path: str
    schema: dict[str, Any]  # normalised 200 response
    items_key: str  # the page property holding the jobs


def list_operation(document: dict[str, Any]) -> ListOperation:
    """The spec's list-jobs operation: a GET whose 200 JSON body has an array of objects."""
    reader = SchemaReader(document)
    found = []
    for path, item in document.get("paths", {}).items():
        operation = item.get("get")
        if not isinstance(operation, dict):
            continue
        response = reader.resolve(operation.get("responses", {}).get("200", {}))
        media = response.get("content", {}).get("application/json", {})
        if "schema" not in media:
            continue
        name = "ListJobsResponse"
        if isinstance(media["schema"], dict) and "$ref" in media["schema"]:
            name = media["schema"]["$ref"].rsplit("/", 1)[-1]
        schema = reader.normalise(media["schema"], name)
        if schema["kind"] != "object":
            continue
        for wire, sub, _ in schema["properties"]:
            if sub["kind"] == "array" and sub["items"]["kind"] == "object":
                found.append(ListOperation("GET", path, schema, wire))
                break
    if not found:
        raise ValueError("no GET operation returns a page (an object with an array of objects)")
    found.sort(key=lambda op: ("job" not in op.path.lower(), op.path))
    return found[0]


# ------------------------------------------------------------------------------- the page

_WORDS = ("studio", "product", "summer", "catalog", "shoe", "portrait", "lamp", "linen",
          "backdrop", "marble", "sunset", "denim", "ceramic", "velvet", "walnut", "neon")
_BASE_TIME = datetime(2026, 3, 14, 9, 26, 53, tzinfo=timezone.utc)


class PageBuilder:
    """Realistic JSON values for a normalised schema, the same on every run (seeded)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def page(self, op: ListOperation, jobs: int) -> dict[str, Any]:
        body = self.value(op.schema, "page", top=True)
        items_schema = next(s for w, s, _ in op.schema["properties"] if w == op.items_key)
        body[op.items_key] = [self.value(items_schema["items"], "job") for _ in range(jobs)]
        for wire, schema, _ in op.schema["properties"]:  # echoes of the page's size
            if schema["kind"] == "scalar" and schema["type"] == "integer" and wire in (
                    "limit", "count", "total"):
                body[wire] = jobs if wire != "total" else jobs * 7
        return body

    def value(self, schema: dict[str, Any], wire: str, top: bool = False) -> Any:
        rng = self.rng
        if schema.get("nullable") and not top and rng.random() < 0.15:
            return None
        kind = schema["kind"]
        if kind == "object":
            result = {}
            for name, sub, required in schema["properties"]:
                if required or top or rng.random() < 0.7:
                    result[name] = self.value(sub, name)
            return result
        if kind == "array":
            return [self.value(schema["items"], wire) for _ in range(rng.randint(1, 4))]
        if kind == "map":
            return {rng.choice(_WORDS): self.value(schema["values"], wire)
                    for _ in range(rng.randint(1, 3))}
        if kind == "enum":
            return rng.choice(schema["values"])
        if kind == "union":
            return self.value(rng.choice(schema["variants"]), wire)
        if kind == "any":
            return self.any_value()
        return self.scalar(schema["type"], schema["format"], wire)

    def scalar(self, type_: str, format_: str, wire: str) -> Any:
        rng = self.rng
        if type_ == "integer":
            return rng.randint(0, 500)
        if type_ == "number":
            return round(rng.uniform(0, 100), 3)
        if type_ == "boolean":
            return rng.random() < 0.5
        if format_ == "uuid":
            return str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if format_ == "date-time":
            return self.date_time()
        if format_ == "date":
            return (_BASE_TIME - timedelta(days=rng.randint(0, 900))).date().isoformat()
        if format_ in ("uri", "url"):
            return f"https://cdn.example.com/{rng.choice(_WORDS)}/{rng.getrandbits(64):016x}.png"
        if wire.endswith("request_id"):
            return f"req_{rng.getrandbits(96):024x}"
        if wire.endswith("_id") or wire == "id":
            return "".join(rng.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(26))
        if wire in ("message", "msg", "description"):
            return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(3, 9))).capitalize()
        return f"{rng.choice(_WORDS)}_{rng.choice(_WORDS)}"

    def date_time(self) -> str:
        rng = self.rng
        moment = _BASE_TIME - timedelta(seconds=rng.randint(0, 90 * 86400),
                                        microseconds=rng.randint(0, 999_999))
        shape = rng.random()
        if shape < 0.5:  # what most APIs send: milliseconds and Z
            return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
        if shape < 0.7:
            return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        if shape < 0.9:  # Python's own isoformat: microseconds and +00:00
            return moment.isoformat()
        local = moment.astimezone(timezone(timedelta(hours=rng.choice((-5, 2, 9)))))
        return local.replace(microsecond=0).isoformat()

    def any_value(self) -> Any:  # an untyped property: a realistic JSON object
        rng = self.rng
        return {
            "images": [{"url": self.scalar("string", "uri", "url"), "width": 1024,
                        "height": rng.choice((768, 1024, 1536))}
                       for _ in range(rng.randint(1, 3))],
            "seed": rng.randint(0, 2**31),
            "prompt": " ".join(rng.choice(_WORDS) for _ in range(6)),
        }


# --------------------------------------------------------------------------- the providers


@dataclass
class Provider:
    name: str
    spec: Path
    package: str
    operation: ListOperation | None = None
    body: bytes = b""
    problem: str = ""  # why this provider could not be measured at all
    opc: dict[str, dict[str, str]] = field(default_factory=dict)  # variant → package/class
    opc_problems: dict[str, str] = field(default_factory=dict)  # variant → why not


def providers() -> list[Provider]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["clientgen"]
    return [Provider(name, ROOT / p["spec"], p["package"])
            for name, p in config["providers"].items()]


def load_spec(path: Path) -> dict[str, Any]:
    import yaml  # the project's own dependency: this runs in the project's venv

    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


# ------------------------------------------------------------------------ the opc venv


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_opc_venv(log: Callable[[str], None]) -> Path:
    python = _venv_python(OPC_VENV)
    check = ("import importlib.metadata as m, sys; "
             f"sys.exit(m.version('openapi-python-client') != {OPC_VERSION!r} "
             "or not m.version('pydantic').startswith('2.'))")
    if python.exists() and subprocess.run([python, "-c", check]).returncode == 0:
        return python
    log(f"making {OPC_VENV.relative_to(ROOT)} (openapi-python-client {OPC_VERSION}, pydantic v2)")
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", OPC_VENV], check=True)
    subprocess.run([python, "-m", "pip", "install", "-q", *OPC_REQUIREMENTS], check=True)
    return python


def generate_opc(provider: Provider, variant: str, log: Callable[[str], None]) -> None:
    """opc's package for the provider's spec in benchmarks/.cache/opc/ (kept while the spec,
    opc's version and the config are the same)."""
    config_text = OPC_VARIANTS[variant]
    package = f"opc_{provider.package}_{variant}"
    out_root = CACHE / "opc"
    target = out_root / package
    stamp = hashlib.sha256(provider.spec.read_bytes() + OPC_VERSION.encode()
                           + config_text.encode()).hexdigest()
    stamp_file = out_root / f"{package}.stamp"
    if not (target.exists() and stamp_file.exists() and stamp_file.read_text() == stamp):
        log(f"openapi-python-client generate: {provider.spec.name} ({variant} config)")
        out_root.mkdir(parents=True, exist_ok=True)
        command = [str(OPC_VENV / "bin" / "openapi-python-client"), "generate",
                   "--path", str(provider.spec), "--output-path", str(target),
                   "--meta", "none", "--overwrite"]
        if config_text:
            config = out_root / f"{variant}-config.yaml"
            config.write_text(config_text)
            command += ["--config", str(config)]
        env = {**os.environ, "PATH": f"{OPC_VENV / 'bin'}{os.pathsep}{os.environ['PATH']}"}
        run = subprocess.run(command, capture_output=True, text=True, env=env)
        if run.returncode != 0 or not (target / "__init__.py").exists():
            lines = [l.strip() for l in (run.stdout + run.stderr).splitlines() if l.strip()]
            reason = next((l for l in lines if "rror" in l or "Unable" in l),
                          lines[-1] if lines else f"exit {run.returncode}")
            provider.opc_problems[variant] = f"opc cannot generate it: {reason[:120]}"
            stamp_file.unlink(missing_ok=True)
            return
        stamp_file.write_text(stamp)
    # The model opc's `_parse_response` decodes a 200 response of the list operation with.
    assert provider.operation is not None
    for module in sorted((target / "api").rglob("*.py")):
        source = module.read_text(encoding="utf-8")
        if not re.search(r'"url":\s*f?"' + re.escape(provider.operation.path) + '"', source):
            continue
        if not re.search(r'"method":\s*"get"', source):
            continue
        match = re.search(r"status_code == 200:\s+response_200 = (\w+)\.from_dict\(", source)
        if match:
            provider.opc[variant] = {"root": str(out_root), "package": package,
                                     "model": match.group(1)}
            return
    provider.opc_problems[variant] = "opc generated no from_dict for the 200 response"


# ------------------------------------------------------------------------------ our side


def our_page_decoder(package: str) -> Callable[[bytes], Any]:
    """`json.loads` + the page class the generated client decodes a list response with."""
    generated = str(ROOT / "generated")
    if generated not in sys.path:
        sys.path.insert(0, generated)
    import importlib

    client = importlib.import_module(f"{package}.client")
    runtime = importlib.import_module(f"{package}._runtime")
    pages = [c for c in vars(client).values()
             if isinstance(c, type) and issubclass(c, runtime.SyncPage)
             and c is not runtime.SyncPage and c.__module__ == client.__name__]
    if len(pages) != 1:
        raise ValueError(f"{package}: expected one sync page class, found {pages}")
    from_dict = pages[0].from_dict
    loads = json.loads

    def decode(body: bytes) -> Any:
        return from_dict(loads(body))

    return decode


def _sample(decode: Callable[[bytes], Any], body: bytes) -> float:
    """Seconds per decode: the mean of INNER decodes in a row, the garbage collector paused."""
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(INNER):
            decode(body)
        return (time.perf_counter() - start) / INNER
    finally:
        gc.enable()


class Worker:
    """The subprocess in the opc venv that times opc's and pydantic's decoders."""

    def __init__(self, python: Path) -> None:
        self.process = subprocess.Popen(
            [str(python), str(Path(__file__).resolve()), "--worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def ask(self, message: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the decode worker exited")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=60)


def _ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:.2f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "—" if a is None or b is None else f"{a / b:.2f}×"


def decode_table(runs: int = DEFAULT_RUNS, log: Callable[[str], None] | None = None) -> list[str]:
    """Time every provider's page decode side by side; the Markdown table lines."""
    say = log or (lambda text: print(text, file=sys.stderr))
    python = ensure_opc_venv(say)
    bodies = CACHE / "bodies"
    bodies.mkdir(parents=True, exist_ok=True)
    all_providers = providers()
    for provider in all_providers:
        try:
            provider.operation = list_operation(load_spec(provider.spec))
        except (ValueError, KeyError, OSError) as exc:
            provider.problem = f"no list operation: {exc}"
            continue
        page = PageBuilder(zlib.crc32(provider.name.encode())).page(provider.operation, JOBS)
        provider.body = json.dumps(page).encode()
        (bodies / f"{provider.name}.json").write_bytes(provider.body)
        for variant in OPC_VARIANTS:
            generate_opc(provider, variant, say)

    lines = [
        "| provider | jobs | KiB | json.loads ms | ours ms | opc ms | opc literal_enums ms "
        "| pydantic v2 ms | opc/ours | opc literal/ours | ours/pydantic | ours/json.loads "
        "| targets |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    worker = Worker(python)
    try:
        for provider in all_providers:
            lines.append(_measure(provider, worker, runs, say))
    finally:
        worker.close()
    return lines


def _measure(provider: Provider, worker: Worker, runs: int, say: Callable[[str], None]) -> str:
    if provider.problem or provider.operation is None:
        return f"| {provider.name} | — | — | — | — | — | — | — | — | — | — | — | {provider.problem} |"
    ours = our_page_decoder(provider.package)
    body = provider.body
    page = ours(body)
    items = getattr(page, provider.operation.items_key)
    expected = json.loads(body)[provider.operation.items_key]
    if len(items) != len(expected) or items[0].to_dict().keys() != expected[0].keys():
        raise AssertionError(f"{provider.name}: our page does not hold the {len(expected)} jobs")
    loaded = worker.ask({"cmd": "load", "provider": provider.name, "opc": provider.opc,
                         "schema": provider.operation.schema,
                         "items_key": provider.operation.items_key,
                         "body": str(CACHE / "bodies" / f"{provider.name}.json")})
    if not loaded.get("ok"):
        raise RuntimeError(f"{provider.name}: worker: {loaded.get('error')}")
    problems = dict(provider.opc_problems)
    problems.update(loaded.get("problems", {}))
    say(f"{provider.name}: {len(items)} jobs, {len(body) / 1024:.0f} KiB; timing {runs} runs")
    local: dict[str, Callable[[bytes], Any]] = {"ours": ours, "json": json.loads}
    names = ["ours", "json", *loaded["decoders"]]
    samples: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(WARMUP + runs):
        gc.collect()
        worker.ask({"cmd": "collect"})
        shift = round_ % len(names)  # each decoder takes each place in the order in turn
        for name in names[shift:] + names[:shift]:
            if name in local:
                seconds = _sample(local[name], body)
            else:
                seconds = worker.ask({"cmd": "time", "decoder": name})["seconds"]
            if round_ >= WARMUP:
                samples[name].append(seconds)
    median = {name: statistics.median(values) for name, values in samples.items() if values}
    ours_t, json_t, pyd = median["ours"], median["json"], median.get("pydantic")
    opc_d, opc_l = median.get("opc-default"), median.get("opc-literal")
    verdict = []
    for label, opc in (("opc", opc_d), ("opc literal", opc_l)):
        if opc is not None and opc / ours_t < 2:
            verdict.append(f"{label}/ours {opc / ours_t:.2f}× < 2×")
    if pyd is not None and ours_t / pyd > 2:
        verdict.append(f"ours/pydantic {ours_t / pyd:.2f}× > 2×")
    if pyd is None:
        verdict.append("pydantic not measured")
    for variant, problem in problems.items():
        verdict.append(f"opc {variant}: {problem}")
    targets = "; ".join(verdict) if verdict else "met"
    return (f"| {provider.name} | {len(items)} | {len(body) / 1024:.0f} | {_ms(json_t)} "
            f"| {_ms(ours_t)} | {_ms(opc_d)} | {_ms(opc_l)} | {_ms(pyd)} "
            f"| {_ratio(opc_d, ours_t)} | {_ratio(opc_l, ours_t)} | {_ratio(ours_t, pyd)} "
            f"| {_ratio(ours_t, json_t)} | {targets} |")


# -------------------------------------------------------------------------------- worker
# Runs in the opc venv: opc's packages and pydantic import there, not in the project's venv.


def _pydantic_model(schema: dict[str, Any]) -> Any:
    """A pydantic v2 model of the normalised schema, doing the work ours does: UUID,
    datetime, enum classes, nested models, optional and nullable fields, extras kept."""
    import enum
    from typing import Any as AnyType
    from typing import Optional, Union
    from uuid import UUID

    from pydantic import ConfigDict, create_model

    built: dict[str, Any] = {}

    def python_type(node: dict[str, Any]) -> Any:
        kind = node["kind"]
        if kind == "object":
            name = node["name"]
            if name not in built:
                fields: dict[str, Any] = {}
                for wire, sub, required in node["properties"]:
                    annotation = python_type(sub)
                    if not required:
                        annotation = Optional[annotation]
                    fields[wire] = (annotation, ... if required else None)
                built[name] = create_model(
                    name, __config__=ConfigDict(extra="allow"), **fields)
            result: Any = built[name]
        elif kind == "array":
            result = list[python_type(node["items"])]  # type: ignore[misc]
        elif kind == "map":
            result = dict[str, python_type(node["values"])]  # type: ignore[misc]
        elif kind == "enum":
            members = {f"M{i}": v for i, v in enumerate(node["values"])}
            base = str if all(isinstance(v, str) for v in node["values"]) else int
            result = enum.Enum(node["name"], members, type=base)  # type: ignore[misc]
        elif kind == "union":
            result = Union[tuple(python_type(v) for v in node["variants"])]
        elif kind == "any":
            return AnyType
        else:
            result = {
                ("string", "date-time"): datetime, ("string", "uuid"): UUID,
            }.get((node["type"], node["format"])) or {
                "string": str, "integer": int, "number": float, "boolean": bool,
            }[node["type"]]
            if node["type"] == "string" and node["format"] == "date":
                from datetime import date

                result = date
        return Optional[result] if node.get("nullable") else result

    return python_type(schema)


def worker_main() -> None:
    import importlib

    decoders: dict[str, Callable[[bytes], Any]] = {}
    body = b""
    for line in sys.stdin:
        message = json.loads(line)
        try:
            if message["cmd"] == "load":
                decoders, problems = {}, {}
                body = Path(message["body"]).read_bytes()
                expected = len(json.loads(body)[message["items_key"]])
                for variant, where in message["opc"].items():
                    if where["root"] not in sys.path:
                        sys.path.insert(0, where["root"])
                    models = importlib.import_module(f"{where['package']}.models")
                    model = getattr(models, where["model"])

                    def opc_decode(data: bytes, _from_dict: Any = model.from_dict) -> Any:
                        return _from_dict(json.loads(data))

                    try:
                        got = len(getattr(opc_decode(body), message["items_key"]))
                        assert got == expected, f"{got} items"
                        decoders[f"opc-{variant}"] = opc_decode
                    except Exception as exc:  # reported in the row, not fatal
                        problems[variant] = f"opc's from_dict fails on the page: {exc!r}"[:160]
                page_model = _pydantic_model(message["schema"])
                validated = page_model.model_validate_json(body)
                assert len(getattr(validated, message["items_key"])) == expected
                decoders["pydantic"] = page_model.model_validate_json
                answer: dict[str, Any] = {"ok": True, "problems": problems,
                                          "decoders": list(decoders)}
            elif message["cmd"] == "collect":
                gc.collect()
                answer = {}
            else:
                answer = {"seconds": _sample(decoders[message["decoder"]], body)}
        except Exception as exc:  # the parent says which provider
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS,
                        help=f"samples per decoder, each of {INNER} decodes "
                             f"(default {DEFAULT_RUNS})")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker_main()
        return
    started = time.perf_counter()
    lines = decode_table(args.runs)
    print(f"Decoding a {JOBS}-job list page (JSON bytes → typed page): median of {args.runs} "
          f"samples per decoder, each the mean of {INNER} decodes; Python "
          f"{sys.version.split()[0]}, openapi-python-client {OPC_VERSION}.\n")
    print("\n".join(lines))
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
