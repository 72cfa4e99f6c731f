"""A small HTTP load generator for loopback servers, used by the load tests and
scripts/benchmark.py.

Several processes, each with a few threads, open plain sockets to one loopback address and send
GET requests as fast as the server answers, reusing a connection when the server keeps it open
(gunicorn's sync workers close it after every response). Every run is bounded in time and in
count, and refuses any address outside the loopback range.
"""

from __future__ import annotations

import gzip
import ipaddress
import multiprocessing
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import brotli

MAX_REQUESTS = 2_000_000
# A ``check`` that accepts an answer may return LABEL + text instead of None, to count it.
LABEL = "ok:"
MAX_SECONDS = 120.0


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    started: float  # time.time() when the request was sent
    latency: float  # seconds

    @property
    def decoded(self) -> bytes:
        """The body as the page's bytes, whether it was sent plain, gzip or brotli."""
        encoding = self.headers.get("content-encoding", "")
        if encoding == "gzip":
            return gzip.decompress(self.body)
        if encoding == "br":
            return brotli.decompress(self.body)
        return self.body


@dataclass
class LoadResult:
    requests: int = 0
    errors: int = 0  # connection failures and non-2xx/3xx answers
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)  # the first few, for messages
    # (time.time() at sending, status or 0 for a connection failure, index of the request in
    # paths x variants), when asked to record
    records: list[tuple[float, int, int]] = field(default_factory=list)
    # How many accepted answers ``check`` labelled with each label (see run_load).
    labels: dict[str, int] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def check_loopback(host: str) -> None:
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"Load is only ever sent to the loopback range, not to {host}.")


def request_bytes(host: str, port: int, path: str, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "User-Agent: kratom-load"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class _Connection:
    def __init__(self, host: str, port: int, timeout: float):
        self.address = (host, port)
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self.buffer = b""

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock = None
        self.buffer = b""

    def _fill(self) -> bool:
        chunk = self.sock.recv(65536)
        if not chunk:
            return False
        self.buffer += chunk
        return True

    def _read_until(self, marker: bytes) -> bytes:
        while marker not in self.buffer:
            if not self._fill():
                raise ConnectionError("connection closed in the middle of the body")
        found, self.buffer = self.buffer.split(marker, 1)
        return found

    def _read_chunked(self) -> bytes:
        """A chunked body (what a cache such as Varnish streams on a miss)."""
        parts = []
        while True:
            size = _chunk_size_line(self._read_until(b"\r\n"))
            if size == 0:
                self._read_until(b"\r\n")  # no trailers are sent to this client
                return b"".join(parts)
            while len(self.buffer) < size + 2:
                if not self._fill():
                    raise ConnectionError("connection closed in the middle of a chunk")
            parts.append(self.buffer[:size])
            self.buffer = self.buffer[size + 2 :]

    def get(self, raw: bytes) -> tuple[int, dict[str, str], bytes]:
        if self.sock is None:
            self.sock = socket.create_connection(self.address, timeout=self.timeout)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.sendall(raw)
        while b"\r\n\r\n" not in self.buffer:
            if not self._fill():
                raise ConnectionError("connection closed before the response headers")
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        closing = headers.get("connection", "").lower() == "close"
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = self._read_chunked()
        elif "content-length" in headers:
            length = int(headers["content-length"])
            while len(self.buffer) < length:
                if not self._fill():
                    raise ConnectionError("connection closed in the middle of the body")
            body, self.buffer = self.buffer[:length], self.buffer[length:]
        else:
            closing = True
            while self._fill():
                pass
            body, self.buffer = self.buffer, b""
        if closing:
            self.close()
        return status, headers, body


def _chunk_size_line(line: bytes) -> int:
    return int(line.split(b";", 1)[0].strip(), 16)


def fetch(
    host: str, port: int, path: str, headers: dict[str, str] | None = None, timeout: float = 10
) -> Response:
    """One request on a fresh connection."""
    check_loopback(host)
    connection = _Connection(host, port, timeout)
    started, clock = time.time(), time.perf_counter()
    try:
        status, response_headers, body = connection.get(request_bytes(host, port, path, headers))
    finally:
        connection.close()
    return Response(status, response_headers, body, started, time.perf_counter() - clock)


def _worker(
    host: str,
    port: int,
    requests: Sequence[bytes],
    deadline: float,
    budget: int,
    offset: int,
    check: Callable[[Response], str | None] | None,
    result: LoadResult,
    lock: threading.Lock,
    timeout: float,
    record: bool,
    allowed: frozenset[int],
) -> None:
    connection = _Connection(host, port, timeout)
    latencies, statuses, failures, records, labels = [], {}, [], [], {}
    done = errors = 0
    index = offset
    while done < budget and time.monotonic() < deadline:
        which = index % len(requests)
        raw = requests[which]
        index += 1
        started, clock = time.time(), time.perf_counter()
        try:
            status, headers, body = connection.get(raw)
        except OSError as error:  # refused, reset, timed out
            connection.close()
            errors += 1
            done += 1
            if len(failures) < 5:
                failures.append(f"{type(error).__name__}: {error}")
            if record:
                records.append((started, 0, which))
            time.sleep(0.01)  # a refused connection returns at once: do not spin
            continue
        latency = time.perf_counter() - clock
        done += 1
        if record:
            records.append((started, status, which))
        latencies.append(latency)
        statuses[status] = statuses.get(status, 0) + 1
        problem = None
        if status >= 400 and status not in allowed:
            problem = f"HTTP {status}"
        elif check is not None:
            problem = check(Response(status, headers, body, started, latency))
            if problem and problem.startswith(LABEL):
                labels[problem] = labels.get(problem, 0) + 1
                problem = None
        if problem:
            errors += 1
            if len(failures) < 5:
                failures.append(problem)
    connection.close()
    with lock:
        result.requests += done
        result.errors += errors
        result.latencies += latencies
        result.failures += failures
        result.records += records
        for label, count in labels.items():
            result.labels[label] = result.labels.get(label, 0) + count
        for status, count in statuses.items():
            result.statuses[status] = result.statuses.get(status, 0) + count


def mp_context():
    """Fork when this process has a single thread (fast, and the caller's objects need not be
    importable); spawn otherwise, since forking a threaded process may deadlock."""
    return multiprocessing.get_context("fork" if threading.active_count() == 1 else "spawn")


def _process(
    host, port, requests, seconds, budget, threads, offset, check, timeout, record, allowed, queue
):
    result, lock = LoadResult(), threading.Lock()
    started = time.perf_counter()
    deadline = time.monotonic() + seconds
    share = max(1, budget // threads)
    pool = [
        threading.Thread(
            target=_worker,
            args=(
                host,
                port,
                requests,
                deadline,
                share,
                offset + n,
                check,
                result,
                lock,
                timeout,
                record,
                allowed,
            ),  # fmt: skip
        )
        for n in range(threads)
    ]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    result.seconds = time.perf_counter() - started
    queue.put(result)


def run_load(
    host: str,
    port: int,
    paths: Sequence[str],
    *,
    connections: int = 32,
    seconds: float = 10.0,
    max_requests: int = 200_000,
    headers: dict[str, str] | None = None,
    variants: Sequence[dict[str, str]] = ({},),
    check: Callable[[Response], str | None] | None = None,
    processes: int = 2,
    timeout: float = 10.0,
    record: bool = False,
    allowed_statuses: frozenset[int] = frozenset(),
) -> LoadResult:
    """Send GET requests for ``paths`` (in turn, each with every one of the header
    ``variants``) over ``connections`` concurrent connections for
    at most ``seconds`` and at most ``max_requests``; ``check`` may reject a response by returning
    a message. Latencies are per request, measured by the client. A status of 400 or more is an
    error unless listed in ``allowed_statuses``; ``record`` keeps every (time, status)."""
    check_loopback(host)
    seconds = min(seconds, MAX_SECONDS)
    max_requests = min(max_requests, MAX_REQUESTS)
    requests = [
        request_bytes(host, port, path, {**(headers or {}), **variant})
        for path in paths
        for variant in variants
    ]
    processes = max(1, min(processes, connections))
    context = mp_context()
    queue = context.Queue()
    children = []
    for n in range(processes):
        threads = connections // processes + (1 if n < connections % processes else 0)
        child = context.Process(
            target=_process,
            args=(
                host,
                port,
                requests,
                seconds,
                max_requests // processes,
                threads,
                n * threads,
                check,
                timeout,
                record,
                allowed_statuses,
                queue,
            ),
        )
        child.start()
        children.append(child)
    total = LoadResult()
    for _ in children:
        part = queue.get(timeout=seconds + 60)
        total.seconds = max(total.seconds, part.seconds)
        total.requests += part.requests
        total.errors += part.errors
        total.latencies += part.latencies
        total.failures += part.failures[: max(0, 10 - len(total.failures))]
        total.records += part.records
        for label, count in part.labels.items():
            total.labels[label] = total.labels.get(label, 0) + count
        for status, count in part.statuses.items():
            total.statuses[status] = total.statuses.get(status, 0) + count
    for child in children:
        child.join()
    return total
