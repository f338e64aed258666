"""Schemas → IR types and declarations (models, enums, aliases).

Named schemas (components, other files) become declarations named after their key; inline
objects and enums become declarations named from where they stand (`ListJobsResponseItemsItem`).
A declaration's name is claimed before its body is built, so recursive schemas terminate.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .. import ir
from ..diagnostics import Reporter, pointer_join
from ..naming import Namespace, attribute_name, class_name, member_name, pascal_case
from ..resolver import Located, ResolvedSpec, resolve_extra_ref
from .memo import Journal, journaled, run_unit

_SCALAR_FORMATS = {
    ("string", "date-time"): ir.Scalar.DATETIME,
    ("string", "date"): ir.Scalar.DATE,
    ("string", "uuid"): ir.Scalar.UUID,
    ("string", "binary"): ir.Scalar.BYTES,
}
_SCALAR_TYPES = {
    "string": ir.Scalar.STR,
    "integer": ir.Scalar.INT,
    "number": ir.Scalar.FLOAT,
    "boolean": ir.Scalar.BOOL,
    "null": ir.Scalar.NONE,
}
_KNOWN_TYPES = frozenset({"array", "object", *_SCALAR_TYPES})
_MODEL_RESERVED = frozenset({"from_dict", "to_dict", "accepts"})  # methods of every model
# Regular-expression syntax of ECMA-262 that Python's `re` does not accept.
_ECMA_ONLY = re.compile(r"\\[pP]\{|\\u\{|\(\?<[A-Za-z]|\[\^?\]|\\c[A-Za-z]|\\k<")
_ENUM_RESERVED = frozenset({"name", "value", "mro"})
_MAX_DEPTH = 64

SchemaKey = tuple[Path, str]


def _is_null_schema(value: Any) -> bool:
    return isinstance(value, dict) and (
        value.get("type") == "null" or (value.get("enum") == [None] and "type" not in value)
    )


def _never(value: Any) -> bool:
    """`false`, or `{not: {}}`: the schema no value satisfies."""
    return value is False or (isinstance(value, dict) and value.get("not") == {} and len(value) == 1)


def _extras_key(schema: dict[str, Any]) -> str | None:
    """The keyword that types properties not listed: `additionalProperties`, else 3.1's
    `unevaluatedProperties` (the same for the schemas a client meets)."""
    for key in ("additionalProperties", "unevaluatedProperties"):
        if key in schema:
            return key
    return None


def _extras_schema(schema: dict[str, Any]) -> Any:
    key = _extras_key(schema)
    return schema[key] if key is not None else None


# Keywords that shape a value but have no Python type here: skipped with a warning.
_UNSUPPORTED = {
    "if": "conditional subschemas (`if`/`then`/`else`) are not typed; skipped",
    "dependentSchemas": "`dependentSchemas` are not typed; skipped",
    "patternProperties": "`patternProperties` are not typed: properties matching them are kept "
                         "in additional_properties as received",
    "$dynamicRef": "`$dynamicRef` is not followed; typed as any JSON value",
}


def _declares_null(schema: dict[str, Any]) -> bool:
    kinds = schema.get("type")
    return (
        schema.get("nullable") is True
        or (isinstance(kinds, list) and "null" in kinds)
        or (isinstance(schema.get("enum"), list) and None in schema["enum"])
    )


class SchemaConverter:
    def __init__(
        self, spec: ResolvedSpec, reporter: Reporter, family: str, names: Namespace,
        journal: Journal | None = None,
    ) -> None:
        self._spec = spec
        self._reporter = reporter
        self._family = family
        self._names = names
        # With a journal (`memo`), each component is a unit an earlier run's may replace: the
        # state units share records its writes.
        self._journal = journal
        self._declarations: dict[str, ir.Declaration | None] = journaled(journal, "declarations")
        self._named: dict[SchemaKey, ir.TypeRef] = journaled(journal, "named")
        # declaration name -> schema key (for mapping)
        self._schema_names: dict[str, str] = journaled(journal, "schema_names")
        # component names reserved up front
        self._claimed: dict[SchemaKey, str] = journaled(journal, "claimed")
        self._subtypes: dict[SchemaKey, list[Located]] = {}  # schema -> components allOf-ing it
        self._polymorphic: dict[SchemaKey, ir.TypeRef] = journaled(journal, "polymorphic")
        self._depth = 0

    # ------------------------------------------------------------------------------ public

    def declarations(self) -> tuple[ir.Declaration, ...]:
        return tuple(d for d in self._declarations.values() if d is not None)

    def declaration(self, name: str) -> ir.Declaration | None:
        if self._journal is not None:
            self._journal.read_declaration(name)
        return self._declarations.get(name)

    def claim_name(self, text: str) -> str:
        """A declaration-level name for something that is not a schema (a page class)."""
        return self._names.claim(class_name(text))

    def convert_components(self) -> None:
        components = self._spec.root.data.get("components")
        if not isinstance(components, dict) or not isinstance(components.get("schemas"), dict):
            if self._journal is not None:
                self._journal.begin(())
            return
        root = Located(self._spec.root.data, self._spec.root, "")
        located = [root.child("components", "schemas", key) for key in components["schemas"]]
        # Components keep their own names: claim them all before any inline schema is named.
        for target in located:
            key = (target.document.resolved_path, target.pointer)
            if not self._is_pure_ref(target.value):
                self._claimed[key] = self._names.claim(class_name(self._schema_name(target)))
                self._declarations[self._claimed[key]] = None  # keeps components first
            self._note_subtype(target)
        if self._journal is not None:
            self._journal.begin((
                tuple(self._claimed.items()),
                tuple((key, tuple((c.document.resolved_path, c.pointer) for c in components))
                      for key, components in self._subtypes.items())))
        for target in located:
            run_unit(self._journal, ("schema", str(target.document.resolved_path), target.pointer),
                     (), lambda: self.named(target))

    def _note_subtype(self, component: Located) -> None:
        """Remember that `component` extends the schemas its `allOf` refers to (the implicit
        discriminator mapping of a parent with a `discriminator`)."""
        members = component.value.get("allOf") if isinstance(component.value, dict) else None
        if not isinstance(members, list):
            return
        for index, member in enumerate(members):
            if isinstance(member, dict) and isinstance(member.get("$ref"), str):
                target = resolve_extra_ref(self._spec, member["$ref"], component.document,
                                           pointer_join(component.pointer, "allOf", index),
                                           self._reporter)
                if target is not None:
                    key = (target.document.path.resolve(), target.pointer)
                    self._subtypes.setdefault(key, []).append(component)

    @staticmethod
    def _is_pure_ref(schema: Any) -> bool:
        return isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and len(schema) == 1

    def convert(self, located: Located, hint: str) -> ir.TypeRef:
        """The IR type of the schema at `located`; inline declarations are named from `hint`."""
        schema = located.value
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            # the target's kind and discriminator are read here, its content only when `named`
            # builds it
            target = resolve_extra_ref(
                self._spec, schema["$ref"], located.document, located.pointer, self._reporter,
                shape_only=True,
            )
            if target is None:
                return ir.ANY
            result = self._polymorphic_reference(target, self.named(target))
            if schema.get("nullable") is True:
                self._warn_nullable(located)
                result = ir.nullable(result)
            return result
        self._depth += 1
        try:
            if self._depth > _MAX_DEPTH:
                self._reporter.error(located.document.display_name, located.pointer,
                                     f"schema nested more than {_MAX_DEPTH} levels deep")
                return ir.ANY
            return self._inline(located, hint)
        finally:
            self._depth -= 1

    def named(self, target: Located) -> ir.TypeRef:
        """The type of a schema that has a name of its own (a component or another file)."""
        key = (target.document.resolved_path, target.pointer)
        if key in self._named:
            return self._named[key]
        self._spec.note_read(target)
        schema = target.value
        if self._is_pure_ref(schema):
            self._named[key] = ir.ANY  # a cycle of pure references would come back here
            result = self.convert(target, self._schema_name(target))
            self._named[key] = result
            return result
        if isinstance(schema, dict) and schema.get("nullable") is True:
            self._warn_nullable(target)
        kind = self._classify(target)
        name = self._claimed.pop(key, None) or self._names.claim(
            class_name(self._schema_name(target)))
        self._declarations[name] = None
        self._schema_names[name] = self._schema_name(target)
        reference: ir.TypeRef = ir.RefType(name)
        if kind != "alias" and isinstance(schema, dict) and _declares_null(schema):
            reference = ir.nullable(reference)
        self._named[key] = reference
        self._declarations[name] = self._declare(kind, target, name)
        return reference

    # ----------------------------------------------------------------------------- internals

    def _schema_name(self, target: Located) -> str:
        tokens = [t for t in target.pointer.split("/") if t]
        if tokens:
            return tokens[-1].replace("~1", "/").replace("~0", "~")
        return target.document.path.stem

    def _classify(self, located: Located) -> str:
        schema = located.value
        if not isinstance(schema, dict):
            return "alias"
        if isinstance(schema.get("enum"), list) and self._enum_kind(schema) is not None:
            return "enum"
        if self._non_null_variants(schema):
            return "alias"
        if "allOf" in schema or "properties" in schema:
            return "model"
        kinds = self._types(schema)
        extras = _extras_schema(schema)
        if kinds == ["object"] and (not isinstance(extras, dict) or _never(extras)):
            return "model"
        return "alias"

    def _declare(self, kind: str, located: Located, name: str) -> ir.Declaration:
        description = self._description(located.value)
        if kind == "model":
            return self._model(located, name)
        if kind == "enum":
            return self._enum(located, name)
        target = self._inline(located, name, as_alias=True)
        return ir.Alias(name, located.source, description, target)

    def _description(self, schema: Any) -> str:
        if not isinstance(schema, dict):
            return ""
        text = schema.get("description") or schema.get("title") or ""
        return text if isinstance(text, str) else ""

    def _types(self, schema: dict[str, Any]) -> list[str]:
        kinds = schema.get("type")
        if isinstance(kinds, str):
            return [kinds]
        if isinstance(kinds, list):
            return [k for k in kinds if isinstance(k, str) and k != "null"]
        return []

    def _non_null_variants(self, schema: dict[str, Any]) -> list[tuple[str, int, Any]]:
        for keyword in ("oneOf", "anyOf"):
            variants = schema.get(keyword)
            if isinstance(variants, list):
                return [
                    (keyword, i, v) for i, v in enumerate(variants) if not _is_null_schema(v)
                ]
        return []

    def _warn_nullable(self, located: Located) -> None:
        if self._family == "3.1":
            self._reporter.warning(
                located.document.display_name, located.pointer + "/nullable",
                "`nullable` is OpenAPI 3.0 syntax, not 3.1; honoured as `type: [..., 'null']`",
            )

    def _inline(self, located: Located, hint: str, as_alias: bool = False) -> ir.TypeRef:
        schema = located.value
        file = located.document.display_name
        if schema is True or schema == {}:
            return ir.ANY
        if schema is False:
            self._reporter.warning(file, located.pointer, "schema `false` allows no value; "
                                   "typed as any JSON value")
            return ir.ANY
        if not isinstance(schema, dict):
            self._reporter.error(file, located.pointer, "a schema must be an object or a "
                                 f"boolean, not {type(schema).__name__}")
            return ir.ANY
        if isinstance(schema.get("pattern"), str):
            self._check_pattern(located)
        self._note_unsupported(located)
        result = self._inline_non_null(located, hint, as_alias)
        if schema.get("nullable") is True:
            self._warn_nullable(located)
            return ir.nullable(result)
        if _declares_null(schema) or self._has_null_variant(schema):
            return ir.nullable(result)
        return result

    def _check_pattern(self, located: Located) -> None:
        """A `pattern` must be a regular expression (ECMA-262); Python's `re` checks the
        syntax the two share, and patterns using ECMA-only syntax are left unchecked."""
        pattern = located.value["pattern"]
        if _ECMA_ONLY.search(pattern):
            return
        try:
            re.compile(pattern)
        except re.error as exc:
            self._reporter.error(located.document.display_name, located.pointer + "/pattern",
                                 f"invalid regular expression {pattern!r}: {exc}")

    def _has_null_variant(self, schema: dict[str, Any]) -> bool:
        return any(
            isinstance(schema.get(k), list) and any(_is_null_schema(v) for v in schema[k])
            for k in ("oneOf", "anyOf")
        )

    def _inline_non_null(self, located: Located, hint: str, as_alias: bool) -> ir.TypeRef:
        schema = located.value
        if "const" in schema:
            return self._const(located)
        if isinstance(schema.get("enum"), list):
            if self._enum_kind(schema) is not None:
                if as_alias:  # a named enum is declared by `named`, never aliased
                    return ir.STR
                return self._declare_inline(self._enum, located, hint)
            return self._literal_union(located)
        variants = self._non_null_variants(schema)
        if variants:
            return self._union(located, hint, variants)
        if "oneOf" in schema or "anyOf" in schema:
            if not self._types(schema):
                return ir.NONE  # only null variants
        if "allOf" in schema:
            return self._all_of(located, hint, as_alias)
        kinds = self._types(schema)
        if not kinds:
            if "properties" in schema:
                kinds = ["object"]
            elif "items" in schema or "prefixItems" in schema:
                kinds = ["array"]
            elif isinstance(_extras_schema(schema), dict):
                kinds = ["object"]
            elif isinstance(schema.get("type"), list):  # only "null"
                return ir.NONE
            else:
                return ir.ANY
        converted = [self._of_type(located, hint, kind, as_alias) for kind in kinds]
        return converted[0] if len(converted) == 1 else ir.UnionType(tuple(converted))

    def _of_type(self, located: Located, hint: str, kind: str, as_alias: bool) -> ir.TypeRef:
        schema = located.value
        if kind not in _KNOWN_TYPES and kind.lower() in _KNOWN_TYPES:
            self._reporter.warning(located.document.display_name, located.pointer + "/type",
                                   f"type {kind!r} is not a JSON Schema type (they are lower "
                                   f"case); read as {kind.lower()!r}")
            kind = kind.lower()
        if kind == "array":
            if isinstance(schema.get("prefixItems"), list):
                return self._prefix_items(located, hint)
            items = schema.get("items")
            if items is None or not isinstance(items, (dict, bool)):
                return ir.ListType(ir.ANY)
            return ir.ListType(self.convert(located.child("items"), hint + "Item"))
        if kind == "object":
            if "properties" in schema and not as_alias:
                return self._declare_inline(self._model, located, hint)
            key = _extras_key(schema)
            if key is not None and isinstance(schema[key], dict) and not _never(schema[key]):
                return ir.MapType(self.convert(located.child(key), hint + "Value"))
            return ir.MapType(ir.ANY)
        fmt = schema.get("format")
        scalar = _SCALAR_FORMATS.get((kind, fmt)) or _SCALAR_TYPES.get(kind)
        if scalar is None:
            self._reporter.warning(located.document.display_name, located.pointer + "/type",
                                   f"unknown type {kind!r}; typed as any JSON value")
            return ir.ANY
        return ir.ScalarType(scalar)

    def _prefix_items(self, located: Located, hint: str) -> ir.TypeRef:
        """`prefixItems`: a tuple when the array has exactly that many items (closed by
        `items: false` or `maxItems`, and `minItems` as long); else a list of any of the
        item types, which is all that can be said of each element."""
        schema = located.value
        prefix = schema["prefixItems"]
        elements = [self.convert(located.child("prefixItems", i), f"{hint}Item{i + 1}")
                    for i in range(len(prefix))]
        rest_key = "items" if "items" in schema else "unevaluatedItems"
        rest = schema.get(rest_key, True)
        max_items, min_items = schema.get("maxItems"), schema.get("minItems")
        closed = _never(rest) or (isinstance(max_items, int) and max_items <= len(prefix))
        if closed and isinstance(min_items, int) and min_items >= len(prefix):
            return ir.TupleType(tuple(elements))
        if not closed:
            elements.append(self.convert(located.child(rest_key), hint + "Item")
                            if rest_key in schema else ir.ANY)
        self._reporter.info(located.document.display_name, located.pointer + "/prefixItems",
                            "`prefixItems` without a fixed length (`items: false` or `maxItems`,"
                            " with `minItems`) typed as a list of any of the item types")
        unique = tuple(dict.fromkeys(elements))
        if not unique or ir.ANY in unique:
            return ir.ListType(ir.ANY)
        return ir.ListType(unique[0] if len(unique) == 1 else ir.UnionType(unique))

    def _note_unsupported(self, located: Located) -> None:
        for keyword, message in _UNSUPPORTED.items():
            if keyword in located.value:
                self._reporter.warning(located.document.display_name,
                                       pointer_join(located.pointer, keyword), message)

    def _declare_inline(self, build: Any, located: Located, hint: str) -> ir.TypeRef:
        name = self._names.claim(class_name(hint))
        self._declarations[name] = None
        self._declarations[name] = build(located, name)
        return ir.RefType(name)

    def _const(self, located: Located) -> ir.TypeRef:
        value = located.value["const"]
        if isinstance(value, (str, int, bool)) and not isinstance(value, float):
            return ir.LiteralType(value)
        if value is None:
            return ir.NONE
        self._reporter.info(located.document.display_name, located.pointer + "/const",
                            "a `const` that is not a string, integer or boolean is typed by "
                            "its JSON kind")
        return ir.FLOAT if isinstance(value, float) else ir.ANY

    def _enum_kind(self, schema: dict[str, Any]) -> ir.Scalar | None:
        values = [v for v in schema["enum"] if v is not None]
        if values and all(isinstance(v, str) for v in values):
            return ir.Scalar.STR
        if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            return ir.Scalar.INT
        return None

    def _literal_union(self, located: Located) -> ir.TypeRef:
        values = [v for v in located.value["enum"] if v is not None]
        if not values:
            return ir.NONE
        literals: list[ir.TypeRef] = []
        for value in values:
            if isinstance(value, (str, int, bool)):
                literals.append(ir.LiteralType(value))
            elif isinstance(value, float):
                literals.append(ir.FLOAT)
            else:
                literals.append(ir.ANY)
        unique = tuple(dict.fromkeys(literals))
        return unique[0] if len(unique) == 1 else ir.UnionType(unique)

    def _enum(self, located: Located, name: str) -> ir.Enum:
        schema = located.value
        self._note_unsupported(located)
        value_type = self._enum_kind(schema) or ir.Scalar.STR
        members: list[ir.EnumMember] = []
        scope = Namespace(_ENUM_RESERVED)
        for value in dict.fromkeys(v for v in schema["enum"] if v is not None):
            members.append(ir.EnumMember(scope.claim(member_name(value)), value))
        return ir.Enum(name, located.source, self._description(schema), value_type,
                       tuple(members))

    def _union(
        self, located: Located, hint: str, variants: list[tuple[str, int, Any]]
    ) -> ir.TypeRef:
        schema = located.value
        converted: list[ir.TypeRef] = []
        for keyword, index, variant in variants:
            title = variant.get("title") if isinstance(variant, dict) else None
            if len(variants) == 1:
                variant_hint = hint  # `anyOf: [X, null]` is just an optional X
            elif isinstance(title, str) and pascal_case(title)[:1].isalpha():
                variant_hint = pascal_case(title)
            else:
                variant_hint = f"{hint}Variant{index + 1}"
            converted.append(self.convert(located.child(keyword, index), variant_hint))
        unique = tuple(dict.fromkeys(converted))
        if len(unique) == 1:
            return unique[0]
        discriminator = self._discriminator(located, unique)
        if "properties" in schema:
            self._reporter.info(located.document.display_name, located.pointer,
                                "`properties` beside `oneOf`/`anyOf` are not merged into the "
                                "variants; typed as the union")
        return ir.UnionType(unique, discriminator)

    def _discriminator(
        self, located: Located, variants: tuple[ir.TypeRef, ...]
    ) -> ir.Discriminator | None:
        spec = located.value.get("discriminator")
        if not isinstance(spec, dict) or not isinstance(spec.get("propertyName"), str):
            return None
        model_names = [v.name for v in variants if isinstance(v, ir.RefType)]
        if len(model_names) != len(variants):
            self._reporter.info(located.document.display_name, located.pointer + "/discriminator",
                                "discriminator ignored: not every variant is a named model; "
                                "variants are tried in order")
            return None
        property_name = spec["propertyName"]
        mapping: dict[str, str] = {}
        for value, target in self._mapping_targets(located):
            reference = ir.strip_nullable(self.named(target))
            if isinstance(reference, ir.RefType):
                mapping[value] = reference.name
        mapped = set(mapping.values())
        for name in model_names:
            if name in mapped:
                continue
            # Implicit mapping: the schema's own name, and the value its discriminating property
            # can only have (`const`, or a one-value enum), which is what most APIs send.
            mapping.setdefault(self._schema_names.get(name, name), name)
            tag = self._only_value(name, property_name)
            if tag is not None:
                mapping.setdefault(tag, name)
        return ir.Discriminator(property_name, tuple(mapping.items()))

    def _mapping_targets(self, located: Located) -> list[tuple[str, Located]]:
        """The explicit `discriminator.mapping` of the schema at `located`, resolved."""
        explicit = located.value["discriminator"].get("mapping")
        targets: list[tuple[str, Located]] = []
        if not isinstance(explicit, dict):
            return targets
        for value, ref in explicit.items():
            if not isinstance(ref, str):
                continue
            if "#" not in ref and "/" not in ref and "." not in ref:
                ref = f"#/components/schemas/{ref}"
            target = resolve_extra_ref(self._spec, ref, located.document,
                                       located.pointer + "/discriminator/mapping",
                                       self._reporter, shape_only=True)
            if target is not None:
                targets.append((str(value), target))
        return targets

    def _only_value(self, name: str, property_name: str) -> str | None:
        """The one value the model `name` allows for its property `property_name`, if any."""
        declaration = self.declaration(name)
        if not isinstance(declaration, ir.Model):
            return None  # not a model, or still being built (a cycle)
        for f in declaration.fields:
            if f.wire_name != property_name:
                continue
            kind = ir.strip_nullable(f.type)
            if isinstance(kind, ir.LiteralType):
                return str(kind.value)
            if isinstance(kind, ir.RefType):
                enum = self.declaration(kind.name)
                if isinstance(enum, ir.Enum) and len(enum.members) == 1:
                    return str(enum.members[0].value)
        return None

    def _polymorphic_reference(self, target: Located, reference: ir.TypeRef) -> ir.TypeRef:
        """A reference to an object schema with a `discriminator` and no `oneOf`/`anyOf` (the
        parent of an `allOf` hierarchy) means the parent or any of its subtypes: the union of
        them, decoded by the discriminator. Subtypes are the mapping's targets and the
        components whose `allOf` refers to the parent; the parent comes first, so a value whose
        tag is unknown decodes as the parent."""
        schema = target.value
        if not isinstance(schema, dict) or not isinstance(schema.get("discriminator"), dict) \
                or "oneOf" in schema or "anyOf" in schema:
            return reference
        base = ir.strip_nullable(reference)
        if not isinstance(base, ir.RefType) or self._classify(target) != "model":
            return reference
        key = (target.document.path.resolve(), target.pointer)
        if key in self._polymorphic:
            return self._polymorphic[key]
        self._polymorphic[key] = reference  # a reference met while building this one
        subtypes = [t for _, t in self._mapping_targets(target)]
        subtypes += self._subtypes.get(key, [])
        variants: list[ir.TypeRef] = [base]
        for subtype in subtypes:
            variant = ir.strip_nullable(self.named(subtype))
            if isinstance(variant, ir.RefType) and variant not in variants:
                variants.append(variant)
        if len(variants) == 1:
            return reference
        union: ir.TypeRef = ir.UnionType(tuple(variants),
                                         self._discriminator(target, tuple(variants)))
        if isinstance(reference, ir.NullableType):
            union = ir.nullable(union)
        self._polymorphic[key] = union
        return union

    def _all_of(self, located: Located, hint: str, as_alias: bool) -> ir.TypeRef:
        schema = located.value
        members = schema["allOf"] if isinstance(schema["allOf"], list) else []
        own = {k for k in schema if k in ("properties", "required", "additionalProperties",
                                          "unevaluatedProperties")}
        if len(members) == 1 and not own:
            return self.convert(located.child("allOf", 0), hint)
        if as_alias:
            return ir.MapType(ir.ANY)
        return self._declare_inline(self._model, located, hint)

    # ------------------------------------------------------------------------------ models

    def _collect(
        self,
        located: Located,
        properties: dict[str, Located],
        required: set[str],
        extras: list[Located | bool],
        visiting: set[SchemaKey],
    ) -> None:
        """Merge an object schema and its `allOf` members into one property set."""
        key = (located.document.resolved_path, located.pointer)
        if key in visiting:
            return
        visiting.add(key)
        schema = located.value
        if not isinstance(schema, dict):
            return
        if isinstance(schema.get("$ref"), str):
            target = resolve_extra_ref(self._spec, schema["$ref"], located.document,
                                       located.pointer, self._reporter)
            if target is not None:
                self._collect(target, properties, required, extras, visiting)
        members = schema.get("allOf")
        if isinstance(members, list):
            for index in range(len(members)):
                member = located.child("allOf", index)
                if isinstance(member.value, dict) and self._non_null_variants(member.value):
                    self._reporter.info(
                        member.document.display_name, member.pointer,
                        "allOf member with oneOf/anyOf: only its object part is merged")
                self._collect(member, properties, required, extras, visiting)
        if isinstance(schema.get("properties"), dict):
            for wire in schema["properties"]:
                properties[str(wire)] = located.child("properties", wire)
        if isinstance(schema.get("required"), list):
            required.update(str(r) for r in schema["required"])
        extras_key = _extras_key(schema)
        if extras_key is not None:
            additional = schema[extras_key]
            extras.append(located.child(extras_key) if isinstance(additional, dict)
                          and not _never(additional) else bool(additional))

    def _model(self, located: Located, name: str) -> ir.Model:
        properties: dict[str, Located] = {}
        required: set[str] = set()
        extras: list[Located | bool] = []
        self._note_unsupported(located)  # (reported once: the reporter drops repeats)
        self._collect(located, properties, required, extras, set())
        scope = Namespace(_MODEL_RESERVED)
        fields = []
        for wire, prop in properties.items():
            fields.append(self._field(prop, wire, wire in required, name, scope))
        extra_type: ir.TypeRef = ir.ANY
        typed_extras = [e for e in extras if isinstance(e, Located)]
        if typed_extras:
            extra_type = self.convert(typed_extras[-1], name + "Value")
        return ir.Model(
            name=name,
            source=located.source,
            description=self._description(located.value),
            fields=tuple(fields),
            extra_name=scope.claim("additional_properties"),
            extra_type=extra_type,
        )

    def _field(
        self, prop: Located, wire: str, required: bool, model: str, scope: Namespace
    ) -> ir.Field:
        schema = prop.value if isinstance(prop.value, dict) else {}
        target_schema = schema
        if isinstance(schema.get("$ref"), str):
            target = resolve_extra_ref(self._spec, schema["$ref"], prop.document, prop.pointer,
                                       self._reporter, shape_only=True)  # its readOnly/writeOnly
            target_schema = target.value if target and isinstance(target.value, dict) else {}
        description = self._description(schema)
        if not description and isinstance(schema.get("$ref"), str):
            description = ""  # the referenced type documents itself
        return ir.Field(
            name=scope.claim(attribute_name(wire)),
            wire_name=wire,
            type=self.convert(prop, model + class_name(wire, "Field")),
            required=required,
            description=description,
            default=schema.get("default"),
            has_default="default" in schema,
            read_only=bool(schema.get("readOnly") or target_schema.get("readOnly")),
            write_only=bool(schema.get("writeOnly") or target_schema.get("writeOnly")),
            deprecated=bool(schema.get("deprecated")),
        )
