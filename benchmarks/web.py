"""The browser app under load: a 1,000-target ledger served by uvicorn, read by logged-in clients.

    python benchmarks/web.py [--chapters 40] [--requests 20] [--clients 1,10,50] [--db URL]

Builds the ledger of benchmarks/assess.py (1,000 targets, 2,000 tasks, five years of quarterly
reports), stores its assessment, starts ``planwatch serve`` on 127.0.0.1 in its own process(es) (``--workers 1,2``) and
measures, over keep-alive connections from threads: each page's median time and size for one
client, then the dashboard (/plans/1 and its JSON twin) at 10 and 50 concurrent clients (p50,
p95, requests per second, errors). The baseline, run in the same process, is the login page,
which reads no plan data: every time is also given as a ratio to it.
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from assess import PERIODS, build

from planwatch.assess import assess_plan
from planwatch.store import add_user, make_engine
from planwatch.store.accounts import set_password

PASSWORD = "Benchmark#2024"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(url: str, port: int, threads: int, workers: int, key_file: Path) -> subprocess.Popen:
    """`planwatch serve` in its own process(es), as deployed: the load generator here does not
    share the server's interpreter lock."""
    command = [sys.executable, "-m", "planwatch", "serve", "--db", url, "--port", str(port), "--key-file", str(key_file),
               "--http", "--threads", str(threads), "--workers", str(workers)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"planwatch serve exited: {server.stderr.read().decode()[-500:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                time.sleep(1.0 if workers > 1 else 0.2)  # the other workers finish starting
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("planwatch serve did not start in 60 s")


class Client:
    """One keep-alive connection with its own session cookie."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, data, headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):
            # The server closes a keep-alive connection idle for 5 s (uvicorn's default), as a
            # browser's would be: open a new one and send again, as a browser does.
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request(method, path, data, headers)
            response = self.conn.getresponse()
        payload = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, payload

    def log_in(self, name: str) -> None:
        _, page = self.request("GET", "/login")
        token = CSRF.search(page.decode()).group(1)
        status, _ = self.request("POST", "/login", {"name": name, "password": PASSWORD, "csrf": token, "next": "/"})
        if status != 303:
            raise SystemExit(f"login as {name} failed: HTTP {status}")


def timed_get(client: Client, path: str) -> tuple[float, int, int]:
    t = time.perf_counter()
    status, body = client.request("GET", path)
    return time.perf_counter() - t, status, len(body)


def single(port: int, name: str, path: str, runs: int) -> tuple[float, float, int]:
    """The first view (nothing cached since the last write) and the median of the views after it."""
    client = Client(port)
    if name:
        client.log_in(name)  # a write (the login is audited): the views after it start cold
    first, status, _ = timed_get(client, path)
    samples = [timed_get(client, path) for _ in range(runs)]
    if status != 200 or any(s != 200 for _, s, _ in samples):
        raise SystemExit(f"{path}: HTTP {status}")
    return first, statistics.median(t for t, _, _ in samples), samples[0][2]


def load(port: int, name: str, paths: list[str], clients: int, per_client: int) -> dict:
    sessions = [Client(port) for _ in range(clients)]
    for c in sessions:
        if name:  # no name: an anonymous client (the static file)
            c.log_in(name)
    for path in paths:  # the logins were writes: the first views after them are the "first view" column above
        timed_get(sessions[0], path)

    def run(client: Client) -> list[tuple[float, int]]:
        out = []
        for i in range(per_client):
            try:
                out.append(timed_get(client, paths[i % len(paths)])[:2])
            except (OSError, http.client.HTTPException):
                out.append((float("inf"), 0))  # counted as an error, not a crash of the benchmark
        return out

    t = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = [r for rs in pool.map(run, sessions) for r in rs]
    wall = time.perf_counter() - t
    times = sorted(r[0] for r in results if r[1] == 200) or [float("nan")]
    return {"p50": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1], "p99": times[int(len(times) * 0.99) - 1],
            "rps": len(results) / wall,
            "errors": sum(status != 200 for _, status in results)}


WRK_SCRIPT = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d\\n", latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def load_wrk(port: int, cookie: str, paths: list[str], clients: int, seconds: int) -> dict:
    """The same mixed load from wrk (a C load generator): its threads cost the two cores far less
    than Python client threads, so the server gets the machine, as it would with real browsers."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % ", ".join(f'"{p}"' for p in paths))
    out = subprocess.run(["wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds}s", "--timeout", "20s", "-s", script.name,
                          "-H", f"Cookie: {cookie}", f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True)
    Path(script.name).unlink()
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT"))
    p50, p95, p99, n, duration, errors = (int(v) for v in line.split()[1:])
    return {"p50": p50 / 1e6, "p95": p95 / 1e6, "p99": p99 / 1e6, "rps": n / (duration / 1e6), "errors": errors}


def logged_in(port: int, name: str) -> tuple[Client, str]:
    """A client with a session, and its Cookie header for wrk."""
    client = Client(port)
    client.log_in(name)
    return client, "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def measure(port: int, plan_id: int, args, workers: int) -> None:
    print(f"\nplanwatch serve --workers {workers} --threads {args.threads}")
    _, base, _ = single(port, "", "/login", args.requests)
    print(f"{'page':<34}{'first view':>12}{'then median':>13}{'× login':>9}{'size':>9}")
    print(f"{'/login (baseline)':<34}{'':>12}{base * 1000:10.1f} ms{1:8.1f}×")
    pages = [f"/plans/{plan_id}", f"/plans/{plan_id}.json", f"/plans/{plan_id}?kind=task", "/items/I1", "/items/T1",
             "/review.json", "/audit", "/"]
    for path in pages:
        first, median, size = single(port, "bench-admin", path, args.requests)
        print(f"{path:<34}{first * 1000:9.1f} ms{median * 1000:10.1f} ms{median / base:8.1f}×{size / 1024:6.0f} KB")
    dashboard = [f"/plans/{plan_id}", f"/plans/{plan_id}.json", "/items/I1", f"/plans/{plan_id}?kind=task"]
    tool = "wrk" if shutil.which("wrk") and not args.python_client else "python threads"
    client, cookie = logged_in(port, "bench-admin")
    for path in dashboard:  # the login was a write: the first views after it are the "first view" column above
        timed_get(client, path)
    if tool == "wrk":  # every worker process makes its kept pages before the measured runs (the first views are timed above)
        load_wrk(port, cookie, dashboard, 8, 2)
    for clients in (int(c) for c in args.clients.split(",")):
        if tool == "wrk":
            static = load_wrk(port, "", ["/static/planwatch.css"], clients, args.seconds)
            r = load_wrk(port, cookie, dashboard, clients, args.seconds)
        else:
            static = load(port, "", ["/static/planwatch.css"], clients, args.requests)
            r = load(port, "bench-admin", dashboard, clients, args.requests)
        print(f"{clients:>3} clients ({tool}), static file (baseline): p50 {static['p50'] * 1000:7.1f} ms, "
              f"p95 {static['p95'] * 1000:7.1f} ms, {static['rps']:6.1f} requests/s, {static['errors']} errors")
        print(f"{clients:>3} clients ({tool}), dashboard, its JSON twin, an item page, the task roll-up: p50 {r['p50'] * 1000:7.1f} ms, "
              f"p95 {r['p95'] * 1000:7.1f} ms ({r['p95'] / static['p95']:.1f}× static), p99 {r['p99'] * 1000:7.1f} ms, "
              f"{r['rps']:6.1f} requests/s ({r['rps'] / static['rps']:.2f}× static), {r['errors']} errors")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    ap.add_argument("--chapters", type=int, default=40)
    ap.add_argument("--requests", type=int, default=20, help="requests per client")
    ap.add_argument("--clients", default="10,50")
    ap.add_argument("--threads", type=int, default=16, help="server worker threads, as planwatch serve")
    ap.add_argument("--workers", default="1,2", help="server processes to measure, comma-separated")
    ap.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    ap.add_argument("--python-client", action="store_true", help="load from Python threads even where wrk is installed")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        url = args.db or f"sqlite:///{tmp / 'bench.db'}"
        t = time.perf_counter()
        plan_id = build(url, tmp, args.chapters)
        engine = make_engine(url)
        add_user(engine, "bench-admin", "admin")
        set_password(engine, "bench-admin", PASSWORD, actor="bench-admin")
        assess_plan(engine, str(plan_id), PERIODS[-2], actor="bench-admin", save=True)
        engine.dispose()
        print(f"ledger built and assessed in {time.perf_counter() - t:.1f} s (not timed below)")
        key_file = tmp / "key"
        key_file.write_bytes(b"b" * 40)
        for workers in (int(w) for w in args.workers.split(",")):
            port = free_port()
            server = serve(url, port, args.threads, workers, key_file)
            try:
                measure(port, plan_id, args, workers)
            finally:
                server.terminate()
                server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
