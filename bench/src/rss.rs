//! Resident memory of a process, read from `/proc/<pid>/status` (`VmRSS`), and finding the
//! process that listens on a TCP port when no pid is given.
//!
//! Linux only; elsewhere every reading is `None` and the report says `null`.

use std::collections::HashSet;

/// The `VmRSS` value in KiB from the text of a `/proc/<pid>/status` file.
pub fn parse_vm_rss_kb(status: &str) -> Option<u64> {
    status.lines().find_map(|line| {
        let rest = line.strip_prefix("VmRSS:")?;
        let mut parts = rest.split_whitespace();
        let value: u64 = parts.next()?.parse().ok()?;
        match parts.next() {
            Some("kB") | None => Some(value),
            // The kernel always says kB; anything else is not a format this code knows.
            Some(_) => None,
        }
    })
}

/// The resident set size of process `pid` in KiB, or `None` if it cannot be read.
pub fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    parse_vm_rss_kb(&status)
}

/// The resident set size of this process in KiB.
pub fn self_rss_kb() -> Option<u64> {
    rss_kb(std::process::id())
}

/// The `VmHWM` value (peak resident set size) in KiB from a `/proc/<pid>/status` text.
pub fn parse_vm_hwm_kb(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    parse_vm_rss_kb(&line.replacen("VmHWM:", "VmRSS:", 1))
}

/// The peak resident set size of process `pid` in KiB, or `None` if it cannot be read.
pub fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    parse_vm_hwm_kb(&status)
}

/// User plus system CPU time in clock ticks from the text of a `/proc/<pid>/stat` file
/// (fields 14 and 15; the command name in field 2 may hold spaces and parentheses, so the
/// fields are counted from its closing parenthesis).
pub fn parse_cpu_ticks(stat: &str) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3 (state): utime is field 14, stime field 15.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// CPU time process `pid` has used so far, in seconds.
pub fn cpu_secs(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    Some(parse_cpu_ticks(&stat)? as f64 / clock_ticks_per_sec())
}

/// CPU time this process has used so far, in seconds.
pub fn self_cpu_secs() -> Option<f64> {
    cpu_secs(std::process::id())
}

/// Busy and total time of the whole machine (all cores) in clock ticks, from the `cpu`
/// line of a `/proc/stat` text (idle and iowait count as not busy).
pub fn parse_machine_ticks(proc_stat: &str) -> Option<(u64, u64)> {
    let line = proc_stat.lines().find(|l| l.starts_with("cpu "))?;
    let values: Vec<u64> = line.split_whitespace().skip(1).filter_map(|v| v.parse().ok()).collect();
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    let total: u64 = values.iter().take(8).sum();
    let idle = values.get(3).copied().unwrap_or(0) + values.get(4).copied().unwrap_or(0);
    Some((total.saturating_sub(idle), total))
}

/// The whole machine's (busy, total) clock ticks so far.
pub fn machine_ticks() -> Option<(u64, u64)> {
    parse_machine_ticks(&std::fs::read_to_string("/proc/stat").ok()?)
}

fn clock_ticks_per_sec() -> f64 {
    // SAFETY: sysconf only reads a system setting.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if ticks > 0 { ticks as f64 } else { 100.0 }
}

/// Socket inodes in LISTEN state (`0A`) on `port`, from the text of `/proc/net/tcp` or
/// `/proc/net/tcp6`.
pub fn parse_listening_inodes(proc_net_tcp: &str, port: u16) -> Vec<u64> {
    proc_net_tcp
        .lines()
        .skip(1) // header
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.len() < 10 || fields[3] != "0A" {
                return None;
            }
            let local_port = fields[1].rsplit_once(':')?.1;
            if u16::from_str_radix(local_port, 16).ok()? != port {
                return None;
            }
            fields[9].parse().ok()
        })
        .collect()
}

/// The pid of a process with a socket listening on `port`, by matching the listening socket's
/// inode against `/proc/<pid>/fd/*`. Only processes this user may inspect are found, which
/// is enough for a server the bench script started itself.
pub fn find_listener_pid(port: u16) -> Option<u32> {
    let mut inodes = HashSet::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        if let Ok(text) = std::fs::read_to_string(table) {
            inodes.extend(parse_listening_inodes(&text, port));
        }
    }
    inodes.retain(|&inode| inode != 0);
    if inodes.is_empty() {
        return None;
    }
    let me = std::process::id();
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(entry.path().join("fd")) else {
            continue;
        };
        for fd in fds.flatten() {
            if let Ok(target) = std::fs::read_link(fd.path())
                && let Some(inode) = socket_inode(&target.to_string_lossy())
                && inodes.contains(&inode)
            {
                return Some(pid);
            }
        }
    }
    None
}

/// The inode in an fd link target such as `socket:[12345]`.
fn socket_inode(link: &str) -> Option<u64> {
    link.strip_prefix("socket:[")?.strip_suffix(']')?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS: &str = "Name:\tparley\nUmask:\t0022\nState:\tS (sleeping)\nVmPeak:\t  123456 kB\n\
VmSize:\t  120000 kB\nVmHWM:\t   20480 kB\nVmRSS:\t   18432 kB\nRssAnon:\t    8000 kB\nThreads:\t3\n";

    #[test]
    fn reads_vm_rss_not_the_neighbouring_fields() {
        assert_eq!(parse_vm_rss_kb(STATUS), Some(18432));
    }

    #[test]
    fn missing_or_garbled_vm_rss_is_none() {
        // Kernel threads have no VmRSS line.
        assert_eq!(parse_vm_rss_kb("Name:\tkthreadd\nState:\tS (sleeping)\n"), None);
        assert_eq!(parse_vm_rss_kb("VmRSS:\t  lots kB\n"), None);
        assert_eq!(parse_vm_rss_kb("VmRSS:\t  12 MB\n"), None);
        assert_eq!(parse_vm_rss_kb(""), None);
    }

    #[test]
    fn reads_our_own_rss() {
        if cfg!(target_os = "linux") {
            assert!(self_rss_kb().unwrap() > 0);
        }
    }

    #[test]
    fn reads_peak_rss() {
        assert_eq!(parse_vm_hwm_kb(STATUS), Some(20480));
        assert_eq!(parse_vm_hwm_kb("VmRSS:\t 12 kB\n"), None);
    }

    #[test]
    fn reads_cpu_ticks_past_a_command_with_spaces() {
        let stat = "4242 (par ley) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 9 0 100 \
                    200000 5000 18446744073709551615";
        assert_eq!(parse_cpu_ticks(stat), Some(300));
        assert_eq!(parse_cpu_ticks("garbage"), None);
        if cfg!(target_os = "linux") {
            assert!(self_cpu_secs().is_some());
        }
    }

    #[test]
    fn reads_machine_ticks() {
        let stat = "cpu  100 5 50 800 20 3 2 0 0 0\ncpu0 50 2 25 400 10 1 1 0 0 0\n";
        assert_eq!(parse_machine_ticks(stat), Some((160, 980)));
    }

    #[test]
    fn finds_listening_inodes_by_port() {
        let table = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
   0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 100 0 0 10 0\n\
   1: 0100007F:0BB8 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 4343 1 0000000000000000 20 4 30 10 -1\n\
   2: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 99 1 0000000000000000 100 0 0 10 0\n";
        assert_eq!(parse_listening_inodes(table, 3000), vec![4242]); // 0x0BB8 = 3000, LISTEN only
        assert_eq!(parse_listening_inodes(table, 22), vec![99]);
        assert!(parse_listening_inodes(table, 8080).is_empty());
    }

    #[test]
    fn parses_socket_links() {
        assert_eq!(socket_inode("socket:[12345]"), Some(12345));
        assert_eq!(socket_inode("pipe:[12345]"), None);
        assert_eq!(socket_inode("/dev/null"), None);
    }

    #[test]
    fn skips_its_own_listener() {
        if !cfg!(target_os = "linux") {
            return;
        }
        // The bench never wants to measure itself as "the server", so its own sockets do not
        // count even though the inode lookup sees them.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        assert_eq!(find_listener_pid(port), None);
    }
}
