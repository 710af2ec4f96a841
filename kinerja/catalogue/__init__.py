"""What the catalogue shows, as plain data: resource pages, listings with facets, the trace
from an indicator to its legal bases, comparison grids. No HTTP and no HTML here; the web
layer (``server/``) renders these, and the benchmark calls them directly."""
