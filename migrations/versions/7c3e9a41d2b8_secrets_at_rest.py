"""secrets at rest (encrypted two-factor secrets, pending enrolment server-side, salted recovery
codes) and optimistic locking of state profiles

Revision ID: 7c3e9a41d2b8
Revises: 502990dd6637
Create Date: 2026-11-23 09:00:00.000000

Upgrade converts existing data: every plain TOTP secret is encrypted with the first key of
SUARA_TOTP_KEY (the app's TOTP_KEYS), and every unsalted SHA-256 recovery-code digest is wrapped in
a salted Argon2id hash (stored as "sha256:<argon2 hash>", which the app still accepts).
Downgrade decrypts the secrets back; salted recovery codes cannot be turned back into unsalted
digests, so downgrade removes them (users keep their authenticator and re-enrol for new codes).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c3e9a41d2b8'
down_revision = '502990dd6637'
branch_labels = None
depends_on = None

LEGACY_PREFIX = "sha256:"


def _cipher():
    from cryptography.fernet import Fernet, MultiFernet
    from flask import current_app

    keys = current_app.config["TOTP_KEYS"]
    if not keys:
        raise RuntimeError("SUARA_TOTP_KEY must be set to encrypt the two-factor secrets.")
    return MultiFernet([Fernet(k.encode()) for k in keys])


def _users(*columns):
    return sa.table("users", sa.column("id", sa.Integer), *columns)


def _foreign_keys(on: bool) -> None:
    """SQLite rebuilds a table to alter it: with foreign keys enforced, dropping the old copy of
    `users` or `states` would cascade to (or be refused by) every row that references it."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def upgrade():
    _foreign_keys(False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret_encrypted', sa.String(length=512), nullable=True))
        batch_op.add_column(sa.Column('totp_pending_encrypted', sa.String(length=512), nullable=True))

    from argon2 import PasswordHasher

    hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
    users = _users(sa.column("totp_secret", sa.String), sa.column("totp_secret_encrypted", sa.String),
                   sa.column("recovery_code_hashes", sa.JSON))
    conn = op.get_bind()
    rows = conn.execute(sa.select(users.c.id, users.c.totp_secret, users.c.recovery_code_hashes)
                        .where(users.c.totp_secret.is_not(None))).all()
    cipher = _cipher() if rows else None
    for user_id, secret, hashes in rows:
        wrapped = [LEGACY_PREFIX + hasher.hash(h) for h in (hashes or [])] if hashes else hashes
        conn.execute(users.update().where(users.c.id == user_id).values(
            totp_secret_encrypted=cipher.encrypt(secret.encode()).decode("ascii"),
            recovery_code_hashes=wrapped if wrapped else sa.null(),
        ))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_secret')

    with op.batch_alter_table('states', schema=None) as batch_op:
        batch_op.add_column(sa.Column('profile_version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('profile_updated_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_states_profile_updated_by_id_users'), 'users',
                                    ['profile_updated_by_id'], ['id'], ondelete='SET NULL')
    _foreign_keys(True)


def downgrade():
    _foreign_keys(False)
    with op.batch_alter_table('states', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_states_profile_updated_by_id_users'), type_='foreignkey')
        batch_op.drop_column('profile_updated_by_id')
        batch_op.drop_column('profile_version')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))

    users = _users(sa.column("totp_secret", sa.String), sa.column("totp_secret_encrypted", sa.String),
                   sa.column("recovery_code_hashes", sa.JSON))
    conn = op.get_bind()
    rows = conn.execute(sa.select(users.c.id, users.c.totp_secret_encrypted)
                        .where(users.c.totp_secret_encrypted.is_not(None))).all()
    cipher = _cipher() if rows else None
    for user_id, token in rows:
        conn.execute(users.update().where(users.c.id == user_id).values(
            totp_secret=cipher.decrypt(token.encode()).decode(), recovery_code_hashes=sa.null()))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_pending_encrypted')
        batch_op.drop_column('totp_secret_encrypted')
    _foreign_keys(True)
