"""Stage 6: format rendered Python with black, in process.

black is pinned in pyproject.toml: the same input must give the same bytes on every machine.
"""

from __future__ import annotations

import black

from .diagnostics import Diagnostic, GenerationFailed, Severity

LINE_LENGTH = 100
_MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=LINE_LENGTH)


def format_files(files: dict[str, str], package: str) -> dict[str, str]:
    formatted = {}
    for path, text in files.items():
        if not path.endswith(".py"):
            formatted[path] = text
            continue
        try:
            formatted[path] = black.format_str(text, mode=_MODE)
        except black.InvalidInput as exc:
            raise GenerationFailed([Diagnostic(
                Severity.ERROR, f"{package}/{path}", "",
                f"internal error: the generated code does not parse ({exc}); please report "
                "this with the spec")]) from None
    return formatted
