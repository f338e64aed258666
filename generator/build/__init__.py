"""Stage 4: build the immutable IR from a resolved, validated spec."""

from __future__ import annotations

import dataclasses
import re
from typing import Any, Callable

from .. import __version__, ir
from ..cache import write_now_or_later
from ..diagnostics import Reporter
from ..digests import KnownDigests
from ..naming import BUILTIN_CLASS_NAMES, Namespace, constant_case
from ..resolver import Located, ResolvedSpec
from . import memo
from .operations import OperationBuilder, encodable
from .schemas import SchemaConverter

# Names the generated package defines itself; a model may not take them.
RUNTIME_NAMES = frozenset(
    {
        "Client", "AsyncClient", "Page", "AsyncPage", "SyncPage", "JsonValue", "Unset",
        "ClientError", "APIError", "APIStatusError", "APIConnectionError", "APITimeoutError",
        "BadRequestError", "AuthenticationError", "PaymentRequiredError",
        "PermissionDeniedError", "NotFoundError", "ConflictError", "UnprocessableEntityError",
        "RateLimitError", "InternalServerError", "PaginationLoopError", "MissingCredentialsError",
        "APIResponseValidationError",
        "RequestOptions", "Response", "Any", "Literal", "TypeAlias", "Enum", "APIResponse",
        "NotGiven",
    }
)


def build_api(
    spec: ResolvedSpec,
    family: str,
    reporter: Reporter,
    package: str,
    spec_sha256: str,
    incremental: bool = True,
    save_later: list[Callable[[], None]] | None = None,
    digests: KnownDigests | None = None,
) -> ir.Api:
    """The IR of the spec. `incremental`: with a cache, reuse what the last build of `package`
    built of each component and operation whose inputs did not change (`memo`); the result is
    the same either way. With `save_later`, the function that writes this build's memo for
    the next one is added there, for the caller to run when it suits (the pipeline runs it on
    its other core), instead of being run before returning. `digests` receives the digests of
    the nodes the memo brought back (`KnownDigests`)."""
    mark = reporter.mark()
    try:
        return _build_api(spec, family, reporter, package, spec_sha256, incremental,
                          save_later, digests)
    except memo.Diverged:
        reporter.rewind(mark)
        return _build_api(spec, family, reporter, package, spec_sha256, False, save_later,
                          KnownDigests())  # none of the replayed nodes is in this IR


def _build_api(spec: ResolvedSpec, family: str, reporter: Reporter, package: str,
               spec_sha256: str, incremental: bool,
               save_later: list[Callable[[], None]] | None,
               digests: KnownDigests | None) -> ir.Api:
    data = spec.root.data
    info = data.get("info") if isinstance(data.get("info"), dict) else {}
    security = _security_schemes(spec, reporter)
    journal = None
    if incremental and memo.pack_name(package) is not None:
        context = (family, reporter.strict, security,
                   [(d.resolved_path, d.path, d.display_name) for d in spec.documents.values()])
        journal = memo.Journal(spec, reporter, context, memo.load(package), digests)
    unit_reporter = journal.reporter if journal is not None else reporter
    declaration_names = (Namespace(RUNTIME_NAMES | BUILTIN_CLASS_NAMES) if journal is None else
                         journal.namespace("names", RUNTIME_NAMES | BUILTIN_CLASS_NAMES))
    schemas = SchemaConverter(spec, unit_reporter, family, declaration_names, journal)
    schemas.convert_components()
    operations = OperationBuilder(spec, unit_reporter, schemas, security, journal).build_all()
    _note_ignored(spec, reporter)
    reporter.raise_if_errors()
    save = memo.writer(package, journal) if journal is not None else None
    if save is not None:
        write_now_or_later(save, save_later)
    declarations = _keep_page_api_free(schemas.declarations(), operations)
    return ir.Api(
        package=package,
        title=_text(info.get("title")) or package,
        api_version=_text(info.get("version")),
        description=_text(info.get("description")) or _text(info.get("summary")),
        base_url=_base_url(spec, reporter),
        env_prefix=constant_case(package) or "API",
        declarations=declarations,
        operations=operations,
        security_schemes=tuple(security.values()),
        spec_sha256=spec_sha256,
        spec_name=spec.root.path.name,
        generator_version=__version__,
    )


# What a page object adds to the response model it extends (see the runtime's SyncPage).
PAGE_API_NAMES = frozenset(
    {"has_next_page", "next_page", "iter_pages", "iter_items", "http_response"}
)


def _keep_page_api_free(
    declarations: tuple[ir.Declaration, ...], operations: tuple[ir.Operation, ...]
) -> tuple[ir.Declaration, ...]:
    """Rename fields of paginated response models that would shadow the page API."""
    paged = {
        target.name
        for op in operations
        if op.pagination is not None and op.success is not None and op.success.type is not None
        for target in [ir.strip_nullable(op.success.type)]
        if isinstance(target, ir.RefType)
    }
    result = []
    for declaration in declarations:
        if isinstance(declaration, ir.Model) and declaration.name in paged and any(
                f.name in PAGE_API_NAMES for f in declaration.fields):
            scope = Namespace(PAGE_API_NAMES | {f.name for f in declaration.fields}
                              | {declaration.extra_name})
            fields = tuple(
                dataclasses.replace(f, name=scope.claim(f.name + "_field"))
                if f.name in PAGE_API_NAMES else f
                for f in declaration.fields)
            declaration = dataclasses.replace(declaration, fields=fields)
        result.append(declaration)
    return tuple(result)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else (str(value) if value is not None else "")


def _base_url(spec: ResolvedSpec, reporter: Reporter) -> str:
    url = _first_server(spec.root.data)
    if not encodable(url):
        reporter.warning(spec.root.display_name, "/servers/0/url", "server URL is not valid "
                         "Unicode (a lone surrogate); callers must pass base_url")
        return ""
    return url


def _first_server(data: dict[str, Any]) -> str:
    servers = data.get("servers")
    if not isinstance(servers, list) or not servers or not isinstance(servers[0], dict):
        return ""
    server = servers[0]
    url = _text(server.get("url"))
    declared = server.get("variables")
    variables: dict[str, Any] = declared if isinstance(declared, dict) else {}

    def substitute(match: re.Match[str]) -> str:
        variable = variables.get(match.group(1))
        if isinstance(variable, dict) and "default" in variable:
            return _text(variable["default"])
        return match.group(0)

    return re.sub(r"{([^{}]+)}", substitute, url)


def _security_schemes(spec: ResolvedSpec, reporter: Reporter) -> dict[str, ir.SecurityScheme]:
    components = spec.root.data.get("components")
    if not isinstance(components, dict) or not isinstance(components.get("securitySchemes"), dict):
        return {}
    root = Located(spec.root.data, spec.root, "")
    schemes: dict[str, ir.SecurityScheme] = {}
    for name in components["securitySchemes"]:
        located = spec.follow(root.child("components", "securitySchemes", name))
        value = located.value if isinstance(located.value, dict) else {}
        kind = value.get("type")
        scheme = str(value.get("scheme", "")).lower()
        description = _text(value.get("description"))
        file = located.document.display_name
        if kind == "http" and scheme == "basic":
            schemes[name] = ir.SecurityScheme(name, ir.AuthKind.BASIC, "Authorization", description)
        elif (kind == "http" and scheme == "bearer") or kind in ("oauth2", "openIdConnect"):
            schemes[name] = ir.SecurityScheme(name, ir.AuthKind.BEARER, "Authorization",
                                              description)
        elif kind == "apiKey" and isinstance(value.get("name"), str):
            where = {"header": ir.AuthKind.API_KEY_HEADER, "query": ir.AuthKind.API_KEY_QUERY,
                     "cookie": ir.AuthKind.API_KEY_COOKIE}.get(str(value.get("in")))
            if where is None:
                reporter.warning(file, located.pointer + "/in", "apiKey `in` must be header, "
                                 "query or cookie; scheme skipped")
                continue
            schemes[name] = ir.SecurityScheme(name, where, value["name"], description)
        else:
            reporter.warning(file, located.pointer, f"security scheme type {kind!r}"
                             f"{' ' + scheme if scheme else ''} is not supported; skipped")
    return schemes


def _note_ignored(spec: ResolvedSpec, reporter: Reporter) -> None:
    if "webhooks" in spec.root.data:
        reporter.info(spec.root.display_name, "/webhooks",
                      "webhooks are requests the API sends, not part of a client; ignored")
