//! A static web server on loopback, for the opener site's tests: it serves
//! a folder under a path (as an organisation hosts the opener under, say,
//! `/opener/`), and logs every request it receives (its method, path and
//! body length), so that a test can tell that nothing, and no byte of an
//! envelope or a passphrase, was sent after the page loaded.
//!
//! This is harness code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// One request the server received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `POST`…
    pub method: String,
    /// The path and query.
    pub path: String,
    /// How many bytes its body had.
    pub body_len: usize,
}

/// The server; it stops answering when dropped.
pub struct SiteServer {
    /// The site's address, ending in `/`.
    pub url: String,
    log: Arc<Mutex<Vec<Request>>>,
    offline: Arc<AtomicBool>,
}

impl SiteServer {
    /// Serves `dir`'s files under `http://127.0.0.1:PORT/<prefix>/`.
    pub fn serve(dir: &Path, prefix: &str) -> SiteServer {
        SiteServer::serve_with(dir, prefix, Vec::new())
    }

    /// The same, and each of `extra` (an HTML page) at its absolute path:
    /// another page of the same origin, outside the site's folder.
    pub fn serve_with(dir: &Path, prefix: &str, extra: Vec<(String, Vec<u8>)>) -> SiteServer {
        let extra = Arc::new(extra);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let offline = Arc::new(AtomicBool::new(false));
        let root = dir.to_path_buf();
        let prefix = format!("/{prefix}/");
        let (thread_log, thread_offline, thread_prefix) =
            (log.clone(), offline.clone(), prefix.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (log, offline, root, prefix, extra) = (
                    thread_log.clone(),
                    thread_offline.clone(),
                    root.clone(),
                    thread_prefix.clone(),
                    extra.clone(),
                );
                std::thread::spawn(move || {
                    answer(stream, &root, &prefix, &extra, &log, &offline);
                });
            }
        });
        SiteServer {
            url: format!("http://127.0.0.1:{port}{prefix}"),
            log,
            offline,
        }
    }

    /// Every request received since the last [`SiteServer::clear`].
    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().unwrap().clone()
    }

    /// Forgets the requests received so far.
    pub fn clear(&self) {
        self.log.lock().unwrap().clear();
    }

    /// From now on, every connection is closed unanswered (requests are
    /// still logged): the network is gone.
    pub fn go_offline(&self) {
        self.offline.store(true, Ordering::SeqCst);
    }
}

fn answer(
    stream: TcpStream,
    root: &Path,
    prefix: &str,
    extra: &[(String, Vec<u8>)],
    log: &Mutex<Vec<Request>>,
    offline: &AtomicBool,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return;
    }
    let mut content_length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            content_length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body_len = 0;
    let mut buffer = [0u8; 64 * 1024];
    while body_len < content_length {
        match reader.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => body_len += n,
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    log.lock().unwrap().push(Request {
        method: method.clone(),
        path: path.clone(),
        body_len,
    });
    let mut stream = stream;
    if offline.load(Ordering::SeqCst) {
        let _ = stream.shutdown(Shutdown::Both);
        return;
    }
    let file = path
        .split(['?', '#'])
        .next()
        .and_then(|path| path.strip_prefix(prefix))
        .filter(|name| !name.contains("..") && !name.contains('/'))
        .map(|name| if name.is_empty() { "index.html" } else { name })
        .map(|name| root.join(name))
        .filter(|file: &PathBuf| method == "GET" && file.is_file());
    let page = extra
        .iter()
        .find(|(at, _)| *at == path && method == "GET")
        .map(|(_, body)| body.clone());
    let response = match (file, page) {
        (_, Some(body)) => {
            let mut response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .into_bytes();
            response.extend_from_slice(&body);
            response
        }
        (Some(file), None) => {
            let body = std::fs::read(&file).unwrap();
            let kind = match file.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript",
                Some("webmanifest") => "application/manifest+json",
                Some("png") => "image/png",
                _ => "application/octet-stream",
            };
            let mut response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
                 Cache-Control: no-cache\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .into_bytes();
            response.extend_from_slice(&body);
            response
        }
        (None, None) => {
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
        }
    };
    let _ = stream.write_all(&response);
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Both);
}
