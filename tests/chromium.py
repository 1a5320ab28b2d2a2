"""Headless Chromium for tests that must see what a person sees: Debian's `chromium`, driven over
the DevTools protocol through aiohttp's websocket client, reaching no host but loopback."""

import asyncio
import itertools
import json
import os
import shutil
import signal
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM = shutil.which("chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--remote-debugging-port=0",
]
# Bounds on waiting, not on speed: a machine busy with the rest of the suite can take seconds
# to start Chromium or to load GraphiQL.
STARTUP_SECONDS = 30.0
COMMAND_SECONDS = 30.0
POLL_SECONDS = 0.05


class Page:
    """One tab: evaluates JavaScript in it and keeps what it reported as errors (scripts that
    threw, failed loads, Content-Security-Policy violations)."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self.errors: list[str] = []
        self._socket = socket
        self._ids = itertools.count(1)
        self._answers: dict[int, asyncio.Future[dict[str, Any]]] = {}

    async def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (a promise's, once it settles)."""
        answer = await self._send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in answer:
            raise AssertionError(f"{expression} threw: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    async def wait_for(self, expression: str, seconds: float = 20.0) -> Any:
        """The first truthy value of `expression`, evaluated again until it has one."""
        failure = f"{expression} was still false after {seconds}s"
        return await _first_truthy(lambda: self.evaluate(expression), seconds, failure)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        """A DevTools command's answer (`Page.navigate`, `Emulation.*`, ...)."""
        return await self._send(method, **params)

    async def _send(self, method: str, **params: Any) -> dict[str, Any]:
        number = next(self._ids)
        self._answers[number] = asyncio.get_running_loop().create_future()
        await self._socket.send_json({"id": number, "method": method, "params": params})
        async with asyncio.timeout(COMMAND_SECONDS):
            return await self._answers[number]

    async def _listen(self) -> None:
        async for message in self._socket:
            data = json.loads(message.data)
            if "id" not in data:
                self._note(data["method"], data["params"])
            elif "error" in data:
                self._answers.pop(data["id"]).set_exception(AssertionError(data["error"]))
            else:
                self._answers.pop(data["id"]).set_result(data["result"])

    def _note(self, event: str, params: dict[str, Any]) -> None:
        if event == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.errors.append(params["entry"]["text"])
        elif event == "Runtime.exceptionThrown":
            self.errors.append(str(params["exceptionDetails"]))


@asynccontextmanager
async def open_page(url: str) -> AsyncIterator[Page]:
    """A new browser with an empty profile showing `url`, its errors recorded from the start."""
    assert CHROMIUM is not None, "Chromium is not installed"
    with tempfile.TemporaryDirectory(prefix="chromium-", ignore_cleanup_errors=True) as profile:
        browser = await asyncio.create_subprocess_exec(
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={profile}",
            "about:blank",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            async with aiohttp.ClientSession() as session:
                address = await _page_address(session, Path(profile))
                async with session.ws_connect(address, max_msg_size=0) as socket:
                    page = Page(socket)
                    listening = asyncio.create_task(page._listen())
                    try:
                        for domain in ("Runtime", "Log", "Page"):
                            await page._send(f"{domain}.enable")
                        await page._send("Page.navigate", url=url)
                        yield page
                    finally:
                        listening.cancel()
                        with suppress(asyncio.CancelledError):
                            await listening
        finally:
            await _stop(browser)


async def _page_address(session: aiohttp.ClientSession, profile: Path) -> str:
    """The DevTools websocket of the browser's tab, once the browser has written its port."""
    port_file = profile / "DevToolsActivePort"

    async def port() -> str | None:
        written = port_file.read_text().split() if port_file.exists() else []
        return written[0] if len(written) == 2 else None

    port_number = await _first_truthy(port, STARTUP_SECONDS, "Chromium did not start")
    async with session.get(f"http://127.0.0.1:{port_number}/json/list") as response:
        targets = await response.json()
    return str(next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page"))


async def _first_truthy(check: Callable[[], Awaitable[Any]], seconds: float, failure: str) -> Any:
    """The first truthy answer of `check`, asked every POLL_SECONDS for `seconds` at most."""
    for _ in range(round(seconds / POLL_SECONDS)):
        if answer := await check():
            return answer
        await asyncio.sleep(POLL_SECONDS)
    raise AssertionError(failure)


async def _stop(browser: asyncio.subprocess.Process) -> None:
    """Ends the browser and the processes it started (its own session of processes)."""
    with suppress(ProcessLookupError):
        os.killpg(browser.pid, signal.SIGTERM)
    try:
        async with asyncio.timeout(5):
            await browser.wait()
    except TimeoutError:
        with suppress(ProcessLookupError):
            os.killpg(browser.pid, signal.SIGKILL)
        await browser.wait()
