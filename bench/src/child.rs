//! Child processes: commands run with a readable account of what failed, and the
//! server binary for the proxy rows and the intake and submit rows. Each server runs
//! as its own process, so its memory and CPU time are its own (`/proc/<pid>/`) and its
//! code the release build a deployment runs (`cargo xtask bench` builds it and gives
//! its path), not the bench's debug build.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use seedream_server::config::API_KEY_VAR;

/// A running `seedream-server`, killed when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
}

impl Server {
    /// Starts `bin` with `args` (which should listen on port 0), with `api_key` as the
    /// proxy's key, and waits for the line that says where it listens.
    pub fn start(bin: &Path, args: &[&str], api_key: Option<&str>) -> Result<Server> {
        let mut cmd = Command::new(bin);
        cmd.args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            // The servers log every request at `info`, as deployed, and the bench keeps
            // that cost; not the lines, hundreds of MB over the load runs.
            .stderr(Stdio::null())
            .env_remove(API_KEY_VAR);
        // Loopback only: a proxy variable would send the proxy's upstream calls away.
        for var in ["http_proxy", "https_proxy", "all_proxy"] {
            cmd.env_remove(var).env_remove(var.to_ascii_uppercase());
        }
        if let Some(key) = api_key {
            cmd.env(API_KEY_VAR, key);
        }
        let shown = describe(&cmd);
        let mut child = cmd
            .spawn()
            .with_context(|| format!("could not start `{shown}`"))?;
        let stdout = child.stdout.take().context("the server's output")?;
        let (found, listening) = mpsc::channel();
        // Reads the output to its end (the server must never write to a closed pipe),
        // sending the address once.
        std::thread::spawn(move || {
            let mut found = Some(found);
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(addr) = listening_addr(&line)
                    && let Some(found) = found.take()
                {
                    let _ = found.send(addr);
                }
            }
        });
        let mut server = Server {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        };
        match listening.recv_timeout(Duration::from_secs(30)) {
            Ok(addr) => server.addr = addr,
            Err(_) => {
                let status = server.child.try_wait().ok().flatten();
                bail!(
                    "`{shown}` did not say where it listens ({}); run it by hand to see its log",
                    status.map_or_else(|| "still running after 30 s".to_owned(), |s| s.to_string())
                );
            }
        }
        Ok(server)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The process's peak resident memory so far (`VmHWM`), in bytes.
    pub fn peak_memory(&self) -> Result<u64> {
        let path = format!("/proc/{}/status", self.child.id());
        let status = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
        vm_hwm_bytes(&status).with_context(|| format!("{path} has no VmHWM line"))
    }

    /// The CPU time the process has used so far (user and system), in clock ticks.
    pub fn cpu_ticks(&self) -> Result<u64> {
        let path = format!("/proc/{}/stat", self.child.id());
        let stat = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
        cpu_ticks_of(&stat).with_context(|| format!("{path} has no CPU times"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub use seedream_run::{describe, run};

/// The address in the server's `Seedream Studio is running at http://<addr>/ ...`.
fn listening_addr(line: &str) -> Option<SocketAddr> {
    let rest = line.split_once("is running at http://")?.1;
    rest.split('/').next()?.parse().ok()
}

/// `VmHWM:    9296 kB` (a tab after the colon) in bytes.
pub fn vm_hwm_bytes(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// `utime + stime` from a `/proc/<pid>/stat` line: fields 14 and 15, counted after the
/// command name in parentheses (which may itself hold spaces and parentheses).
fn cpu_ticks_of(stat: &str) -> Option<u64> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    let mut fields = after_name.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some(user + system)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_where_the_server_listens() {
        let line = "Seedream Studio is running at http://127.0.0.1:39369/ proxying the API to http://127.0.0.1:32931. Ctrl-C stops it.";
        assert_eq!(
            listening_addr(line),
            Some("127.0.0.1:39369".parse().unwrap())
        );
        assert_eq!(listening_addr("something else"), None);
    }

    #[test]
    fn reads_the_peak_memory() {
        let status = "Name:\tseedream-server\nVmPeak:\t  600000 kB\nVmHWM:\t    9296 kB\nVmRSS:\t    9000 kB\n";
        assert_eq!(vm_hwm_bytes(status), Some(9296 * 1024));
        assert_eq!(vm_hwm_bytes("Name:\tx\n"), None);
    }

    #[test]
    fn reads_the_cpu_time_after_the_command_name() {
        let stat = "4242 (x (t) k) S 1 4242 4242 0 -1 4194304 2800 0 0 0 137 42 0 0 20 0 9 0";
        assert_eq!(cpu_ticks_of(stat), Some(179));
        assert_eq!(cpu_ticks_of("4242 (seedream-server) S 1"), None);
        assert_eq!(cpu_ticks_of("no name"), None);
    }
}
