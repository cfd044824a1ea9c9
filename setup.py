"""Package discovery that pyproject.toml cannot express: folders that install under names of ours.

- `api/` installs as `rota_api` (the HTTP face), so the wheel puts no generic `api` into
  site-packages;
- `data/example/` installs as `rota.example` (package data only: the bundled scenario and the
  hand-drawn rota), read at run time through `importlib.resources` (`rota.examples`), so
  `rota demo` works from a wheel in any folder. Its `__init__.py` only makes it importable (also
  in an editable install); its one script (`draw_handdrawn.py`, which redraws the rota) stays out
  of the wheel.

Everything else about the project (package data included) is in pyproject.toml.
"""

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

api_packages = ["rota_api", *(f"rota_api.{name}" for name in find_packages("api"))]
EXAMPLE_PACKAGE = "rota.example"


class BuildPy(build_py):  # type: ignore[misc]
    """The example folder ships its data files and `__init__.py`, never its script."""

    def find_package_modules(self, package: str, package_dir: str) -> list[tuple[str, str, str]]:
        modules: list[tuple[str, str, str]] = super().find_package_modules(package, package_dir)
        if package == EXAMPLE_PACKAGE:
            return [m for m in modules if m[1] == "__init__"]
        return modules


setup(
    packages=[*find_packages(include=["rota", "rota.*"]), *api_packages, EXAMPLE_PACKAGE],
    package_dir={"rota_api": "api", EXAMPLE_PACKAGE: "data/example"},
    cmdclass={"build_py": BuildPy},
)
