"""Prove that the pinned dependencies install on every Python we support, not only on this machine's.

The oldest supported Python is the lower bound of requires-python in pyproject.toml (Debian 12 ships
3.11.2); the newest are Ubuntu 24.04's 3.12 and Debian 13's 3.13. For each, pip resolves every pin of
requirements.lock and requirements-test.lock as that interpreter would (its Requires-Python, its wheel
tags) without installing anything. A pin that excludes one of them fails here, not on a user's machine.

    .venv/bin/python scripts/check_lock.py          # exit 1 and the pip error when a pin does not fit
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCKS = [ROOT / "requirements.lock", ROOT / "requirements-test.lock"]
NEWER = ["3.12", "3.13"]
SOURCE_ONLY = ["jieba"]  # published as an sdist only: pip builds it on every Python


def oldest_python() -> str:
    spec = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    match = re.fullmatch(r">=\s*(\d+\.\d+(?:\.\d+)?)", spec.strip())
    if not match:
        sys.exit(f"pyproject.toml: requires-python must read '>=X.Y[.Z]', not {spec!r}")
    return match.group(1)


def pins() -> list[str]:
    found = []
    for lock in LOCKS:
        for number, line in enumerate(lock.read_text(encoding="utf-8").splitlines(), 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            if not re.fullmatch(r"[A-Za-z0-9_.\-]+==[A-Za-z0-9_.+\-]+", line):
                sys.exit(f"{lock.name}:{number}: error: not an exact pin: {line!r} [lock.pin]")
            found.append(line)
    return found


def resolves(python: str, requirements: list[str]) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as target:
        command = [sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps", "--ignore-installed",
                   "--disable-pip-version-check", "--quiet", "--target", target, "--python-version", python,
                   "--only-binary=:all:", *[f"--no-binary={name}" for name in SOURCE_ONLY], *requirements]
        return subprocess.run(command, capture_output=True, text=True)


def main() -> int:
    requirements = pins()
    failed = False
    for python in [oldest_python(), *NEWER]:
        result = resolves(python, requirements)
        errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
        if result.returncode == 0:
            print(f"Python {python}: all {len(requirements)} pins install")
        else:
            failed = True
            print(f"Python {python}: the pins do not install", file=sys.stderr)
            for line in errors or result.stderr.splitlines()[-5:]:
                print(f"  {line}", file=sys.stderr)
    if failed:
        print("help: pin a release whose Requires-Python admits every supported Python, or raise "
              "requires-python in pyproject.toml and say so in the README", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
