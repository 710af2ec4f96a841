"""The web layer: FastAPI app, SPARQL endpoint, catalogue pages. Imports kinerja, never the
reverse."""
