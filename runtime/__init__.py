"""What this assistant changes in Rasa's turn, installed explicitly.

Every process that runs a Rasa model calls `install()` before it loads one:
`python -m runtime` (Rasa's own command line: the server, `rasa test`,
`rasa shell`), the in-process benchmark and the tests. Nothing here is
switched on by importing a connector, so the conversation tests run the same
runtime as production. The action server never loads this package.
"""
from __future__ import annotations

import logging
from typing import List, Text

logger = logging.getLogger(__name__)

# The Rasa release these changes were written and tested against: some wrap
# Rasa's internals, which another release may have changed.
RASA_VERSION = "3.6.21"


class UnsupportedRasaVersion(RuntimeError):
    pass


_installed: List[Text] = []


def install() -> List[Text]:
    """Applies every change once and returns their names, in order. A second
    call changes nothing: re-wrapping RemoteAction.run would make the two
    wrappers call each other."""
    import rasa

    if rasa.__version__ != RASA_VERSION:
        raise UnsupportedRasaVersion(
            f"runtime/ was written for Rasa {RASA_VERSION}, but Rasa {rasa.__version__} is installed: "
            "check each change in runtime/ against the new release before updating RASA_VERSION"
        )
    if _installed:
        return list(_installed)
    from runtime import rasa_speedups, safety_net, session_notice, turn_gate

    # Order matters where two changes wrap the same method (RemoteAction.run):
    # the safety net records failures around the turn gate's step-aside.
    changes = [rasa_speedups, turn_gate, safety_net, session_notice]
    for change in changes:
        change.install()
    names = [change.__name__.rsplit(".", 1)[-1] for change in changes]
    _installed.extend(names)
    logger.info("runtime changes active: %s", ", ".join(names))
    return names
