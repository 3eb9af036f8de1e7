#!/usr/bin/env python3
"""The front door: `python3 dev.py run`, `python3 dev.py test` and `python3 dev.py lock`.

Needs only Python 3.11. Creates `.venv`, installs the locked dependencies (requirements/dev.txt,
every package pinned with its hashes) when the lock or pyproject.toml changes, then runs the
service (migrate, sample catalogue, serve) or the whole test suite. Extra arguments after `test`
go to pytest. The browser tests (tests/browser) drive Debian's Chromium at /usr/bin/chromium:
`test` installs the `chromium` package with apt-get when it is missing and this runs as root;
elsewhere it says how, and those tests fail (never skip) until Chromium is there.
`setup` only prepares .venv and Chromium, as `test` does first (CI uses it).
`lock` regenerates requirements/runtime.txt (the service, the Docker image) and
requirements/dev.txt (runtime + the dev extra, the same runtime pins) from pyproject.toml with uv,
for Python 3.11 on every platform; extra arguments (`--upgrade`, `--upgrade-package NAME`) go to uv.
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
# Each lock and the arguments that make it from pyproject.toml; dev follows runtime's pins.
LOCKS = {
    "requirements/runtime.txt": [],
    "requirements/dev.txt": ["--extra", "dev", "--constraint", "requirements/runtime.txt"],
}
DEV_LOCK = ROOT / "requirements/dev.txt"
UV = "uv==0.13.9"  # the lock generator: only `dev.py lock` installs it
# The browser tests launch this binary (tests/browser/conftest.py); Playwright never downloads one.
CHROMIUM = Path("/usr/bin/chromium")


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def ensure_venv() -> None:
    make_venv()
    wanted = install_stamp()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    say("installing the locked dependencies into .venv")
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet"]
    run([*pip, "--upgrade", "pip"])
    run([*pip, "--require-hashes", "-r", str(DEV_LOCK)])
    # The project itself has no hash to check; its dependencies all came from the lock.
    run([*pip, "--no-deps", "-e", str(ROOT)])
    check_lock()
    STAMP.write_text(wanted)


def check_lock() -> None:
    """`pip check` finds what pyproject.toml asks for and the lock does not give."""
    cmd = [str(BIN / "python"), "-m", "pip", "check"]
    checked = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603
    if checked.returncode != 0:
        sys.exit(f"{checked.stdout}The lock is stale: run `python3 dev.py lock`.")


def make_venv() -> None:
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


def install_stamp() -> str:
    """What .venv was installed from: a change to any of these files reinstalls it."""
    digest = hashlib.sha256()
    for path in ["pyproject.toml", *LOCKS]:
        digest.update((ROOT / path).read_bytes())
    return digest.hexdigest()


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


def ensure_chromium() -> None:
    """Debian's Chromium for the browser tests: installed here, in one place, so a fresh machine
    with only Python and apt can run the whole suite; a test fixture never installs packages."""
    if CHROMIUM.exists():
        return
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        say(
            f"{CHROMIUM} is missing and cannot be installed here (needs root and apt-get): "
            "the browser tests will fail. Install it with `sudo apt-get install -y chromium`."
        )
        return
    say("installing chromium with apt-get (for the browser tests)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run([apt, "update", "-qq"], env=env)
    run([apt, "install", "-y", "-qq", "chromium"], env=env)


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


def cmd_setup(args: list[str]) -> None:
    """What `test` prepares before it runs anything: .venv and Chromium (for CI, which starts
    the PostgreSQL pass beside the README's test command once both are there)."""
    ensure_venv()
    ensure_chromium()


def cmd_test(args: list[str]) -> None:
    cmd_setup([])
    say("ruff and mypy")
    run([str(BIN / "ruff"), "format", "--check", "--quiet", "."])
    run([str(BIN / "ruff"), "check", "--quiet", "."])
    run([str(BIN / "mypy"), "app", "tests", "bench"])
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


def cmd_lock(args: list[str]) -> None:
    make_venv()
    say(f"installing {UV} into .venv")
    run([str(BIN / "python"), "-m", "pip", "install", "--quiet", UV])
    # --universal: one lock for Linux x86_64 and aarch64 alike (markers, every wheel's hash).
    compile_lock = [str(BIN / "uv"), "pip", "compile", "pyproject.toml", "--universal"]
    compile_lock += ["--python-version", "3.11", "--generate-hashes", "--quiet"]
    compile_lock += ["--custom-compile-command", "python3 dev.py lock"]
    for lock, extra in LOCKS.items():
        say(f"locking {lock}")
        run([*compile_lock, *extra, "--output-file", lock, *args])


def main() -> None:
    commands = {"run": cmd_run, "test": cmd_test, "setup": cmd_setup, "lock": cmd_lock}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit("usage: python3 dev.py run|test|setup|lock [extra arguments]")
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
