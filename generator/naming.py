"""Python identifiers from spec names: valid, non-keyword, deterministic and collision-free.

Every name that reaches the output is made here; the wire name is kept beside it in the IR.
"""

from __future__ import annotations

import functools
import keyword
import re
import unicodedata

_WORD_BOUNDARY = re.compile(
    r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+[a-z]*"
)

# Names that generated code uses in annotations, decorators or bodies of the same scope; a field,
# parameter or method with one of these names would shadow what the code refers to.
_SHADOWING_BUILTINS = frozenset(
    {"str", "int", "float", "bool", "bytes", "list", "dict", "None", "frozenset", "classmethod",
     "property"}
)

# Capitalised builtins of Python 3.11 to 3.14. A declaration named like one shadows it, and mypy
# resolves a forward reference to such a name to the builtin (`list[Warning]` before
# `class Warning`), so declarations never take these names. A fixed list, not `dir(builtins)`:
# the output must not depend on the Python that generated it.
BUILTIN_CLASS_NAMES = frozenset(
    {
        "ArithmeticError", "AssertionError", "AttributeError", "BaseException",
        "BaseExceptionGroup", "BlockingIOError", "BrokenPipeError", "BufferError",
        "BytesWarning", "ChildProcessError", "ConnectionAbortedError", "ConnectionError",
        "ConnectionRefusedError", "ConnectionResetError", "DeprecationWarning", "EOFError",
        "Ellipsis", "EncodingWarning", "EnvironmentError", "Exception", "ExceptionGroup",
        "False", "FileExistsError", "FileNotFoundError", "FloatingPointError", "FutureWarning",
        "GeneratorExit", "IOError", "ImportError", "ImportWarning", "IndentationError",
        "IndexError", "InterruptedError", "IsADirectoryError", "KeyError", "KeyboardInterrupt",
        "LookupError", "MemoryError", "ModuleNotFoundError", "NameError", "None",
        "NotADirectoryError", "NotImplemented", "NotImplementedError", "OSError",
        "OverflowError", "PendingDeprecationWarning", "PermissionError", "ProcessLookupError",
        "PythonFinalizationError", "RecursionError", "ReferenceError", "ResourceWarning",
        "RuntimeError", "RuntimeWarning", "StopAsyncIteration", "StopIteration", "SyntaxError",
        "SyntaxWarning", "SystemError", "SystemExit", "TabError", "TimeoutError", "True",
        "TypeError", "UnboundLocalError", "UnicodeDecodeError", "UnicodeEncodeError",
        "UnicodeError", "UnicodeTranslateError", "UnicodeWarning", "UserWarning", "ValueError",
        "Warning", "ZeroDivisionError",
    }
)


def words(text: str) -> list[str]:
    """Split a spec name into words: camelCase, snake_case, kebab-case, spaces, digits."""
    return list(_words(text))


@functools.lru_cache(maxsize=65536)  # a large spec names the same properties thousands of times
def _words(text: str) -> tuple[str, ...]:
    ascii_text = text if text.isascii() else (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    )
    found: list[str] = []
    for chunk in _NON_ALPHANUMERIC.split(ascii_text):
        found.extend(_WORD_BOUNDARY.findall(chunk))
    return tuple(found)


_NON_ALPHANUMERIC = re.compile(r"[^A-Za-z0-9]+")


def snake_case(text: str) -> str:
    return "_".join(w.lower() for w in words(text))


def pascal_case(text: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in words(text))


def constant_case(text: str) -> str:
    return snake_case(text).upper()


def _finish(name: str, fallback: str, prefix: str) -> str:
    if not name:
        name = fallback or "x"
    if name[0].isdigit():
        name = (prefix or "x") + name
    # Soft keywords (`match`, `type`, ...) are valid names, and their list grows with Python
    # versions: renaming them would make the output depend on the Python that generated it.
    if keyword.iskeyword(name) or name in _SHADOWING_BUILTINS:
        name += "_"
    assert name.isidentifier(), name
    return name


# Cached, as `_words`: the same property names recur thousands of times in a large spec.
@functools.lru_cache(maxsize=65536)
def class_name(text: str, fallback: str = "Model") -> str:
    return _finish(pascal_case(text), fallback, fallback)


@functools.lru_cache(maxsize=65536)
def attribute_name(text: str, fallback: str = "field") -> str:
    return _finish(snake_case(text), fallback, fallback + "_")


def member_name(value: object) -> str:
    """An enum member name for a value: UPPER_SNAKE, `VALUE_` before digits, `EMPTY` for ''."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return ("VALUE_MINUS_" if value < 0 else "VALUE_") + str(abs(value))
    text = str(value)
    name = constant_case(text)
    if not name:
        name = "EMPTY" if text == "" else "VALUE"
    return _finish(name, "VALUE", "VALUE_")


def strip_fastapi_suffix(operation_id: str, method: str, path: str) -> str:
    """`list_jobs_v1_jobs_get` -> `list_jobs`: FastAPI appends the path and method to ids."""
    suffix = "_" + "_".join(filter(None, [snake_case(path), method.lower()]))
    snake = snake_case(operation_id)
    if snake.endswith(suffix) and len(snake) > len(suffix):
        return snake[: -len(suffix)]
    return snake


_VERBS = {"get": "list", "post": "create", "put": "update", "patch": "update", "delete": "delete"}
_ITEM_VERBS = {"get": "get", "post": "create", "put": "update", "patch": "update",
               "delete": "delete"}
_VERSION_SEGMENT = re.compile(r"v\d+(\.\d+)*|api", re.IGNORECASE)


def operation_name_from_path(method: str, path: str) -> str:
    """A method name for an operation without `operationId`: `GET /v1/jobs` -> `list_jobs`,
    `GET /jobs/{id}` -> `get_job`, `POST /jobs` -> `create_job`, `DELETE /jobs/{id}` ->
    `delete_job`."""
    segments = [s for s in path.strip("/").split("/") if s]
    ends_with_parameter = bool(segments) and segments[-1].startswith("{")
    words_ = [snake_case(s) for s in segments
              if not s.startswith("{") and not _VERSION_SEGMENT.fullmatch(s)]
    words_ = [w for w in words_ if w]
    method = method.lower()
    if not words_:
        return snake_case(f"{method} root")
    if method == "get" and not ends_with_parameter:
        verb = "list"
    elif ends_with_parameter or method == "post":
        verb = _ITEM_VERBS.get(method, method)
        words_[-1] = _singular(words_[-1])
    else:
        verb = _VERBS.get(method, method)
    return "_".join([verb, *words_])


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


class Namespace:
    """A scope in which every name handed out is distinct, in the order names were asked for.

    A clash gets a numeric suffix (`Name2`, `name_2`); reserved names are never handed out.
    """

    def __init__(self, reserved: frozenset[str] | set[str] = frozenset()) -> None:
        self._taken: set[str] = set(reserved)

    def claim(self, name: str) -> str:
        if name not in self._taken:
            self._taken.add(name)
            return name
        separator = "_" if name.islower() or name.endswith("_") else ""
        base = name.rstrip("_") if separator else name
        number = 2
        while f"{base}{separator}{number}" in self._taken:
            number += 1
        unique = f"{base}{separator}{number}"
        self._taken.add(unique)
        return unique

    def __contains__(self, name: str) -> bool:
        return name in self._taken
