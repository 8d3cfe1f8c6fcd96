"""Repeated wrong passwords lock a staff login out (django-axes), for that
username from that address, until the lockout time passes or an admin lifts it."""
import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

LOGIN = "admin:login"
PASSWORD = "a long enough passphrase"
HOME = "admin:conversations_conversation_changelist"


@pytest.fixture
def nina(db, roles):
    user = User.objects.create_user("nina", password=PASSWORD, is_staff=True)
    user.groups.add(roles["reviewer"])
    return user


def log_in(client: Client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(reverse(LOGIN), {"username": username, "password": password, "next": reverse(HOME)},
                       REMOTE_ADDR=address)


def fail_until_locked(client: Client, username: str) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, username, "wrong password")
        assert response.status_code == 200 and "Please enter the correct username and password" in response.content.decode()
    assert log_in(client, username, "wrong password").status_code == 429


def is_logged_in(client: Client) -> bool:
    return client.get(reverse(HOME)).status_code == 200


def test_the_limit_of_wrong_passwords_locks_the_login_even_with_the_right_password(nina):
    assert 3 <= settings.AXES_FAILURE_LIMIT <= 10
    client = Client()
    fail_until_locked(client, "nina")
    response = log_in(client, "nina", PASSWORD)
    assert response.status_code == 429
    assert "too many" in response.content.decode().lower()
    assert not is_logged_in(client)


def test_the_lockout_is_for_that_username_from_that_address(nina, roles):
    other = User.objects.create_user("omar", password=PASSWORD, is_staff=True)
    other.groups.add(roles["reviewer"])
    fail_until_locked(Client(), "nina")
    colleague = Client()
    assert log_in(colleague, "omar", PASSWORD).status_code == 302 and is_logged_in(colleague)
    elsewhere = Client()
    assert log_in(elsewhere, "nina", PASSWORD, address="10.0.0.8").status_code == 302 and is_logged_in(elsewhere)


def test_the_lockout_ends_after_its_time_or_when_an_admin_lifts_it(nina):
    from axes.models import AccessAttempt

    fail_until_locked(Client(), "nina")
    assert log_in(Client(), "nina", PASSWORD).status_code == 429
    earlier = timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1)
    AccessAttempt.objects.filter(username="nina").update(attempt_time=earlier)
    client = Client()
    assert log_in(client, "nina", PASSWORD).status_code == 302 and is_logged_in(client)

    fail_until_locked(Client(), "nina")
    call_command("axes_reset_username", "nina")
    client = Client()
    assert log_in(client, "nina", PASSWORD).status_code == 302 and is_logged_in(client)


def test_a_successful_login_resets_the_count(nina):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(Client(), "nina", "wrong password")
    assert log_in(Client(), "nina", PASSWORD).status_code == 302
    # Another full set of tries before a lockout: without the reset, these lock it.
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(Client(), "nina", "wrong password").status_code == 200
    client = Client()
    assert log_in(client, "nina", PASSWORD).status_code == 302 and is_logged_in(client)


def test_the_migrations_let_console_admins_see_and_lift_lockouts(db):
    """Run as the migrations run them: before django-axes's tables exist its
    permissions are left out, and the next migration adds them."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from accounts.roles import apply_roles_in_migration

    loader = MigrationLoader(connection)
    lockouts = {"content_type__app_label": "axes", "codename__in": ["view_accessattempt", "delete_accessattempt"]}
    apply_roles_in_migration(loader.project_state(("accounts", "0001_roles")).apps, None)
    apply_roles_in_migration(loader.project_state(("accounts", "0002_lockout_permissions")).apps, None)
    assert Group.objects.get(name="admin").permissions.filter(**lockouts).count() == 2
    assert not Group.objects.get(name="reviewer").permissions.filter(content_type__app_label="axes").exists()
