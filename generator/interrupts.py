"""Ctrl+C during the few steps that must not be cut short: forking PDF workers and switching published trees.

SIGINT is ignored inside `interrupts_ignored()`; outside the main thread (where
signal handlers cannot be set) it does nothing.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def interrupts_ignored() -> Iterator[None]:
    """Ignore Ctrl+C until the block ends; the previous handler comes back afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
