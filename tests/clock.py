"""A clock the test moves by hand, for code that reads time through an injected callable
(`Authenticator.clock`, `OidcProvider.clock`): time passes without sleeping."""

import time
from dataclasses import dataclass, field


@dataclass
class Clock:
    """Seconds, as `time.time()` or `time.monotonic()` return them; frozen until moved."""

    now: float = field(default_factory=time.time)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
