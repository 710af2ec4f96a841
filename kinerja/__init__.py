"""kinerja: a knowledge graph of Indonesian government performance indicators.

Data flows one way: ``data/sources`` -> :mod:`kinerja.ingest` -> :mod:`kinerja.validate`
(against ``shapes/``) -> :mod:`kinerja.store`. The web layer (``server/``) sits on top and
is never imported from here.
"""

__version__ = "0.1.0"
