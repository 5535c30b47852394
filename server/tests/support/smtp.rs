//! A real SMTP server for the mail tests: Python's `aiosmtpd` (installed by
//! `scripts/install.sh`), writing what it receives into a maildir.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A real SMTP server (Python's aiosmtpd) writing what it receives into a maildir.
pub struct SmtpServer {
    child: Child,
    pub port: u16,
    maildir: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let dir = tempfile::tempdir().unwrap();
        let maildir = dir.path().join("mail");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 with aiosmtpd (scripts/install.sh installs it)");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return SmtpServer { child, port, maildir, _dir: dir };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("aiosmtpd did not start on port {port}");
    }

    /// Waits for a message to `to` and returns it.
    pub async fn message_to(&self, to: &str) -> String {
        for _ in 0..100 {
            for folder in ["new", "cur"] {
                if let Ok(entries) = std::fs::read_dir(self.maildir.join(folder)) {
                    for entry in entries.flatten() {
                        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                        if text.lines().any(|l| l.starts_with("To:") && l.contains(to)) {
                            return text;
                        }
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no message to {to} arrived in {}", self.maildir.display());
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
