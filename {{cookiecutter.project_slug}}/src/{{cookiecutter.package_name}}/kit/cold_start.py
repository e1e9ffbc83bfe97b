"""Init runs with the cyclic garbage collector held, and ends by freezing what it made.

Loading the web framework, the agent framework and the model SDK makes a few hundred thousand
objects that live as long as the process: classes, validators, schemas. None of them is
garbage, yet the collector walks them again and again while they load, about a tenth of a
framework's cold start. An entry point imports this module before anything else, which holds
the collector, and calls ``done()`` once init is over. ``gc.freeze()`` then moves all that init
made out of the collector's sight for good, so warm invocations do not walk it either, and the
collector runs again for what requests make. Whatever cyclic garbage init leaves stays: a
fraction of a megabyte.
"""

from __future__ import annotations

import gc

gc.disable()


def done() -> None:
    """Init is over: freeze what it made, and let the collector run again."""
    gc.freeze()
    gc.enable()
