"""IR types → Python annotations and the expressions that decode and encode them."""

from __future__ import annotations

import re
from typing import Callable

from .. import ir
from . import wrap
from .pysyntax import identifier, literal

_SCALAR_ANNOTATIONS = {
    ir.Scalar.STR: "str",
    ir.Scalar.INT: "int",
    ir.Scalar.FLOAT: "float",
    ir.Scalar.BOOL: "bool",
    ir.Scalar.DATETIME: "_dt.datetime",
    ir.Scalar.DATE: "_dt.date",
    ir.Scalar.UUID: "_uuid.UUID",
    ir.Scalar.BYTES: "bytes",
    ir.Scalar.NONE: "None",
}
_SCALAR_DECODERS = {
    ir.Scalar.DATETIME: "_rt.parse_datetime({})",
    ir.Scalar.DATE: "_dt.date.fromisoformat({})",
    ir.Scalar.UUID: "_rt.parse_uuid({})",
    ir.Scalar.BYTES: "_rt.parse_bytes({})",
}
# The same decoders as functions, for `map` and for layout trees: `_rt.parse_datetime`
_SCALAR_DECODER_FUNCTIONS = {scalar: decoder.removesuffix("({})")
                             for scalar, decoder in _SCALAR_DECODERS.items()}
# Those that are functions of the standard library written in C (`datetime.fromisoformat`).
_SCALAR_DECODERS_IN_C = frozenset({ir.Scalar.DATETIME, ir.Scalar.DATE})
_SCALAR_ENCODERS = {
    ir.Scalar.DATETIME: "_rt.format_datetime({})",
    ir.Scalar.DATE: "{}.isoformat()",
    ir.Scalar.UUID: "str({})",
    ir.Scalar.BYTES: "_rt.format_bytes({})",
}
_SCALAR_CHECKS = {
    ir.Scalar.STR: "isinstance({}, str)",
    ir.Scalar.INT: "isinstance({}, int) and not isinstance({}, bool)",
    ir.Scalar.FLOAT: "isinstance({}, (int, float)) and not isinstance({}, bool)",
    ir.Scalar.BOOL: "isinstance({}, bool)",
    ir.Scalar.DATETIME: "_rt.is_datetime({})",
    ir.Scalar.DATE: "_rt.is_date({})",
    ir.Scalar.UUID: "_rt.is_uuid({})",
    ir.Scalar.BYTES: "isinstance({}, str)",
    ir.Scalar.NONE: "{} is None",
}

# A declaration by name. The renderer reads only its kind (model, enum, alias) and an alias's
# target (`render.memo.RecordingDeclarations.kind_of` relies on it).
Lookup = Callable[[str], ir.Declaration]


class TypeRenderer:
    """Python text for IR types, in the context of one generated package."""

    def __init__(self, lookup: Lookup, model_prefix: str = "",
                 list_items: frozenset[str] = frozenset()) -> None:
        self._lookup = lookup
        self._prefix = model_prefix  # "" inside models.py
        self._list_items = list_items  # the models with `_from_dicts` (`list_item_models`)
        self._counter = 0

    def annotation(self, t: ir.TypeRef) -> str:
        match t:
            case ir.ScalarType(scalar):
                return _SCALAR_ANNOTATIONS[scalar]
            case ir.AnyType():
                return "_rt.JsonValue"
            case ir.LiteralType(value):
                return f"_t.Literal[{literal(value)}]"
            case ir.ListType(item):
                return f"list[{self.annotation(item)}]"
            case ir.TupleType(items):
                return f"tuple[{', '.join(self.annotation(i) for i in items) or '()'}]"
            case ir.MapType(value):
                return f"dict[str, {self.annotation(value)}]"
            case ir.RefType(name):
                return self._prefix + identifier(name)
            case ir.UnionType(variants, _):
                return " | ".join(dict.fromkeys(self.annotation(v) for v in variants))
            case ir.NullableType(inner):
                return f"{self.annotation(inner)} | None"
        raise AssertionError(t)

    def annotation_layout(self, t: ir.TypeRef, nullable: bool = False
                          ) -> wrap.Group | wrap.Chain | str:
        """`annotation(t)` (with `| None` when `nullable` and not already there) as a tree
        `wrap` can lay out: a union is a chain of `|`, a list a subscript (the same text)."""
        match t:
            case ir.ListType(item):
                node: wrap.Group | wrap.Chain | str = wrap.Group(
                    "list", "[", (self.annotation_layout(item),), "]")
            case ir.UnionType() | ir.NullableType():
                parts = self._union_parts(t)
                node = parts[0]
                for part in parts[1:]:
                    node = _or(node, part)
            case _:
                node = self.annotation(t)
        if nullable:
            text = wrap.one_line(node)
            if not text.endswith("| None") and text not in ("None", "_rt.JsonValue"):
                node = _or(node, "None")
        return node

    def _union_parts(self, t: ir.TypeRef) -> list[wrap.Group | wrap.Chain | str]:
        """The operands of `annotation(t)` joined by `|`, as `annotation` dedupes them."""
        match t:
            case ir.UnionType(variants, _):
                parts: dict[str, wrap.Group | wrap.Chain | str] = {}
                for variant in variants:
                    node = self.annotation_layout(variant)
                    parts.setdefault(wrap.one_line(node), node)
                return list(parts.values())
            case ir.NullableType(inner):
                return [self.annotation_layout(inner), "None"]
        raise AssertionError(t)

    # ------------------------------------------------------------------------------ decode

    def is_identity(self, t: ir.TypeRef, _seen: frozenset[str] = frozenset()) -> bool:
        """Whether the JSON value already is the Python value (no conversion needed)."""
        match t:
            case ir.ScalarType(scalar):
                return scalar not in _SCALAR_DECODERS
            case ir.AnyType() | ir.LiteralType():
                return True
            case ir.ListType(item):
                return self.is_identity(item, _seen)
            case ir.TupleType():
                return False  # a JSON array becomes a tuple
            case ir.MapType(value):
                return self.is_identity(value, _seen)
            case ir.RefType(name):
                declaration = self._lookup(name)
                if isinstance(declaration, ir.Alias) and name not in _seen:
                    return self.is_identity(declaration.target, _seen | {name})
                return False
            case ir.UnionType(variants, _):
                return all(self.is_identity(v, _seen) for v in variants)
            case ir.NullableType(inner):
                return self.is_identity(inner, _seen)
        raise AssertionError(t)

    def decode(self, t: ir.TypeRef, src: str) -> str:
        """An expression turning the JSON value `src` (a simple name or lookup) into `t`."""
        if self.is_identity(t):
            return src
        match t:
            case ir.ScalarType(scalar):
                return _SCALAR_DECODERS[scalar].format(src)
            case ir.ListType(item):
                function = self._list_decoder(item)
                if function is not None:
                    return f"{function}({src})"
                function = self._decoder_function(item)
                if function is not None:
                    return f"list(map({function}, {src}))"
                var = self.new_name()
                return f"[{self.decode(item, var)} for {var} in {src}]"
            case ir.TupleType(items):
                if all(self.is_identity(i) for i in items):
                    return f"tuple({src})"
                return "(" + "".join(f"{self.decode(i, f'{src}[{n}]')}, "
                                     for n, i in enumerate(items)) + ")"
            case ir.MapType(value):
                key, var = self.new_name(), self.new_name()
                return f"{{{key}: {self.decode(value, var)} for {key}, {var} in {src}.items()}}"
            case ir.RefType() if self.is_enum(t):
                return f"{self.decoder(t)}[{src}]"
            case ir.RefType():
                return f"{self.decoder(t)}({src})"
            case ir.NullableType(inner):
                var = self.new_name()
                return f"(None if ({var} := {src}) is None else {self.decode(inner, var)})"
            case ir.UnionType(variants, discriminator):
                return self._decode_union(variants, discriminator, src).flat()
        raise AssertionError(t)

    def decode_layout(self, t: ir.TypeRef, src: str) -> wrap.Group | wrap.Chain | str:
        """`decode(t, src)` as a tree `wrap` can lay out as black would (the same text when
        flat): a nullable value's conditional, a list's comprehension or `list(map(…))`, a
        decoder's call, a union's decoder."""
        if self.is_identity(t):
            return src
        match t:
            case ir.NullableType(inner):
                return wrap.parenthesized("", self.decode_nullable(inner, src)[0])
            case ir.ListType(item):
                function = self._list_decoder(item)
                if function is not None:
                    return wrap.call(function, src)
                function = self._decoder_function(item)
                if function is not None:
                    return wrap.call("list", wrap.call("map", function, src))
                var = self.new_name()
                return wrap.Group("", "[", (wrap.Chain(
                    (self.decode_layout(item, var), f"{var} in {src}"), ("for",)),), "]")
            case ir.ScalarType(scalar):
                return wrap.call(_SCALAR_DECODER_FUNCTIONS[scalar], src)
            case ir.RefType() if self.is_enum(t):
                return wrap.Group(self.decoder(t), "[", (src,), "]")
            case ir.RefType():
                return wrap.call(self.decoder(t), src)
            case ir.UnionType(variants, discriminator):
                return self._decode_union(variants, discriminator, src)
        return self.decode(t, src)

    def decode_nullable(self, inner: ir.TypeRef, src: str) -> tuple[wrap.Chain, str]:
        """`decode(nullable(inner), src)` as a layout tree without its parentheses, and the name
        the received value is bound to (`None if (name := src) is None else …`)."""
        var = self.new_name()
        return wrap.Chain(("None", f"({var} := {src}) is None", self.decode_layout(inner, var)),
                          ("if", "else")), var

    def encode_layout(self, t: ir.TypeRef, src: str) -> wrap.Group | wrap.Chain | str:
        """`encode(t, src)` as a tree `wrap` can lay out, for the right of an assignment (the
        same text when flat, without parentheses around a conditional)."""
        match t:
            case ir.NullableType(inner):
                encoded = self.encode(inner, src)
                if encoded == src:
                    return src
                return wrap.Chain(("None", f"{src} is None", encoded), ("if", "else"))
            case ir.ListType(item) if not self.is_identity(item):
                var = self.new_name()
                return wrap.Group("", "[", (wrap.Chain(
                    (self.encode(item, var), f"{var} in {src}"), ("for",)),), "]")
            case ir.ScalarType(scalar) if scalar in _SCALAR_ENCODERS:
                function = _SCALAR_ENCODERS[scalar].removesuffix("({})")
                if function != _SCALAR_ENCODERS[scalar] and "{" not in function:
                    return wrap.call(function, src)
        return self.encode(t, src)

    def _decode_union(
        self, variants: tuple[ir.TypeRef, ...], discriminator: ir.Discriminator | None,
        src: str,
    ) -> wrap.Group:
        """`_rt.decode_discriminated(src, "property", {value: decoder}, lambda: <union>)` or
        `_rt.decode_union(src, ((lambda: check, lambda: decode), …,))`: the candidates' tuple
        ends in a comma, so black explodes it wherever it is (one candidate per line, each
        candidate's pair on one line when it fits)."""
        if discriminator is not None:
            mapping = tuple(f"{literal(value)}: {self.decoder(ir.RefType(name))}"
                            for value, name in discriminator.mapping)
            var = self.new_name()
            fallback = self._decode_union(variants, None, var)
            return wrap.call("_rt.decode_discriminated", src,
                             literal(discriminator.property_wire_name),
                             wrap.display("", "{", mapping, "}"),
                             wrap.with_prefix(f"lambda {var}: ", fallback))
        candidates = []
        for variant in variants:
            var = self.new_name()
            check = _lambda(var, _call(self.check(variant, var)))
            decoded = _lambda(var, self.decode_layout(variant, var))
            candidates.append(wrap.display("", "(", (check, decoded), ")"))
        return wrap.call("_rt.decode_union", src,
                         wrap.display("", "(", tuple(candidates), ")", magic=True))

    def _list_decoder(self, item: ir.TypeRef) -> str | None:
        """`<Model>._from_dicts`, which decodes a list of `item` in one loop, when `item` is a
        model that has it; else None."""
        if isinstance(item, ir.RefType) and item.name in self._list_items:
            return f"{self._prefix}{identifier(item.name)}._from_dicts"
        return None

    def _decoder_function(self, t: ir.TypeRef) -> str | None:
        """A function written in C (an expression) whose call on the JSON value is
        `decode(t, value)`, for `list(map(function, items))`: `map` calls it with no frame per
        item. None for identity types (nothing to call), composite ones, and decoders written in
        Python (`_decode_<Model>`, `_rt.parse_uuid`): the list comprehension's call of one runs
        in the comprehension's own loop of the interpreter, where `map` starts the interpreter
        again for each item (1,000 models: 0.03-0.06 ms less). But for `_m.<Model>.from_dict` in
        client.py, which would bind the classmethod anew for each item."""
        if self.is_identity(t):
            return None
        match t:
            case ir.ScalarType(scalar) if scalar in _SCALAR_DECODERS_IN_C:
                return _SCALAR_DECODER_FUNCTIONS[scalar]
            case ir.RefType() if self.is_enum(t):
                return f"{self.decoder(t)}.__getitem__"  # no `__call__` to look up per item
            case ir.RefType() if self._prefix and isinstance(self._lookup(t.name), ir.Model):
                return self.decoder(t)  # `_m.<Model>.from_dict`: bound once, not per item
        return None

    def is_enum(self, t: ir.RefType) -> bool:
        """An enum's decoder is a dict (`_rt.EnumDecoder`): `from_dict` subscripts it."""
        return isinstance(self._lookup(t.name), ir.Enum)

    def decoder(self, t: ir.RefType) -> str:
        """A function (an expression) from a JSON value to the declaration `t` names."""
        declaration = self._lookup(t.name)
        ref = self._prefix + identifier(t.name)
        if isinstance(declaration, ir.Model) and self._prefix:
            return f"{ref}.from_dict"
        # An enum's, an alias's, and in models.py a model's: `_decode_<Model>` is its from_dict
        # bound once, where `Model.from_dict` would bind the classmethod on every call.
        return f"{self._prefix}_decode_{identifier(t.name)}"

    def check(self, t: ir.TypeRef, src: str) -> str:
        """A cheap test of whether the JSON value `src` can be a `t` (to pick union variants)."""
        match t:
            case ir.ScalarType(scalar):
                return _SCALAR_CHECKS[scalar].format(src, src)
            case ir.AnyType():
                return "True"
            case ir.LiteralType(value):
                return f"{src} == {literal(value)}"
            case ir.ListType():
                return f"isinstance({src}, list)"
            case ir.TupleType(items):
                return f"(isinstance({src}, list) and len({src}) == {len(items)})"
            case ir.MapType():
                return f"isinstance({src}, dict)"
            case ir.RefType(name):
                declaration = self._lookup(name)
                ref = self._prefix + identifier(name)
                if isinstance(declaration, ir.Model):
                    return f"{ref}.accepts({src})"
                if isinstance(declaration, ir.Enum):
                    return f"_rt.is_member({ref}, {src})"
                return "True"
            case ir.NullableType(inner):
                return f"({src} is None or {self.check(inner, src)})"
            case ir.UnionType(variants, _):
                return "(" + " or ".join(self.check(v, src) for v in variants) + ")"
        raise AssertionError(t)

    # ------------------------------------------------------------------------------ encode

    def encode(self, t: ir.TypeRef, src: str) -> str:
        """An expression turning the Python value `src` into its JSON value."""
        match t:
            case ir.ScalarType(scalar):
                template = _SCALAR_ENCODERS.get(scalar)
                return template.format(src) if template else src
            case ir.AnyType() | ir.LiteralType():
                return src
            case ir.ListType(item):
                if self.is_identity(item):
                    return f"list({src})"
                var = self.new_name()
                return f"[{self.encode(item, var)} for {var} in {src}]"
            case ir.TupleType(items):
                if all(self.is_identity(i) for i in items):
                    return f"list({src})"
                return "[" + ", ".join(self.encode(i, f"{src}[{n}]")
                                       for n, i in enumerate(items)) + "]"
            case ir.MapType(value):
                if self.is_identity(value):
                    return f"dict({src})"
                key, var = self.new_name(), self.new_name()
                return f"{{{key}: {self.encode(value, var)} for {key}, {var} in {src}.items()}}"
            case ir.RefType(name):
                declaration = self._lookup(name)
                if isinstance(declaration, ir.Model):
                    return f"{src}.to_dict()"
                if isinstance(declaration, ir.Enum):
                    return f"{src}.value"
                return f"_rt.to_json({src})"
            case ir.NullableType(inner):
                encoded = self.encode(inner, src)
                return src if encoded == src else f"(None if {src} is None else {encoded})"
            case ir.UnionType():
                return f"_rt.to_json({src})"
        raise AssertionError(t)

    def restart_names(self) -> None:
        """Number local names from 1 again. Each declaration is a scope of its own, and its
        text must not depend on the declarations before it: the formatter finds unchanged
        declarations in its cache by their text."""
        self._counter = 0

    def new_name(self) -> str:
        """A local name of its own in the declaration (`_v1`, `_v2`, …)."""
        self._counter += 1
        return f"_v{self._counter}"


def _or(left: wrap.Group | wrap.Chain | str, right: wrap.Group | wrap.Chain | str) -> wrap.Chain:
    """`left | right` as one chain of `|` (an operand that is itself a union joins it)."""
    parts: list[wrap.Group | wrap.Chain | str] = []
    for node in (left, right):
        if isinstance(node, wrap.Chain) and set(node.ops) <= {"|"}:
            parts.extend(node.parts)
        else:
            parts.append(node)
    return wrap.Chain(tuple(parts), ("|",) * (len(parts) - 1))


_SIMPLE_CALL = re.compile(r"([\w.]+)\(([\w.]+(?:, [\w.]+)*)\)")


def _call(expression: str) -> wrap.Group | str:
    """`f(a, b)` (names only) as a call `wrap` can split; other expressions as they are."""
    match = _SIMPLE_CALL.fullmatch(expression)
    if match is None:
        return expression
    return wrap.call(match.group(1), *match.group(2).split(", "))


def _lambda(var: str, body: wrap.Group | wrap.Chain | str) -> wrap.Group | wrap.Chain | str:
    """`lambda var: body`: black splits a long one before the body's `and`s, else at the
    body's last bracket."""
    if isinstance(body, str):
        operands = _top_level_split(body, " and ")
        if len(operands) > 1:
            return wrap.Chain((f"lambda {var}: {operands[0]}", *operands[1:]),
                              ("and",) * (len(operands) - 1))
        body = _call(body)
    if isinstance(body, wrap.Group):
        return wrap.with_prefix(f"lambda {var}: ", body)
    return f"lambda {var}: {wrap.one_line(body)}"


def _top_level_split(expression: str, separator: str) -> list[str]:
    """`expression` split at `separator` outside brackets and string literals."""
    pieces = []
    depth = start = index = 0
    while index < len(expression):
        char = expression[index]
        if char in "\"'":
            index += 1
            while index < len(expression) and expression[index] != char:
                index += 2 if expression[index] == "\\" else 1
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0 and expression.startswith(separator, index):
            pieces.append(expression[start:index])
            start = index + len(separator)
            index = start
            continue
        index += 1
    pieces.append(expression[start:])
    return pieces
