#!/usr/bin/env python3
"""Times the dashboard's pages on a running hub: signs in with an API key (a session, as a browser), then asks each
page once cold, WARMUP times more, and COUNT times measured, one request after the other on one keep-alive connection.
Prints per page: the cold request, p50 / p95 / max of the measured ones as the client saw them on the loopback, and the
server's own mean over the same requests (http.server.requests from /actuator/prometheus, the time from the request's
arrival to its last byte, session lookup and rendering included). Then the overview right after a change to findings: CHANGES
times, mutes one open finding through the API (a suppression of one finding, as a user would) and times the next
overview, whose summary totals must first be brought forward. Not a test: it prints figures, and fails only when a
page does not answer 200 with its heading. The suppressions it adds stay in the database.

Usage: dashboard-pages.py BASE_URL API_KEY KEY_REF ACCOUNT_ID [COUNT=50] [WARMUP=10]
"""
import http.client
import json
import re
import sys
import time
import urllib.parse

BASE, API_KEY, KEY_REF, ACCOUNT = sys.argv[1:5]
COUNT = int(sys.argv[5]) if len(sys.argv) > 5 else 50
WARMUP = int(sys.argv[6]) if len(sys.argv) > 6 else 10
TARGET_MS = 150

url = urllib.parse.urlsplit(BASE)
connection = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
cookie = {}


def request(method, path, body=None):
    headers = {"Accept": "text/html"}
    if cookie:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookie.items())
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urllib.parse.urlencode(body)
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    content = response.read().decode("utf-8", "replace")
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookie[name] = rest.split(";", 1)[0]
    return response.status, content


def server_seconds(uri):
    """Sum and count of http.server.requests for GET uri, over all its statuses."""
    metrics = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    metrics.request("GET", "/actuator/prometheus")
    text = metrics.getresponse().read().decode()
    metrics.close()
    total = {"sum": 0.0, "count": 0.0}
    for line in text.splitlines():
        for kind in total:
            if line.startswith(f"http_server_requests_seconds_{kind}{{") and f'uri="{uri}"' in line \
                    and 'method="GET"' in line:
                total[kind] += float(line.rsplit(" ", 1)[1])
    return total["sum"], total["count"]


status, page = request("GET", "/sign-in")
csrf = re.search(r'name="_csrf"\s+value="([^"]+)"', page).group(1)
status, _ = request("POST", "/sign-in", {"apiKey": API_KEY, "_csrf": csrf})
if status != 302 or "SESSION" not in cookie:
    sys.exit(f"sign-in failed: {status}")

PAGES = [
    ("overview", "/", "/", "<h1>Overview</h1>"),
    ("findings", "/findings", "/findings", "<h1>Findings</h1>"),
    ("findings, type and account filter", f"/findings?type=KEY_UNUSED&accountId={ACCOUNT}", "/findings",
     "<h1>Findings</h1>"),
    ("key", f"/keys/{KEY_REF}", "/keys/{id}", '<h1>Key <span id="key-id">'),
    ("accounts", "/accounts", "/accounts", "<h1>Accounts</h1>"),
    ("scans", "/scans", "/scans", "<h1>Scans</h1>"),
    ("settings", "/settings", "/settings", "<h1>Settings</h1>"),
    ("suppressions", "/suppressions", "/suppressions", "<h1>Suppressions</h1>"),
]

print(f"| {'page':<36} | {'bytes':>7} | {'cold ms':>8} | {'p50 ms':>7} | {'p95 ms':>7} | {'max ms':>7} "
      f"| {'server mean ms':>14} | < {TARGET_MS} ms |")
print(f"|{'-' * 38}|{'-' * 9}:|{'-' * 9}:|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|{'-' * 15}:|{'-' * 10}|")
slow = []
for name, path, uri, heading in PAGES:
    start = time.perf_counter()
    status, body = request("GET", path)
    cold = (time.perf_counter() - start) * 1000
    if status != 200 or heading not in body:
        sys.exit(f"{path}: HTTP {status}, heading {heading!r} {'found' if heading in body else 'missing'}")
    for _ in range(WARMUP):
        request("GET", path)
    before = server_seconds(uri)
    times = []
    for _ in range(COUNT):
        start = time.perf_counter()
        status, body = request("GET", path)
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            sys.exit(f"{path}: HTTP {status}")
    after = server_seconds(uri)
    server_mean = (after[0] - before[0]) / (after[1] - before[1]) * 1000
    times.sort()
    p50 = times[len(times) // 2]
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    ok = p95 < TARGET_MS
    if not ok:
        slow.append(name)
    print(f"| {name:<36} | {len(body):>7} | {cold:>8.1f} | {p50:>7.1f} | {p95:>7.1f} | {times[-1]:>7.1f} "
          f"| {server_mean:>14.1f} | {'yes' if ok else 'NO':<8} |")
print(f"{COUNT} measured requests per page after {WARMUP} warm-up ones; "
      + ("every page's p95 under the target" if not slow else "p95 over the target: " + ", ".join(slow)))


def api(method, path, body=None):
    """The JSON API with the tenant's key, on a connection of its own."""
    api_connection = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    headers = {"Authorization": f"Bearer {API_KEY}", "Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body)
    api_connection.request(method, path, body=body, headers=headers)
    response = api_connection.getresponse()
    answer = json.loads(response.read() or b"null")
    api_connection.close()
    return response.status, answer


CHANGES = 10
status, page = api("GET", f"/api/v1/findings?status=OPEN&limit={CHANGES}")
if status != 200 or len(page["items"]) < CHANGES:
    sys.exit(f"findings to mute: HTTP {status}")
before = server_seconds("/")
times = []
for finding in page["items"]:
    status, _ = api("POST", "/api/v1/suppressions", {"scope": "FINDING", "findingId": finding["id"],
                                                     "reason": "dashboard benchmark", "author": "bench"})
    if status != 201:
        sys.exit(f"muting a finding: HTTP {status}")
    start = time.perf_counter()
    status, body = request("GET", "/")
    times.append((time.perf_counter() - start) * 1000)
    if status != 200:
        sys.exit(f"/: HTTP {status}")
after = server_seconds("/")
times.sort()
print(f"overview right after muting one finding ({CHANGES} times): p50 {times[len(times) // 2]:.1f} ms, "
      f"max {times[-1]:.1f} ms, server mean {(after[0] - before[0]) / (after[1] - before[1]) * 1000:.1f} ms")
