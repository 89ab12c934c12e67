"""Importing networks from other code bases' files (see ``safe_pickle``)."""
