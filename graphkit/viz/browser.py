"""Headless Chromium for the explorer page: finding the browser, launching it, waiting for the drawing.

Used by the browser tests and by ``docs/screenshot.py``. Playwright is a test/docs extra, not a runtime
dependency, so it is imported only when a browser is launched.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from graphkit.errors import GraphkitError, InputError, OutputError

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

#: Where Chromium is looked for, in order: Debian's package, then the PATH.
CHROMIUM_PATHS = ("/usr/bin/chromium",)
CHROMIUM_NAMES = ("chromium", "chromium-browser")
#: Flags for a quiet headless run in a sandboxed container: no GPU, no background traffic of its own.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
#: The page sets ``window.graphkitReady`` once the layout has stabilized and physics is off.
READY_CONDITION = "() => window.graphkitReady === true"


def find_chromium() -> str | None:
    """Return the path of a Chromium executable, or None when there is none.

    >>> path = find_chromium()
    >>> path is None or os.access(path, os.X_OK)
    True
    """
    for path in CHROMIUM_PATHS:
        if os.access(path, os.X_OK):
            return path
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@contextmanager
def chromium(executable: str | None = None) -> Iterator[Browser]:
    """Launch headless Chromium with playwright and close it on exit.

    Parameters
    ----------
    executable : str, optional
        The Chromium executable; by default :func:`find_chromium`'s.

    Yields
    ------
    playwright.sync_api.Browser

    Raises
    ------
    graphkit.errors.GraphkitError
        When playwright is not installed or no Chromium executable is found.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise GraphkitError(
            "playwright is not installed; pip install 'graphkit[test]' to use a browser"
        ) from error
    executable = executable or find_chromium()
    if executable is None:
        looked = ", ".join([*CHROMIUM_PATHS, *CHROMIUM_NAMES])
        raise GraphkitError(f"no Chromium executable found (looked for {looked}); apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


def wait_until_drawn(page: Page, *, timeout: float = 15.0) -> None:
    """Wait until the explorer page has stabilized its layout and drawn it.

    Parameters
    ----------
    page : playwright.sync_api.Page
        A page showing an explorer page.
    timeout : float
        Seconds to wait before playwright raises its ``TimeoutError``.
    """
    page.wait_for_function(READY_CONDITION, timeout=timeout * 1000)
    # One more animation frame, so the canvas holds the redraw that followed switching physics off.
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def screenshot(
    page_path: str | os.PathLike[str],
    image_path: str | os.PathLike[str],
    *,
    width: int = 1280,
    height: int = 800,
    timeout: float = 30.0,
    browser: Browser | None = None,
    executable: str | None = None,
) -> Path:
    """Take a PNG of an explorer page once its network has drawn.

    Parameters
    ----------
    page_path : path-like
        The HTML page (opened from a ``file://`` URL).
    image_path : path-like
        Where to write the PNG; its directory is created when missing.
    width, height : int
        The viewport in CSS pixels.
    timeout : float
        Seconds to wait for the network to stabilize.
    browser : playwright.sync_api.Browser, optional
        A browser to reuse (see :func:`chromium`); by default one is launched and closed again.
    executable : str, optional
        The Chromium executable to launch when no ``browser`` is given; by default :func:`find_chromium`'s.

    Returns
    -------
    pathlib.Path
        The written image.

    Raises
    ------
    graphkit.errors.InputError
        When the page does not exist.
    graphkit.errors.OutputError
        When the image cannot be written.
    """
    source = Path(page_path).resolve()
    if not source.is_file():
        raise InputError(f"page {str(page_path)!r} does not exist; write one with graphkit.viz.write_html")
    target = Path(image_path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"cannot write {str(target)!r}: {error.strerror}; choose a writable location"
        ) from error
    if browser is None:
        with chromium(executable) as launched:
            return screenshot(source, target, width=width, height=height, timeout=timeout, browser=launched)
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(source.as_uri())
        wait_until_drawn(page, timeout=timeout)
        page.screenshot(path=str(target))
    finally:
        page.close()
    return target
