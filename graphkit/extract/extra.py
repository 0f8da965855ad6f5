"""The optional ``transformer`` extra (torch and transformers): one check, one message, for every part that
needs it."""

from __future__ import annotations

from graphkit.errors import ModelError

INSTALL_HINT = "pip install 'graphkit[transformer]'"


def require_extra(part: str) -> None:
    """Raise a ModelError naming what to install when torch or transformers is missing, for ``part`` (what
    needs them, named in the message); then silence transformers' progress bars (graphkit draws its own,
    on --progress only).

    >>> require_extra("the transformer relation classifier")  # doctest: +SKIP
    """
    try:
        import torch  # noqa: F401
        import transformers
    except ImportError as error:
        raise ModelError(
            f"{part} needs torch and transformers ({error.name} is missing): {INSTALL_HINT}"
        ) from error
    transformers.utils.logging.disable_progress_bar()
