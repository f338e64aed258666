"""Pagination detection: which request parameter and response field move a listing forward.

Decided from the operation's parameters and the top-level fields of its success model, or
declared by the spec with `x-pagination`. Table-driven so a new convention is one line.
"""

from __future__ import annotations

from typing import Any, Callable

from .. import ir

CURSOR_PARAMS = ("cursor", "after", "starting_after", "page_token", "pageToken",
                 "next_token", "continuation_token", "next_cursor", "start_cursor")
NEXT_CURSOR_FIELDS = ("next_cursor", "nextCursor", "next_page_token", "nextPageToken",
                      "next_token", "cursor", "continuation_token", "after", "last_id")
OFFSET_PARAMS = ("offset", "skip", "start")
LIMIT_PARAMS = ("limit", "page_size", "pageSize", "per_page", "size", "count", "max_results")
TOTAL_FIELDS = ("total", "total_count", "totalCount", "total_results", "count_total")
PAGE_PARAMS = ("page", "page_number", "pageNumber")
TOTAL_PAGES_FIELDS = ("total_pages", "totalPages", "pages", "page_count")
NEXT_LINK_FIELDS = ("next", "next_url", "nextUrl", "next_page_url", "next_link")
ITEMS_FIELDS = ("items", "data", "results", "jobs", "entries", "records", "elements",
                "generations", "values")


def _first(candidates: tuple[str, ...], available: set[str]) -> str | None:
    return next((c for c in candidates if c in available), None)


def detect(
    params: tuple[ir.Parameter, ...],
    success: ir.Response | None,
    lookup: Callable[[str], ir.Declaration | None],
    extension: Any,
) -> ir.Pagination | None:
    model = _success_model(success, lookup)
    if model is None:
        return None
    fields = {f.wire_name: f for f in model.fields}
    query = {p.wire_name for p in params if p.location is ir.ParamLocation.QUERY}
    lists = [f.wire_name for f in model.fields if isinstance(ir.strip_nullable(f.type), ir.ListType)]
    if isinstance(extension, dict):
        return _declared(extension, query, fields)
    items = _first(ITEMS_FIELDS, set(lists)) or (lists[0] if len(lists) == 1 else None)
    if items is None:
        return None
    names = set(fields)
    cursor_param = _first(CURSOR_PARAMS, query)
    next_cursor = _first(NEXT_CURSOR_FIELDS, names)
    if cursor_param and next_cursor:
        return ir.CursorPagination(items, cursor_param, next_cursor)
    offset_param = _first(OFFSET_PARAMS, query)
    if offset_param:
        return ir.OffsetPagination(items, offset_param, _first(LIMIT_PARAMS, query),
                                   _first(TOTAL_FIELDS, names))
    page_param = _first(PAGE_PARAMS, query)
    if page_param:
        return ir.PageNumberPagination(items, page_param, _first(TOTAL_PAGES_FIELDS, names))
    next_link = _first(NEXT_LINK_FIELDS, names)
    if next_link and ir.strip_nullable(fields[next_link].type) == ir.STR:
        return ir.NextLinkPagination(items, next_link)
    return None


def _success_model(
    success: ir.Response | None, lookup: Callable[[str], ir.Declaration | None]
) -> ir.Model | None:
    if success is None or success.type is None:
        return None
    target = ir.strip_nullable(success.type)
    if not isinstance(target, ir.RefType):
        return None
    declaration = lookup(target.name)
    return declaration if isinstance(declaration, ir.Model) else None


def _declared(
    extension: dict[str, Any], query: set[str], fields: dict[str, ir.Field]
) -> ir.Pagination | None:
    """`x-pagination: {type: cursor|offset|page|next_link, ...}` with wire names."""
    kind = extension.get("type")
    items = extension.get("items", extension.get("results"))
    if not isinstance(items, str) or items not in fields:
        return None
    if kind == "cursor":
        param, field = extension.get("cursor_param"), extension.get("next_cursor")
        if param in query and field in fields:
            return ir.CursorPagination(items, param, field)
    elif kind == "offset":
        param = extension.get("offset_param", "offset")
        if param in query:
            limit = extension.get("limit_param")
            total = extension.get("total")
            return ir.OffsetPagination(items, param, limit if limit in query else None,
                                       total if total in fields else None)
    elif kind == "page":
        param = extension.get("page_param", "page")
        if param in query:
            total = extension.get("total_pages")
            return ir.PageNumberPagination(items, param, total if total in fields else None)
    elif kind == "next_link":
        field = extension.get("next")
        if field in fields:
            return ir.NextLinkPagination(items, field)
    return None
