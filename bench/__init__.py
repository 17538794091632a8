"""The load benchmark (``make bench``): run with ``python -m bench.run``."""
