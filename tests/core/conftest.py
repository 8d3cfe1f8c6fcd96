"""Fixtures shared by the core suites."""
import pytest

import runtime
from tests.support.webhook import webhook_receiver

# The core suites run the production runtime (runtime/), as `rasa run` does.
runtime.install()


@pytest.fixture
def webhook_server():
    with webhook_receiver() as (url, received):
        yield url, received
