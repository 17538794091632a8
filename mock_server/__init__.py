"""A stateful mock of the vendor APIs described in ``openapi/``, served in one process."""

__version__ = "0.1.0"
