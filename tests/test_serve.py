"""``versus serve``: the live loop, errors shown and recovered, and what it refuses to serve.

Every preview runs in-process on a free port and is always closed; every wait is
bounded (``WAIT_S``), so a broken watcher fails a test instead of hanging it.
"""

from __future__ import annotations

import http.client
import json
import re
import signal
import socket
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest

from conftest import parse_html, versus_process, write_files
from generator.tools import preview as preview_module
from generator.tools.preview import Preview
from generator.tools.preview_http import inject, resolve

WAIT_S = 30.0  # the longest any step may take before the test fails

SITE = {
    "content/site.yaml": "title: Preview Test\nbase_url: https://example.github.io/sub/\n",
    "content/benchmarks.yaml": "mmlu:\n  name: MMLU\n",
    "content/models/alpha.yaml": "name: Alpha\nvendor: Acme\nopen_weights: true\n"
                                 "benchmarks:\n  mmlu: {score: 70, source: card}\n",
    "content/models/beta.yaml": "name: Beta\nvendor: Bigco\nopen_weights: false\n",
    "secret.txt": "not part of the site\n",
}


class Output:
    """What the preview prints, collected for assertions."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, message: str, err: bool = False) -> None:
        self.lines.append(message)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_files(tmp_path / "project", SITE)


@pytest.fixture
def preview(project: Path) -> Iterator[Preview]:
    with Preview(project, port=0, echo=Output()) as running:
        yield running


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """One preview shared by the tests that only read from it."""
    project = write_files(tmp_path_factory.mktemp("served") / "project", SITE)
    with Preview(project, port=0, echo=Output()) as running:
        yield running


def get(preview: Preview, path: str, headers: dict[str, str] | None = None,
        method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """One request with ``path`` sent exactly as given (no client-side normalising)."""
    host, port = preview.address
    conn = http.client.HTTPConnection(host, port, timeout=WAIT_S)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


class Events:
    """A client of /__versus/events, as an open browser tab's worker is."""

    def __init__(self, preview: Preview):
        host, port = preview.address
        self.conn = http.client.HTTPConnection(host, port, timeout=WAIT_S)
        self.conn.request("GET", "/__versus/events")
        self.response = self.conn.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream"

    def next(self, deadline: float | None = None) -> dict:
        deadline = deadline or time.monotonic() + WAIT_S
        while time.monotonic() < deadline:  # keep-alive comments arrive every 15 s
            line = self.response.fp.readline()
            assert line, "the event stream ended"
            if line.startswith(b"data: "):
                return json.loads(line[6:])
        raise AssertionError("no event in time")

    def until(self, test: Callable[[dict], bool]) -> dict:
        deadline = time.monotonic() + WAIT_S
        while not test(event := self.next(deadline)):
            pass
        return event

    def close(self) -> None:
        self.conn.close()


def heading(body: bytes) -> str:
    h1 = parse_html(body.decode()).find("h1")
    assert h1 is not None
    return h1.text


# --------------------------------------------------------------------------- serving


def test_serves_the_site_under_its_base_path(served: Preview) -> None:
    assert served.address[0] == "127.0.0.1"
    assert served.url.endswith("/sub/")
    status, headers, _ = get(served, "/")
    assert (status, headers["Location"]) == (302, "/sub/")
    assert get(served, "/sub")[1]["Location"] == "/sub/"
    assert get(served, "/sub/models/alpha")[1]["Location"] == "/sub/models/alpha/"
    status, headers, body = get(served, "/sub/models/alpha/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert heading(body) == "Alpha"
    assert get(served, "/sub/static/style.css")[1]["Content-Type"].startswith("text/css")
    assert json.loads(get(served, "/sub/api/models.json")[2])[0]["slug"] == "alpha"
    assert get(served, "/sub/models/alpha/", method="HEAD")[2] == b""


def test_the_reload_script_is_added_when_sent_never_written(preview: Preview,
                                                            project: Path) -> None:
    _, _, body = get(preview, "/sub/models/alpha/")
    scripts = list(parse_html(body.decode()).find_all("script"))
    assert [s.attrs["src"] for s in scripts if "__versus" in s.attrs.get("src", "")] == [
        "/__versus/client.js"]
    on_disk = (preview.out / "models/alpha/index.html").read_bytes()
    assert b"__versus" not in on_disk
    assert not (project / "site").exists()  # the preview never touches the project's site/
    status, headers, js = get(preview, "/__versus/client.js")
    assert status == 200 and b"EventSource" in js
    assert get(preview, "/__versus/worker.js")[0] == 200


def test_missing_pages_get_the_sites_404_page(served: Preview) -> None:
    status, _, body = get(served, "/sub/models/nope/")
    assert status == 404 and b"__versus/client.js" in body
    assert get(served, "/elsewhere/")[0] == 404


@pytest.mark.parametrize("path", [
    "/../../etc/passwd",
    "/sub/../../etc/passwd",
    "/sub/../secret.txt",
    "/sub/%2e%2e/secret.txt",
    "/sub/%2E%2E/%2e%2e/secret.txt",
    "/sub/..%2f..%2fsecret.txt",
    "/sub/%252e%252e/secret.txt",
    "/sub/..%5csecret.txt",
    "/sub/..\\secret.txt",
    "/sub/models/%00",
    "/sub/%ff%fe",
    "//etc/passwd",
    "/sub//etc/passwd",
    "/sub/./models/alpha/index.html",
    "/__versus/../secret.txt",
    "/__versus/%2e%2e/serve.py",
    "/__versus/serve.py",
])
def test_nothing_outside_the_built_site_is_served(served: Preview, path: str) -> None:
    status, _, body = get(served, path)
    assert status in (302, 404), (path, status)
    assert b"not part of the site" not in body and b"root:" not in body
    assert b"import" not in body


def test_folders_are_never_listed(served: Preview) -> None:
    status, _, body = get(served, "/sub/static/")
    assert status == 404 and body == get(served, "/sub/no-such-page/")[2]  # the 404 page


def test_resolve_refuses_a_link_out_of_the_site(tmp_path: Path) -> None:
    root = write_files(tmp_path / "site", {"index.html": "home"})
    (tmp_path / "outside.txt").write_text("secret")
    (root / "link.txt").symlink_to(tmp_path / "outside.txt")
    assert resolve(root, "link.txt") is None
    assert resolve(root, "") == (root / "index.html").resolve()


def test_only_local_host_names_are_answered_on_loopback(served: Preview) -> None:
    port = served.address[1]
    assert get(served, "/sub/", {"Host": f"localhost:{port}"})[0] == 200
    assert get(served, "/sub/", {"Host": f"127.0.0.1:{port}"})[0] == 200
    assert get(served, "/sub/", {"Host": "attacker.example"})[0] == 403


def test_inject_puts_the_script_before_the_end_of_the_body() -> None:
    assert inject(b"<p>x</p></BODY></html>", "s-1") == (
        b'<p>x</p><script src="/__versus/client.js" data-site="s-1"></script></BODY></html>')
    assert inject(b"<p>x", "s").endswith(b"</script>")


# --------------------------------------------------------------------------- the live loop


def test_a_change_is_rebuilt_served_and_signalled(preview: Preview, project: Path) -> None:
    events = Events(preview)
    try:
        first = events.next()
        assert first["errors"] == [] and first["site"]
        write_files(project, {"content/models/alpha.yaml":
                              SITE["content/models/alpha.yaml"].replace("Alpha", "Alpha Two")})
        second = events.until(lambda e: e["site"] != first["site"])
        assert second["errors"] == []
        assert heading(get(preview, "/sub/models/alpha/")[2]) == "Alpha Two"
        assert f'data-site="{second["site"]}"'.encode() in get(preview, "/sub/")[2]
    finally:
        events.close()


def test_an_error_is_shown_and_the_page_returns_when_fixed(preview: Preview,
                                                           project: Path) -> None:
    events = Events(preview)
    try:
        good = events.next()
        write_files(project, {"content/models/beta.yaml": "name: Beta\nvendr: Bigco\n"
                                                          "open_weights: false\n"})
        broken = events.until(lambda e: e["errors"])
        assert broken["site"] == good["site"]  # the last good site stays up
        assert any(re.search(r"beta\.yaml:2:1: unknown field 'vendr' \(did you mean "
                             r"'vendor'\?\)", e) for e in broken["errors"])
        assert "unknown field 'vendr'" in preview.echo.text  # type: ignore[attr-defined]
        status, _, body = get(preview, "/sub/models/beta/")
        assert status == 200 and heading(body) == "Beta"

        write_files(project, {"content/models/beta.yaml": "name: Beta Fixed\nvendor: Bigco\n"
                                                          "open_weights: false\n"})
        fixed = events.until(lambda e: not e["errors"])
        assert fixed["site"] != good["site"]
        assert heading(get(preview, "/sub/models/beta/")[2]) == "Beta Fixed"
    finally:
        events.close()


def test_a_broken_first_build_shows_the_errors_until_fixed(project: Path) -> None:
    write_files(project, {"content/models/beta.yaml": "name: Beta\nopen_weights: maybe\n"})
    with Preview(project, port=0, echo=Output()) as preview:
        status, _, body = get(preview, "/anything/")
        assert status == 500
        text = parse_html(body.decode()).text
        assert "beta.yaml:1:1: required field 'vendor' is missing" in text
        assert "beta.yaml:2:15: open_weights: expected true or false" in text
        assert b"__versus/client.js" in body
        events = Events(preview)
        try:
            assert events.next()["site"] == ""
            write_files(project, {"content/models/beta.yaml": SITE["content/models/beta.yaml"]})
            assert events.until(lambda e: e["site"] != "")["errors"] == []
        finally:
            events.close()
        assert get(preview, "/")[0] == 302
        assert heading(get(preview, "/sub/models/beta/")[2]) == "Beta"


def test_a_template_error_is_shown_and_recovered(preview: Preview, project: Path) -> None:
    events = Events(preview)
    try:
        good = events.next()
        # templates/ does not exist yet: the preview notices it appear and watches it too.
        write_files(project, {"templates/model.html": "{% block %}"})
        broken = events.until(lambda e: e["errors"])
        assert "template syntax error" in broken["errors"][0]
        (project / "templates/model.html").unlink()
        assert events.until(lambda e: not e["errors"])["site"] != good["site"]
        assert heading(get(preview, "/sub/models/alpha/")[2]) == "Alpha"
    finally:
        events.close()


def test_content_folder_removed_and_restored(preview: Preview, project: Path) -> None:
    events = Events(preview)
    try:
        good = events.next()
        (project / "content").rename(project / "moved")
        assert "no content/ folder here" in events.until(lambda e: e["errors"])["errors"][0]
        (project / "moved").rename(project / "content")
        assert events.until(lambda e: not e["errors"])["site"] != good["site"]
    finally:
        events.close()


def test_bursts_of_edits_are_debounced_and_builds_never_overlap(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    running, most, calls = [0], [0], [0]
    lock = threading.Lock()
    real_build = preview_module.build

    def counting_build(*args, **kwargs):  # type: ignore[no-untyped-def]
        with lock:
            running[0] += 1
            calls[0] += 1
            most[0] = max(most[0], running[0])
        try:
            time.sleep(0.05)  # a build takes a while: edits keep arriving meanwhile
            return real_build(*args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(preview_module, "build", counting_build)
    with Preview(project, port=0, echo=Output()) as preview:
        events = Events(preview)
        try:
            events.next()
            for i in range(30):
                write_files(project, {"content/models/alpha.yaml": SITE[
                    "content/models/alpha.yaml"].replace("Alpha", f"Alpha {i}")})
            events.until(lambda e: heading(get(preview, "/sub/models/alpha/")[2]) == "Alpha 29")
        finally:
            events.close()
    assert most[0] == 1
    assert calls[0] < 10  # 1 initial build, then a few for 30 writes


def test_many_open_tabs_do_not_block_page_requests(served: Preview) -> None:
    tabs = [Events(served) for _ in range(40)]
    try:
        for tab in tabs:
            assert tab.next()["errors"] == []
        assert get(served, "/sub/models/alpha/")[0] == 200
    finally:
        for tab in tabs:
            tab.close()


def test_closing_ends_event_streams_and_removes_the_build(project: Path) -> None:
    preview = Preview(project, port=0, echo=Output())
    with preview:
        events = Events(preview)
        events.next()
        out = preview.out
        assert out.is_dir()
    assert not out.exists()
    assert events.response.fp.read().strip() == b""  # ended, not left hanging (or timeout)
    events.close()


def test_a_busy_port_is_reported(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError):
            Preview(project, port=taken.getsockname()[1], echo=Output())


# --------------------------------------------------------------------------- the command


def test_versus_serve_runs_until_interrupted(project: Path) -> None:
    with versus_process("serve", "--source", str(project), "--port", "0") as process:
        url = None
        deadline = time.monotonic() + WAIT_S
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()  # type: ignore[union-attr]
            match = re.search(r"Serving (http://127\.0\.0\.1:(\d+)/sub/)", line)
            url = match and match[1]
        assert url, "the server did not start"
        port = int(re.search(r":(\d+)/", url)[1])  # type: ignore[index]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT_S)
        conn.request("GET", "/sub/models/alpha/")
        assert conn.getresponse().status == 200
        conn.close()
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=WAIT_S)
        assert process.returncode == 0
        assert "Stopped." in output and "Traceback" not in output
