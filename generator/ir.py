"""The intermediate representation: what the generated client means, free of spec syntax.

Built once by `generator.build`, frozen, and the only input of the renderers. Every kind of
thing has one type; `TypeRef` and `Declaration` close the unions so a `match` is exhaustive.
Names here are already valid, collision-free Python identifiers; wire names are kept beside them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Union

# ---------------------------------------------------------------------------------------- types


class Scalar(enum.Enum):
    STR = "str"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    DATETIME = "datetime"
    DATE = "date"
    UUID = "uuid"
    BYTES = "bytes"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class ScalarType:
    scalar: Scalar


@dataclass(frozen=True, slots=True)
class AnyType:
    """A schema that allows any JSON value."""


@dataclass(frozen=True, slots=True)
class LiteralType:
    """`const` (or a one-value enum used as a tag): exactly this JSON value."""

    value: str | int | bool


@dataclass(frozen=True, slots=True)
class ListType:
    item: TypeRef


@dataclass(frozen=True, slots=True)
class TupleType:
    """A JSON array of exactly these items, in this order (`prefixItems` of a fixed length)."""

    items: tuple[TypeRef, ...]


@dataclass(frozen=True, slots=True)
class MapType:
    """A JSON object used as a dictionary (`additionalProperties` without `properties`)."""

    value: TypeRef


@dataclass(frozen=True, slots=True)
class RefType:
    """A reference to a named declaration (model, enum or alias) by its Python name."""

    name: str


@dataclass(frozen=True, slots=True)
class Discriminator:
    property_wire_name: str
    mapping: tuple[tuple[str, str], ...]  # (wire value, declaration name)


@dataclass(frozen=True, slots=True)
class UnionType:
    variants: tuple[TypeRef, ...]
    discriminator: Discriminator | None = None


@dataclass(frozen=True, slots=True)
class NullableType:
    inner: TypeRef


TypeRef = Union[
    ScalarType, AnyType, LiteralType, ListType, TupleType, MapType, RefType, UnionType,
    NullableType,
]

STR = ScalarType(Scalar.STR)
INT = ScalarType(Scalar.INT)
FLOAT = ScalarType(Scalar.FLOAT)
BOOL = ScalarType(Scalar.BOOL)
NONE = ScalarType(Scalar.NONE)
ANY = AnyType()


def nullable(inner: TypeRef) -> TypeRef:
    if isinstance(inner, (NullableType, AnyType)) or inner == NONE:
        return inner
    return NullableType(inner)


def strip_nullable(t: TypeRef) -> TypeRef:
    return t.inner if isinstance(t, NullableType) else t


# --------------------------------------------------------------------------------- declarations


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    wire_name: str
    type: TypeRef
    required: bool
    description: str
    default: object = None  # the spec's `default`, as data (documentation only)
    has_default: bool = False
    read_only: bool = False
    write_only: bool = False
    deprecated: bool = False


@dataclass(frozen=True, slots=True)
class Model:
    name: str
    source: str  # file#pointer of the schema, for docs and diagnostics
    description: str
    fields: tuple[Field, ...]
    extra_name: str  # the attribute that keeps properties the schema does not list
    extra_type: TypeRef  # their type (`additionalProperties`), ANY when unconstrained


@dataclass(frozen=True, slots=True)
class EnumMember:
    name: str
    value: str | int


@dataclass(frozen=True, slots=True)
class Enum:
    name: str
    source: str
    description: str
    value_type: Scalar  # STR or INT
    members: tuple[EnumMember, ...]


@dataclass(frozen=True, slots=True)
class Alias:
    """A named schema that is not an object or an enum: a union, array, map or scalar."""

    name: str
    source: str
    description: str
    target: TypeRef


Declaration = Union[Model, Enum, Alias]

# ----------------------------------------------------------------------------------- operations


class ParamLocation(enum.Enum):
    PATH = "path"
    QUERY = "query"
    HEADER = "header"
    COOKIE = "cookie"


class ParamEncoding(enum.Enum):
    """How a value goes on the wire; arrays follow `style`/`explode`."""

    PLAIN = "plain"
    EXPLODED = "exploded"  # repeated key: ?a=1&a=2
    COMMA = "comma"  # form, explode=false: ?a=1,2
    SPACE = "space"  # spaceDelimited
    PIPE = "pipe"  # pipeDelimited
    JSON = "json"  # `content: application/json` parameters
    DEEP_OBJECT = "deep_object"


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    wire_name: str
    location: ParamLocation
    type: TypeRef
    required: bool
    description: str
    encoding: ParamEncoding = ParamEncoding.PLAIN
    default: object = None
    has_default: bool = False
    deprecated: bool = False


class BodyKind(enum.Enum):
    JSON = "json"
    FORM = "form"
    MULTIPART = "multipart"
    BINARY = "binary"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class RequestBody:
    name: str  # the keyword argument that carries it
    kind: BodyKind
    content_type: str
    type: TypeRef
    required: bool
    description: str


class ResponseKind(enum.Enum):
    JSON = "json"
    BINARY = "binary"
    TEXT = "text"
    STREAM = "stream"  # text/event-stream and friends: handed over unread
    EMPTY = "empty"


@dataclass(frozen=True, slots=True)
class Response:
    status: str  # "200", "4XX", "default"
    description: str
    kind: ResponseKind
    content_type: str
    type: TypeRef | None


@dataclass(frozen=True, slots=True, kw_only=True)
class CursorPagination:
    """Request `cursor_param` = the previous page's `next_cursor_field` (wire names)."""

    items_field: str
    cursor_param: str
    next_cursor_field: str
    item_key_field: str | None = None  # identifies an item, to drop repeats at page edges


@dataclass(frozen=True, slots=True, kw_only=True)
class OffsetPagination:
    """Request `offset_param` = previous offset + items received; stop at `total_field`, or
    without a total on a short page (fewer items than the limit sent or echoed) or an empty one."""

    items_field: str
    offset_param: str
    limit_param: str | None
    total_field: str | None
    page_size_field: str | None = None  # the response's echo of the applied limit
    offset_field: str | None = None  # the response's echo of the applied offset
    item_key_field: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PageNumberPagination:
    items_field: str
    page_param: str
    total_pages_field: str | None
    item_key_field: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NextLinkPagination:
    items_field: str
    next_link_field: str
    item_key_field: str | None = None


Pagination = Union[CursorPagination, OffsetPagination, PageNumberPagination, NextLinkPagination]


@dataclass(frozen=True, slots=True)
class Operation:
    name: str
    operation_id: str
    method: str  # upper case
    path: str
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    body: RequestBody | None
    success: Response | None
    errors: tuple[Response, ...]
    pagination: Pagination | None
    page_classes: tuple[str, str] | None  # (sync, async) page class names when paginated
    security: tuple[str, ...]  # names of SecurityScheme; empty = no auth
    idempotency_header: str | None
    deprecated: bool
    source: str


# ---------------------------------------------------------------------------------------- auth


class AuthKind(enum.Enum):
    BEARER = "bearer"
    BASIC = "basic"
    API_KEY_HEADER = "api_key_header"
    API_KEY_QUERY = "api_key_query"
    API_KEY_COOKIE = "api_key_cookie"


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    name: str  # the spec's key
    kind: AuthKind
    wire_name: str  # header / query / cookie name ("Authorization" for bearer and basic)
    description: str


# ----------------------------------------------------------------------------------------- api


@dataclass(frozen=True, slots=True)
class Api:
    package: str
    title: str
    api_version: str
    description: str
    base_url: str
    env_prefix: str  # KREA -> KREA_API_KEY, KREA_BASE_URL
    declarations: tuple[Declaration, ...]
    operations: tuple[Operation, ...]
    security_schemes: tuple[SecurityScheme, ...]
    spec_sha256: str
    spec_name: str
    generator_version: str

    def declaration(self, name: str) -> Declaration:
        for declaration in self.declarations:
            if declaration.name == name:
                return declaration
        raise KeyError(name)
