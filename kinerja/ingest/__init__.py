"""Source file -> records -> graph.

``sources`` reads and checks files, ``extractors`` turn one document layout each into
records (:mod:`kinerja.ingest.records`), ``mapping`` turns records into triples.
"""
