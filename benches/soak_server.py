#!/usr/bin/env python3
"""A local server whose quotes and feeds change every second, for benches/soak.sh.
Serves Yahoo-shaped chart JSON at /yahoo/v8/finance/chart/SYM and RSS at /feeds/N.xml
(each feed gains an item per second and keeps its newest 50). 127.0.0.1 only."""
import http.server, json, math, sys, time

START = time.time()

def chart(sym):
    t = time.time()
    base = 100 + (hash(sym) % 50)
    price = base * (1 + 0.05 * math.sin((t - START) / 30 + len(sym)))
    n = int(t - START) % 78 + 1
    ts = [int(START) + 300 * i for i in range(n)]
    closes = [round(base * (1 + 0.05 * math.sin(i / 7)), 2) for i in range(n)]
    return {"chart": {"result": [{"meta": {"currency": "USD", "symbol": sym, "regularMarketPrice": round(price, 2),
            "chartPreviousClose": base, "regularMarketTime": int(t), "gmtoffset": -18000},
            "timestamp": ts, "indicators": {"quote": [{"close": closes}]}}], "error": None}}

def feed(n):
    now = int(time.time())
    items = []
    for k in range(now - 49, now + 1):
        items.append(f"<item><title>Feed {n} story {k} about NVDA</title><guid>f{n}-{k}</guid>"
                     f"<link>https://soak.example.com/{n}/{k}</link><pubDate>{time.strftime('%a, %d %b %Y %H:%M:%S GMT', time.gmtime(k))}</pubDate></item>")
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Soak {n}</title>{"".join(items)}</channel></rss>'

class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        p = self.path.split("?")[0]
        if p.startswith("/yahoo/v8/finance/chart/"):
            body, ct = json.dumps(chart(p.rsplit("/", 1)[1])).encode(), "application/json"
        elif p.startswith("/feeds/"):
            body, ct = feed(p.rsplit("/", 1)[1].split(".")[0]).encode(), "application/rss+xml"
        else:
            self.send_response(404); self.send_header("Content-Length", "0"); self.end_headers(); return
        self.send_response(200)
        self.send_header("Content-Type", ct)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
