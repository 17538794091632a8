"""``python -m contract_tests.drift``: see ``cli.py``."""

import sys
import warnings

# connexion imports starlette's test client, which warns about httpx on every start; not ours to fix.
warnings.filterwarnings("ignore", message=".*httpx.*")

from .cli import main  # noqa: E402  (after the filter: importing the mock imports connexion)

sys.exit(main())
