"""A Lambda custom runtime in the standard library: it streams what handlers yield.

``bootstrap`` (the file Lambda starts) runs ``loop.main``: load the handler named by
``_HANDLER``, then ``next`` -> handle -> reply, forever. ``api`` speaks the Runtime API,
``context`` is the object handlers receive, ``http`` the Function URL prelude, and
``deadline`` cuts a stream off before Lambda's timeout does.
"""
