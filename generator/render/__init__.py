"""Stage 5: render the IR into the files of one Python package, as `{relative path: text}`.

A pure function of the IR: it reads no spec and touches no disk.
"""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2

from .. import ir
from ..build import RUNTIME_NAMES
from .pysyntax import docstring, string
from .views import ViewBuilder

ERROR_NAMES = (
    "APIError", "APIConnectionError", "APITimeoutError", "APIStatusError", "BadRequestError",
    "AuthenticationError", "PaymentRequiredError", "PermissionDeniedError", "NotFoundError",
    "ConflictError", "UnprocessableEntityError", "RateLimitError", "InternalServerError",
    "MissingCredentialsError", "PaginationLoopError",
)
assert set(ERROR_NAMES) <= RUNTIME_NAMES


def templates_dir() -> Path:
    source_checkout = Path(__file__).resolve().parents[2] / "templates"
    if source_checkout.is_dir():
        return source_checkout
    from importlib.resources import files

    return Path(str(files("generator") / "templates"))


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Python; spec text is escaped by `pysyntax`
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["pystr"] = string
    return environment


def _render(template: str, **context: object) -> str:
    return _environment().get_template(template).render(**context)


def render_package(api: ir.Api) -> dict[str, str]:
    views = ViewBuilder(api)
    header = "# " + views.header_comment()
    title_doc = docstring(api.title)
    enums, models, aliases = views.declarations()
    model_names = [d.name for d in api.declarations]
    operations = views.operations()
    clients = [
        {"name": "Client", "base": "_rt.SyncAPIClient", "def_keyword": "def",
         "await_keyword": "", "raw_name": "ClientWithRawResponse",
         "raw_wrapper": "with_raw_response",
         "doc": docstring(f"Synchronous client of {api.title}.")},
        {"name": "AsyncClient", "base": "_rt.AsyncAPIClient", "def_keyword": "async def",
         "await_keyword": "await ", "raw_name": "AsyncClientWithRawResponse",
         "raw_wrapper": "async_with_raw_response",
         "doc": docstring(f"Asynchronous client of {api.title}.")},
    ]
    files = {
        "__init__.py": _render(
            "__init__.py.j2", header=header,
            doc=docstring("\n\n".join(filter(None, [api.title, api.description]))),
            error_names=ERROR_NAMES, model_names=model_names, version=string(api.api_version),
            all_names=["Client", "AsyncClient", "APIResponse", "JsonValue", "NOT_GIVEN",
                       "NotGiven", *ERROR_NAMES, *model_names],
        ),
        "models.py": _render(
            "models.py.j2", header=header, title_doc=title_doc, enums=enums, models=models,
            aliases=aliases, exports=model_names,
        ),
        "client.py": _render(
            "client.py.j2", header=header, title_doc=title_doc, security=views.security(),
            endpoints=views.endpoints(), clients=clients, operations=operations,
            base_url=string(api.base_url), env_prefix=string(api.env_prefix),
        ),
        "errors.py": _render("errors.py.j2", header=header, title_doc=title_doc),
        "_runtime.py": _render(
            "_runtime.py.j2", header=header, package=api.package,
            version=api.api_version or "0",
        ),
        "py.typed": "",
    }
    return files
