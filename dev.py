#!/usr/bin/env python3
"""The front door: `python3 dev.py run` and `python3 dev.py test` (see README.md).

Needs only Python 3.11. Creates `.venv`, installs the pinned dependencies when pyproject.toml
changes, then runs the service (migrate, sample catalogue, serve) or the whole test suite.
Extra arguments after `test` go to pytest.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
STAMP = VENV / ".installed"


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def ensure_venv() -> None:
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"Python 3.11 is required; this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        say("creating .venv")
        try:
            venv.create(VENV, with_pip=True)
        except (subprocess.CalledProcessError, OSError):
            shutil.rmtree(VENV, ignore_errors=True)
            install_system_venv()
            venv.create(VENV, with_pip=True)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    say("installing dependencies into .venv")
    run([str(BIN / "python"), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([str(BIN / "python"), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[dev]"])
    STAMP.write_text(wanted)


def install_system_venv() -> None:
    """Debian and Ubuntu ship `venv` without ensurepip; the system package adds it."""
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        sys.exit(
            "Python's venv module cannot create environments here. On Debian/Ubuntu run:\n"
            "  sudo apt-get install -y python3.11-venv\nthen run this command again."
        )
    say("installing python3.11-venv with apt-get")
    run([apt, "update", "-qq"])
    run([apt, "install", "-y", "-qq", "python3.11-venv"])


def run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    completed = subprocess.run(cmd, cwd=ROOT, env=env, check=False)  # noqa: S603
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def cmd_run(args: list[str]) -> None:
    ensure_venv()
    cli = str(BIN / "dvc-gateway")
    run([cli, "seed"])
    say("serving on http://127.0.0.1:8000 (API docs at /docs); Ctrl+C stops")
    os.execv(cli, [cli, "serve", "--host", "127.0.0.1", "--port", "8000", *args])  # noqa: S606


def cmd_test(args: list[str]) -> None:
    ensure_venv()
    say("ruff and mypy")
    run([str(BIN / "ruff"), "format", "--check", "--quiet", "."])
    run([str(BIN / "ruff"), "check", "--quiet", "."])
    run([str(BIN / "mypy"), "app"])
    say(
        "pytest"
        + (
            f" against {os.environ['TEST_DATABASE_URL']}"
            if os.environ.get("TEST_DATABASE_URL")
            else " (SQLite)"
        )
    )
    # pytest exits 5 when it collected nothing: that is a failure here, never a pass.
    run([str(BIN / "pytest"), *args])


def main() -> None:
    commands = {"run": cmd_run, "test": cmd_test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit("usage: python3 dev.py run|test [extra arguments]")
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
