"""Stage 5: render the IR into the files of one Python package, as `{relative path: text}`.

A pure function of the IR: it reads no spec and touches no disk.
"""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2

from .. import ir
from ..layout import UNIT_BREAK
from ..build import RUNTIME_NAMES
from .pysyntax import docstring, markdown_text, string
from .views import ViewBuilder

ERROR_NAMES = (
    "APIError", "APIConnectionError", "APITimeoutError", "APIStatusError", "BadRequestError",
    "AuthenticationError", "PaymentRequiredError", "PermissionDeniedError", "NotFoundError",
    "ConflictError", "UnprocessableEntityError", "RateLimitError", "InternalServerError",
    "MissingCredentialsError", "PaginationLoopError", "APIResponseValidationError",
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
    environment.globals["unit_break"] = UNIT_BREAK
    return environment


def _render(template: str, **context: object) -> str:
    return _environment().get_template(template).render(**context)


def header_line(api: ir.Api) -> str:
    """The first line of every generated Python file (added after formatting, so the bodies of
    files that do not depend on the spec format once for every package)."""
    return "# " + ViewBuilder(api).header_comment() + "\n"


# Files whose text does not depend on the spec, kept by the formatter as rendered: the template
# is black's output (tests/test_speed_paths.py compares every file with black's).
SPEC_INDEPENDENT_FILES = frozenset({"_runtime.py"})


# The package's files in two parts that render independently (each part's names and
# variables come from its own renderer), so a large package renders on two cores
# (`pipeline`); FILE_ORDER is the order of the files in the rendered package.
RENDER_PARTS = ("models", "client")
FILE_ORDER = ("__init__.py", "models.py", "client.py", "errors.py", "_runtime.py", "py.typed",
              "README.md")


def render_part(api: ir.Api, part: str) -> dict[str, str]:
    """The files of one of `RENDER_PARTS`."""
    views = ViewBuilder(api)
    title_doc = docstring(api.title)
    model_names = [d.name for d in api.declarations]
    if part == "models":
        enums, models, aliases = views.declarations()
        return {"models.py": _render(
            "models.py.j2", title_doc=title_doc, enums=enums, models=models,
            aliases=aliases, exports=model_names,
        )}
    operations = views.operations()
    page_names = [name for op in api.operations for name in (op.page_classes or ())]
    env_doc = docstring(f"`{api.env_prefix}_API_KEY`, `{api.env_prefix}_BASE_URL`")
    return {
        "__init__.py": _render(
            "__init__.py.j2",
            doc=docstring("\n\n".join(filter(None, [api.title, api.description]))),
            error_names=ERROR_NAMES, model_names=model_names, version=string(api.api_version),
            page_names=page_names,
            all_names=["Client", "AsyncClient", "APIResponse", "JsonValue", "NOT_GIVEN",
                       "NotGiven", *ERROR_NAMES, *page_names, *model_names],
        ),
        "client.py": _render(
            "client.py.j2", title_doc=title_doc, security=views.security(),
            endpoints=views.endpoints(), operations=operations, pages=views.pages(),
            base_url=string(api.base_url), env_prefix=string(api.env_prefix), env_doc=env_doc,
            version=string(api.api_version or "0"),
        ),
        "errors.py": _render("errors.py.j2"),
        "_runtime.py": _render("_runtime.py.j2"),
        "py.typed": "",
        "README.md": _render(
            "README.md.j2", title=markdown_text(api.title), api_version=markdown_text(
                api.api_version), spec_name=markdown_text(api.spec_name), package=api.package,
            env_prefix=api.env_prefix, base_url=markdown_text(api.base_url),
            examples=views.examples(),
        ),
    }
