//! The URL checker's concurrency against its ideal: 100 URLs over 10 loopback hosts
//! (127.0.0.2–127.0.0.11) whose answers take 200 ms.
//!
//! The ideal is set by both limits: rounds = max(ceil(10 per host / 4 per host),
//! ceil(100 / global)). With the defaults (32 in flight, 4 per host) the global limit binds:
//! 4 rounds, 800 ms. With 40 in flight the per-host limit binds: ceil(10 / 4) = 3 rounds, 600 ms.
//! Both are measured.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::Row;
use crate::model::schema::Expectation;
use crate::urlcheck::run::{check_all_async, Target};
use crate::urlcheck::{CheckConfig, Outcome};

const HOSTS: u8 = 10;
const URLS_PER_HOST: usize = 10;
const LATENCY: Duration = Duration::from_millis(200);

pub fn run() -> Vec<Row> {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return vec![Row::failed("URL check", format!("no runtime: {error}"))],
    };
    let defaults = CheckConfig::default();
    let per_host_bound = CheckConfig {
        concurrency: usize::from(HOSTS) * defaults.per_host,
        ..CheckConfig::default()
    };
    let mut rows = runtime.block_on(measure(&defaults));
    rows.extend(runtime.block_on(measure(&per_host_bound)));
    rows
}

async fn measure(config: &CheckConfig) -> Vec<Row> {
    let mut targets = Vec::new();
    for host in 0..HOSTS {
        let address = format!("127.0.0.{}:0", host + 2);
        let listener = match TcpListener::bind(&address).await {
            Ok(listener) => listener,
            Err(error) => {
                return vec![Row::failed(
                    "URL check",
                    format!("cannot bind {address}: {error}"),
                )]
            }
        };
        let local = listener
            .local_addr()
            .expect("a bound listener has an address");
        tokio::spawn(serve_slowly(listener));
        for page in 0..URLS_PER_HOST {
            targets.push(Target {
                url: format!("http://{local}/page/{page}"),
                expectation: Expectation::Ok,
                redirect_to: None,
            });
        }
    }
    let per_host_rounds = URLS_PER_HOST.div_ceil(config.per_host);
    let global_rounds = targets.len().div_ceil(config.concurrency);
    let ideal = LATENCY * per_host_rounds.max(global_rounds) as u32;
    let started = Instant::now();
    let checked = match check_all_async(&targets, config, None, &|_| {}).await {
        Ok(checked) => checked,
        Err(error) => return vec![Row::failed("URL check", error)],
    };
    let wall = started.elapsed();
    let ok = checked
        .iter()
        .filter(|c| c.report.outcome == Outcome::Ok)
        .count();
    let ratio = wall.as_secs_f64() / ideal.as_secs_f64();
    vec![Row::new(
        format!(
            "URL check, {} URLs on {HOSTS} hosts, 200 ms each, {} in flight, {} per host",
            targets.len(),
            config.concurrency,
            config.per_host
        ),
        format!("{} ms", wall.as_millis()),
        format!("≤ 1.25 × ideal {} ms", ideal.as_millis()),
        format!("{ratio:.2} × ideal, {ok}/{} ok", targets.len()),
        ratio <= 1.25 && ok == targets.len(),
    )]
}

/// Reads an HTTP request's head (up to the blank line); `None` when the client went away.
pub(super) async fn read_request_head(stream: &mut tokio::net::TcpStream) -> Option<Vec<u8>> {
    let mut buffer = vec![0u8; 4096];
    let mut request = Vec::new();
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return None,
            Ok(read) => request.extend_from_slice(&buffer[..read]),
        }
    }
    Some(request)
}

/// Answers every request with 200 after `LATENCY`: the latency is the server's, by design.
async fn serve_slowly(listener: TcpListener) {
    while let Ok((mut stream, _)) = listener.accept().await {
        tokio::spawn(async move {
            if read_request_head(&mut stream).await.is_none() {
                return;
            }
            tokio::time::sleep(LATENCY).await;
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .await;
        });
    }
}
