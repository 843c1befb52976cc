//! A loopback proxy between `caseload` and the office that breaks
//! connections as networks and dying servers do: an answer cut mid-body, an
//! answer held back, a request that stops half-way while the office waits
//! for the rest. Each connection's fault comes from a plan over its number
//! (from 0), or from a one-off fault set for the next connection; the
//! office behind it can be changed when it restarts on another port.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// What the proxy does to one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Passes both ways untouched.
    None,
    /// Passes the request; of the answer, its head and at most `keep` bytes
    /// of its body (never all of it), then cuts the connection.
    CutAnswer { keep: usize },
    /// Holds each piece of the answer this long before passing it on.
    HoldAnswer(Duration),
    /// Passes the request's head and at most `keep` bytes of its body (never
    /// all of it), then nothing more: the office waits for the rest until
    /// it goes away, and the connection is cut when it does.
    StallRequest { keep: usize },
    /// Passes the request whole and none of the answer: the office has done
    /// the work, the device never hears of it; cut when the office goes away.
    StallAnswer,
}

/// How often each fault has struck so far.
#[derive(Debug, Default)]
pub struct Counts {
    pub connections: AtomicUsize,
    /// Answers cut mid-body.
    pub cuts: AtomicUsize,
    /// Pieces of answers held back.
    pub held: AtomicUsize,
    /// Requests or answers stalled, counted as they stall.
    pub stalled: AtomicUsize,
}

impl Counts {
    pub fn get(counter: &AtomicUsize) -> usize {
        counter.load(Ordering::SeqCst)
    }
}

struct Route {
    office: Mutex<String>,
    plan: fn(usize) -> Fault,
    next: Mutex<Option<Fault>>,
}

pub struct Proxy {
    pub url: String,
    pub counts: Arc<Counts>,
    route: Arc<Route>,
}

/// Thirty connections in a hundred, spread so that no two in a row are cut.
pub fn thirty_percent_cut(connection: usize) -> Fault {
    if (connection * 7) % 10 < 3 {
        Fault::CutAnswer { keep: 16 }
    } else {
        Fault::None
    }
}

fn address(office: &str) -> String {
    office
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned()
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Proxy {
    /// A proxy on a loopback port to the office at `office`
    /// (`http://127.0.0.1:PORT`), faulting connections by `plan`.
    pub fn start(office: &str, plan: fn(usize) -> Fault) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
        let url = format!("http://{}", listener.local_addr().expect("its address"));
        let counts = Arc::new(Counts::default());
        let route = Arc::new(Route {
            office: Mutex::new(address(office)),
            plan,
            next: Mutex::new(None),
        });
        let (accepted, routed) = (Arc::clone(&counts), Arc::clone(&route));
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let number = accepted.connections.fetch_add(1, Ordering::SeqCst);
                let fault = lock(&routed.next)
                    .take()
                    .unwrap_or_else(|| (routed.plan)(number));
                let office = lock(&routed.office).clone();
                // An office that is down: the device sees the connection close.
                let (Ok(client), Ok(server)) = (client, TcpStream::connect(&office)) else {
                    continue;
                };
                relay(client, server, fault, Arc::clone(&accepted));
            }
        });
        Proxy { url, counts, route }
    }

    /// From now on, connections go to the office at `office`.
    pub fn retarget(&self, office: &str) {
        *lock(&self.route.office) = address(office);
    }

    /// The next connection suffers `fault`, whatever the plan says.
    pub fn fault_next(&self, fault: Fault) {
        *lock(&self.route.next) = Some(fault);
    }
}

fn relay(client: TcpStream, server: TcpStream, fault: Fault, counts: Arc<Counts>) {
    let (Ok(from_client), Ok(to_server)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    let request_counts = Arc::clone(&counts);
    std::thread::spawn(move || match fault {
        Fault::StallRequest { keep } => {
            stall_request(from_client, to_server, keep, &request_counts);
        }
        _ => {
            let (mut from_client, mut to_server) = (from_client, to_server);
            let _ = std::io::copy(&mut from_client, &mut to_server);
            let _ = to_server.shutdown(Shutdown::Write);
        }
    });
    std::thread::spawn(move || {
        let (mut from_server, mut to_client) = (server, client);
        match fault {
            Fault::None | Fault::StallRequest { .. } => {
                let _ = std::io::copy(&mut from_server, &mut to_client);
            }
            Fault::CutAnswer { keep } => {
                let head = read_cut(&mut from_server, keep);
                let _ = to_client.write_all(&head);
                counts.cuts.fetch_add(1, Ordering::SeqCst);
            }
            Fault::HoldAnswer(delay) => {
                hold_answer(&mut from_server, &mut to_client, delay, &counts)
            }
            Fault::StallAnswer => {
                let mut first = [0; 1];
                if matches!(from_server.read(&mut first), Ok(1)) {
                    counts.stalled.fetch_add(1, Ordering::SeqCst);
                    let _ = std::io::copy(&mut from_server, &mut std::io::sink());
                }
            }
        }
        let _ = to_client.shutdown(Shutdown::Both);
        let _ = from_server.shutdown(Shutdown::Both);
    });
}

/// Reads a message's head and at most `keep` bytes of its body, never its
/// last byte: what is left of a message cut mid-body.
fn read_cut(from: &mut TcpStream, keep: usize) -> Vec<u8> {
    let mut seen = Vec::new();
    let mut buffer = [0; 16 * 1024];
    loop {
        if let Some(cut) = cut_point(&seen, keep) {
            if seen.len() >= cut {
                seen.truncate(cut);
                return seen;
            }
        }
        match from.read(&mut buffer) {
            Ok(0) | Err(_) => return seen,
            Ok(read) => seen.extend_from_slice(&buffer[..read]),
        }
    }
}

/// Where to cut an HTTP message whose start is `seen`: after its head and
/// `keep` bytes of body, or one byte short of the whole body. None until
/// the head has arrived.
fn cut_point(seen: &[u8], keep: usize) -> Option<usize> {
    let head = seen.windows(4).position(|window| window == b"\r\n\r\n")? + 4;
    let length = String::from_utf8_lossy(&seen[..head])
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(keep + 1);
    Some(head + keep.min(length.saturating_sub(1)))
}

fn stall_request(
    mut from_client: TcpStream,
    mut to_server: TcpStream,
    keep: usize,
    counts: &Counts,
) {
    let head = read_cut(&mut from_client, keep);
    if to_server.write_all(&head).is_ok() {
        counts.stalled.fetch_add(1, Ordering::SeqCst);
    }
    // Nothing more goes through; the answer's side cuts the device off when
    // the office goes away.
    let _ = std::io::copy(&mut from_client, &mut std::io::sink());
}

fn hold_answer(from: &mut TcpStream, to: &mut TcpStream, delay: Duration, counts: &Counts) {
    let mut buffer = [0; 16 * 1024];
    loop {
        match from.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(read) => {
                counts.held.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(delay);
                if to.write_all(&buffer[..read]).is_err() {
                    return;
                }
            }
        }
    }
}
