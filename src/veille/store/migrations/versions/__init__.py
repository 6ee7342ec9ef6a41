"""Named revisions: ``NNNN_what.py``, each with ``upgrade`` and a working ``downgrade``."""
