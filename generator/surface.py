"""The public surface of a generated client, as plain JSON data built from the IR.

What a caller of the generated package can touch: operations (name, parameters, body, result,
pagination, auth, error types), models and their fields, enums and their values, aliases and
auth schemes. `generator.changes` compares two surfaces; each generated package keeps its own
(`.clientgen-surface.json`) so a regeneration can report what changed for its callers.
"""

from __future__ import annotations

import functools
import json
from typing import Any, Callable, Iterable, Iterator, Mapping

from . import ir
from .digests import KnownDigests

SURFACE_FILE = ".clientgen-surface.json"


def type_data(t: ir.TypeRef | None) -> Any:
    match t:
        case None:
            return None
        case ir.ScalarType(scalar):
            return {"scalar": scalar.value}
        case ir.AnyType():
            return {"any": True}
        case ir.LiteralType(value):
            return {"literal": value}
        case ir.ListType(item):
            return {"list": type_data(item)}
        case ir.TupleType(items):
            return {"tuple": [type_data(item) for item in items]}
        case ir.MapType(value):
            return {"map": type_data(value)}
        case ir.RefType(name):
            return {"ref": name}
        case ir.UnionType(variants, _):
            return {"union": [type_data(v) for v in variants]}
        case ir.NullableType(inner):
            return {"nullable": type_data(inner)}
    raise AssertionError(t)


def _pagination(pagination: ir.Pagination | None) -> str | None:
    match pagination:
        case None:
            return None
        case ir.CursorPagination():
            return (f"cursor: `{pagination.cursor_param}` from `{pagination.next_cursor_field}`, "
                    f"items in `{pagination.items_field}`")
        case ir.OffsetPagination():
            stop = f"total `{pagination.total_field}`" if pagination.total_field else "short page"
            return (f"offset: `{pagination.offset_param}`, stops at {stop}, items in "
                    f"`{pagination.items_field}`")
        case ir.PageNumberPagination():
            return f"page number: `{pagination.page_param}`, items in `{pagination.items_field}`"
        case ir.NextLinkPagination():
            return (f"next link: `{pagination.next_link_field}`, items in "
                    f"`{pagination.items_field}`")
    raise AssertionError(pagination)


def _operation_data(op: ir.Operation) -> dict[str, Any]:
    return {
        "method": op.method,
        "path": op.path,
        "parameters": {
            p.name: {"in": p.location.value, "required": p.required, "type": type_data(p.type)}
            for p in op.parameters
        },
        "body": None if op.body is None else {
            "name": op.body.name, "required": op.body.required,
            "content_type": op.body.content_type, "type": type_data(op.body.type)},
        "returns": None if op.success is None else {
            "kind": op.success.kind.value, "type": type_data(op.success.type)},
        "pagination": _pagination(op.pagination),
        "auth": list(op.security),
        "errors": {r.status: type_data(r.type) for r in op.errors},
    }


def _model_data(model: ir.Model, roles: list[str]) -> dict[str, Any]:
    return {
        "fields": {f.name: {"wire": f.wire_name, "required": f.required, "type": type_data(f.type)}
                   for f in model.fields},
        "roles": roles,
    }


def build_surface(api: ir.Api) -> dict[str, Any]:
    surface: dict[str, Any] = {section: {} for section in _SECTIONS}
    for section, name, _, _, data in _entries(api):
        surface[section][name] = data()
    surface["auth"] = {s.name: s.kind.value for s in api.security_schemes}
    return surface


_SECTIONS = ("operations", "models", "enums", "aliases")
_Entry = tuple[str, str, "ir.Operation | ir.Declaration", str, Callable[[], Any]]


def _entries(api: ir.Api) -> Iterator[_Entry]:
    """Each entry of the surface but the auth schemes: (section, name, its IR node, what beside
    the node it depends on, the function that makes its data)."""
    roles = model_roles(api)
    for op in api.operations:
        yield "operations", op.name, op, "", functools.partial(_operation_data, op)
    for declaration in api.declarations:
        match declaration:
            case ir.Model():
                role = roles[declaration.name]
                yield ("models", declaration.name, declaration, " ".join(role),
                       functools.partial(_model_data, declaration, role))
            case ir.Enum():
                yield ("enums", declaration.name, declaration, "",
                       functools.partial(_enum_values, declaration))
            case ir.Alias():
                yield ("aliases", declaration.name, declaration, "",
                       functools.partial(type_data, declaration.target))


def _enum_values(enum: ir.Enum) -> list[Any]:
    return [m.value for m in enum.members]


def model_roles(api: ir.Api) -> dict[str, list[str]]:
    """Each model's role: read by callers (output), built by callers (input), or both: a change
    to a field breaks callers differently in each case. A model has a role when a type of
    that role (a parameter or body: input; a result or error: output) reaches it through
    fields and aliases; each role's types are walked once, together, so a model is visited
    once a role however many operations reach it. A model no operation reaches is given both."""
    models = {d.name: d for d in api.declarations if isinstance(d, ir.Model)}
    aliases = {d.name: d for d in api.declarations if isinstance(d, ir.Alias)}

    def reach(types: Iterable[ir.TypeRef | None]) -> set[str]:
        seen: set[str] = set()
        pending: list[ir.TypeRef | None] = list(types)
        while pending:
            match pending.pop():
                case ir.RefType(name) if name not in seen:
                    seen.add(name)
                    if name in models:
                        pending.extend(f.type for f in models[name].fields)
                    elif name in aliases:
                        pending.append(aliases[name].target)
                case ir.ListType(inner) | ir.MapType(inner) | ir.NullableType(inner):
                    pending.append(inner)
                case ir.UnionType(variants, _) | ir.TupleType(variants):
                    pending.extend(variants)
        return seen

    operations = api.operations
    inputs = reach([p.type for op in operations for p in op.parameters]
                   + [op.body.type for op in operations if op.body is not None])
    outputs = reach([op.success.type for op in operations if op.success is not None]
                    + [r.type for op in operations for r in op.errors])
    roles = {}
    for name in models:
        found = [role for role, reached in (("input", inputs), ("output", outputs))
                 if name in reached]
        roles[name] = found or ["output", "input"]  # unused: assume both
    return roles


def surface_file(api: ir.Api, digests: KnownDigests, earlier: Mapping[str, str]
                 ) -> tuple[str, dict[str, str]]:
    """`surface_text(build_surface(api))`, each entry's line taken from `earlier` (an earlier
    run's lines, by the digest of the entry's node) where it is there: on a GitHub regeneration
    building and encoding every entry took 0.09 s. Also returns the lines of this run, for
    the next."""
    lines: dict[str, str] = {}
    sections: dict[str, dict[str, str]] = {section: {} for section in _SECTIONS}
    for section, name, node, beside, data in _entries(api):
        key = f"{section} {digests.digest(node)} {beside}"
        found = earlier.get(key)
        lines[key] = sections[section][name] = found if isinstance(found, str) else _one_line(
            data())
    sections["auth"] = {s.name: _one_line(s.kind.value) for s in api.security_schemes}
    return _sections_text(sections), lines


def surface_text(surface: dict[str, Any]) -> str:
    """The surface as JSON with one line per operation, model, enum, alias and auth scheme:
    a regeneration's diff of the file shows which changed, and each line is written by json's
    C encoder (an indented dump is encoded in pure Python: 53-56 ms of a GitHub regeneration's
    0.85 s, against 24-28 ms)."""
    return _sections_text({
        section: ({name: _one_line(entry) for name, entry in entries.items()}
                  if isinstance(entries, dict) and entries else _one_line(entries))
        for section, entries in surface.items()})


def _sections_text(sections: Mapping[Any, Mapping[Any, str] | str]) -> str:
    """The surface's text from each section's entries already encoded, one line each (or the
    whole section encoded, when it is not a non-empty mapping)."""
    if not sections:
        return "{}\n"
    out = ["{"]
    ordered = sorted(sections.items())
    for number, (section, entries) in enumerate(ordered):
        out.append(f"\n {_key(section)}: ")
        if isinstance(entries, str):
            out.append(entries)
        elif entries:
            out.append("{")
            items = sorted(entries.items())
            for index, (name, encoded) in enumerate(items):
                comma = "," if index + 1 < len(items) else ""
                out.append(f"\n  {_key(name)}: {encoded}{comma}")
            out.append("\n }")
        else:
            out.append("{}")
        if number + 1 < len(ordered):
            out.append(",")
    out.append("\n}\n")
    return "".join(out)


_one_line = json.JSONEncoder(sort_keys=True, ensure_ascii=True, separators=(", ", ": ")).encode


def _key(key: Any) -> str:
    """A mapping key as json writes it: a string, or a number, boolean or null as a string."""
    return _one_line(key if isinstance(key, str) else _one_line(key))
