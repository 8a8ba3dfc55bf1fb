"""Stop asking Crossref once it is plainly out of reach, so that a run without network goes on.

Before any answer has come, one failure to connect (no DNS, connection refused, connect timeout)
means the network is down: the breaker opens at once. Once answers have come, it takes
``THRESHOLD`` failures in a row (timeouts, resets, server errors) to open it. An open breaker
stays open for the rest of the run; its reason is reported once.
"""

from __future__ import annotations

import threading

THRESHOLD = 5


class Breaker:
    def __init__(self, threshold: int = THRESHOLD) -> None:
        self._threshold = threshold
        self._lock = threading.Lock()
        self._answered = False
        self._failures = 0
        self.reason = ""  # why it opened; "" while closed

    @property
    def open(self) -> bool:
        return bool(self.reason)

    def success(self) -> None:
        with self._lock:
            self._answered = True
            self._failures = 0

    def failure(self, what: str, *, connecting: bool = False) -> None:
        """Count one failed attempt; ``connecting`` when no connection could be made at all."""
        with self._lock:
            self._failures += 1
            if self.reason:
                return
            if connecting and not self._answered:
                self.reason = what
            elif self._failures >= self._threshold:
                self.reason = f"{what} ({self._failures} failures in a row)"
