"""FastAPI routers of the API, one module per resource, mounted under ``/api``."""
