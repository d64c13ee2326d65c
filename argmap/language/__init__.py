"""The language front end: text → checked model.

``source`` (files and positions) → ``grammar`` / ``parse`` (Lark, per statement) → ``build``
(the immutable ``model``) → ``validate`` (names, cycles), with ``diagnostics`` for every problem and
``loader`` running the whole stage (``read_map``, ``load``). Nothing here knows Z3.
"""
