"""Helpers shared by the console test modules."""
from tests.support.services import skip_or_fail


def require(condition: bool, reason: str) -> None:
    """Skip locally, fail in CI: a missing dependency must not pass as green there."""
    if not condition:
        skip_or_fail(reason)


def sqlalchemy_url() -> str:
    """The test database as the SQLAlchemy URL Rasa, the action server and the console's
    own processes take (DATABASE_URL)."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgresql://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


STAFF_PASSWORD = "correct horse battery staple"  # the conftest's staff users


def login(page, base_url, username, password=STAFF_PASSWORD):
    """Log in through the console's login page in a Playwright page."""
    page.goto(base_url + "/")
    assert "/login/" in page.url  # anonymous visitors land on the login page
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")


def listed(client, query: str = "") -> set:
    """The conversation ids on the list page for this query string."""
    from django.urls import reverse

    response = client.get(reverse("admin:conversations_conversation_changelist") + query)
    assert response.status_code == 200
    return {c.sender_id for c in response.context["cl"].result_list}
