"""IR → template views: every decision about the generated Python is made here.

A view is a named tuple (made four times faster than a frozen dataclass, which mattered on
every run's imports: 12 ms for these nine).

Templates only loop over these views and print their fields. Every spec-derived string in a
view has already gone through `pysyntax` (literal, docstring or comment); identifiers come
from the IR, where `generator.naming` made them valid.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, NamedTuple, Sequence, TypeVar

from .. import ir
from . import wrap
from ..digests import KnownDigests, node_digest
from .memo import RecordingDeclarations, ViewMemo
from .pysyntax import comment, docstring, identifier, literal, markdown_text, string
from .types import TypeRenderer


class FieldView(NamedTuple):
    declaration: str  # `name: annotation = default`, laid out
    doc: str


class ModelView(NamedTuple):
    name: str
    doc: str
    fields: tuple[FieldView, ...]
    extra_name: str
    extra_annotation: str
    wire_names: str  # a frozenset literal
    decode_lines: tuple[str, ...]  # statements of from_dict setting the fields of `decoded`
    looped: bool  # an array's item: decoded in `_from_dicts`'s loop, which from_dict calls
    encode_lines: tuple[str, ...]  # statements of to_dict
    accepts: str  # expression on `data`
    keeps_nulls: bool  # has optional nullable fields: remembers which came as an explicit null
    decoder: str  # `_decode_<Model> = <Model>.from_dict`, laid out: what models.py calls


class EnumMemberView(NamedTuple):
    name: str
    value: str  # laid out: in parentheses when the line is too long


class EnumView(NamedTuple):
    name: str
    doc: str
    base: str
    members: tuple[EnumMemberView, ...]
    decoder: str  # the statement defining `_decode_<Enum>` (see `_rt.EnumDecoder`), laid out
    header: str  # `class Name(base):`, laid out


class AliasView(NamedTuple):
    name: str
    doc: str
    declaration: str  # `Name: _t.TypeAlias = "<annotation>"`, laid out
    decode: str  # the statement `result: Name = <expression on data>`, laid out


class EndpointView(NamedTuple):
    constant: str
    method: str
    path_literal: str
    security: str
    errors: tuple[tuple[str, str], ...]  # (status literal, decoder expression)
    decoder: str
    idempotency_header: str
    body_kind: str
    content_type: str
    options: tuple[str, ...]  # further `name=value` arguments, only where not the default


class OperationView(NamedTuple):
    name: str
    doc: str
    positional: tuple[str, ...]
    keyword: tuple[str, ...]
    sync_returns: str
    sync_statement: str
    async_def: str  # "async def", or "def" for a paginated method (it returns a paginator)
    async_returns: str
    async_statement: str
    raw_sync: str  # the `self.name = _rt.with_raw_response(...)` statement, laid out
    raw_async: str


class PageView(NamedTuple):
    header: str  # `class Name(Base, Mixin):` laid out
    name: str
    base: str  # the response model
    mixin: str  # _rt.SyncPage[...] or _rt.AsyncPage[...]
    doc: str
    paging: str  # the paging strategy expression
    request_id_property: bool  # the model has no `request_id` field of its own


class ExampleView(NamedTuple):
    heading: str  # Markdown
    description: str  # Markdown
    code: str  # Python, in a code block


# The model attribute that remembers which optional nullable properties came as an explicit
# null. Field names never start with "_" (`naming.attribute_name`), so it cannot clash.
NULLS_FIELD = "_explicit_nulls"


def _doc_lines(*parts: str) -> str:
    return docstring("\n\n".join(p.strip() for p in parts if p and p.strip()))


def list_item_models(api: ir.Api) -> frozenset[str]:
    """The models that are the items of a JSON array the client decodes (in a model, an alias
    or a response) and nowhere inside another value but as such an item: each has
    `_from_dicts`, which decodes such an array in one loop, and a from_dict that calls it (a
    model also found alone in another value keeps a from_dict of its own, as a call of
    `_from_dicts` on one object costs it 0.3 µs)."""
    models = {d.name for d in api.declarations if isinstance(d, ir.Model)}
    items: set[str] = set()
    alone: set[str] = set()  # found as a value of its own inside another value

    def visit(t: ir.TypeRef, inside: bool) -> None:
        match t:
            case ir.ListType(ir.RefType(name)) if name in models:
                items.add(name)
            case ir.ListType(item) | ir.MapType(item) | ir.NullableType(item):
                visit(item, inside)
            case ir.TupleType(parts) | ir.UnionType(parts, _):
                for part in parts:
                    visit(part, inside)
            case ir.RefType(name) if inside:
                alone.add(name)

    for declaration in api.declarations:
        if isinstance(declaration, ir.Model):
            for f in declaration.fields:
                visit(f.type, True)
        elif isinstance(declaration, ir.Alias):
            visit(declaration.target, True)
    for op in api.operations:  # a response is one object: the cost of one call is nothing
        for response in (op.success, *op.errors):
            if response is not None and response.type is not None:
                visit(response.type, False)
    return frozenset(items - alone)


def header_comment(api: ir.Api) -> str:
    return comment(f"Generated by clientgen {api.generator_version} from {api.spec_name} "
                   f"(sha256 {api.spec_sha256}). Do not edit: regenerate with `clientgen "
                   "generate`.")


View = TypeVar("View")


class ViewBuilder:
    """The views of one package. Given an earlier run's `memo` entries (see `render.memo`), the
    views of unchanged declarations and operations come from there; `memo.used` is then what
    the next run needs."""

    def __init__(self, api: ir.Api, memo: Mapping[str, Any] | None = None,
                 list_items: frozenset[str] | None = None,
                 digests: KnownDigests | None = None) -> None:
        """`list_items` is `list_item_models(api)`, when the caller has it (a package renders
        in parts, each with a builder of its own); `digests`, the digests of the IR's nodes
        known already (see `ViewMemo`)."""
        self.api = api
        self._declarations = RecordingDeclarations((d.name, d) for d in api.declarations)
        self._list_items = list_items if list_items is not None else list_item_models(api)
        # type text reads a declaration's kind and an alias's target, no more (`kind_of`)
        self._models = TypeRenderer(self._declarations.kind_of, "", self._list_items)
        self._client = TypeRenderer(self._declarations.kind_of, "_m.", self._list_items)
        # which models decode in a loop is decided over the whole API (`list_item_models`):
        # a view may depend on it, so it is part of every view's key
        context = node_digest(sorted(self._list_items))
        self.memo = (ViewMemo(memo, self._declarations, _NESTED_VIEWS, context, digests)
                     if memo is not None else None)

    def _view(self, kind: str, node: ir.Declaration | ir.Operation, build: Callable[[], View],
              view_type: type, many: bool = False) -> View:
        if self.memo is None:
            return build()
        return self.memo.view(kind, node, build, view_type, many)

    # ---------------------------------------------------------------------------- models

    def declarations(self, chosen: Sequence[ir.Declaration] | None = None
                     ) -> tuple[list[EnumView], list[ModelView], list[AliasView]]:
        """The views of the declarations (of `chosen` only, when given), by kind."""
        enums, models, aliases = [], [], []
        for declaration in self.api.declarations if chosen is None else chosen:
            self._models.restart_names()
            match declaration:
                case ir.Enum():
                    enums.append(self._view("enum", declaration,
                                            lambda: self._enum(declaration), EnumView))
                case ir.Model():
                    models.append(self._view("model", declaration,
                                             lambda: self._model(declaration), ModelView))
                case ir.Alias():
                    aliases.append(self._view("alias", declaration,
                                              lambda: self._alias(declaration), AliasView))
        return enums, models, aliases

    def _enum(self, enum: ir.Enum) -> EnumView:
        base = "_rt.OpenIntEnum" if enum.value_type is ir.Scalar.INT else "_rt.OpenStrEnum"
        members = tuple(EnumMemberView(identifier(m.name), _assigned(identifier(m.name), literal(
            m.value), 4)) for m in enum.members)
        name = identifier(enum.name)
        decoder = wrap.assignment(f"_decode_{name}", wrap.call("_rt.EnumDecoder", name), 0)
        return EnumView(name, _doc_lines(enum.description or enum.name), base, members, decoder,
                        wrap.statement("class ", wrap.call(name, base), 0, ":"))

    def _alias(self, alias: ir.Alias) -> AliasView:
        return AliasView(
            name=identifier(alias.name),
            doc=_doc_lines(alias.description),
            declaration=wrap.declaration(identifier(alias.name), "_t.TypeAlias", string(
                self._models.annotation(alias.target)), 0),
            decode=wrap.assignment(f"result: {identifier(alias.name)}", _without_parentheses(
                self._models.decode_layout(alias.target, "data")), 4),
        )

    def _model(self, model: ir.Model) -> ModelView:
        types = self._models
        fields = []
        decode_lines = []
        encode_lines = []
        nullable_wires: list[str] = []  # optional properties whose schema allows null
        null_tests: list[str] = []  # per nullable wire: true when it came as an explicit null
        # A model that is the item of an array decodes in `_from_dicts`, in the body of a loop.
        looped = model.name in self._list_items
        indent = 12 if looped else 8  # of from_dict's statements
        certain = 0  # properties read with data[...]: present once the fields are decoded
        received = 0  # properties read with data.get, counted in `_listed` unless None
        for f in model.fields:
            # readOnly: set by the server, so never sent and not needed to build a request;
            # writeOnly: sent, never returned, so not needed to decode a response.
            on_read = f.required and not f.write_only
            on_construct = f.required and not f.read_only
            may_be_none = not (on_read and on_construct)
            annotation_node = types.annotation_layout(f.type, nullable=may_be_none)
            notes = []
            if f.has_default:
                notes.append(f"Default: {literal(f.default, as_code=False)}.")
            if f.read_only:
                notes.append("Read-only: set by the server, never sent.")
            if f.write_only:
                notes.append("Write-only: sent, never returned"
                             + (" (required when sending)." if f.required else "."))
            if f.deprecated:
                notes.append("Deprecated.")
            default_node: wrap.Group | str | None = None if on_construct else "None"
            if f.has_default and default_node:
                # The server's default, as data: dataclasses.fields(Model)[i].metadata["default"].
                default_node = wrap.call("_field", "default=None", wrap.display(
                    "metadata=", "{", (f'"default": {literal(f.default)}',), "}"))
            fields.append(FieldView(
                wrap.declaration(identifier(f.name), annotation_node, default_node, 4),
                _doc_lines(f.description, " ".join(notes))))
            wire = string(f.wire_name)
            decode_type = ir.nullable(f.type) if may_be_none else f.type
            target = f"decoded.{f.name}"
            if on_read:
                certain += 1
                decode_lines += _decoding(types, decode_type, target, f"data[{wire}]", indent)
            else:
                # None when left out or sent as null, and then taken off the count (`_listed`,
                # below), which starts with every property: what a response leaves out is
                # rarer than what it sends, and a property sent costs no bookkeeping. The
                # explicit-null test reads the name it is bound to.
                var = types.new_name()
                received += 1
                fetch = f"if ({var} := data.get({wire})) is "
                if types.is_identity(decode_type):  # kept as received
                    decode_lines += [fetch + "None:", "    _listed -= 1", f"{target} = {var}"]
                else:
                    assert isinstance(decode_type, ir.NullableType)
                    decode_lines += [fetch + "None:", f"    {target} = None", "    _listed -= 1",
                                     "else:"]
                    decode_lines += ["    " + line for line in _decoding(
                        types, decode_type.inner, target, var, indent + 4)]
                if not f.read_only and self._admits_null(f.type):
                    null_tests.append(f"if {var} is None and {wire} in data:")
            value = f"self.{f.name}"
            if f.read_only:
                continue
            if not may_be_none:
                encode_lines.append(wrap.assignment(
                    f"result[{wire}]", types.encode_layout(f.type, value), 8))
            else:
                encode_lines.append(f"if {value} is not None:")
                encode_lines.append("    " + wrap.assignment(
                    f"result[{wire}]", types.encode_layout(f.type, value), 12))
                if self._admits_null(f.type):
                    nullable_wires.append(wire)
                    encode_lines.append(f"elif {wire} in self.{NULLS_FIELD}:")
                    encode_lines.append(f"    result[{wire}] = None")
        wire_names = "frozenset()"
        if model.fields:
            head = "_wire_names: _t.ClassVar[frozenset[str]] = "  # as in models.py.j2
            wire_names = wrap.statement(head, wrap.call("frozenset", wrap.display(
                "", "{", tuple(string(f.wire_name) for f in model.fields), "}")), 4)[len(head):]
        extra_annotation = f"dict[str, {types.annotation(model.extra_type)}]"
        extras = "_rt.extras(data, cls._wire_names)"
        if not types.is_identity(model.extra_type):
            extras = ("{_k: " + types.decode(model.extra_type, "_x") +
                      f" for _k, _x in {extras}.items()}}")
        # Which properties `data` has, told by counting rather than by looking at its keys:
        # the `certain` ones and the others received as a value (not None). When that is
        # `len(data)` (the usual case), `data` has no property the schema does not list and
        # none sent as null: one comparison tells both. Otherwise the nullable properties
        # received as null are collected and counted too, and when that is still not
        # `len(data)` `_rt.extras` looks at the keys (a null for a property that is not
        # nullable is counted nowhere: it sends the object there, which finds nothing to keep).
        listed = str(certain)
        if received:
            decode_lines.insert(0, f"_listed = {certain + received}")
            listed = "_listed"
        if not null_tests:
            decode_lines.append(wrap.assignment(f"decoded.{model.extra_name}", wrap.Chain(
                ("{}", f"len(data) == {listed}", extras), ("if", "else")), indent))
        else:
            decode_lines += [
                f"if len(data) == {listed}:",
                f"    decoded.{NULLS_FIELD} = _rt.NO_NULLS",
                f"    decoded.{model.extra_name} = {{}}",
                "else:",
                "    _nulls = _rt.NO_NULLS",
            ]
            for test, wire in zip(null_tests, nullable_wires):
                decode_lines += ["    " + test, f"        _nulls = _nulls | {{{wire}}}"]
            decode_lines += [
                f"    decoded.{NULLS_FIELD} = _nulls",
                "    " + wrap.assignment(f"decoded.{model.extra_name}", wrap.Chain(
                    ("{}", f"len(data) == {listed} + len(_nulls)", extras), ("if", "else")),
                    indent + 4),
            ]
        extra_encode = f"self.{model.extra_name}"
        if not types.is_identity(model.extra_type):
            extra_encode = (f"{{_k: {types.encode(model.extra_type, '_x')} for _k, _x in "
                            f"self.{model.extra_name}.items()}}")
        encode_lines.insert(0, f"result: dict[str, _t.Any] = dict({extra_encode})")
        checks = ["isinstance(data, dict)"]
        for f in model.fields:
            if f.required and not f.write_only:
                checks.append(f"{string(f.wire_name)} in data")
            if isinstance(f.type, ir.LiteralType):
                checks.append(f"data.get({string(f.wire_name)}) == {literal(f.type.value)}")
        return ModelView(
            name=identifier(model.name),
            doc=_doc_lines(model.description or model.name),
            fields=tuple(fields),
            extra_name=identifier(model.extra_name),
            extra_annotation=extra_annotation,
            wire_names=wire_names,
            decode_lines=tuple(decode_lines),
            encode_lines=tuple(encode_lines),
            accepts=wrap.and_chain("return ", checks, 8)[len("return "):],
            keeps_nulls=bool(nullable_wires),
            looped=looped,
            decoder=wrap.assignment(types.decoder(ir.RefType(model.name)),
                                    f"{identifier(model.name)}.from_dict", 0),
        )

    def _admits_null(self, t: ir.TypeRef, seen: frozenset[str] = frozenset()) -> bool:
        """Whether JSON null is a value of `t` (so "null" and "absent" are different data)."""
        match t:
            case ir.NullableType() | ir.AnyType():
                return True
            case ir.ScalarType(scalar):
                return scalar is ir.Scalar.NONE
            case ir.UnionType(variants, _):
                return any(self._admits_null(v, seen) for v in variants)
            case ir.RefType(name) if name not in seen:
                declaration = self._declarations.kind_of(name)
                return isinstance(declaration, ir.Alias) and self._admits_null(
                    declaration.target, seen | {name})
        return False

    # ------------------------------------------------------------------------ operations

    def endpoints(self) -> list[EndpointView]:
        return [self._view("endpoint", op, lambda: self._endpoint(op), EndpointView)
                for op in self.api.operations]

    def _constant(self, op: ir.Operation) -> str:
        return "_" + op.name.upper()

    def _endpoint(self, op: ir.Operation) -> EndpointView:
        types = self._client
        types.restart_names()
        errors = tuple(
            (string(r.status.upper() if r.status != "default" else "default"),
             types_decoder(types, r.type))
            for r in op.errors if r.kind is ir.ResponseKind.JSON and r.type is not None
        )
        return EndpointView(
            constant=self._constant(op),
            method=string(op.method),
            path_literal=string(op.path),
            security=_security_tuple([string(s) for s in op.security]),
            errors=errors,
            decoder=_decoder_element(self._response_decoder(op.success)),
            idempotency_header=string(op.idempotency_header) if op.idempotency_header else "None",
            body_kind=string(op.body.kind.value) if op.body else string(""),
            content_type=string(op.body.content_type) if op.body else string(""),
            options=self._endpoint_options(op),
        )

    def _endpoint_options(self, op: ir.Operation) -> tuple[str, ...]:
        options = []
        success = op.success
        if success is not None and success.kind not in (ir.ResponseKind.JSON,
                                                        ir.ResponseKind.EMPTY) \
                and success.content_type:
            # The success body's media type, then JSON for the error bodies.
            options.append("accept=" + string(f"{success.content_type}, application/json;q=0.9"))
        if op.body is not None and op.body.kind is ir.BodyKind.MULTIPART:
            files = self._file_fields(op.body.type)
            if files:
                options.append("files={" + ", ".join(
                    f"{string(wire)}: {string(name)}" for wire, name in files) + "}")
        return tuple(options)

    def _file_fields(self, body: ir.TypeRef) -> list[tuple[str, str]]:
        """(wire name, attribute) of the body model's fields that hold files."""
        core = ir.strip_nullable(body)
        model = self._declarations.get(core.name) if isinstance(core, ir.RefType) else None
        if not isinstance(model, ir.Model):
            return []
        files = []
        for f in model.fields:
            kind = ir.strip_nullable(f.type)
            if isinstance(kind, ir.ListType):
                kind = ir.strip_nullable(kind.item)
            if kind == ir.ScalarType(ir.Scalar.BYTES):
                files.append((f.wire_name, f.name))
        return files

    def _response_decoder(self, response: ir.Response | None) -> str:
        if response is None:
            return "_rt.decode_json(_rt.json_value)"
        match response.kind:
            case ir.ResponseKind.JSON:
                return "_rt.decode_json(" + types_decoder(self._client, response.type) + ")"
            case ir.ResponseKind.BINARY:
                return "_rt.read_bytes"
            case ir.ResponseKind.TEXT:
                return "_rt.read_text"
            case ir.ResponseKind.STREAM:
                return "_rt.keep_response"
            case ir.ResponseKind.EMPTY:
                return "_rt.no_content"
        raise AssertionError(response.kind)

    def _returns(self, response: ir.Response | None) -> str:
        if response is None:
            return "_rt.JsonValue"
        match response.kind:
            case ir.ResponseKind.JSON:
                return self._client.annotation(response.type or ir.ANY)
            case ir.ResponseKind.BINARY:
                return "bytes"
            case ir.ResponseKind.TEXT:
                return "str"
            case ir.ResponseKind.STREAM:
                return "httpx.Response"
            case ir.ResponseKind.EMPTY:
                return "None"
        raise AssertionError(response.kind)

    def operations(self) -> list[OperationView]:
        return [self._view("operation", op, lambda: self._operation(op), OperationView)
                for op in self.api.operations]

    def _operation(self, op: ir.Operation) -> OperationView:
        types = self._client
        types.restart_names()
        positional, required_kw, optional_kw = [], [], []
        args_doc = []
        for p in op.parameters:
            annotation = types.annotation(p.type)
            if p.location is ir.ParamLocation.PATH:
                positional.append(f"{p.name}: {annotation}")
            elif p.required:
                required_kw.append(f"{p.name}: {annotation}")
            else:
                if not annotation.endswith("| None") and annotation != "_rt.JsonValue":
                    annotation += " | None"
                optional_kw.append(f"{p.name}: {annotation} = None")
            notes = (f" Server default: {literal(p.default, as_code=False)}." if p.has_default
                     else "")
            args_doc.append((p.name, (p.description or "").strip() + notes))
        if op.body is not None:
            annotation = types.annotation(op.body.type)
            if op.body.required:
                required_kw.append(f"{op.body.name}: {annotation}")
            else:
                if not annotation.endswith("| None"):
                    annotation += " | None"
                optional_kw.append(f"{op.body.name}: {annotation} = None")
            args_doc.append((op.body.name, op.body.description or "The request body."))
        keyword = required_kw + optional_kw + [
            "timeout: _rt.Timeout | _rt.NotGiven = _rt.NOT_GIVEN",
            "extra_headers: _t.Mapping[str, str] | None = None",
            "extra_query: _t.Mapping[str, object] | None = None",
        ]
        call: list[wrap.Group | wrap.Chain | str] = [self._path_argument(op)]
        groups: dict[ir.ParamLocation, list[str]] = {
            ir.ParamLocation.QUERY: [], ir.ParamLocation.HEADER: [], ir.ParamLocation.COOKIE: []}
        for p in op.parameters:
            if p.location is ir.ParamLocation.QUERY:
                groups[p.location].append(
                    f"({string(p.wire_name)}, {p.name}, _rt.{p.encoding.name})")
            elif p.location is not ir.ParamLocation.PATH:
                groups[p.location].append(f"({string(p.wire_name)}, {p.name})")
        for location, keyword_name in ((ir.ParamLocation.QUERY, "query"),
                                       (ir.ParamLocation.HEADER, "headers"),
                                       (ir.ParamLocation.COOKIE, "cookies")):
            if groups[location]:
                call.append(wrap.display(f"{keyword_name}=", "(", tuple(groups[location]), ")",
                                         magic=True))
        if op.body is not None:
            call.append(f"body={op.body.name}")
        call.append("timeout=timeout")
        call.append("extra_headers=extra_headers")
        call.append("extra_query=extra_query")

        doc_parts = [op.summary, op.description if op.description != op.summary else ""]
        if op.deprecated:
            doc_parts.append("Deprecated.")
        if args_doc:
            documented = [(name, " ".join(text.split())) for name, text in args_doc if text.strip()]
            if documented:
                doc_parts.append("Args:\n" + "\n".join(
                    f"    {name}: {text}" for name, text in documented))
        if op.page_classes is not None:
            doc_parts.append("Returns the first page; iterate it for every item of every page.")
        doc_parts.append(f"`{op.method} {op.path}`")
        constant = self._constant(op)
        request = wrap.call(f"{constant}.request", *call)
        if op.page_classes is None:
            returns = self._returns(op.success)
            sync_returns, async_returns = returns, returns
            sync_statement = wrap.statement(
                "return ", wrap.call("self._call", constant, request), 8)
            async_statement = wrap.statement(
                "return await ", wrap.call("self._call", constant, request), 8)
            async_def = "async def"
        else:
            sync_page, async_page = op.page_classes
            item = self._page_item_annotation(op)
            sync_returns = sync_page
            async_returns = f"_rt.AsyncPaginator[{async_page}, {item}]"
            sync_statement = wrap.statement("return ", wrap.call(
                "self._fetch_page", f"{sync_page}.from_dict", request, "()", "frozenset()"), 8)
            async_statement = wrap.statement("return ", wrap.call(
                "_rt.AsyncPaginator", "self", request, f"{async_page}.from_dict"), 8)
            async_def = "def"
        return OperationView(
            name=identifier(op.name),
            doc=_doc_lines(*doc_parts),
            positional=tuple(positional),
            keyword=tuple(keyword),
            sync_returns=sync_returns,
            sync_statement=sync_statement,
            async_def=async_def,
            async_returns=async_returns,
            async_statement=async_statement,
            raw_sync=wrap.assignment(f"self.{identifier(op.name)}", wrap.call(
                "_rt.with_raw_response", f"client.{identifier(op.name)}"), 8),
            raw_async=wrap.assignment(f"self.{identifier(op.name)}", wrap.call(
                "_rt.async_with_raw_response", f"client.{identifier(op.name)}"), 8),
        )

    # ---------------------------------------------------------------------------- pages

    def _page_model(self, op: ir.Operation) -> ir.Model:
        assert op.success is not None and op.success.type is not None
        target = ir.strip_nullable(op.success.type)
        assert isinstance(target, ir.RefType)
        model = self._declarations[target.name]
        assert isinstance(model, ir.Model)
        return model

    def _page_item_annotation(self, op: ir.Operation) -> str:
        assert op.pagination is not None
        model = self._page_model(op)
        items = next(f for f in model.fields if f.wire_name == op.pagination.items_field)
        list_type = ir.strip_nullable(items.type)
        assert isinstance(list_type, ir.ListType)
        return self._client.annotation(list_type.item)

    def _item_key(self, op: ir.Operation) -> str | None:
        """The attribute of the item model that identifies an item."""
        assert op.pagination is not None
        if op.pagination.item_key_field is None:
            return None
        model = self._page_model(op)
        items = next(f for f in model.fields if f.wire_name == op.pagination.items_field)
        item = ir.strip_nullable(ir.strip_nullable(items.type).item)  # type: ignore[union-attr]
        item_model = self._declarations[item.name]  # type: ignore[union-attr]
        assert isinstance(item_model, ir.Model)
        return next(f.name for f in item_model.fields if f.wire_name == op.pagination.item_key_field)

    def pages(self) -> list[PageView]:
        views: list[PageView] = []
        for op in self.api.operations:
            if op.page_classes is not None and op.pagination is not None:
                views += self._view("pages", op, lambda: self._pages(op), PageView, many=True)
        return views

    def _pages(self, op: ir.Operation) -> list[PageView]:
        """The sync and async page classes of a paginated operation."""
        assert op.page_classes is not None and op.pagination is not None
        views = []
        self._client.restart_names()
        model = self._page_model(op)
        attribute = {f.wire_name: f.name for f in model.fields}
        item = self._page_item_annotation(op)
        paging = wrap.statement("_paging = ", _paging_expression(
            op.pagination, attribute, self._item_key(op)), 4)[len("_paging = "):]
        has_request_id = "request_id" in attribute.values()
        for name, mixin, how in (
            (op.page_classes[0], f"_rt.SyncPage[{item}]", "`for item in page`"),
            (op.page_classes[1], f"_rt.AsyncPage[{item}]", "`async for item in page`"),
        ):
            doc = (f"A page of `{op.name}`: the fields of `{model.name}`, `has_next_page()`, "
                   f"`next_page()`, `iter_pages()`, and {how} over every item of every page.")
            base = f"_m.{identifier(model.name)}"
            header = wrap.statement("class ", wrap.call(identifier(name), base, mixin), 0,
                                    ":")
            views.append(PageView(header, identifier(name), base, mixin,
                                  docstring(doc), paging, not has_request_id))
        return views

    def _path_argument(self, op: ir.Operation) -> wrap.Chain | str:
        """The request path: literal pieces of the template joined with encoded arguments."""
        path_params = {p.wire_name: p.name for p in op.parameters
                       if p.location is ir.ParamLocation.PATH}
        pieces: list[str] = []
        rest = op.path
        while "{" in rest and "}" in rest[rest.index("{"):]:
            start = rest.index("{")
            end = rest.index("}", start)
            variable = rest[start + 1:end]
            if start:
                pieces.append(string(rest[:start]))
            if variable in path_params:
                pieces.append(f"_rt.encode_path_parameter({path_params[variable]})")
            else:
                pieces.append(string(rest[start:end + 1]))
            rest = rest[end + 1:]
        if rest:
            pieces.append(string(rest))
        if len(pieces) > 1:
            return wrap.Chain(tuple(pieces), ("+",) * (len(pieces) - 1))
        return pieces[0] if pieces else string("")

    # --------------------------------------------------------------------------- readme

    def examples(self) -> list[ExampleView]:
        """An example per operation, for the package README."""
        return [self._view("example", op, lambda: self._example(op), ExampleView)
                for op in self.api.operations]

    def _example(self, op: ir.Operation) -> ExampleView:
        arguments = []
        for p in op.parameters:
            if p.location is ir.ParamLocation.PATH or p.required:
                value = _example_value(p.type, p.wire_name)
                arguments.append(value if p.location is ir.ParamLocation.PATH
                                 else f"{p.name}={value}")
        if op.body is not None and op.body.required:
            arguments.append(f"{op.body.name}=...")
        call = f"client.{op.name}({', '.join(arguments)})"
        if op.page_classes is not None:
            code = f"for item in {call}:\n    print(item)"
        elif op.success is None or op.success.kind is ir.ResponseKind.EMPTY:
            code = call
        else:
            code = f"result = {call}"
        heading = f"`{op.name}` — `{op.method} {markdown_text(op.path)}`"
        return ExampleView(heading, markdown_text(op.summary or op.description), code)

    # -------------------------------------------------------------------------- package

    def security(self) -> list[tuple[str, str, str]]:
        return [(string(s.name), string(s.kind.value.replace("api_key_", "api_key_")),
                 string(s.wire_name)) for s in self.api.security_schemes]


def _example_value(t: ir.TypeRef, wire_name: str) -> str:
    core = ir.strip_nullable(t)
    if isinstance(core, ir.ScalarType):
        return {ir.Scalar.INT: "1", ir.Scalar.FLOAT: "1.0", ir.Scalar.BOOL: "True"}.get(
            core.scalar, string(wire_name, as_code=False))
    return "..."


def _paging_expression(
    pagination: ir.Pagination, attribute: dict[str, str], item_key: str | None
) -> wrap.Group:
    """The runtime paging strategy: response fields by attribute, parameters by wire name."""

    def attr(wire: str | None) -> str:
        return string(attribute[wire]) if wire is not None else "None"

    def wire(name: str | None) -> str:
        return string(name) if name is not None else "None"

    key = string(item_key) if item_key is not None else "None"
    match pagination:
        case ir.CursorPagination():
            return wrap.call("_rt.CursorPaging", f"items={attr(pagination.items_field)}",
                             f"next_cursor={attr(pagination.next_cursor_field)}",
                             f"cursor_param={wire(pagination.cursor_param)}", f"item_key={key}")
        case ir.OffsetPagination():
            return wrap.call("_rt.OffsetPaging", f"items={attr(pagination.items_field)}",
                             f"offset_param={wire(pagination.offset_param)}",
                             f"limit_param={wire(pagination.limit_param)}",
                             f"total={attr(pagination.total_field)}",
                             f"page_size={attr(pagination.page_size_field)}",
                             f"offset={attr(pagination.offset_field)}", f"item_key={key}")
        case ir.PageNumberPagination():
            return wrap.call("_rt.PageNumberPaging", f"items={attr(pagination.items_field)}",
                             f"page_param={wire(pagination.page_param)}",
                             f"total_pages={attr(pagination.total_pages_field)}",
                             f"item_key={key}")
        case ir.NextLinkPagination():
            return wrap.call("_rt.NextLinkPaging", f"items={attr(pagination.items_field)}",
                             f"next_link={attr(pagination.next_link_field)}", f"item_key={key}")
    raise AssertionError(pagination)


def _decoder_element(decoder: str) -> str:
    """`decode=…` as an element of the endpoint's exploded call, laid out (without `decode=`)."""
    function = "_rt.decode_json"
    if decoder.startswith(function + "(") and decoder.endswith(")"):
        argument = decoder[len(function) + 1:-1]
        return wrap.element(wrap.call(f"decode={function}", argument), 4).removeprefix("decode=")
    return decoder


def _decoding(types: TypeRenderer, t: ir.TypeRef, target: str, src: str, indent: int
              ) -> list[str]:
    """`target = <src decoded as t>` as from_dict's statements. For an enum: a subscript of the
    enum's members as a plain dict (`_rt.EnumDecoder.members`), which the interpreter does
    faster than its decoder's, and on a KeyError (a value it does not list, or `src` left out)
    the decoder's, which gives the enum's own result or error."""
    if not (isinstance(t, ir.RefType) and types.is_enum(t)):
        return [wrap.assignment(target, _without_parentheses(types.decode_layout(t, src)),
                                indent)]
    decoder = types.decoder(t)
    return ["try:",
            "    " + wrap.assignment(target, wrap.Group(f"{decoder}.members", "[", (src,), "]"),
                                     indent + 4),
            "except KeyError:",
            "    " + wrap.assignment(target, wrap.Group(decoder, "[", (src,), "]"), indent + 4)]


def _assigned(target: str, value: str, indent: int) -> str:
    """`value` as the right of `target = value`, laid out (in parentheses when too long)."""
    return wrap.assignment(target, value, indent)[len(target) + len(" = "):]


def _without_parentheses(node: wrap.Group | wrap.Chain | str) -> wrap.Group | wrap.Chain | str:
    """`node` without parentheses around the whole of it (black drops them on the right of an
    assignment)."""
    if isinstance(node, wrap.Group) and not node.prefix and node.opener == "(" \
            and len(node.items) == 1 and not node.display and not node.magic:
        return node.items[0]
    return node


def _security_tuple(names: list[str]) -> str:
    """The tuple of an endpoint's security schemes, as black writes it after `security=`."""
    if len(names) < 2:
        return "(" + "".join(n + "," for n in names) + ")"
    return wrap.statement("security=", wrap.display("", "(", tuple(names), ")", magic=True),
                          4)[len("security="):]


def types_decoder(types: TypeRenderer, t: ir.TypeRef | None) -> str:
    """A function from a JSON value to `t`, for use as an argument."""
    if t is None:
        return "_rt.json_value"
    if isinstance(t, ir.RefType | ir.ListType):
        expression = types.decode(t, "data")
        if expression.endswith((".from_dict(data)", "._from_dicts(data)")):
            return expression[: -len("(data)")]
    if types.is_identity(t):
        return f"lambda data: _t.cast({string(types.annotation(t))}, data)"
    if isinstance(ir.strip_nullable(t), ir.UnionType):  # the union decoders return Any
        return f"lambda data: _t.cast({string(types.annotation(t))}, {types.decode(t, 'data')})"
    return f"lambda data: {types.decode(t, 'data')}"


# The views that hold other views (for `render.memo`): view class -> (attribute, item class).
_NESTED_VIEWS: dict[type, tuple[str, type]] = {
    ModelView: ("fields", FieldView),
    EnumView: ("members", EnumMemberView),
}
