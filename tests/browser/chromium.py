"""Debian's Chromium as the browser tests launch it, and the two widths pages are checked at."""

from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Chromium's own traffic (updates, sync, QUIC probes) is refused by a closed network, many
# connections at a time; none of it changes how a page renders. (Playwright adds --no-sandbox
# itself: the sandbox cannot start as root, which CI is.)
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int


PHONE = Viewport("phone", 360, 780)
DESKTOP = Viewport("desktop", 1280, 800)
both_widths = pytest.mark.parametrize(
    "viewport", [PHONE, DESKTOP], indirect=True, ids=lambda v: f"{v.width}px"
)


def require_chromium(path: Path) -> None:
    """Fail (never skip: a skipped browser test proves nothing) when Chromium is missing."""
    if not path.exists():
        pytest.fail(
            f"{path} is missing: the browser tests drive Debian's Chromium. Run "
            "`python3 dev.py test` as root (it installs the package), or "
            "`sudo apt-get install -y chromium`.",
            pytrace=False,
        )
