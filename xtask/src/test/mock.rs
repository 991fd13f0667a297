//! The mock the big-submit wasm test (`tests/big_submit.rs`) talks to: the debug
//! `seedream-server` with `--mock` as a child process on a fixed loopback port, its
//! CORS allowing the test runner's page, stopped when dropped.
//!
//! Both ports are fixed. The test binary reads the mock's origin when it is compiled
//! (`option_env!("SEEDREAM_TEST_MOCK")`), so a port that changed from run to run would
//! rebuild it every time; and the runner's page must be on a known origin for the
//! mock to allow it. They lie below Linux's ephemeral range (32768 and up), so no
//! outgoing connection takes them by chance.

use std::fs::File;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::process::{describe, server_binary};
use crate::test::targets::{Targets, WORKSPACE};

/// Where the mock listens.
const MOCK_PORT: u16 = 28_471;
/// Where wasm-bindgen-test-runner serves the test page (`WASM_BINDGEN_TEST_ADDRESS`).
const RUNNER_PORT: u16 = 28_472;

/// `http://127.0.0.1:<port>`, the value of `SEEDREAM_TEST_MOCK`.
pub fn mock_origin() -> String {
    format!("http://{}", address(MOCK_PORT))
}

/// `127.0.0.1:<port>`, the value of `WASM_BINDGEN_TEST_ADDRESS`.
pub fn runner_address() -> String {
    address(RUNNER_PORT).to_string()
}

fn address(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, port))
}

/// The running mock; killed when dropped, however the tests ended.
pub struct TestMock {
    child: Child,
    log: PathBuf,
}

impl TestMock {
    /// Builds the debug server (as the native tests built it), checks both fixed ports
    /// are free, and starts the mock with its log in `target/tmp/wasm-mock.log`;
    /// returns once it accepts connections.
    pub fn start(root: &Path, targets: &Targets) -> Result<TestMock> {
        ensure_free(MOCK_PORT, "the mock for the big-submit test")?;
        ensure_free(RUNNER_PORT, "the wasm test runner's page")?;
        let bin = debug_server(root, targets)?;
        let log = root.join("target").join("tmp").join("wasm-mock.log");
        if let Some(dir) = log.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let log_file = File::create(&log).with_context(|| format!("creating {}", log.display()))?;
        let mut cmd = Command::new(&bin);
        cmd.args(["--mock", "--listen", &address(MOCK_PORT).to_string()])
            .args(["--allow-origin", &format!("http://{}", runner_address())])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file);
        let shown = describe(&cmd);
        eprintln!("xtask: starting the mock: {shown}");
        let child = cmd
            .spawn()
            .with_context(|| format!("could not start `{shown}`"))?;
        let mut mock = TestMock { child, log };
        mock.wait_until_listening()?;
        Ok(mock)
    }

    /// Polls the port (at most 30 s) until the mock accepts, failing at once if it exits.
    fn wait_until_listening(&mut self) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "the mock exited at once ({status}); its log is {}:\n{}",
                    self.log.display(),
                    std::fs::read_to_string(&self.log).unwrap_or_default()
                );
            }
            if TcpStream::connect_timeout(&address(MOCK_PORT), Duration::from_secs(1)).is_ok() {
                return Ok(());
            }
            if Instant::now() >= deadline {
                bail!(
                    "the mock did not accept connections on {} within 30 s; its log is {}",
                    address(MOCK_PORT),
                    self.log.display()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for TestMock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Fails with what to do when something already listens on `port`.
fn ensure_free(port: u16, needed_by: &str) -> Result<()> {
    match TcpListener::bind(address(port)) {
        Ok(_) => Ok(()),
        Err(err) => bail!(
            "{} is taken ({err}), and {needed_by} needs it: the port is fixed, because the \
             big-submit test is compiled with the mock's address. Stop what listens there \
             (`ss -ltnp 'sport = :{port}'` shows it) and run the tests again.",
            address(port)
        ),
    }
}

/// The debug `seedream-server` executable as cargo reports it (so a `CARGO_TARGET_DIR`
/// elsewhere is followed), from the native tests' own build: the same command without
/// running anything, so cargo resolves the same features and has nothing left to
/// compile (the server's integration tests build the binary they start).
fn debug_server(root: &Path, targets: &Targets) -> Result<PathBuf> {
    let mut args = vec!["test"];
    args.extend(WORKSPACE);
    args.push("--no-run");
    args.extend(targets.native.iter().map(String::as_str));
    server_binary(root, &args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mock_allows_the_runners_origin_on_loopback() {
        assert_eq!(mock_origin(), "http://127.0.0.1:28471");
        assert_eq!(runner_address(), "127.0.0.1:28472");
    }
}
