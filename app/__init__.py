"""The application factory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from config import BaseConfig, config_from_environment

if TYPE_CHECKING:
    from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_class: type[BaseConfig] | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, error handlers and CLI commands."""
    # Imported here so that the domain core, PDFs and charts (subpackages of app) load without Flask.
    from flask import Flask

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object((config_class or config_from_environment())())

    from app import setup

    setup.init_extensions(app)
    setup.register_blueprints(app)
    setup.register_hooks(app)
    setup.register_error_handlers(app)
    setup.register_cli(app)
    return app
