"""Progress of long work (collectors, probes) on stderr: a bar per stage, silent when stderr is not
a terminal or when asked to be quiet, so pipelines and redirected output stay clean."""

from __future__ import annotations

import sys
import threading
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress


class Progress:
    """Usable as CollectContext.progress: `progress.update(stage, done, total)` or `progress(stage, done, total)`."""

    def __init__(self, *, quiet: bool = False, stream: TextIO | None = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self.enabled = not quiet and _is_terminal(self._stream)
        self._lock = threading.Lock()
        self._tasks: dict[str, TaskID] = {}
        self._bars: RichProgress | None = None
        if self.enabled:
            self._bars = RichProgress(
                TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=Console(file=self._stream), transient=True)

    def __enter__(self) -> Progress:
        if self._bars is not None:
            self._bars.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._bars is not None:
            self._bars.stop()

    def update(self, stage: str, done: int, total: int) -> None:
        if self._bars is None:
            return
        with self._lock:
            task = self._tasks.get(stage)
            if task is None:
                task = self._tasks[stage] = self._bars.add_task(stage, total=max(total, 0))
            self._bars.update(task, completed=done, total=max(total, done, 0))

    __call__ = update


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
