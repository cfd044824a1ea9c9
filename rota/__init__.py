"""Follow-the-sun on-call engine: the domain core.

Models (`scenario`, `rotafile`), time (`zones`, `windows`, `availability`), coverage (`demand`,
`oncall`, `team`, `coverage`, `burden`, `report`, `now`), the planner (`planner`), import/export,
the store and the command line. The pure core never reads the clock and never imports the HTTP layer.
"""

__version__ = "0.1.0"
