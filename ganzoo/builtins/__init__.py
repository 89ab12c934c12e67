"""The core's own plugins: plain modules, loaded by name like any entry point.

``ganzoo.plugins.DEFAULT_PLUGINS`` names them; each registers through the
same hooks as a third-party plugin and imports what it registers only when
its hook runs.
"""
