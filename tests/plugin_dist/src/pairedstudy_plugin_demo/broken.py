"""A plugin module that fails on import, to prove a broken plugin is only a warning."""

raise ImportError("this plugin is broken on purpose")
