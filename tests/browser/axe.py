"""Accessibility checks with axe-core, served from this folder (no CDN).

axe-core is pinned by tests/browser/package-lock.json and installed on first use with `npm ci`,
under a file lock so parallel test processes install once (as tests/oidc_provider.py does for
the OpenID provider). A missing Node.js or npm is an error, never a skip.
"""

import fcntl
import hashlib
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_DIR = Path(__file__).resolve().parent
NODE_MODULES = AXE_DIR / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
INSTALL_STAMP = NODE_MODULES / ".dvc-gateway-install-stamp"
INSTALL_LOCK = AXE_DIR / ".npm-install.lock"
NPM_TIMEOUT = 600.0
# The impacts that fail a page: axe's "serious" and "critical" are the WCAG failures that block
# a citizen (no label, unreadable contrast); "minor" and "moderate" are reported, not fatal.
FAILING_IMPACTS = frozenset({"serious", "critical"})


class AxeUnavailable(RuntimeError):
    """axe-core could not be installed or loaded into the page."""


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    help_url: str
    nodes: list[tuple[str, str]]  # (CSS target, axe's failure summary)

    def describe(self) -> str:
        lines = [f"- [{self.impact}] {self.rule}: {self.help} ({self.help_url})"]
        for target, summary in self.nodes:
            lines.append(f"    at {target}")
            lines.extend(f"      {line}" for line in summary.splitlines() if line.strip())
        return "\n".join(lines)


def _lock_digest() -> str:
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        digest.update((AXE_DIR / name).read_bytes())
    return digest.hexdigest()


def _installed_digest() -> str | None:
    try:
        return INSTALL_STAMP.read_text().strip()
    except FileNotFoundError:
        return None


def ensure_axe() -> Path:
    """The path of axe.min.js, after `npm ci` when node_modules does not match the lock."""
    wanted = _lock_digest()
    with INSTALL_LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if _installed_digest() == wanted and AXE_SCRIPT.is_file():
                return AXE_SCRIPT
            _npm_ci()
            INSTALL_STAMP.write_text(wanted + "\n")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    if not AXE_SCRIPT.is_file():
        raise AxeUnavailable(f"`npm ci` in {AXE_DIR} did not install {AXE_SCRIPT}")
    return AXE_SCRIPT


def _npm_ci() -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise AxeUnavailable(
            "`npm` is not on PATH: the browser tests check pages with axe-core from the npm "
            "registry. Install Node.js 20+ and npm (e.g. `apt-get install nodejs npm`)."
        )
    try:
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=AXE_DIR,
            capture_output=True,
            text=True,
            timeout=NPM_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise AxeUnavailable(f"`npm ci` in {AXE_DIR} took over {NPM_TIMEOUT:.0f} s") from exc
    if result.returncode != 0:
        raise AxeUnavailable(
            f"`npm ci` in {AXE_DIR} failed (exit {result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )


def axe_results(page: Page) -> dict[str, Any]:
    """axe-core's full result for the page as it is now (violations, passes, incomplete...)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy
        # does not govern: a <script> tag added to the page would be inline script, which the
        # pages' policy blocks, and the pages are checked with their own policy on.
        page.evaluate(ensure_axe().read_text(encoding="utf-8"))
    if not page.evaluate("() => typeof window.axe === 'object'"):
        raise AxeUnavailable(f"axe-core did not load into {page.url}")
    result: dict[str, Any] = page.evaluate("() => axe.run(document)")
    return result


def axe_violations(page: Page) -> list[Violation]:
    """Every violation axe finds on the page, whatever its impact, most severe first."""
    order = ["critical", "serious", "moderate", "minor"]
    found = [
        Violation(
            rule=item["id"],
            impact=item.get("impact") or "minor",
            help=item["help"],
            help_url=item["helpUrl"],
            nodes=[
                (" ".join(map(str, node["target"])), node.get("failureSummary") or "")
                for node in item["nodes"]
            ],
        )
        for item in axe_results(page)["violations"]
    ]
    return sorted(found, key=lambda v: (order.index(v.impact) if v.impact in order else 9, v.rule))


def assert_accessible(page: Page) -> None:
    """Fail, listing them, when axe finds a serious or critical violation on the page."""
    failing = [v for v in axe_violations(page) if v.impact in FAILING_IMPACTS]
    if failing:
        listed = "\n".join(v.describe() for v in failing)
        raise AssertionError(
            f"axe-core found {len(failing)} serious or critical accessibility violation(s) "
            f"on {page.url}:\n{listed}"
        )
