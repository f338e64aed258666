"""Paths and operations → IR operations: parameters, bodies, responses, auth, pagination."""

from __future__ import annotations

import re
from typing import Any

from .. import ir
from ..diagnostics import Reporter, pointer_join
from ..naming import Namespace, attribute_name, class_name, pascal_case, snake_case
from ..naming import operation_name_from_path, strip_fastapi_suffix
from ..resolver import Located, ResolvedSpec
from . import pagination
from .memo import Journal, journaled, run_unit
from .schemas import SchemaConverter

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Names a generated method uses for its own keyword arguments.
_RESERVED_ARGUMENTS = frozenset(
    {"self", "timeout", "extra_headers", "extra_query", "request_options", "max_retries"}
)
# Client attributes an operation method must not replace.
RESERVED_METHODS = frozenset(
    {"close", "aclose", "request", "with_options", "base_url", "timeout", "max_retries",
     "http_client", "copy", "default_headers", "with_raw_response",
     "httpx"}  # the module that signatures in the class body refer to
)
# OpenAPI: header parameters with these names are ignored; the client sets them.
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
_STYLE_ENCODINGS = {
    ("form", False): ir.ParamEncoding.COMMA,
    ("form", True): ir.ParamEncoding.EXPLODED,
    ("spaceDelimited", False): ir.ParamEncoding.SPACE,
    ("pipeDelimited", False): ir.ParamEncoding.PIPE,
    ("deepObject", True): ir.ParamEncoding.DEEP_OBJECT,
}
_TEMPLATE_VARIABLE = re.compile(r"{([^{}]+)}")
_STATUS = re.compile(r"[1-5](\d\d|XX)|default", flags=re.IGNORECASE)


def encodable(text: str) -> bool:
    """Whether a string can go on the wire (a JSON spec can hold lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_json(media_type: str) -> bool:
    base = media_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json") or base == "*/*"


def _response_kind(media_type: str) -> ir.ResponseKind:
    base = media_type.split(";")[0].strip().lower()
    if _is_json(base):
        return ir.ResponseKind.JSON
    if base in ("text/event-stream", "application/x-ndjson", "application/jsonl"):
        return ir.ResponseKind.STREAM
    if base.startswith("text/") or base in ("application/xml", "application/yaml"):
        return ir.ResponseKind.TEXT
    return ir.ResponseKind.BINARY


class OperationBuilder:
    def __init__(
        self, spec: ResolvedSpec, reporter: Reporter, schemas: SchemaConverter,
        security: dict[str, ir.SecurityScheme], journal: Journal | None = None,
    ) -> None:
        self._spec = spec
        self._reporter = reporter
        self._schemas = schemas
        self._security = security
        # with a journal (`memo`), each operation is a unit an earlier run's may replace
        self._journal = journal
        self._names = (Namespace(RESERVED_METHODS) if journal is None
                       else journal.namespace("methods", RESERVED_METHODS))
        self._operation_ids: dict[str, str] = journaled(journal, "operation_ids")

    def build_all(self) -> tuple[ir.Operation, ...]:
        root = Located(self._spec.root.data, self._spec.root, "")
        paths = root.value.get("paths")
        if paths is None:
            return ()
        if not isinstance(paths, dict):
            self._reporter.error(root.document.display_name, "/paths", "`paths` must be a "
                                 "mapping of path templates to path items")
            return ()
        operations = []
        for path in paths:
            if not isinstance(path, str) or not encodable(path):
                self._reporter.warning(root.document.display_name, pointer_join("/paths", str(path)),
                                       "path is not valid Unicode text; its operations are skipped")
                continue
            chain = self._spec.chain(root.child("paths", path))
            item = chain[-1]
            if not isinstance(item.value, dict):
                if item.value is not None:
                    self._reporter.warning(item.document.display_name, item.pointer,
                                           "path item is not an object; skipped")
                continue
            for method in HTTP_METHODS:
                if method in item.value:
                    operation = run_unit(self._journal, ("operation", path, method),
                                         chain,
                                         lambda: self._operation(str(path), method, item))
                    if operation is not None:
                        operations.append(operation)
            for extra in ("query", "additionalOperations"):
                if extra in item.value:
                    self._reporter.warning(item.document.display_name,
                                           f"{item.pointer}/{extra}", "OpenAPI 3.2 "
                                           f"`{extra}` is not supported; skipped")
        return tuple(operations)

    # ------------------------------------------------------------------------------ pieces

    def _operation(self, path: str, method: str, item: Located) -> ir.Operation | None:
        located = item.child(method)
        op = located.value
        file = located.document.display_name
        if not isinstance(op, dict):
            self._reporter.warning(file, located.pointer, "operation is not an object; skipped")
            return None
        operation_id = op.get("operationId")
        if isinstance(operation_id, str) and operation_id:
            base = strip_fastapi_suffix(operation_id, method, path)
        else:
            operation_id = ""
            base = operation_name_from_path(method, path)
        name = self._names.claim(attribute_name(base, "operation"))
        if operation_id in self._operation_ids:
            self._reporter.warning(file, located.pointer + "/operationId",
                                   f"operationId {operation_id!r} is also used by "
                                   f"{self._operation_ids[operation_id]} (operationIds must be "
                                   f"unique); this operation's method is named {name!r}")
        elif operation_id:
            self._operation_ids[operation_id] = f"{method.upper()} {path}"
        type_hint = pascal_case(base) or "Operation"

        scope = Namespace(_RESERVED_ARGUMENTS)
        parameters = self._parameters(path, item, located, type_hint, scope)
        body = self._body(located, type_hint, scope)
        success, errors = self._responses(located, type_hint)
        pager = pagination.detect(parameters, success, self._schemas.declaration,
                                  op.get("x-pagination"))
        if op.get("x-pagination") is not None and pager is None:
            self._reporter.warning(file, located.pointer + "/x-pagination",
                                   "x-pagination does not match the operation's parameters "
                                   "and response fields; not paginated")
        idempotency = next((p.wire_name for p in parameters
                            if p.location is ir.ParamLocation.HEADER
                            and p.wire_name.lower() == "idempotency-key"), None)
        for keyword in ("callbacks",):
            if keyword in op:
                self._reporter.info(file, located.pointer + "/" + keyword,
                                    f"{keyword} are not part of a client; ignored")
        return ir.Operation(
            name=name,
            operation_id=operation_id,
            method=method.upper(),
            path=path,
            summary=_text(op.get("summary")),
            description=_text(op.get("description")),
            tags=tuple(str(t) for t in op.get("tags", []) if isinstance(t, str)),
            parameters=parameters,
            body=body,
            success=success,
            errors=errors,
            pagination=pager,
            page_classes=(self._schemas.claim_name(type_hint + "Page"),
                          self._schemas.claim_name("Async" + type_hint + "Page"))
            if pager is not None else None,
            security=self._requirements(op),
            idempotency_header=idempotency,
            deprecated=bool(op.get("deprecated")),
            source=located.source,
        )

    def _parameters(
        self, path: str, item: Located, located: Located, hint: str, scope: Namespace
    ) -> tuple[ir.Parameter, ...]:
        merged: dict[tuple[str, str], Located] = {}
        for owner in (item, located):
            params = owner.value.get("parameters")
            if params is None:
                continue
            if not isinstance(params, list):
                self._reporter.warning(owner.document.display_name,
                                       owner.pointer + "/parameters",
                                       "`parameters` must be a list; skipped")
                continue
            for index in range(len(params)):
                param = self._spec.follow(owner.child("parameters", index))
                value = param.value
                if isinstance(value, dict) and value.get("in") == "querystring":
                    self._reporter.warning(param.document.display_name, param.pointer + "/in",
                                           "OpenAPI 3.2 `in: querystring` is not supported; "
                                           "skipped (pass the query with extra_query=)")
                    continue
                if not isinstance(value, dict) or not isinstance(value.get("name"), str) or \
                        value.get("in") not in ("path", "query", "header", "cookie"):
                    self._reporter.warning(param.document.display_name, param.pointer,
                                           "a parameter needs a `name` and an `in` of path, "
                                           "query, header or cookie; skipped")
                    continue
                merged[(value["name"], value["in"])] = param

        in_template = _TEMPLATE_VARIABLE.findall(path)
        result = []
        # Path parameters first, in template order: they become positional arguments.
        ordered = sorted(merged.items(), key=lambda kv: (
            0 if kv[0][1] == "path" else 1,
            in_template.index(kv[0][0]) if kv[0][0] in in_template else 0))
        for (wire, where), param in ordered:
            value = param.value
            file = param.document.display_name
            if where == "path" and wire not in in_template:
                self._reporter.warning(file, param.pointer + "/name",
                                       f"path parameter {wire!r} does not appear in the path "
                                       f"{path!r}; skipped (it has nowhere to go)")
                continue
            if where == "header" and wire.lower() in _IGNORED_HEADERS:
                self._reporter.info(file, param.pointer, f"header parameter {wire!r} is set "
                                    "by the client; ignored as OpenAPI specifies")
                continue
            result.append(self._parameter(param, wire, where, hint, scope))
        declared_path = {w for (w, where) in merged if where == "path"}
        for variable in in_template:
            if variable not in declared_path:
                self._reporter.warning(located.document.display_name, located.pointer,
                                       f"path variable {{{variable}}} has no parameter; "
                                       "typed as a string")
                result.insert(0, ir.Parameter(scope.claim(attribute_name(variable, "param")),
                                              variable, ir.ParamLocation.PATH, ir.STR, True, ""))
        return tuple(result)

    def _structured(self, t: ir.TypeRef, seen: frozenset[str] = frozenset()) -> bool:
        """Whether a parameter value can be an array or object, so `style`/`explode` apply
        (also through a union such as `anyOf: [string, array]` or a named array schema)."""
        t = ir.strip_nullable(t)
        if isinstance(t, ir.UnionType):
            return any(self._structured(v, seen) for v in t.variants)
        if isinstance(t, ir.RefType) and t.name not in seen:
            declaration = self._schemas.declaration(t.name)
            if isinstance(declaration, ir.Alias):
                return self._structured(declaration.target, seen | {t.name})
            return isinstance(declaration, ir.Model)
        return isinstance(t, (ir.ListType, ir.TupleType, ir.MapType))

    def _parameter(
        self, param: Located, wire: str, where: str, hint: str, scope: Namespace
    ) -> ir.Parameter:
        value = param.value
        location = ir.ParamLocation(where)
        type_hint = hint + class_name(wire, "Param")
        encoding = ir.ParamEncoding.PLAIN
        if "schema" in value:
            param_type = self._schemas.convert(param.child("schema"), type_hint)
        elif isinstance(value.get("content"), dict) and value["content"]:
            media = next(iter(value["content"]))
            content = param.child("content", media)
            param_type = (self._schemas.convert(content.child("schema"), type_hint)
                          if isinstance(content.value, dict) and "schema" in content.value
                          else ir.ANY)
            encoding = ir.ParamEncoding.JSON
        else:
            param_type = ir.STR
        core = ir.strip_nullable(param_type)
        if encoding is ir.ParamEncoding.PLAIN and self._structured(core):
            default_style = "form" if location in (ir.ParamLocation.QUERY,
                                                   ir.ParamLocation.COOKIE) else "simple"
            style = value.get("style", default_style)
            explode = value.get("explode", style == "form")
            encoding = _STYLE_ENCODINGS.get((style, bool(explode)), ir.ParamEncoding.COMMA)
        schema = value.get("schema") if isinstance(value.get("schema"), dict) else {}
        required = bool(value.get("required")) or location is ir.ParamLocation.PATH
        return ir.Parameter(
            name=scope.claim(attribute_name(wire, "param")),
            wire_name=wire,
            location=location,
            type=param_type,
            required=required,
            description=_text(value.get("description")) or _text(schema.get("description")),
            encoding=encoding,
            default=schema.get("default"),
            has_default="default" in schema,
            deprecated=bool(value.get("deprecated")),
        )

    def _body(self, located: Located, hint: str, scope: Namespace) -> ir.RequestBody | None:
        if "requestBody" not in located.value:
            return None
        body = self._spec.follow(located.child("requestBody"))
        content = body.value.get("content") if isinstance(body.value, dict) else None
        if not isinstance(content, dict) or not content:
            self._reporter.warning(body.document.display_name, body.pointer,
                                   "request body without `content`; skipped")
            return None
        media = _pick_media_type(list(content))
        media_located = body.child("content", media)
        base = media.split(";")[0].strip().lower()
        if _is_json(base) and not self._is_binary(media, media_located):
            kind = ir.BodyKind.JSON
        elif base == "application/x-www-form-urlencoded":
            kind = ir.BodyKind.FORM
        elif base.startswith("multipart/"):
            kind = ir.BodyKind.MULTIPART
        elif base.startswith("text/"):
            kind = ir.BodyKind.TEXT
        else:
            kind = ir.BodyKind.BINARY
        if kind is ir.BodyKind.BINARY:
            body_type: ir.TypeRef = ir.ScalarType(ir.Scalar.BYTES)
        elif kind is ir.BodyKind.TEXT:
            body_type = ir.STR
        elif isinstance(media_located.value, dict) and "schema" in media_located.value:
            body_type = self._schemas.convert(media_located.child("schema"), hint + "Body")
        else:
            body_type = ir.ANY
        return ir.RequestBody(
            name=scope.claim("body"),
            kind=kind,
            content_type=media,
            type=body_type,
            required=bool(body.value.get("required")),
            description=_text(body.value.get("description")),
        )

    def _responses(
        self, located: Located, hint: str
    ) -> tuple[ir.Response | None, tuple[ir.Response, ...]]:
        responses = located.value.get("responses")
        if not isinstance(responses, dict) or not responses:
            # Optional in 3.1; where the version requires it, the validator says so.
            report = self._reporter.info if responses in (None, {}) else self._reporter.warning
            report(located.document.display_name, located.pointer,
                   "operation has no `responses`; its result is returned undecoded")
            return None, ()
        keys: dict[str, str | int] = {}  # status text -> its key (YAML may give an int)
        for key in responses:
            status = str(key)
            if not _STATUS.fullmatch(status):
                self._reporter.error(located.document.display_name,
                                     pointer_join(located.pointer, "responses", status),
                                     f"{status!r} is not an HTTP status code, a range like "
                                     "4XX, or `default`")
                continue
            keys["default" if status.lower() == "default" else status.upper()] = key
        statuses = sorted(keys, key=_status_order)
        success_code = next((s for s in statuses if s.startswith("2")), None)
        if success_code is None and "default" in statuses:
            success_code = "default"
        success = None
        errors = []
        for status in statuses:
            response = self._spec.follow(located.child("responses", keys[status]))
            is_success = status == success_code
            suffix = "Response" if is_success else f"Error{status.upper()}"
            built = self._response(response, status, hint + suffix)
            if is_success:
                success = built
            elif not status.startswith(("1", "2", "3")):
                errors.append(built)
        return success, tuple(errors)

    def _response(self, response: Located, status: str, hint: str) -> ir.Response:
        value = response.value if isinstance(response.value, dict) else {}
        content = value.get("content")
        description = _text(value.get("description"))
        if not isinstance(content, dict) or not content:
            return ir.Response(status, description, ir.ResponseKind.EMPTY, "", None)
        media = _pick_media_type(list(content))
        kind = _response_kind(media)
        media_located = response.child("content", media)
        if kind is ir.ResponseKind.JSON and self._is_binary(media, media_located):
            kind = ir.ResponseKind.BINARY
        response_type: ir.TypeRef | None = None
        if kind is ir.ResponseKind.JSON:
            has_schema = isinstance(media_located.value, dict) and "schema" in media_located.value
            response_type = (self._schemas.convert(media_located.child("schema"), hint)
                             if has_schema else ir.ANY)
        elif kind is ir.ResponseKind.TEXT:
            response_type = ir.STR
        elif kind is ir.ResponseKind.BINARY:
            response_type = ir.ScalarType(ir.Scalar.BYTES)
        return ir.Response(status, description, kind, media, response_type)

    def _is_binary(self, media: str, media_located: Located) -> bool:
        """A wildcard media type (`*/*`, `application/*`) whose schema is binary data."""
        if not media.split(";")[0].strip().endswith("*"):
            return False
        if not isinstance(media_located.value, dict) or "schema" not in media_located.value:
            return False
        schema = self._spec.follow(media_located.child("schema")).value
        return isinstance(schema, dict) and schema.get("type") == "string" and (
            schema.get("format") == "binary" or "contentMediaType" in schema)

    def _requirements(self, op: dict[str, Any]) -> tuple[str, ...]:
        if "security" not in op:
            root = self._spec.root
            self._spec.note_read(Located(root.data.get("security"), root, "/security"))
        requirements = op.get("security", self._spec.root.data.get("security", []))
        names: list[str] = []
        if isinstance(requirements, list):
            for requirement in requirements:
                if isinstance(requirement, dict):
                    names.extend(n for n in requirement if n in self._security)
        return tuple(dict.fromkeys(names))


def _pick_media_type(media_types: list[str]) -> str:
    for predicate in (
        _is_json,
        lambda m: m.startswith("application/x-www-form-urlencoded"),
        lambda m: m.startswith("multipart/"),
    ):
        for media in media_types:
            if predicate(media.lower()):
                return media
    return media_types[0]


def _status_order(status: str) -> tuple[int, str]:
    if status == "default":
        return (999, status)
    return (int(status[0]) * 100 + (int(status[1:]) if status[1:].isdigit() else 99), status)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
