//! nginx as a reverse proxy in front of the mock, configured as a deployment of it
//! would be and alike with the proxy: one worker, an access line per request with the
//! proxy's fields (request id, method, path, status, time taken), written through a
//! 64 KB buffer flushed every second as the proxy's log buffer is, keep-alive
//! connections to the upstream (`keepalive 64` over HTTP/1.1), the key set as the
//! `Authorization` header. It runs with its own configuration and prefix under
//! `target/bench/nginx/`, in the foreground, and is stopped when dropped.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::child::describe;

/// A running nginx, stopped when dropped.
pub struct Nginx {
    child: Child,
    pub addr: SocketAddr,
}

impl Nginx {
    /// Starts nginx (`program`, Debian's) with `prefix` as its own, forwarding to
    /// `upstream` with `Authorization: <authorization>`.
    pub fn start(
        program: &Path,
        prefix: &Path,
        upstream: SocketAddr,
        authorization: &str,
    ) -> Result<Nginx> {
        // Each run's lines only (a run writes about 200 MB of them).
        let _ = std::fs::remove_file(prefix.join("logs").join("access.log"));
        std::fs::create_dir_all(prefix.join("logs"))
            .with_context(|| format!("creating {}", prefix.display()))?;
        let addr = free_port()?;
        let conf = prefix.join("nginx.conf");
        std::fs::write(&conf, config(prefix, addr, upstream, authorization))
            .with_context(|| format!("writing {}", conf.display()))?;
        let mut cmd = Command::new(program);
        cmd.arg("-p")
            .arg(prefix)
            .arg("-c")
            .arg(&conf)
            .args(["-g", "daemon off;"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let shown = describe(&cmd);
        let child = cmd
            .spawn()
            .with_context(|| format!("could not start `{shown}`"))?;
        let mut nginx = Nginx { child, addr };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(addr).is_err() {
            if let Some(status) = nginx.child.try_wait()? {
                let mut error = String::new();
                if let Some(mut stderr) = nginx.child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut stderr, &mut error);
                }
                bail!("`{shown}` exited ({status}): {error}");
            }
            if Instant::now() > deadline {
                bail!("`{shown}` did not listen on {addr} within 10 s");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(nginx)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Nginx {
    /// SIGTERM first: nginx's master then stops its worker and exits. A SIGKILL alone
    /// ends the master only, and its worker lives on, orphaned, holding the port.
    fn drop(&mut self) {
        let terminated = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .is_ok_and(|status| status.success());
        let deadline = Instant::now() + Duration::from_secs(5);
        while terminated && Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port free a moment ago (nginx cannot report the port it picked).
fn free_port() -> Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").context("finding a free port for nginx")?;
    Ok(listener.local_addr()?)
}

/// The whole configuration: everything it writes stays under `prefix`.
fn config(prefix: &Path, listen: SocketAddr, upstream: SocketAddr, authorization: &str) -> String {
    let prefix = prefix.display();
    format!(
        "worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format studio '$request_id $request_method $uri $status $request_time';
    access_log {prefix}/logs/access.log studio buffer=64k flush=1s;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream mock {{
        server {upstream};
        keepalive 64;
    }}
    server {{
        listen {listen};
        location / {{
            proxy_pass http://mock;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            proxy_set_header Authorization \"{authorization}\";
        }}
    }}
}}
"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configuration_is_the_measured_one() {
        let text = config(
            Path::new("/tmp/n"),
            "127.0.0.1:9001".parse().unwrap(),
            "127.0.0.1:9000".parse().unwrap(),
            "Bearer k",
        );
        for line in [
            "worker_processes 1;",
            "access_log /tmp/n/logs/access.log studio buffer=64k flush=1s;",
            "log_format studio '$request_id $request_method $uri $status $request_time';",
            "server 127.0.0.1:9000;",
            "keepalive 64;",
            "proxy_http_version 1.1;",
            "proxy_set_header Authorization \"Bearer k\";",
            "listen 127.0.0.1:9001;",
            "pid /tmp/n/nginx.pid;",
        ] {
            assert!(text.contains(line), "{line} missing from:\n{text}");
        }
    }
}
