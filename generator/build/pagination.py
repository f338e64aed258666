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
PAGE_SIZE_FIELDS = ("limit", "page_size", "pageSize", "per_page", "size")
PAGE_PARAMS = ("page", "page_number", "pageNumber")
TOTAL_PAGES_FIELDS = ("total_pages", "totalPages", "pages", "page_count")
NEXT_LINK_FIELDS = ("next", "next_url", "nextUrl", "next_page_url", "next_link")
ITEMS_FIELDS = ("items", "data", "results", "jobs", "entries", "records", "elements",
                "generations", "values")
ITEM_KEY_FIELDS = ("id", "job_id", "public_id", "uuid", "uid", "key")

Lookup = Callable[[str], "ir.Declaration | None"]


def _first(candidates: tuple[str, ...], available: set[str] | dict[str, Any]) -> str | None:
    return next((c for c in candidates if c in available), None)


def detect(
    params: tuple[ir.Parameter, ...],
    success: ir.Response | None,
    lookup: Lookup,
    extension: Any,
) -> ir.Pagination | None:
    model = _success_model(success, lookup)
    if model is None:
        return None
    fields = {f.wire_name: f for f in model.fields}
    query = {p.wire_name for p in params if p.location is ir.ParamLocation.QUERY}
    lists = [f.wire_name for f in model.fields
             if isinstance(ir.strip_nullable(f.type), ir.ListType)]
    if isinstance(extension, dict):
        return _declared(extension, query, fields, lookup)
    items = _first(ITEMS_FIELDS, set(lists)) or (lists[0] if len(lists) == 1 else None)
    if items is None:
        return None
    key = _item_key(fields[items], lookup)
    cursor_param = _first(CURSOR_PARAMS, query)
    next_cursor = _first(NEXT_CURSOR_FIELDS, fields)
    if cursor_param and next_cursor:
        return ir.CursorPagination(items_field=items, cursor_param=cursor_param,
                                   next_cursor_field=next_cursor, item_key_field=key)
    offset_param = _first(OFFSET_PARAMS, query)
    if offset_param:
        return ir.OffsetPagination(
            items_field=items, offset_param=offset_param,
            limit_param=_first(LIMIT_PARAMS, query), total_field=_first(TOTAL_FIELDS, fields),
            page_size_field=_first(PAGE_SIZE_FIELDS, fields),
            offset_field=offset_param if offset_param in fields else None, item_key_field=key)
    page_param = _first(PAGE_PARAMS, query)
    if page_param:
        return ir.PageNumberPagination(items_field=items, page_param=page_param,
                                       total_pages_field=_first(TOTAL_PAGES_FIELDS, fields),
                                       item_key_field=key)
    next_link = _first(NEXT_LINK_FIELDS, fields)
    if next_link and ir.strip_nullable(fields[next_link].type) == ir.STR:
        return ir.NextLinkPagination(items_field=items, next_link_field=next_link,
                                     item_key_field=key)
    return None


def _success_model(success: ir.Response | None, lookup: Lookup) -> ir.Model | None:
    if success is None or success.type is None:
        return None
    target = ir.strip_nullable(success.type)
    if not isinstance(target, ir.RefType):
        return None
    declaration = lookup(target.name)
    return declaration if isinstance(declaration, ir.Model) else None


def _item_key(items: ir.Field, lookup: Lookup) -> str | None:
    """The scalar field that identifies an item, if the item model has one."""
    list_type = ir.strip_nullable(items.type)
    if not isinstance(list_type, ir.ListType):
        return None
    item = ir.strip_nullable(list_type.item)
    model = lookup(item.name) if isinstance(item, ir.RefType) else None
    if not isinstance(model, ir.Model):
        return None
    candidates = {f.wire_name: f for f in model.fields
                  if isinstance(ir.strip_nullable(f.type), ir.ScalarType)}
    return _first(ITEM_KEY_FIELDS, candidates)


def _declared(
    extension: dict[str, Any], query: set[str], fields: dict[str, ir.Field], lookup: Lookup
) -> ir.Pagination | None:
    """`x-pagination: {type: cursor|offset|page|next_link, items: ..., ...}` with wire names."""
    kind = extension.get("type")
    items = extension.get("items", extension.get("results"))
    if not isinstance(items, str) or items not in fields:
        return None
    key = _item_key(fields[items], lookup)
    if kind == "cursor":
        param, field = extension.get("cursor_param"), extension.get("next_cursor")
        if param in query and field in fields:
            return ir.CursorPagination(items_field=items, cursor_param=param,
                                       next_cursor_field=field, item_key_field=key)
    elif kind == "offset":
        param = extension.get("offset_param", "offset")
        if param in query:
            limit = extension.get("limit_param")
            total = extension.get("total")
            return ir.OffsetPagination(
                items_field=items, offset_param=param,
                limit_param=limit if limit in query else None,
                total_field=total if total in fields else None, item_key_field=key)
    elif kind == "page":
        param = extension.get("page_param", "page")
        if param in query:
            total = extension.get("total_pages")
            return ir.PageNumberPagination(items_field=items, page_param=param,
                                           total_pages_field=total if total in fields else None,
                                           item_key_field=key)
    elif kind == "next_link":
        field = extension.get("next")
        if field in fields:
            return ir.NextLinkPagination(items_field=items, next_link_field=field,
                                         item_key_field=key)
    return None
