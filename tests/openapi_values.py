"""JSON values an OpenAPI schema allows, read from the raw spec (local `$ref`s followed).

Two uses in the contract tests:

- `sample(schema)`: one deterministic value, the spec's own example when it has one, to fill
  an operation's parameters;
- `strategy(schema)`: a hypothesis strategy of schema-valid values, to generate response bodies.

`nullable: true` allows null in 3.1 documents too, as the generator reads it.
Generated date-times, dates and UUIDs are in the canonical form the generated runtime writes
(`...Z`, `isoformat()`, lower-case UUIDs), so "decode, then re-encode" must give back exactly
the generated JSON. Only what the tested specs use is covered; an unsupported construct raises
`Unsupported` instead of producing values the schema does not allow.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import uuid
from typing import Any

from hypothesis import strategies as st

MAX_DEPTH = 4  # nesting of objects and arrays before optional parts are left out
MAX_ITEMS = 3
NOTHING = object()  # "no sample": a parameter left out


class Unsupported(Exception):
    pass


def _canonical_datetime(moment: dt.datetime) -> str:
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class SchemaValues:
    def __init__(self, document: dict[str, Any]) -> None:
        self.root = document

    # ------------------------------------------------------------------------- references

    def deref(self, node: Any) -> dict[str, Any]:
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen or not ref.startswith("#"):
                raise Unsupported(f"$ref {ref!r}")
            seen.add(ref)
            target = self._pointer(ref)
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node = {**target, **siblings} if siblings and isinstance(target, dict) else target
        if node is True or node is None:
            return {}
        if not isinstance(node, dict):
            raise Unsupported(f"schema {node!r}")
        return node

    def _pointer(self, ref: str) -> Any:
        node: Any = self.root
        for part in ref[1:].split("/")[1:]:
            part = part.replace("~1", "/").replace("~0", "~")
            node = node[int(part)] if isinstance(node, list) else node[part]
        return node

    def merged(self, schema: Any) -> dict[str, Any]:
        """The schema with `$ref` followed and `allOf` folded into one schema."""
        schema = self.deref(schema)
        parts = schema.get("allOf")
        if not isinstance(parts, list):
            return schema
        result: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for part in parts:
            part = self.merged(part)
            for key, value in part.items():
                if key == "properties":
                    properties = dict(result.get("properties") or {})
                    for name, sub in value.items():
                        properties[name] = ({"allOf": [properties[name], sub]}
                                            if name in properties else sub)
                    result["properties"] = properties
                elif key == "required":
                    result["required"] = [*(result.get("required") or []),
                                          *[n for n in value if n not in (result.get("required")
                                                                          or [])]]
                elif key not in result:
                    result[key] = value
        return result

    # --------------------------------------------------------------------------- helpers

    def _types(self, schema: dict[str, Any]) -> list[str]:
        kind = schema.get("type")
        if isinstance(kind, list):
            types = [str(t) for t in kind]
        elif isinstance(kind, str):
            types = [kind]
        elif "properties" in schema or "additionalProperties" in schema:
            types = ["object"]
        elif "items" in schema:
            types = ["array"]
        else:
            types = []
        if schema.get("nullable") is True and types and "null" not in types:
            types.append("null")
        return types

    def _variants(self, schema: dict[str, Any]) -> list[Any] | None:
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list) and schema[key]:
                base = {k: v for k, v in schema.items()
                        if k not in ("oneOf", "anyOf", "discriminator")}
                if not base or set(base) <= {"description", "title", "nullable", "example",
                                             "examples", "default", "deprecated", "readOnly"}:
                    return list(schema[key])
                return [{"allOf": [base, variant]} for variant in schema[key]]
        return None

    # ---------------------------------------------------------------------------- sample

    def parameter_sample(self, parameter: Any) -> Any:
        parameter = self.deref(parameter)
        if "example" in parameter:
            return parameter["example"]
        examples = parameter.get("examples")
        if isinstance(examples, dict):
            for example in examples.values():
                example = self.deref(example)
                if "value" in example:
                    return example["value"]
        content = parameter.get("content")
        if isinstance(content, dict) and content:
            media = self.deref(next(iter(content.values())))
            return self.sample(media.get("schema", {}))
        return self.sample(parameter.get("schema", {}))

    def sample(self, schema: Any, depth: int = 0) -> Any:
        schema = self.merged(schema)
        if "const" in schema:
            return schema["const"]
        if "example" in schema:
            return schema["example"]
        if isinstance(schema.get("examples"), list) and schema["examples"]:
            return schema["examples"][0]
        if "default" in schema:
            return schema["default"]
        if isinstance(schema.get("enum"), list):
            values = [v for v in schema["enum"] if v is not None]
            return values[0] if values else None
        variants = self._variants(schema)
        if variants is not None:
            for variant in variants:
                if self._types(self.merged(variant)) != ["null"]:
                    return self.sample(variant, depth + 1)
            return None
        types = [t for t in self._types(schema) if t != "null"] or ["string"]
        kind = types[0]
        if kind == "string":
            return self._sample_string(schema)
        if kind in ("integer", "number"):
            return self._sample_number(schema, kind)
        if kind == "boolean":
            return True
        if kind == "array":
            count = int(schema.get("minItems") or 1)
            return [self.sample(schema.get("items", {}), depth + 1) for _ in range(count)]
        if kind == "object":
            properties = schema.get("properties") or {}
            return {name: self.sample(properties.get(name, {}), depth + 1)
                    for name in schema.get("required") or []}
        return None

    def _sample_string(self, schema: dict[str, Any]) -> str:
        fmt = schema.get("format")
        fixed = {
            "date-time": "2026-01-02T03:04:05Z",
            "date": "2026-01-02",
            "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "uri": "https://example.com/sample",
            "url": "https://example.com/sample",
            "email": "user@example.com",
            "byte": "c2FtcGxl",
        }
        if fmt in fixed:
            return fixed[fmt]
        if isinstance(schema.get("pattern"), str):
            from hypothesis import find

            return find(st.from_regex(schema["pattern"], fullmatch=True),  # the simplest match
                        lambda value: len(value) >= int(schema.get("minLength") or 1))
        text = "sample"
        low, high = int(schema.get("minLength") or 0), schema.get("maxLength")
        text = text.ljust(low, "x")
        return text[: int(high)] if isinstance(high, int) else text

    def _sample_number(self, schema: dict[str, Any], kind: str) -> int | float:
        low, high = self._bounds(schema, kind)
        value: int | float = 1
        if low is not None and value < low:
            value = low
        if high is not None and value > high:
            value = high
        if kind == "integer":
            value = int(value)
        step = schema.get("multipleOf")
        if isinstance(step, int) and step > 0 and kind == "integer":
            value = -(-int(value) // step) * step
        return value

    def _bounds(self, schema: dict[str, Any], kind: str) -> tuple[Any, Any]:
        low, high = schema.get("minimum"), schema.get("maximum")
        tiny = 1 if kind == "integer" else 1e-6
        ex_low, ex_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
        if ex_low is True and low is not None:
            low = low + tiny
        elif isinstance(ex_low, (int, float)) and not isinstance(ex_low, bool):
            low = ex_low + tiny
        if ex_high is True and high is not None:
            high = high - tiny
        elif isinstance(ex_high, (int, float)) and not isinstance(ex_high, bool):
            high = ex_high - tiny
        if kind == "integer":
            low = None if low is None else int(-(-low // 1))
            high = None if high is None else int(high // 1)
        return low, high

    # -------------------------------------------------------------------------- strategy

    def strategy(self, schema: Any, depth: int = 0, response: bool = True) -> st.SearchStrategy[Any]:
        schema = self.merged(schema)
        if "const" in schema:
            return st.just(schema["const"])
        if isinstance(schema.get("enum"), list):
            values = list(schema["enum"])
            if schema.get("nullable") is True and None not in values:
                values.append(None)
            return st.sampled_from(values)
        discriminated = self._discriminated(schema, depth, response)
        if discriminated is not None:
            return discriminated
        variants = self._variants(schema)
        if variants is not None:
            options = [self.strategy(v, depth + 1, response) for v in variants]
            if schema.get("nullable") is True:
                options.append(st.none())
            return st.one_of(options)
        types = self._types(schema)
        if not types:
            return self._any_json(depth)
        return st.one_of([self._typed(schema, kind, depth, response) for kind in types])

    def _typed(self, schema: dict[str, Any], kind: str, depth: int,
               response: bool) -> st.SearchStrategy[Any]:
        if kind == "null":
            return st.none()
        if kind == "boolean":
            return st.booleans()
        if kind == "string":
            return self._string(schema)
        if kind in ("integer", "number"):
            low, high = self._bounds(schema, kind)
            integers = st.integers(min_value=low, max_value=high)
            if kind == "integer":
                return integers
            floats = st.floats(min_value=low, max_value=high, allow_nan=False,
                               allow_infinity=False)
            return st.one_of(integers, floats)
        if kind == "array":
            low = int(schema.get("minItems") or 0)
            high = min(int(schema.get("maxItems") or MAX_ITEMS), max(low, MAX_ITEMS))
            if depth >= MAX_DEPTH:
                high = low
            items = self.strategy(schema.get("items", {}), depth + 1, response)
            return st.lists(items, min_size=low, max_size=high)
        if kind == "object":
            return self._object(schema, depth, response)
        raise Unsupported(f"type {kind!r}")

    def _string(self, schema: dict[str, Any]) -> st.SearchStrategy[str]:
        fmt = schema.get("format")
        if fmt == "date-time":
            zones = st.sampled_from([dt.timezone.utc, dt.timezone(dt.timedelta(hours=5, minutes=30)),
                                     dt.timezone(dt.timedelta(hours=-8))])
            return st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2100, 1, 1),
                                timezones=zones).map(_canonical_datetime)
        if fmt == "date":
            return st.dates().map(lambda d: d.isoformat())
        if fmt == "uuid":
            return st.uuids().map(str)
        if fmt in ("uri", "url"):
            return st.text(string.ascii_lowercase + string.digits, max_size=10).map(
                lambda s: f"https://example.com/{s}")
        if fmt == "email":
            return st.text(string.ascii_lowercase, min_size=1, max_size=8).map(
                lambda s: f"{s}@example.com")
        low, high = int(schema.get("minLength") or 0), schema.get("maxLength")
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise Unsupported(f"pattern {pattern!r}") from exc
            strategy = st.from_regex(pattern, fullmatch=True)
            return strategy.filter(lambda s: len(s) >= low and (high is None or len(s) <= high))
        return st.text(min_size=low, max_size=int(high) if isinstance(high, int) else 12)

    def _object(self, schema: dict[str, Any], depth: int,
                response: bool) -> st.SearchStrategy[dict[str, Any]]:
        properties = schema.get("properties") or {}
        required = [name for name in schema.get("required") or [] if name in properties]
        hidden = "writeOnly" if response else "readOnly"
        fixed: dict[str, st.SearchStrategy[Any]] = {}
        optional: dict[str, st.SearchStrategy[Any]] = {}
        for name, sub in properties.items():
            merged = self.merged(sub)
            if merged.get(hidden) is True and name not in required:
                continue
            if name in required:
                fixed[name] = self.strategy(sub, depth + 1, response)
            elif depth < MAX_DEPTH:
                optional[name] = self.strategy(sub, depth + 1, response)
        body = st.fixed_dictionaries(fixed, optional=optional)
        extra = schema.get("additionalProperties", True)
        if extra is False or depth >= MAX_DEPTH:
            return body
        values = self._any_json(depth + 1) if extra in (True, {}) else self.strategy(
            extra, depth + 1, response)
        keys = st.text(string.ascii_lowercase + "_", min_size=1, max_size=6).map(
            lambda k: "x_" + k).filter(lambda k: k not in properties)
        extras = st.dictionaries(keys, values, max_size=2 if properties else MAX_ITEMS)
        return st.builds(lambda known, more: {**more, **known}, body, extras)

    def _any_json(self, depth: int) -> st.SearchStrategy[Any]:
        scalars = st.one_of(st.none(), st.booleans(), st.integers(),
                            st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=8))
        if depth >= MAX_DEPTH:
            return scalars
        return st.recursive(scalars, lambda inner: st.one_of(
            st.lists(inner, max_size=2),
            st.dictionaries(st.text(max_size=5), inner, max_size=2)), max_leaves=4)

    def _discriminated(self, schema: dict[str, Any], depth: int,
                       response: bool) -> st.SearchStrategy[Any] | None:
        discriminator = schema.get("discriminator")
        variants = self._variants(schema)
        if not isinstance(discriminator, dict) or variants is None:
            return None
        prop = discriminator.get("propertyName")
        mapping = discriminator.get("mapping") or {}
        pairs: list[tuple[str, Any]] = [(value, {"$ref": ref}) for value, ref in mapping.items()]
        if not pairs:  # implicit mapping: the component names of the variants
            for variant in variants:
                ref = variant.get("$ref") if isinstance(variant, dict) else None
                if not isinstance(ref, str):
                    return None
                pairs.append((ref.rsplit("/", 1)[-1], variant))
        options = [
            self.strategy(variant, depth + 1, response).map(
                lambda body, value=value: {**body, prop: value} if isinstance(body, dict) else body)
            for value, variant in pairs
        ]
        return st.one_of(options)


def canonical(value: Any) -> Any:
    """A JSON value with date-times and UUIDs compared by meaning, not spelling."""
    if isinstance(value, dict):
        return {key: canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [canonical(item) for item in value]
    if isinstance(value, str) and len(value) >= 16 and value[4:5] == "-" and value[10:11] in "Tt ":
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return ("datetime", moment if moment.tzinfo else moment.replace(tzinfo=None))
    if isinstance(value, str) and len(value) == 36 and value.count("-") == 4:
        try:
            return ("uuid", uuid.UUID(value))
        except ValueError:
            return value
    return value
