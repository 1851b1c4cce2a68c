#!/usr/bin/env python3
"""Writes the files benches/compare.sh serves with nginx: FEEDS RSS feeds of 50 items
(feeds/N.xml, about 38 KB each) and Yahoo-shaped chart JSON for each symbol
(yahoo/v8/finance/chart/SYM). Deterministic, so every run and every client sees the same
bytes; nginx adds the ETag and Last-Modified and answers a matching conditional GET with 304,
as a well-run news site does. Usage: compare_fixtures.py DIR FEEDS SYMBOL..."""
import email.utils, json, os, random, sys

BASE = 1737936000  # 2025-01-27 00:00 UTC
WORDS = ("chip stocks slide as DeepSeek model rattles AI trade Nvidia Broadcom TSMC investors "
         "question capex guidance data centre spending export rules Nasdaq futures fall record "
         "market value wiped semiconductor index analysts cut targets demand outlook").split()


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def feed(n):
    rng = random.Random(n)
    items = []
    for k in range(50):
        when = email.utils.formatdate(BASE + n * 37 + k * 600, usegmt=True)
        summary = f"&lt;p&gt;{sentence(rng, 64)} &amp;amp; more.&lt;/p&gt;"
        items.append(
            f"<item><title>{sentence(rng, 11).capitalize()}</title>"
            f"<link>https://news{n % 17}.example.com/{n}/story-{k}?utm_source=rss</link>"
            f'<guid isPermaLink="false">bench-{n}-{k}</guid><pubDate>{when}</pubDate>'
            f"<description>{summary}</description></item>\n")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>Bench feed {n}</title><link>https://news{n % 17}.example.com/</link>"
            f"<description>Feed {n} of the comparison</description>\n{''.join(items)}</channel></rss>\n").encode()


def chart(sym):
    rng = random.Random(sym)
    prev = round(rng.uniform(20, 900), 2)
    closes, price = [], prev
    for _ in range(78):
        price = round(price * (1 + rng.uniform(-0.006, 0.005)), 2)
        closes.append(price)
    stamps = [1737988200 + 300 * i for i in range(78)]
    period = lambda start, end: {"timezone": "EST", "start": start, "end": end, "gmtoffset": -18000}
    quote = {"close": closes, "open": closes, "high": [round(c * 1.001, 2) for c in closes],
             "low": [round(c * 0.999, 2) for c in closes], "volume": [rng.randint(10**4, 10**6) for _ in closes]}
    return json.dumps({"chart": {"result": [{
        "meta": {"currency": "USD", "symbol": sym, "instrumentType": "EQUITY", "regularMarketPrice": price,
                 "chartPreviousClose": prev, "regularMarketTime": stamps[-1], "gmtoffset": -18000,
                 "regularMarketDayHigh": max(closes), "regularMarketDayLow": min(closes),
                 "regularMarketVolume": sum(quote["volume"]),
                 "currentTradingPeriod": {"pre": period(1737968400, 1737988200),
                                          "regular": period(1737988200, 1738011600),
                                          "post": period(1738011600, 1738026000)}},
        "timestamp": stamps, "indicators": {"quote": [quote]}}], "error": None}}).encode()


def write(path, body):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(body)
    # One fixed mtime: nginx's ETag and Last-Modified then match from run to run.
    os.utime(path, (BASE + 75600, BASE + 75600))


root, feeds, symbols = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
for n in range(1, feeds + 1):
    write(os.path.join(root, "feeds", f"{n}.xml"), feed(n))
for sym in symbols:
    write(os.path.join(root, "yahoo/v8/finance/chart", sym), chart(sym))
