"""``kla serve`` started as a real process on a free loopback port, for the tests and the
benchmark that need a real server (timeouts, connections, memory, headers as sent)."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import attrs
import httpx

#: How long the server may take to start (loading the rulesets).
START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@attrs.frozen
class Started:
    """A running server: its base URL, port, process and log file."""

    base: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def peak_rss_kib(self) -> int:
        """The server process's peak resident memory so far (``VmHWM``), in KiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        raise AssertionError("no VmHWM in /proc/PID/status")

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS in /proc/PID/status")


@contextlib.contextmanager
def started_server(log: Path, *options: str) -> Iterator[Started]:
    """``kla serve --port P *options`` until the block ends (with one worker, the default,
    the server is this very process, whose memory :class:`Started` can read)."""
    port = free_port()
    command = [sys.executable, "-m", "kla_model", "serve", "--port", str(port), *options]
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, process, log)
        yield Started(base, port, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_healthy(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"kla serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"kla serve did not answer /health in {START_SECONDS} s")


def connect(port: int) -> socket.socket:
    """A raw connection to the server, with a read timeout far above any server limit."""
    return socket.create_connection(("127.0.0.1", port), timeout=30)


def seconds_until_closed(sock: socket.socket, limit: float = 30) -> float:
    """How long until the server closes ``sock`` (reading and dropping what it sends)."""
    start = time.monotonic()
    sock.settimeout(limit)
    with contextlib.suppress(ConnectionResetError):
        while sock.recv(65536):
            pass
    return time.monotonic() - start
