"""Drift: whether the mock answers as the live API does, request by request (``make drift``, ``make drift-replay``).

``session.py`` runs it (the mock, its tenant, each exchange), ``learn.py`` seeds the tenant from what live shows,
``compare.py`` says how two answers differ, ``report.py`` writes the reports and ``live_cases.py`` is the request
stream of a live run. ``python -m contract_tests.drift --help`` lists the commands.
"""
