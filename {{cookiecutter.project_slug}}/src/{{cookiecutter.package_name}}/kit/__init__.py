"""The kit's machinery: entry points, the HTTP app, protocols, access control, AWS clients,
settings and the agent loop. Your code lives beside this package (``agent.py``, ``tools.py``,
``jobs.py``) and reaches the kit through the names it imports; ``make update`` brings new
versions of this package.
"""
