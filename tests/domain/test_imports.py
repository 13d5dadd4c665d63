"""The domain core, the PDF renderers and the charts load without Flask, SQLAlchemy or the models."""

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import app.charts
import app.domain
import app.pdf

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORK = ("flask", "flask_babel", "flask_sqlalchemy", "sqlalchemy", "app.models", "app.services", "app.extensions")


def modules_of(package) -> list[str]:
    """The package and every module in it."""
    return [package.__name__, *(f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__))]


def loaded_after_importing(modules: list[str]) -> set[str]:
    """Names of the modules a fresh interpreter holds once `modules` are imported."""
    code = (f"import importlib, json, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
            "print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


def found(loaded: set[str], forbidden: tuple[str, ...] = FRAMEWORK) -> list[str]:
    """The forbidden packages (or their modules) among `loaded`."""
    return sorted(m for m in loaded if any(m == f or m.startswith(f + ".") for f in forbidden))


@pytest.mark.parametrize("package", [app.pdf, app.charts], ids=lambda p: p.__name__)
def test_pdfs_and_charts_load_without_flask_sqlalchemy_or_the_models(package):
    modules = modules_of(package)
    loaded = loaded_after_importing(modules)
    assert set(modules) <= loaded
    assert found(loaded) == []


def test_the_domain_core_loads_without_flask_sqlalchemy_or_any_other_layer():
    modules = modules_of(app.domain)
    loaded = loaded_after_importing(modules)
    assert set(modules) <= loaded
    assert found(loaded, (*FRAMEWORK, "app.pdf", "app.charts")) == []


def test_the_check_sees_a_framework_import():
    assert "sqlalchemy" in found(loaded_after_importing(["app.services.tally"]))
