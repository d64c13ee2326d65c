"""The engine: the only place that knows Z3 or a BDD.

``logic`` (statuses, consistency, explanations, minimal supports; large maps shard by shard, cut by
``slicing``), ``implicants`` (Blake's canonical form of the acyclic map) and ``bdd`` (the ROBDD
for exact probabilities and worldview cruxes).
"""
