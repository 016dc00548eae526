"""Set-up holds on the Pythons our users have, not only on this machine's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_pins_install_on_every_supported_python():
    # Debian 12 ships Python 3.11.2: a pin that needs 3.11.5 must fail here, not on a user's machine
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "check_lock.py")], capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["Python 3.11", "Python 3.12",
                                                                          "Python 3.13"]


def test_build_pins_hold_no_test_tool():
    build = (REPO / "requirements.lock").read_text(encoding="utf-8").lower()
    tests = (REPO / "requirements-test.lock").read_text(encoding="utf-8").lower()
    for tool in ("pytest==", "playwright==", "axe-playwright-python=="):
        assert tool not in build
        assert tool in tests
