"""The build's progress bar on the terminal: a tqdm bar driven by the build's ``on_progress`` callback.

The build itself knows nothing of terminals (the core imports no progress-bar framework); it reports
``(stage, done, total)`` and this adapter draws the "documents" stage. The embedding stage has its
own bar, drawn by the embedder when the CLI asks for one.
"""

from __future__ import annotations

from tqdm import tqdm


class DocumentsProgressBar:
    """Callable as a build's ``on_progress``: one bar for the files read, closed when they all are."""

    def __init__(self) -> None:
        self._bar: tqdm[None] | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != "documents":
            return
        if self._bar is None:
            self._bar = tqdm(total=total, desc="Đọc kế hoạch", unit="tệp")
        self._bar.n = done
        self._bar.refresh()
        if done >= total:
            self._bar.close()
