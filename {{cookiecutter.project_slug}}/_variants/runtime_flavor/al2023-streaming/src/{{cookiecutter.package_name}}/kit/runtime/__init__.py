"""A Lambda custom runtime in the standard library: it streams what handlers yield.

``bootstrap`` (the file Lambda starts) runs ``loop.main``: load the handler named by
``_HANDLER``, then ``next`` -> handle -> reply, forever. ``api`` speaks the Runtime API,
``context`` is the object handlers receive (its time left drives the cut-off in
``{{ cookiecutter.package_name }}.kit.deadline``), and ``http`` the Function URL prelude.
"""
