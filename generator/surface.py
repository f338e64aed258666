"""The public surface of a generated client, as plain JSON data built from the IR.

What a caller of the generated package can touch: operations (name, parameters, body, result,
pagination, auth, error types), models and their fields, enums and their values, aliases and
auth schemes. `generator.changes` compares two surfaces; each generated package keeps its own
(`.clientgen-surface.json`) so a regeneration can report what changed for its callers.
"""

from __future__ import annotations

import json
from typing import Any

from . import ir

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


def build_surface(api: ir.Api) -> dict[str, Any]:
    operations = {}
    for op in api.operations:
        operations[op.name] = {
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
    models: dict[str, Any] = {}
    enums: dict[str, Any] = {}
    aliases: dict[str, Any] = {}
    for declaration in api.declarations:
        match declaration:
            case ir.Model():
                models[declaration.name] = {
                    "fields": {f.name: {"wire": f.wire_name, "required": f.required,
                                        "type": type_data(f.type)}
                               for f in declaration.fields},
                }
            case ir.Enum():
                enums[declaration.name] = [m.value for m in declaration.members]
            case ir.Alias():
                aliases[declaration.name] = type_data(declaration.target)
    surface = {
        "operations": operations,
        "models": models,
        "enums": enums,
        "aliases": aliases,
        "auth": {s.name: s.kind.value for s in api.security_schemes},
    }
    _assign_roles(surface)
    return surface


def _assign_roles(surface: dict[str, Any]) -> None:
    """Mark each model as read by callers (output), built by callers (input), or both: a change
    to a field breaks callers differently in each case. A model has a role when a type of
    that role (a parameter or body: input; a result or error: output) reaches it through
    fields and aliases; each role's types are walked once, together, so a model is visited
    once a role however many operations reach it."""
    models, aliases = surface["models"], surface["aliases"]

    def reach(types: list[Any]) -> set[str]:
        seen: set[str] = set()
        pending = list(types)
        while pending:
            t = pending.pop()
            if not isinstance(t, dict):
                continue
            for key, value in t.items():
                if key == "ref":
                    if value in seen:
                        continue
                    seen.add(value)
                    if value in models:
                        pending.extend(field["type"] for field in models[value]["fields"].values())
                    elif value in aliases:
                        pending.append(aliases[value])
                elif key in ("union", "tuple"):
                    pending.extend(value)
                elif key in ("list", "map", "nullable"):
                    pending.append(value)
        return seen

    operations = surface["operations"].values()
    inputs = reach([param["type"] for op in operations for param in op["parameters"].values()]
                   + [op["body"]["type"] for op in operations if op["body"] is not None])
    outputs = reach([op["returns"]["type"] for op in operations if op["returns"] is not None]
                    + [error for op in operations for error in op["errors"].values()])
    for name, model in models.items():
        roles = [role for role, reached in (("input", inputs), ("output", outputs))
                 if name in reached]
        model["roles"] = roles or ["output", "input"]  # unused: assume both


def surface_text(surface: dict[str, Any]) -> str:
    """The surface as JSON with one line per operation, model, enum, alias and auth scheme:
    a regeneration's diff of the file shows which changed, and each line is written by json's
    C encoder (an indented dump is encoded in pure Python: 53-56 ms of a GitHub regeneration's
    0.85 s, against 24-28 ms)."""
    sections = sorted(surface.items())
    if not sections:
        return "{}\n"
    out = ["{"]
    for number, (section, entries) in enumerate(sections):
        out.append(f"\n {_key(section)}: ")
        if isinstance(entries, dict) and entries:
            out.append("{")
            items = sorted(entries.items())
            for index, (name, entry) in enumerate(items):
                comma = "," if index + 1 < len(items) else ""
                out.append(f"\n  {_key(name)}: {_one_line(entry)}{comma}")
            out.append("\n }")
        else:
            out.append(_one_line(entries))
        if number + 1 < len(sections):
            out.append(",")
    out.append("\n}\n")
    return "".join(out)


_one_line = json.JSONEncoder(sort_keys=True, ensure_ascii=True, separators=(", ", ": ")).encode


def _key(key: Any) -> str:
    """A mapping key as json writes it: a string, or a number, boolean or null as a string."""
    return _one_line(key if isinstance(key, str) else _one_line(key))
