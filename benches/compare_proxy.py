#!/usr/bin/env python3
"""Yahoo for tickrs, on 127.0.0.1: tickrs has no setting for its API address, so
benches/compare.sh starts it with HTTPS_PROXY pointing here and SSL_CERT_FILE naming a
throw-away CA made by this script. CONNECT tunnels are answered by this process itself with
a certificate for query1.finance.yahoo.com and fc.yahoo.com, and the requests inside get the
same chart JSON tickwire reads from nginx (ROOT/yahoo/v8/finance/chart/SYM), plus the cookie,
crumb and quoteSummary tickrs asks for. Nothing leaves the machine.
Usage: compare_proxy.py TLS_DIR PORT ROOT  (writes TLS_DIR/ca.pem, then TLS_DIR/ready)"""
import http.server, json, os, ssl, subprocess, sys, threading, urllib.parse

tls_dir, port, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(tls_dir, exist_ok=True)


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, cwd=tls_dir, capture_output=True)


openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=tickwire bench CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr",
        "-subj", "/CN=query1.finance.yahoo.com")
with open(os.path.join(tls_dir, "san.ext"), "w") as f:
    f.write("subjectAltName=DNS:query1.finance.yahoo.com,DNS:fc.yahoo.com\n")
openssl("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "leaf.pem", "-days", "2", "-extfile", "san.ext")
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(os.path.join(tls_dir, "leaf.pem"), os.path.join(tls_dir, "leaf.key"))
COUNTS = {"chart": 0, "other": 0}
LOCK = threading.Lock()


def chart_file(symbol):
    path = os.path.join(root, "yahoo/v8/finance/chart", os.path.basename(symbol))
    return open(path, "rb").read() if os.path.exists(path) else None


def company(symbol):
    raw = chart_file(symbol)
    meta = json.loads(raw)["chart"]["result"][0]["meta"] if raw else {}
    price = lambda v: {"raw": v, "fmt": f"{v:.2f}"} if v is not None else {}
    return {"quoteSummary": {"result": [{
        "assetProfile": {"website": "https://example.com", "industry": "Bench", "sector": "Bench",
                         "longBusinessSummary": f"{symbol}, served by the tickwire bench.",
                         "fullTimeEmployees": 1000},
        "price": {"symbol": symbol, "shortName": symbol, "longName": symbol, "currency": "USD",
                  "regularMarketPrice": price(meta.get("regularMarketPrice", 0.0)),
                  "regularMarketPreviousClose": price(meta.get("chartPreviousClose", 0.0)),
                  "postMarketPrice": {}, "regularMarketVolume": price(meta.get("regularMarketVolume"))}}],
        "error": None}}


class Inside(http.server.BaseHTTPRequestHandler):
    """What runs inside a tunnel, as if it were Yahoo."""
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(url.path)
        extra = []
        if path.startswith("/v8/finance/chart/"):
            body, kind = chart_file(path.rsplit("/", 1)[1]), "application/json"
            key = "chart"
        elif path.startswith("/v10/finance/quoteSummary/"):
            body, kind, key = json.dumps(company(path.rsplit("/", 1)[1])).encode(), "application/json", "other"
        elif path == "/v1/test/getcrumb":
            body, kind, key = b"benchcrumb", "text/plain", "other"
        else:
            body, kind, key = b"", "text/plain", "other"
            extra.append(("Set-Cookie", "A3=bench; Domain=.yahoo.com; Path=/"))
        with LOCK:
            COUNTS[key] += 1
        self.send_response(200 if body is not None else 404)
        body = body or b""
        for name, value in extra:
            self.send_header(name, value)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_CONNECT(self):
        self.send_response(200, "Connection established")
        self.end_headers()
        try:
            tunnel = context.wrap_socket(self.connection, server_side=True)
            Inside(tunnel, self.client_address, self.server)
        except (ssl.SSLError, OSError):
            pass
        self.close_connection = True

    def do_GET(self):
        # Plain requests to the proxy itself: how many requests came through, for the report.
        with LOCK:
            body = json.dumps(COUNTS).encode()
            COUNTS.update({key: 0 for key in COUNTS})
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Proxy)
server.daemon_threads = True
open(os.path.join(tls_dir, "ready"), "w").close()
server.serve_forever()
