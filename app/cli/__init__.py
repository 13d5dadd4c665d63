"""Command-line commands: reference data, demo data and users."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from app.extensions import db
from app.models.enums import Role
from app.services import ServiceError, accounts
from app.services.audit import command_line
from app.services.reference import seed_reference_data

users_cli = AppGroup("users", help="Manage users.")


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Load the UN reference data and the default campaign (idempotent)."""
    report = seed_reference_data(command_line())
    db.session.commit()
    click.echo(
        f"Reference data: {report.states_added} states added, {report.states_updated} updated, "
        f"{report.memberships_added} memberships added, {report.campaigns_added} campaigns added."
    )


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only when no outreach has been recorded yet.")
@with_appcontext
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
def create_user_command(email: str, name: str, role: str, password: str | None) -> None:
    """Create a user."""
    try:
        email = accounts.checked_email(email)
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_user(email, name, Role(role), password, actor=command_line(),
                                    locale=current_app.config["DEFAULT_LOCALE"])
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role.value}).")


@users_cli.command("bootstrap")
def bootstrap_admin_command() -> None:
    """Create a first admin when there is no user at all; prints its password once."""
    if accounts.count_users():
        click.echo("Users exist already; no first admin created.")
        return
    password = accounts.generate_password()
    accounts.create_user("admin@suara.local", "First admin", Role.ADMIN, password, actor=command_line(),
                         locale=current_app.config["DEFAULT_LOCALE"])
    db.session.commit()
    click.echo("=" * 64)
    click.echo("First admin created. Sign in with:")
    click.echo("  email:    admin@suara.local")
    click.echo(f"  password: {password}")
    click.echo("It is shown only this once; change it under Account → Password.")
    click.echo("=" * 64)


def register(app: Flask) -> None:
    from app.cli.backup import export_command, import_command

    app.cli.add_command(export_command)
    app.cli.add_command(import_command)
    app.cli.add_command(seed_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(users_cli)
