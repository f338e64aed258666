"""Stage 5: render the IR into the files of one Python package, as `{relative path: text}`.

A pure function of the IR: it reads no spec and writes no output (only the templates are read,
and their compiled form kept in the user's cache, see `_compiled_templates`).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import jinja2
import jinja2.bccache

from .. import ir
from ..cache import cache_dir
from ..layout import UNIT_BREAK
from ..build import RUNTIME_NAMES
from .pysyntax import docstring, markdown_text, string
from .views import ViewBuilder, header_comment

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


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled templates, kept in the cache folder (compiling them took 31 ms a run);
    an entry is used only for the same template text and Jinja and Python versions (Jinja
    checks), and a cache that cannot be read or written costs time, never correctness."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _compiled_templates() -> jinja2.BytecodeCache | None:
    cache = cache_dir()
    return _CompiledTemplates(str(cache / "templates")) if cache is not None else None


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        bytecode_cache=_compiled_templates(),
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
    return "# " + header_comment(api) + "\n"


# Files whose text does not depend on the spec, kept by the formatter as rendered: the template
# is black's output (tests/test_speed_paths.py compares every file with black's).
SPEC_INDEPENDENT_FILES = frozenset({"_runtime.py"})


# The package's files in parts that render independently (each declaration's names and
# variables come from its own view), so a large package renders on two cores (`pipeline`):
# models.py's header and first declarations; its other declarations (the text from their first
# UNIT_BREAK, to follow the first part's); client.py and the rest. The cut in models.py makes
# the first part about half the work (`models_cut`). FILE_ORDER is the order of the files in
# the rendered package; a file's text is the concatenation of its parts' in RENDER_PARTS order.
RENDER_PARTS = ("models", "models-rest", "client")
FILE_ORDER = ("__init__.py", "models.py", "client.py", "errors.py", "_runtime.py", "py.typed",
              "README.md")


def render_part(api: ir.Api, part: str, views: ViewBuilder | None = None) -> dict[str, str]:
    """The files of one of `RENDER_PARTS`, from `views` when given (with an earlier run's
    views, see `ViewBuilder`)."""
    views = views or ViewBuilder(api)
    title_doc = docstring(api.title)
    model_names = [d.name for d in api.declarations]
    if part in ("models", "models-rest"):
        in_file_order = _declarations_in_file_order(api)
        cut = models_cut(api)
        chosen = in_file_order[:cut] if part == "models" else in_file_order[cut:]
        if part == "models-rest" and not chosen:
            return {"models.py": ""}
        enums, models, aliases = views.declarations(chosen)
        # the header is the whole file's: it must not depend on which declarations this part has
        has_models = any(isinstance(d, ir.Model) for d in in_file_order)
        text = _render("models.py.j2", title_doc=title_doc, enums=enums, models=models,
                       aliases=aliases, exports=model_names, has_models=has_models)
        return {"models.py": text if part == "models" else text[text.index(UNIT_BREAK):]}
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


def _declarations_in_file_order(api: ir.Api) -> list[ir.Declaration]:
    """models.py lists enums, then models, then aliases, each in the IR's order."""
    return ([d for d in api.declarations if isinstance(d, ir.Enum)]
            + [d for d in api.declarations if isinstance(d, ir.Model)]
            + [d for d in api.declarations if isinstance(d, ir.Alias)])


# Rough lines of output, to share the work of rendering and formatting between two processes.
_LINES_PER_OPERATION = 100


def models_cut(api: ir.Api) -> int:
    """How many declarations (in file order) the "models" part renders: about half of the
    package's estimated lines, the rest of models.py going with client.py."""
    def lines(declaration: ir.Declaration) -> int:
        if isinstance(declaration, ir.Model):
            return 15 + 7 * len(declaration.fields)
        if isinstance(declaration, ir.Enum):
            return 8 + len(declaration.members)
        return 10

    in_file_order = _declarations_in_file_order(api)
    total = sum(map(lines, in_file_order)) + _LINES_PER_OPERATION * len(api.operations)
    done = 0
    for index, declaration in enumerate(in_file_order):
        if done >= total // 2:
            return index
        done += lines(declaration)
    return len(in_file_order)
