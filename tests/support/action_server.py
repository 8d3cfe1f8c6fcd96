"""A stand-in action server for tests that need to see or hold Rasa's calls."""
import contextlib
from typing import AsyncIterator, Awaitable, Callable

from aiohttp import web


@contextlib.asynccontextmanager
async def stand_in_action_server(
        run_action: Callable[[web.Request], Awaitable[web.Response]],
        client_max_size: int = 1024 ** 2) -> AsyncIterator[str]:
    """Serves POST /webhook with `run_action` on a free local port; yields the URL."""
    app = web.Application(client_max_size=client_max_size)
    app.router.add_post("/webhook", run_action)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/webhook"
    finally:
        await runner.cleanup()
