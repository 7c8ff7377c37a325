"""One index build at a time: an ``flock`` on a file in the index folder."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.errors import BuildError

LOCK_FILE = ".build.lock"


@contextmanager
def build_lock(index_dir: Path, *, wait: bool = False, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the index folder's build lock.

    If another build holds it: raise ``BuildError`` at once, or with ``wait`` call ``on_wait`` with a
    message and block until it is free. The lock is an ``flock``: the kernel releases it when its
    holder exits, even when killed, so a lock file left behind is never "stale".
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            who = f" (process {holder})" if holder.isdigit() else ""
            if not wait:
                raise BuildError(
                    f"another index build{who} is running on {index_dir}; try again when it ends, or pass --wait"
                ) from exc
            if on_wait is not None:
                on_wait(f"another index build{who} is running on {index_dir}: waiting for it to end ...")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
