"""summary.html in a real headless browser (Chromium), through the DevTools protocol.

The test builds a report from a small hand-made processed folder (tests/report_fixture.py,
through the steps of notebook 06),
opens it in headless Chromium with the network switched off (the report must open offline),
and fails on any console error, uncaught exception, failed resource or request that leaves
the file. It saves a full-page screenshot ``summary.png`` into the run folder.

Chromium is Debian's ``chromium`` package (``apt-get install -y chromium``), installed by
``.ci/run``; elsewhere the test skips, saying so. Set ``EVALKIT_CHROMIUM`` to use another
binary.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from report_fixture import run_notebook_06, write_fixture

pytestmark = pytest.mark.browser

websockets = pytest.importorskip("websockets", reason="the websockets package is needed to "
                                 "talk to Chromium over the DevTools protocol")


def _find_chromium() -> str | None:
    for candidate in (os.environ.get("EVALKIT_CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser"),
                      shutil.which("google-chrome")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


CHROMIUM = _find_chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium found (/usr/bin/chromium or on PATH): install "
    "Debian's 'chromium' package (apt-get install -y chromium) or set EVALKIT_CHROMIUM")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars", "--window-size=1280,900"]


def _launch(profile: Path) -> tuple[subprocess.Popen, int]:
    """Start Chromium with a free DevTools port; return the process and the port."""
    proc = subprocess.Popen(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
         "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if port_file.is_file() and port_file.read_text().strip():
            return proc, int(port_file.read_text().splitlines()[0])
        if proc.poll() is not None:
            raise RuntimeError(f"Chromium exited with code {proc.returncode} before opening "
                               "its DevTools port.")
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("Chromium did not open its DevTools port within 30 s.")


async def _inspect(port: int, url: str, screenshot: Path) -> dict:
    """Open ``url`` offline; collect errors and non-file requests; save a screenshot."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
        pages = [t for t in json.load(resp) if t.get("type") == "page"]
    errors: list[str] = []
    requests: list[str] = []
    async with websockets.connect(pages[0]["webSocketDebuggerUrl"], max_size=None) as ws:
        next_id = 0
        pending: dict[int, asyncio.Future] = {}
        loaded = asyncio.get_running_loop().create_future()

        async def reader() -> None:
            async for message in ws:
                msg = json.loads(message)
                if "id" in msg and msg["id"] in pending:
                    pending.pop(msg["id"]).set_result(msg)
                    continue
                method, params = msg.get("method"), msg.get("params", {})
                if method == "Runtime.consoleAPICalled" and params.get("type") in (
                        "error", "assert"):
                    errors.append("console: " + " ".join(
                        str(a.get("value", a.get("description", ""))) for a in params["args"]))
                elif method == "Runtime.exceptionThrown":
                    details = params["exceptionDetails"]
                    errors.append("exception: " + details.get("text", "") + " " + details.get(
                        "exception", {}).get("description", ""))
                elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                    errors.append("log: " + params["entry"].get("text", ""))
                elif method == "Network.requestWillBeSent":
                    requests.append(params["request"]["url"])
                elif method == "Network.loadingFailed":
                    errors.append("failed to load: " + params.get("errorText", ""))
                elif method == "Page.loadEventFired" and not loaded.done():
                    loaded.set_result(True)

        async def call(method: str, **params) -> dict:
            nonlocal next_id
            next_id += 1
            future = asyncio.get_running_loop().create_future()
            pending[next_id] = future
            await ws.send(json.dumps({"id": next_id, "method": method, "params": params}))
            reply = await asyncio.wait_for(future, 30)
            if "error" in reply:
                raise RuntimeError(f"{method}: {reply['error']}")
            return reply.get("result", {})

        task = asyncio.create_task(reader())
        for domain in ("Page", "Runtime", "Log", "Network"):
            await call(f"{domain}.enable")
        # Offline: a report that needs the web (MathJax, require.js, fonts) fails to load.
        await call("Network.emulateNetworkConditions", offline=True, latency=0,
                   downloadThroughput=-1, uploadThroughput=-1)
        await call("Page.navigate", url=url)
        await asyncio.wait_for(loaded, 30)
        await asyncio.sleep(0.5)  # late console messages
        title = (await call("Runtime.evaluate", expression="document.title"))["result"]["value"]
        h2 = (await call("Runtime.evaluate", expression="document.querySelectorAll('h2').length"
                         ))["result"]["value"]
        broken = (await call("Runtime.evaluate", returnByValue=True, expression=(
            "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
            ".length")))["result"]["value"]
        shot = await call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        screenshot.write_bytes(base64.b64decode(shot["data"]))
        task.cancel()
    return {"errors": errors, "requests": requests, "title": title, "h2": h2,
            "broken_images": broken}


def _open_in_chromium(tmp_path: Path, page: Path, screenshot: Path) -> dict:
    """Open ``page`` in a fresh headless Chromium (own profile), inspect it, stop the browser."""
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    proc, port = _launch(profile)
    try:
        return asyncio.run(_inspect(port, page.as_uri(), screenshot))
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@needs_chromium
@pytest.mark.parametrize("lang", ["id", "en"])
def test_summary_opens_offline_without_errors(tmp_path, lang):
    processed = write_fixture(tmp_path / "data")
    run = tmp_path / f"run_{lang}"
    summary, _, _ = run_notebook_06(processed, run, lang)
    result = _open_in_chromium(tmp_path, summary, run / "summary.png")
    assert result["errors"] == [], result["errors"]
    # Everything the page loads is the file itself or embedded data.
    outside = [u for u in result["requests"] if not u.startswith(("file:", "data:"))]
    assert outside == []
    assert result["broken_images"] == 0
    assert result["h2"] == 7
    assert result["title"] == {"id": "Evaluasi Pengembangan Kompetensi ASN",
                               "en": "Evaluation of Civil-Servant Competency Development"}[lang]
    png = (run / "summary.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


@needs_chromium
def test_harness_catches_errors_and_web_requests(tmp_path):
    # Negative control: a page that logs an error, throws, and loads a script from the web
    # (as nbconvert's default template does with require.js) must be caught by the check.
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>bad</title>"
        '<script src="https://cdn.jsdelivr.net/npm/requirejs@2.3.6/require.min.js"></script>'
        "</head><body><h2>x</h2><script>console.error('boom'); undefinedFunction();</script>"
        "</body></html>", encoding="utf-8")
    result = _open_in_chromium(tmp_path, page, tmp_path / "bad.png")
    text = " | ".join(result["errors"])
    assert "boom" in text
    assert "undefinedFunction" in text
    assert any(u.startswith("https://") for u in result["requests"])
