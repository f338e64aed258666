"""OpenAPI Overlay Specification 1.0: change a spec you do not own without editing it.

An overlay is a list of actions, each selecting nodes of the spec with an RFC 9535 JSONPath
`target` and either merging `update` into them (an object is merged key by key, recursively;
an array gets `update` appended) or removing them (`remove: true`). Overlays are applied in
order, before validation, to a copy of the spec: the loaded input is never changed. Problems
point at the overlay's own lines; an action whose target matches nothing is a warning.
"""

from __future__ import annotations

import copy
from typing import Any

from .diagnostics import Reporter, pointer_join
from .loader import Document


def apply_overlays(spec: Document, overlays: list[Document], reporter: Reporter) -> Document:
    if not overlays:
        return spec
    data = copy.deepcopy(spec.data)
    for overlay in overlays:
        reporter.add_source(overlay)
        data = _apply(data, overlay, reporter)
    reporter.raise_if_errors()
    return spec.with_data(data)


def _apply(data: Any, overlay: Document, reporter: Reporter) -> Any:
    name = overlay.display_name
    version = overlay.data.get("overlay")
    if not isinstance(version, str) or not version.startswith("1."):
        reporter.error(name, "/overlay", "not an Overlay 1.x document: `overlay: 1.0.0` is "
                       "required")
        return data
    actions = overlay.data.get("actions")
    if not isinstance(actions, list) or not actions:
        reporter.error(name, "/actions", "an overlay needs a non-empty list of `actions`")
        return data
    import jsonpath_rfc9535 as jsonpath  # only a spec with overlays pays for importing it

    for index, action in enumerate(actions):
        where = pointer_join("/actions", index)
        if not isinstance(action, dict) or not isinstance(action.get("target"), str):
            reporter.error(name, where, "each action needs a `target` (a JSONPath string)")
            continue
        remove = action.get("remove") is True
        if not remove and "update" not in action:
            reporter.error(name, where, "an action needs `update` or `remove: true`")
            continue
        try:
            nodes = list(jsonpath.find(action["target"], data))
        except jsonpath.JSONPathError as exc:
            reporter.error(name, where + "/target", f"invalid JSONPath "
                           f"{action['target']!r}: {' '.join(str(exc).split())}")
            continue
        if not nodes:
            reporter.warning(name, where + "/target", f"target {action['target']!r} matches "
                             "nothing in the spec; action skipped")
            continue
        if remove:
            data = _remove(data, [node.location for node in nodes], name, where, reporter)
            continue
        for node in nodes:
            data = _update(data, tuple(node.location), action["update"], name, where, reporter)
    return data


def _update(data: Any, location: tuple[Any, ...], update: Any, file: str, where: str,
            reporter: Reporter) -> Any:
    if not location:
        return _merge(data, update) if isinstance(data, dict) and isinstance(update, dict) \
            else data
    parent = _at(data, location[:-1])
    key = location[-1]
    current = parent[key]
    if isinstance(current, dict) and isinstance(update, dict):
        parent[key] = _merge(current, update)
    elif isinstance(current, list):
        current.append(copy.deepcopy(update))
    else:
        reporter.error(file, where + "/update", f"target {_path(location)} is a "
                       f"{type(current).__name__}; only objects and arrays can be updated")
    return data


def _merge(target: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    for key, value in update.items():
        if isinstance(target.get(key), dict) and isinstance(value, dict):
            target[key] = _merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)
    return target


def _remove(data: Any, locations: list[Any], file: str, where: str,
            reporter: Reporter) -> Any:
    # Deepest and last first, so removing one node never shifts another's location.
    def order(location: tuple[Any, ...]) -> tuple[Any, ...]:
        return (len(location), tuple((0, key, "") if isinstance(key, int) else (1, 0, str(key))
                                     for key in location))

    for location in sorted((tuple(loc) for loc in locations), key=order, reverse=True):
        if not location:
            reporter.error(file, where + "/target", "an overlay cannot remove the whole spec")
            continue
        parent = _at(data, location[:-1])
        del parent[location[-1]]
    return data


def _at(data: Any, location: tuple[Any, ...]) -> Any:
    for key in location:
        data = data[key]
    return data


def _path(location: tuple[Any, ...]) -> str:
    return "$" + "".join(f"[{key!r}]" for key in location)
