"""Stage 7: write a generated package to disk, all or nothing.

The new package is assembled in a temporary folder beside the target and swapped in with
renames, so an interrupted or failed run leaves the previous output as it was. Files in the
package folder that the generator did not write (listed in no manifest) are carried over:
a user's own file next to generated ones survives regeneration.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

MANIFEST = ".clientgen-manifest.json"


def manifest_text(files: dict[str, str], generator_version: str, spec_sha256: str,
                  fingerprint: dict[str, Any]) -> str:
    """The manifest: the sha256 of every generated file and what produced them
    (`generator.freshness`)."""
    entries = {path: hashlib.sha256(text.encode()).hexdigest() for path, text in sorted(files.items())}
    document = {"generator": f"clientgen {generator_version}", "spec_sha256": spec_sha256,
                "fingerprint": fingerprint, "files": entries}
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def generated_files_of(package_dir: Path) -> set[str]:
    """Relative paths the generator wrote last time (per the package's manifest)."""
    try:
        document = json.loads((package_dir / MANIFEST).read_text(encoding="utf-8"))
        return set(document.get("files", {})) | {MANIFEST}
    except (OSError, ValueError, AttributeError):
        return {MANIFEST}


def read_tree(package_dir: Path) -> dict[str, str]:
    """The generated files currently on disk (per the manifest), as text."""
    found = {}
    for relative in generated_files_of(package_dir):
        path = package_dir / relative
        if path.is_file():
            found[relative] = path.read_text(encoding="utf-8")
    return found


STAGING = ".clientgen-staging"


def staging_root(output_root: Path) -> Path:
    """Where packages are assembled: beside the output folder (same filesystem, so the final
    rename is atomic) and outside it, so a killed run leaves nothing inside the output."""
    output_root = output_root.absolute()
    return output_root.parent / STAGING


def write_package(files: dict[str, str], package_dir: Path) -> None:
    write_packages([(package_dir, files)])


def write_packages(packages: list[tuple[Path, dict[str, str]]]) -> None:
    """Write every package of a run: all are assembled first, then all are swapped in, so a
    run stopped at any point before the swaps leaves every package as it was."""
    staged: list[tuple[Path, Path]] = []
    roots: set[Path] = set()
    try:
        for package_dir, files in packages:
            package_dir = package_dir.absolute()
            package_dir.parent.mkdir(parents=True, exist_ok=True)
            root = staging_root(package_dir.parent)
            root.mkdir(exist_ok=True)
            if root not in roots:
                _remove_abandoned_staging(root)
                roots.add(root)
            staging = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-{package_dir.name}-",
                                            dir=root))
            staged.append((staging, package_dir))
            if package_dir.is_dir():
                _carry_over_user_files(package_dir, staging, set(files))
            for relative, text in files.items():
                _write_file(staging / relative, text)
        for staging, package_dir in staged:
            _swap_in(staging, package_dir)
    finally:
        for staging, _ in staged:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        for root in roots:
            try:
                root.rmdir()  # only when no other run is using it
            except OSError:
                pass


def _write_file(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _remove_abandoned_staging(root: Path) -> None:
    """Folders left by runs that were killed (their process is gone)."""
    for entry in root.iterdir():
        pid = entry.name.split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _carry_over_user_files(package_dir: Path, staging: Path, new_files: set[str]) -> None:
    previously_generated = generated_files_of(package_dir)
    for path in sorted(package_dir.rglob("*")):
        relative = path.relative_to(package_dir).as_posix()
        if path.is_dir() or relative in previously_generated or relative in new_files:
            continue
        if "__pycache__" in path.parts:
            continue
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target, follow_symlinks=False)


_RENAME_EXCHANGE = 2


def _swap_in(staging: Path, package_dir: Path) -> None:
    if not package_dir.exists():
        os.rename(staging, package_dir)
        return
    if _exchange(staging, package_dir):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the old package
        return
    retired = staging.with_name(staging.name + "-old")
    os.rename(package_dir, retired)
    os.rename(staging, package_dir)
    shutil.rmtree(retired, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    import ctypes  # here, not at the top: only a package already on disk is swapped (6 ms)

    try:
        # the process's own symbols, libc's among them (`ctypes.util.find_library` would run
        # ldconfig in a subprocess)
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError, TypeError):
        return False
    at_fdcwd = -100
    result: int = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b),
                            _RENAME_EXCHANGE)
    return result == 0
