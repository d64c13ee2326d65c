"""Diagrams of a map: selection and styling (view) → DOT text (dot) → a Graphviz subprocess
(graphviz_run) → a checked SVG (svgcheck).

Each stage has one job, and only ``dot.py`` turns user text into DOT, through one escape function.
"""
