"""Models: data in, results out; never a connection (graph/store/ runs every domain statement).

- ``models/risk/``: the risk engine (features, training, scoring, explanations, evaluation, tiers).
- ``models/accountability/``: ranking runs, inspection plans, objections, credit repair,
  conflicts, the fairness audit (built on ``risk``).
- ``models/screens/``: red flags and cartel screens over procurement.
- ``models/exposure/``: supply-chain exposure reports and the bid screen.
- ``models/resolution/``: entity resolution of persons; its own domain (it reads world tables, not
  the risk engine, and the loader uses its decisions).
- ``models/spark/``: the same features and ranking run on Apache Spark; apart because PySpark is
  an optional dependency and it is an engine for both ``risk`` and ``accountability``.

Three modules stay here because several domains share them: ``disclosure`` (who a text is for:
exposure, screens and the API), ``report_templates`` (+ ``templates/``: the Jinja2 pages of every
HTML report) and ``name_values`` (``name=number`` lists of the command line: tiers, credit repair,
plans).
"""
