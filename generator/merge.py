"""Several documentation pages of one provider → one OpenAPI document.

Providers often publish one page per endpoint, each with a fragment of the same document:
paths are unioned, components that are identical on several pages are kept once, and a
component (or an operation) defined differently on two pages is an error naming both places.
The merged document remembers which page each part came from, so later diagnostics point at
the page and line that wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Reporter, pointer_join
from .loader import Document

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass
class MergedDocument(Document):
    """A document assembled from pages; `origins` maps pointer prefixes to their page."""

    origins: dict[str, Document] = field(default_factory=dict, repr=False)

    def locate(self, pointer: str) -> tuple[str, int | None]:
        prefix = pointer
        while prefix:
            page = self.origins.get(prefix)
            if page is not None:
                return page.locate(pointer)
            prefix = prefix.rpartition("/")[0]
        first = self.origins.get("", None)
        return first.locate(pointer) if first is not None else (self.display_name, None)

    def line_of(self, pointer: str) -> int | None:
        return self.locate(pointer)[1]


def merge_documents(pages: list[Document], reporter: Reporter) -> Document:
    if len(pages) == 1:
        return pages[0]
    for page in pages:
        reporter.add_source(page)
    first = pages[0]
    merged: dict[str, Any] = {}
    origins: dict[str, Document] = {"": first}
    for page in pages:
        for key, value in page.data.items():
            if key in ("paths", "webhooks"):
                _merge_paths(merged.setdefault(key, {}), value, key, page, origins, reporter)
            elif key == "components":
                _merge_components(merged.setdefault(key, {}), value, page, origins, reporter)
            elif key == "tags":
                names = {t.get("name") for t in merged.setdefault("tags", [])
                         if isinstance(t, dict)}
                merged["tags"].extend(t for t in value or [] if isinstance(t, dict)
                                      and t.get("name") not in names)
            elif key not in merged:
                merged[key] = value
                origins[pointer_join("", key)] = page
            elif merged[key] != value and key in ("openapi", "servers", "security"):
                reporter.warning(page.display_name, pointer_join("", key),
                                 f"`{key}` differs from {_where(origins, key)}; the first page's "
                                 "is used")
    reporter.raise_if_errors()
    name = " + ".join(page.display_name for page in pages)
    return MergedDocument(first.path, name, "\n".join(p.text for p in pages), merged,
                          first.is_json, first.line_offset, origins=origins)


def _where(origins: dict[str, Document], key: str) -> str:
    page = origins.get(pointer_join("", key)) or origins[""]
    file, line = page.locate(pointer_join("", key))
    return f"{file}:{line}" if line else file


def _merge_paths(target: dict[str, Any], paths: Any, key: str, page: Document,
                 origins: dict[str, Document], reporter: Reporter) -> None:
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        item_pointer = pointer_join("", key, path)
        if path not in target:
            target[path] = dict(item) if isinstance(item, dict) else item
            origins[item_pointer] = page
            continue
        existing = target[path]
        if not isinstance(existing, dict) or not isinstance(item, dict):
            continue
        for part, value in item.items():
            part_pointer = pointer_join(item_pointer, part)
            if part not in existing:
                existing[part] = value
                origins[part_pointer] = page
            elif existing[part] != value:
                if part in HTTP_METHODS or part not in ("parameters", "summary",
                                                        "description", "servers"):
                    reporter.error(page.display_name, part_pointer,
                                   f"{part.upper() if part in HTTP_METHODS else part} of "
                                   f"{path} is defined differently in "
                                   f"{_located(origins, part_pointer, item_pointer)}")


def _merge_components(target: dict[str, Any], components: Any, page: Document,
                      origins: dict[str, Document], reporter: Reporter) -> None:
    if not isinstance(components, dict):
        return
    for kind, entries in components.items():
        if not isinstance(entries, dict):
            continue
        bucket = target.setdefault(kind, {})
        for name, value in entries.items():
            pointer = pointer_join("", "components", kind, name)
            if name not in bucket:
                bucket[name] = value
                origins[pointer] = page
            elif bucket[name] != value:
                reporter.error(page.display_name, pointer,
                               f"components/{kind}/{name} is defined differently in "
                               f"{_located(origins, pointer, pointer)}")


def _located(origins: dict[str, Document], pointer: str, fallback: str) -> str:
    page = origins.get(pointer) or origins.get(fallback) or origins[""]
    file, line = page.locate(pointer)
    return f"{file}:{line}" if line else file
