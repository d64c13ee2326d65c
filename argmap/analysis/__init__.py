"""The analyses: questions about a map answered as pydantic results.

``queries`` (verdicts, why, what-breaks, cruxes, expectations, check), ``double_crux`` (where two
worldviews part), ``probability`` (credences, importance) and the plain-text forms of their answers
(``textout``, ``probability_text``); ``provenance`` / ``quotes`` check cites against source texts.
"""
