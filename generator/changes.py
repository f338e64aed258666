"""What changed between two versions of a spec, for a caller of the generated client.

Compares two public surfaces (`generator.surface`) and classifies every difference as breaking
(code that used the old client may fail: a removed field, a newly required parameter, a
narrowed parameter type, a removed enum value) or compatible (a new optional field, a new enum
value: generated enums accept values they do not list). Output is a review-ready Markdown report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

BREAKING = "breaking"
COMPATIBLE = "compatible"


@dataclass(frozen=True, order=True)
class Change:
    severity: str  # BREAKING or COMPATIBLE
    area: str  # operation, model, enum, alias, auth
    subject: str  # e.g. `list_jobs`, `JobSummary.created_at`
    description: str


class _Types:
    """Whether one surface type accepts every value of another (`wide` ⊇ `narrow`)."""

    def __init__(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        self._enums = (old["enums"], new["enums"])
        self._aliases = (old["aliases"], new["aliases"])

    def accepts(self, wide: Any, narrow: Any, wide_is_new: bool) -> bool:
        if wide == narrow:
            return True
        if not isinstance(wide, dict) or not isinstance(narrow, dict):
            return False
        if "any" in wide:
            return True
        if "nullable" in wide:
            if "nullable" in narrow:
                return self.accepts(wide["nullable"], narrow["nullable"], wide_is_new)
            if narrow == {"scalar": "none"}:
                return True
            return self.accepts(wide["nullable"], narrow, wide_is_new)
        if "nullable" in narrow:
            return False
        if "union" in narrow:
            return all(self.accepts(wide, v, wide_is_new) for v in narrow["union"])
        if "union" in wide:
            return any(self.accepts(v, narrow, wide_is_new) for v in wide["union"])
        if "scalar" in wide and "scalar" in narrow:
            return bool(wide["scalar"] == narrow["scalar"] or (
                wide["scalar"] == "float" and narrow["scalar"] == "int"))
        if "scalar" in wide and "literal" in narrow:
            kinds: dict[str, type | tuple[type, ...]] = {
                "str": str, "int": int, "bool": bool, "float": (int, float)}
            kind = kinds.get(wide["scalar"])
            return kind is not None and isinstance(narrow["literal"], kind)
        if "list" in wide and "list" in narrow:
            return self.accepts(wide["list"], narrow["list"], wide_is_new)
        if "tuple" in wide and "tuple" in narrow:
            return len(wide["tuple"]) == len(narrow["tuple"]) and all(
                self.accepts(w, n, wide_is_new) for w, n in zip(wide["tuple"], narrow["tuple"]))
        if "list" in wide and "tuple" in narrow:
            return all(self.accepts(wide["list"], n, wide_is_new) for n in narrow["tuple"])
        if "map" in wide and "map" in narrow:
            return self.accepts(wide["map"], narrow["map"], wide_is_new)
        if "ref" in wide and "ref" in narrow and wide["ref"] == narrow["ref"]:
            return True  # the declaration itself is compared on its own
        if "scalar" in wide and "ref" in narrow:
            enums = self._enums[0 if wide_is_new else 1]
            values = enums.get(narrow["ref"])
            return values is not None and wide["scalar"] == "str" and all(
                isinstance(v, str) for v in values)
        return False


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    types = _Types(old, new)
    _operations(old, new, types, changes)
    _models(old, new, types, changes)
    _enums(old, new, changes)
    _named(old["aliases"], new["aliases"], "alias", changes)
    _auth(old, new, changes)
    return sorted(changes, key=lambda c: (c.severity != BREAKING, c.area, c.subject))


def _added_removed(old: dict[str, Any], new: dict[str, Any], area: str, noun: str,
                   changes: list[Change]) -> list[str]:
    for name in sorted(set(old) - set(new)):
        changes.append(Change(BREAKING, area, f"`{name}`", f"{noun} removed"))
    for name in sorted(set(new) - set(old)):
        changes.append(Change(COMPATIBLE, area, f"`{name}`", f"{noun} added"))
    return sorted(set(old) & set(new))


def _describe(t: Any) -> str:
    if not isinstance(t, dict):
        return "none"
    if "scalar" in t:
        return str(t["scalar"])
    if "any" in t:
        return "any JSON value"
    if "literal" in t:
        return repr(t["literal"])
    if "list" in t:
        return f"list[{_describe(t['list'])}]"
    if "tuple" in t:
        return f"tuple[{', '.join(_describe(item) for item in t['tuple'])}]"
    if "map" in t:
        return f"dict[str, {_describe(t['map'])}]"
    if "ref" in t:
        return str(t["ref"])
    if "union" in t:
        return " | ".join(_describe(v) for v in t["union"])
    if "nullable" in t:
        return f"{_describe(t['nullable'])} | None"
    return "?"


def _input_type(types: _Types, old: Any, new: Any, subject: str, area: str,
                changes: list[Change]) -> None:
    """A type the caller passes in: the new one must accept every value the old one did."""
    if old == new:
        return
    change = f"type {_describe(old)} → {_describe(new)}"
    if types.accepts(new, old, wide_is_new=True):
        changes.append(Change(COMPATIBLE, area, subject, change + " (widened)"))
    elif types.accepts(old, new, wide_is_new=False):
        changes.append(Change(BREAKING, area, subject, change + " (narrowed)"))
    else:
        changes.append(Change(BREAKING, area, subject, change))


def _output_type(types: _Types, old: Any, new: Any, subject: str, area: str,
                 changes: list[Change]) -> None:
    """A type the caller reads: every new value must be one the old type allowed."""
    if old == new:
        return
    change = f"type {_describe(old)} → {_describe(new)}"
    if types.accepts(old, new, wide_is_new=False):
        changes.append(Change(COMPATIBLE, area, subject, change + " (narrowed)"))
    elif types.accepts(new, old, wide_is_new=True):
        changes.append(Change(BREAKING, area, subject, change + " (widened: new values "
                              "reach code written for the old type)"))
    else:
        changes.append(Change(BREAKING, area, subject, change))


def _operations(old: dict[str, Any], new: dict[str, Any], types: _Types,
                changes: list[Change]) -> None:
    for name in _added_removed(old["operations"], new["operations"], "operation", "operation",
                               changes):
        before, after = old["operations"][name], new["operations"][name]
        subject = f"`{name}`"
        if (before["method"], before["path"]) != (after["method"], after["path"]):
            changes.append(Change(COMPATIBLE, "operation", subject,
                                  f"now `{after['method']} {after['path']}` (was "
                                  f"`{before['method']} {before['path']}`)"))
        for param in sorted(set(before["parameters"]) - set(after["parameters"])):
            changes.append(Change(BREAKING, "operation", subject,
                                  f"parameter `{param}` removed"))
        for param in sorted(set(after["parameters"]) - set(before["parameters"])):
            required = after["parameters"][param]["required"]
            changes.append(Change(BREAKING if required else COMPATIBLE, "operation", subject,
                                  f"{'required' if required else 'optional'} parameter "
                                  f"`{param}` added"))
        for param in sorted(set(before["parameters"]) & set(after["parameters"])):
            was, now = before["parameters"][param], after["parameters"][param]
            if now["required"] and not was["required"]:
                changes.append(Change(BREAKING, "operation", subject,
                                      f"parameter `{param}` became required"))
            elif was["required"] and not now["required"]:
                changes.append(Change(COMPATIBLE, "operation", subject,
                                      f"parameter `{param}` became optional"))
            _input_type(types, was["type"], now["type"], f"`{name}({param}=…)`", "operation",
                        changes)
        _body(types, name, before["body"], after["body"], changes)
        was_returns = (before["returns"] or {}).get("type")
        now_returns = (after["returns"] or {}).get("type")
        _output_type(types, was_returns, now_returns, f"`{name}` result", "operation", changes)
        if before["pagination"] != after["pagination"]:
            if before["pagination"] is None:
                changes.append(Change(COMPATIBLE, "operation", subject,
                                      f"now paginated ({after['pagination']}); the result is a "
                                      "page that keeps the response's fields"))
            elif after["pagination"] is None:
                changes.append(Change(BREAKING, "operation", subject,
                                      "no longer paginated (was "
                                      f"{before['pagination']})"))
            else:
                changes.append(Change(BREAKING, "operation", subject,
                                      f"pagination changed: {before['pagination']} → "
                                      f"{after['pagination']}"))
        for scheme in sorted(set(after["auth"]) - set(before["auth"])):
            if before["auth"] == [] or not (set(before["auth"]) & set(after["auth"])):
                changes.append(Change(BREAKING, "operation", subject,
                                      f"now requires `{scheme}` credentials"))
        for status in sorted(set(after["errors"]) - set(before["errors"])):
            changes.append(Change(COMPATIBLE, "operation", subject,
                                  f"documents error status {status}"))
        for status in sorted(set(before["errors"]) - set(after["errors"])):
            changes.append(Change(COMPATIBLE, "operation", subject,
                                  f"no longer documents error status {status} (still raised "
                                  "as its status class)"))


def _body(types: _Types, name: str, before: Any, after: Any, changes: list[Change]) -> None:
    subject = f"`{name}`"
    if before is None and after is not None:
        changes.append(Change(BREAKING if after["required"] else COMPATIBLE, "operation",
                              subject, f"{'required' if after['required'] else 'optional'} "
                              "request body added"))
    elif before is not None and after is None:
        changes.append(Change(BREAKING, "operation", subject, "request body removed"))
    elif before is not None and after is not None:
        if after["required"] and not before["required"]:
            changes.append(Change(BREAKING, "operation", subject, "request body became required"))
        _input_type(types, before["type"], after["type"], f"`{name}` body", "operation",
                    changes)


def _models(old: dict[str, Any], new: dict[str, Any], types: _Types,
            changes: list[Change]) -> None:
    for name in _added_removed(old["models"], new["models"], "model", "model", changes):
        before, after = old["models"][name], new["models"][name]
        roles = set(before.get("roles", [])) | set(after.get("roles", []))
        read, built = "output" in roles, "input" in roles
        for field in sorted(set(before["fields"]) - set(after["fields"])):
            changes.append(Change(BREAKING, "model", f"`{name}.{field}`", "field removed"))
        for field in sorted(set(after["fields"]) - set(before["fields"])):
            required = after["fields"][field]["required"]
            breaking = required and built
            changes.append(Change(BREAKING if breaking else COMPATIBLE, "model",
                                  f"`{name}.{field}`",
                                  f"{'required' if required else 'optional'} field added"
                                  + (" (callers build this model)" if breaking else "")))
        for field in sorted(set(before["fields"]) & set(after["fields"])):
            was, now = before["fields"][field], after["fields"][field]
            subject = f"`{name}.{field}`"
            if was["required"] and not now["required"]:
                already_none = isinstance(was["type"], dict) and (
                    "nullable" in was["type"] or "any" in was["type"])
                breaking = read and not already_none
                changes.append(Change(BREAKING if breaking else COMPATIBLE, "model", subject,
                                      "became optional" + (" (may now be None)" if breaking
                                                           else "")))
            elif now["required"] and not was["required"]:
                changes.append(Change(BREAKING if built else COMPATIBLE, "model", subject,
                                      "became required"))
            if read and built:
                if was["type"] != now["type"]:
                    changes.append(Change(BREAKING, "model", subject,
                                          f"type {_describe(was['type'])} → "
                                          f"{_describe(now['type'])}"))
            elif built:
                _input_type(types, was["type"], now["type"], subject, "model", changes)
            else:
                _output_type(types, was["type"], now["type"], subject, "model", changes)


def _enums(old: dict[str, Any], new: dict[str, Any], changes: list[Change]) -> None:
    for name in _added_removed(old["enums"], new["enums"], "enum", "enum", changes):
        before, after = old["enums"][name], new["enums"][name]
        for value in [v for v in before if v not in after]:
            changes.append(Change(BREAKING, "enum", f"`{name}`", f"value {value!r} removed"))
        for value in [v for v in after if v not in before]:
            changes.append(Change(COMPATIBLE, "enum", f"`{name}`",
                                  f"value {value!r} added (decoding already accepts unknown "
                                  "values)"))


def _named(old: dict[str, Any], new: dict[str, Any], area: str, changes: list[Change]) -> None:
    for name in _added_removed(old, new, area, area, changes):
        if old[name] != new[name]:
            changes.append(Change(BREAKING, area, f"`{name}`",
                                  f"now {_describe(new[name])} (was {_describe(old[name])})"))


def _auth(old: dict[str, Any], new: dict[str, Any], changes: list[Change]) -> None:
    for name in _added_removed(old["auth"], new["auth"], "auth", "security scheme", changes):
        if old["auth"][name] != new["auth"][name]:
            changes.append(Change(BREAKING, "auth", f"`{name}`",
                                  f"now {new['auth'][name]} (was {old['auth'][name]})"))


def report(changes: list[Change], old_name: str, new_name: str) -> str:
    """A Markdown report for a pull request."""
    breaking = [c for c in changes if c.severity == BREAKING]
    compatible = [c for c in changes if c.severity == COMPATIBLE]
    lines = [f"# Client changes: `{old_name}` → `{new_name}`", ""]
    if not changes:
        lines.append("No change to the generated client's public surface.")
        return "\n".join(lines) + "\n"
    lines.append(f"**{len(breaking)} breaking, {len(compatible)} compatible** "
                 "(for code that calls the generated client).")
    for title, group in (("Breaking", breaking), ("Compatible", compatible)):
        if not group:
            continue
        lines += ["", f"## {title}", "", "| area | what | change |", "|---|---|---|"]
        for change in group:
            lines.append(f"| {change.area} | {_cell(change.subject)} | "
                         f"{_cell(change.description)} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())
