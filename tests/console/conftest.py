"""Staff console tests (pytest-django).

The database comes from CONSOLE_TEST_DB: "sqlite" (default, a throwaway file) or "postgres"
(127.0.0.1:5432, user postgres; a throwaway test database created and dropped by this run).
`make test-console` runs the suite once per database. With CI set, an unreachable PostgreSQL
or a missing Rasa stack fails the run instead of skipping.
"""
import os
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CONSOLE_DIR = REPO_ROOT / "console"
for path in (str(CONSOLE_DIR), str(REPO_ROOT)):
    if path not in sys.path:
        sys.path.insert(0, path)

from console_support import STAFF_PASSWORD, require  # noqa: E402  (needs the paths above)
from tests.support.services import in_ci, reachable  # noqa: E402

TEST_DB = os.environ.get("CONSOLE_TEST_DB", "sqlite").strip().lower()
POSTGRES_URL = os.environ.get("CONSOLE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
_TMP = Path(tempfile.mkdtemp(prefix="console-tests-"))


POSTGRES_UNREACHABLE = TEST_DB == "postgres" and not reachable(POSTGRES_URL, 5432)
if POSTGRES_UNREACHABLE and in_ci():
    pytest.exit(f"PostgreSQL at {POSTGRES_URL} is unreachable and CI is set: console tests fail", returncode=1)


def _configure_django() -> None:
    """Point the console at the test database without leaking env changes to other test parts."""
    saved = {name: os.environ.get(name) for name in ("DATABASE_URL", "DJANGO_SECRET_KEY")}
    os.environ["DATABASE_URL"] = POSTGRES_URL if TEST_DB == "postgres" else f"sqlite:///{_TMP / 'console.db'}"
    os.environ["DJANGO_SECRET_KEY"] = "console-tests-" + uuid.uuid4().hex
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffconsole.settings")
    try:
        import django
        from django.conf import settings

        django.setup()
        settings.DATABASES["default"]["CONN_MAX_AGE"] = 0  # no idle connection may block dropping the test DB
        test = settings.DATABASES["default"].setdefault("TEST", {})
        # A file (not :memory:) so a Rasa server and the live server can share it; a unique name for PostgreSQL.
        test["NAME"] = str(_TMP / "test_console.db") if TEST_DB != "postgres" else f"console_test_{uuid.uuid4().hex[:12]}"
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


_configure_django()


def pytest_collection_modifyitems(config, items):
    if POSTGRES_UNREACHABLE:
        skip = pytest.mark.skip(reason=f"PostgreSQL at {POSTGRES_URL} unreachable (CI not set)")
        for item in items:
            if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
                item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def rasa_tables(request, django_db_setup, django_db_blocker):
    """The test database gets Rasa's `events` and the hand-off table, as a running system has them."""
    from conversations.rasa_tables import ensure_rasa_tables

    with django_db_blocker.unblock():
        ensure_rasa_tables()
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        # Sessions left by server threads or stopped Rasa processes would keep the throwaway
        # database from being dropped.
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture
def roles(db):
    from django.contrib.auth.models import Group, Permission

    from accounts.roles import apply_roles

    apply_roles(Group, Permission)  # transactional tests flush the groups the migration made
    return {group.name: group for group in Group.objects.all()}


def _staff_user(roles, username, role):
    from django.contrib.auth.models import User

    user = User.objects.create_user(username, password=STAFF_PASSWORD, is_staff=True)
    user.groups.add(roles[role])
    return user


@pytest.fixture
def reviewer(roles):
    return _staff_user(roles, "rita-reviewer", "reviewer")


@pytest.fixture
def console_admin(roles):
    return _staff_user(roles, "adam-admin", "admin")


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def admin_client_role(client, console_admin):
    client.force_login(console_admin)
    return client


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are plain sync code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    chromium = shutil.which("chromium")
    require(chromium is not None, "Debian package chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        try:
            yield instance
        finally:
            instance.close()
