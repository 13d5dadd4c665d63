"""Command-line commands: reference data, demo data and users.

What a command prints for the person running it is in the desk's default language
(SUARA_DEFAULT_LOCALE, the one new accounts start with); `--help` texts and click's own
usage errors stay English, as the command names and options do.
"""

from __future__ import annotations

import functools

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _

from app.domain.enums import Role
from app.extensions import db
from app.services import ServiceError, accounts
from app.services.audit import command_line
from app.services.reference import seed_reference_data

users_cli = AppGroup("users", help="Manage users.")


def in_desk_language(command):
    """Run a command under the desk's default locale, so its messages are in that language."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        with force_locale(current_app.config.get("DEFAULT_LOCALE", "en")):
            return command(*args, **kwargs)

    return run


@click.command("seed")
@with_appcontext
@in_desk_language
def seed_command() -> None:
    """Load the UN reference data and the default campaign (idempotent)."""
    report = seed_reference_data(command_line())
    db.session.commit()
    click.echo(_(
        "Reference data: %(states_added)s states added, %(states_updated)s updated, "
        "%(memberships_added)s memberships added, %(campaigns_added)s campaigns added.",
        states_added=report.states_added, states_updated=report.states_updated,
        memberships_added=report.memberships_added, campaigns_added=report.campaigns_added,
    ))


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only when no outreach has been recorded yet.")
@with_appcontext
@in_desk_language
def demo_command(if_empty: bool) -> None:
    """Load the demo events and the clearly labelled sample users."""
    from app.cli.demo import load_demo

    lines = load_demo(only_if_empty=if_empty)
    db.session.commit()
    for line in lines:
        click.echo(line)


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--password", default=None, help="Omit to be asked without echo.")
@in_desk_language
def create_user_command(email: str, name: str, role: str, password: str | None) -> None:
    """Create a user."""
    try:
        email = accounts.checked_email(email)
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    if password is None:
        password = click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_user(email, name, Role(role), password, actor=command_line(),
                                    locale=current_app.config["DEFAULT_LOCALE"])
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(_("Created %(email)s (%(role)s).", email=user.email, role=user.role.label))


@users_cli.command("bootstrap")
@in_desk_language
def bootstrap_admin_command() -> None:
    """Create a first admin when there is no user at all; prints its password once."""
    if accounts.count_users():
        click.echo(_("Users exist already; no first admin created."))
        return
    password = accounts.generate_password()
    accounts.create_user("admin@suara.local", "First admin", Role.ADMIN, password, actor=command_line(),
                         locale=current_app.config["DEFAULT_LOCALE"])
    db.session.commit()
    click.echo("=" * 64)
    click.echo(_("First admin created. Sign in with:"))
    click.echo(_("  email:    %(email)s", email="admin@suara.local"))
    click.echo(_("  password: %(password)s", password=password))
    click.echo(_("It is shown only this once; change it under Account → Password."))
    click.echo("=" * 64)


def register(app: Flask) -> None:
    from app.cli.backup import export_command, import_command

    app.cli.add_command(export_command)
    app.cli.add_command(import_command)
    app.cli.add_command(seed_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(users_cli)
