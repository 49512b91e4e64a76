"""Serving: the FastAPI app (``app``, ``deps``, ``routes/``) and batch scoring."""
