"""Progress bars for long work, on standard error so they never mix with data on standard output."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

T = TypeVar("T")


def track(items: Iterable[T], *, total: int | None, description: str, enabled: bool = True) -> Iterator[T]:
    """Yield ``items``, drawing a progress bar on standard error when ``enabled`` and there is more than one.

    >>> list(track([1, 2], total=2, description="x", enabled=False))
    [1, 2]
    """
    if not enabled or (total is not None and total < 2):
        yield from items
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=False) as progress:
        task = progress.add_task(description, total=total)
        for item in items:
            yield item
            progress.advance(task)
