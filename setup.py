"""Package discovery that pyproject.toml cannot express: the `api/` folder installs as `rota_api`.

Everything else about the project is in pyproject.toml.
"""

from setuptools import find_packages, setup

api_packages = ["rota_api", *(f"rota_api.{name}" for name in find_packages("api"))]

setup(
    packages=[*find_packages(include=["rota", "rota.*"]), *api_packages],
    package_dir={"rota_api": "api"},
)
