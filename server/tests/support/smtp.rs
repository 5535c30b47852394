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

    /// Saves the workspace's mail settings (as `admin`) pointing at this server, with
    /// `password` (empty: none); the answer of `save_mail_settings`.
    pub async fn configure(&self, admin: &super::Operator, password: &str) -> reqwest::Response {
        let port = self.port.to_string();
        let settings = [
            ("settings[host]", "127.0.0.1"),
            ("settings[port]", port.as_str()),
            ("settings[tls]", "none"),
            ("settings[username]", ""),
            ("settings[password]", password),
            ("settings[sender]", "Acme Support <support@acme.test>"),
        ];
        admin.call("save_mail_settings", &settings).await
    }

    /// Every message received so far.
    fn all(&self) -> Vec<String> {
        let mut out = Vec::new();
        for folder in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.maildir.join(folder)) {
                out.extend(entries.flatten().map(|e| std::fs::read_to_string(e.path()).unwrap_or_default()));
            }
        }
        out
    }

    /// The messages to `to` received so far.
    pub async fn messages_to(&self, to: &str) -> Vec<String> {
        self.all().into_iter().filter(|m| m.lines().any(|l| l.starts_with("To:") && l.contains(to))).collect()
    }

    /// How many messages arrived so far.
    pub async fn count(&self) -> usize {
        self.all().len()
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
