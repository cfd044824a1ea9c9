"""The bundled example, installed as the package `rota.example` (setup.py maps this folder).

Only its data ships: `streaming-sre.yaml` and `handdrawn-weekly.json`, read through
`importlib.resources` by `rota.examples`. `draw_handdrawn.py` is a script for the repository and
stays out of the wheel.
"""
