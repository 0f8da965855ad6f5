"""Take a PNG of a graphkit explorer page with headless Chromium, once its network has drawn.

Usage: python docs/screenshot.py PAGE.html OUT.png
"""

from __future__ import annotations

import sys

from graphkit.errors import GraphkitError
from graphkit.viz.browser import screenshot


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    try:
        image = screenshot(argv[0], argv[1])
    except GraphkitError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(image)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
