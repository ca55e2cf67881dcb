"""The whole stack assembled: the five apps started together (`make run`, `python -m stack.serve`),
the demo data, and the test harness that wires every app in-process.

The one package allowed to import `gateway`, `services` and `web` all at once; nothing imports it
but tests and the command line.
"""
