//! A real HTTP/1.1 server on 127.0.0.1 for tests: routes answer with fixture files
//! or with faults (hang, truncated body, 429...). Every request is recorded.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

#[derive(Clone, Debug)]
pub enum Behaviour {
    Normal,
    /// Accept, read the request, then say nothing for this long.
    Hang(Duration),
    /// Declare the full Content-Length but send only this many bytes, then close.
    Truncate(usize),
    /// Send the body one byte at a time with this pause between bytes.
    Drip(Duration),
    /// Read the request, then close the connection without a word.
    Reset,
}

#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub behaviour: Behaviour,
}

impl Reply {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            behaviour: Behaviour::Normal,
        }
    }

    /// A file under tests/fixtures, served as JSON/XML/HTML by its extension.
    pub fn fixture(status: u16, rel: &str) -> Self {
        let path = fixtures_dir().join(rel);
        let body = std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()));
        let ct = match path.extension().and_then(|e| e.to_str()) {
            Some("json") => "application/json",
            Some("html") => "text/html; charset=utf-8",
            Some("xml") => "application/xml",
            _ => "application/octet-stream",
        };
        Self::new(status, ct, body)
    }

    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.into(), v.into()));
        self
    }

    pub fn behave(mut self, b: Behaviour) -> Self {
        self.behaviour = b;
        self
    }
}

#[derive(Clone, Debug)]
pub struct Request {
    /// Path and query as sent.
    pub target: String,
    pub headers: HashMap<String, String>,
    /// When its request line had been read.
    pub at: std::time::Instant,
}

type Routes = Arc<Mutex<HashMap<String, Reply>>>;

pub struct Server {
    pub base: String,
    routes: Routes,
    log: Arc<Mutex<Vec<Request>>>,
}

pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

impl Server {
    pub fn start() -> Self {
        Self::on(TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1"))
    }

    /// Serving on a listener of the caller's (a port chosen before, say).
    pub fn on(listener: TcpListener) -> Self {
        let base = format!("http://{}", listener.local_addr().expect("local addr"));
        let routes: Routes = Arc::default();
        let log: Arc<Mutex<Vec<Request>>> = Arc::default();
        let (r, l) = (Arc::clone(&routes), Arc::clone(&log));
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (r, l) = (Arc::clone(&r), Arc::clone(&l));
                thread::spawn(move || serve(stream, &r, &l));
            }
        });
        Self { base, routes, log }
    }

    /// A route with a query ("/a?s=NVDA") matches that exact target; one without
    /// matches the path whatever the query.
    pub fn route(&self, path: &str, reply: Reply) -> &Self {
        self.routes.lock().unwrap().insert(path.to_string(), reply);
        self
    }

    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().unwrap().clone()
    }

    pub fn count(&self, path: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.target.split('?').next() == Some(path))
            .count()
    }
}

fn serve(stream: TcpStream, routes: &Routes, log: &Arc<Mutex<Vec<Request>>>) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    log.lock().unwrap().push(Request {
        target: target.clone(),
        headers: headers.clone(),
        at: std::time::Instant::now(),
    });
    let path = target.split('?').next().unwrap_or("/").to_string();
    let reply = {
        let routes = routes.lock().unwrap();
        routes.get(&target).or_else(|| routes.get(&path)).cloned()
    }
    .unwrap_or_else(|| Reply::new(404, "text/plain", format!("no route for {path}")));
    let mut stream = stream;
    // Conditional GET: a matching validator gets a bodiless 304.
    let validator = |name: &str| {
        reply
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    };
    let matches = |req: &str, resp: &str| headers.get(req).is_some_and(|v| Some(v) == validator(resp));
    if matches("if-none-match", "etag") || matches("if-modified-since", "last-modified") {
        let _ = stream.write_all(b"HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n");
        return;
    }
    match reply.behaviour {
        Behaviour::Hang(d) => {
            thread::sleep(d);
            return;
        }
        Behaviour::Reset => return,
        _ => {}
    }
    let reason = match reply.status {
        200 => "OK",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        302 => "Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
    let mut head = format!("HTTP/1.1 {} {reason}\r\nConnection: close\r\n", reply.status);
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", reply.body.len()));
    let _ = stream.write_all(head.as_bytes());
    let body = match reply.behaviour {
        Behaviour::Truncate(n) => &reply.body[..n.min(reply.body.len())],
        _ => &reply.body[..],
    };
    if let Behaviour::Drip(pause) = reply.behaviour {
        for b in body {
            if stream.write_all(&[*b]).is_err() {
                return;
            }
            let _ = stream.flush();
            thread::sleep(pause);
        }
        return;
    }
    let _ = stream.write_all(body);
    let _ = stream.flush();
    // Drain so the client never sees a reset before it read the response.
    let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
    let _ = reader.read(&mut [0u8; 1024]);
}
