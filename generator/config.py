"""The project's provider list: `[tool.clientgen]` in pyproject.toml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, GenerationFailed, Severity


@dataclass(frozen=True)
class Provider:
    name: str
    specs: tuple[Path, ...]  # one spec, or the documentation pages of one spec
    package: str
    overlays: tuple[Path, ...] = ()

    @property
    def spec(self) -> Path:
        return self.specs[0]


@dataclass(frozen=True)
class ProjectConfig:
    root: Path
    output: Path
    providers: tuple[Provider, ...]


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(pyproject: Path) -> ProjectConfig:
    import tomllib  # here: a run given a spec's path reads no configuration (5 ms to import)

    name = str(pyproject)

    def fail(pointer: str, message: str) -> GenerationFailed:
        return GenerationFailed([Diagnostic(Severity.ERROR, name, pointer, message)])

    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise fail("", f"cannot read the project config: {exc}") from None
    section = data.get("tool", {}).get("clientgen")
    if not isinstance(section, dict):
        raise fail("/tool/clientgen", "no [tool.clientgen] section: list the providers there")
    root = pyproject.parent
    providers = []
    for key, entry in (section.get("providers") or {}).items():
        pointer = f"/tool/clientgen/providers/{key}"
        if not isinstance(entry, dict):
            raise fail(pointer, "each provider is a table with `spec` and `package`")
        specs = _paths(entry.get("spec"))
        if not specs:
            raise fail(pointer + "/spec", "`spec` is a path, or a list of documentation pages")
        package = entry.get("package", key)
        if not isinstance(package, str) or not package.isidentifier():
            raise fail(pointer + "/package", f"package {package!r} is not a Python identifier")
        overlays = _paths(entry.get("overlays", []))
        if overlays is None:
            raise fail(pointer + "/overlays", "`overlays` is a list of overlay files")
        providers.append(Provider(key, tuple(root / p for p in specs), package,
                                  tuple(root / p for p in overlays)))
    output = root / str(section.get("output", "generated"))
    return ProjectConfig(root, output, tuple(providers))


def _paths(value: object) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None
