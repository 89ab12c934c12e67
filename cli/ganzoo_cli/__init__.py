"""The ``ganzoo`` command-line interface."""
