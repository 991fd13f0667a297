//! The server binary as a child process, for tests that measure its memory: in its own
//! process, its peak resident memory (`VmHWM`) is its own, not the test's.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A `seedream-server --mock` process on a free loopback port, killed when dropped.
pub struct MockProcess {
    child: Child,
    pub addr: SocketAddr,
}

impl MockProcess {
    /// Starts the mock with `args` and waits (at most 20 s) for the line that says
    /// where it listens.
    pub fn start(args: &[&str]) -> MockProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_seedream-server"))
            .args(["--mock", "--listen", "127.0.0.1:0"])
            .args(args)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server binary starts");
        let stdout = child.stdout.take().expect("its output");
        let (found, listening) = mpsc::channel();
        // Reads the output to its end, so the server never writes to a closed pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let addr = line
                    .split("http://")
                    .nth(1)
                    .and_then(|rest| rest.split('/').next())
                    .and_then(|addr| addr.parse::<SocketAddr>().ok());
                if let Some(addr) = addr {
                    let _ = found.send(addr);
                }
            }
        });
        let addr = match listening.recv_timeout(Duration::from_secs(20)) {
            Ok(addr) => addr,
            Err(err) => {
                let _ = child.kill();
                panic!("the mock did not say where it listens: {err}");
            }
        };
        MockProcess { child, addr }
    }

    /// `http://<addr><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The most memory the process has held resident since it started, in bytes.
    pub fn peak_memory(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the mock's /proc status");
        let kib: u64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("a VmHWM line");
        kib * 1024
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
