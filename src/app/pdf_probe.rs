//! PDFs from outside (evidence, signed scans, files in bundles) are first opened in a
//! child process of this same program (the hidden command [`CHILD_COMMAND`]), with a
//! memory limit and a time limit: a crafted file that makes the PDF library use
//! gigabytes, loop or crash takes down only the child, and the file is reported as
//! damaged. The result is kept with the file's preview, so a damaged file is not opened
//! again at every start.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The hidden command that checks one PDF: `ntm-dossier __kiem-tra-pdf TỆP`.
pub const CHILD_COMMAND: &str = "__kiem-tra-pdf";
/// Address space allowed to the child (the program itself takes about 100 MB of it).
pub const CHILD_MEMORY_BYTES: u64 = 1024 * 1024 * 1024;
/// Time allowed to the child, wall clock.
pub const CHILD_TIMEOUT: Duration = Duration::from_secs(30);

/// What checking a PDF found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// A readable PDF with this many pages.
    Pages(u32),
    /// Protected by a password: it cannot be merged or printed.
    Encrypted,
    /// Damaged, too large once unpacked, or too slow to read: the Vietnamese reason.
    Damaged(String),
}

impl Probe {
    /// The reason a file cannot be used, for messages and for the preview record;
    /// `None` for a readable PDF.
    pub fn problem(&self) -> Option<String> {
        match self {
            Probe::Pages(_) => None,
            Probe::Encrypted => Some(
                "PDF được mã hóa (có mật khẩu), không ghép được vào hồ sơ; hãy lưu lại bản không đặt mật khẩu".into(),
            ),
            Probe::Damaged(m) => Some(m.clone()),
        }
    }
}

/// The line the child prints for a result.
fn encode(p: &Probe) -> String {
    match p {
        Probe::Pages(n) => format!("trang {n}"),
        Probe::Encrypted => "ma-hoa".into(),
        Probe::Damaged(m) => format!("hong {m}"),
    }
}

fn decode(line: &str) -> Option<Probe> {
    let line = line.trim();
    if line == "ma-hoa" {
        return Some(Probe::Encrypted);
    }
    if let Some(n) = line.strip_prefix("trang ") {
        return n.parse().ok().map(Probe::Pages);
    }
    line.strip_prefix("hong ")
        .map(|m| Probe::Damaged(m.to_string()))
}

/// Opens a PDF in this process. Only the child calls this (or a process that cannot
/// start one, see [`probe`]).
pub fn inspect(bytes: &[u8]) -> Probe {
    use crate::pdf::inspect::PdfReading;
    match crate::pdf::inspect::read_pdf_bounded(bytes) {
        PdfReading::Oversized => Probe::Damaged(format!(
            "PDF có phần dữ liệu nén giải nén ra hơn {} MB (tệp hỏng hoặc cố ý gây hại), không dùng được",
            crate::pdf::MAX_STREAM_BYTES / (1024 * 1024)
        )),
        PdfReading::Encrypted => Probe::Encrypted,
        PdfReading::Pages(0) => Probe::Damaged("PDF không có trang nào".into()),
        PdfReading::Pages(n) => Probe::Pages(n),
        PdfReading::Damaged => Probe::Damaged("PDF bị hỏng hoặc không đọc được".into()),
    }
}

/// The hidden command: limits this process, checks the file, prints one line. Returns
/// the exit code.
pub fn child_main(path: &Path) -> i32 {
    limit_this_process();
    let result = match std::fs::read(path) {
        Ok(bytes) => super::untrusted::contain("tệp PDF", || Ok(inspect(&bytes)))
            .unwrap_or_else(|_| Probe::Damaged("PDF bị hỏng hoặc không đọc được".into())),
        Err(_) => Probe::Damaged("không đọc được tệp".into()),
    };
    println!("{}", encode(&result));
    0
}

#[cfg(unix)]
fn limit_this_process() {
    let set = |resource, value: u64| {
        let lim = libc::rlimit {
            rlim_cur: value as libc::rlim_t,
            rlim_max: value as libc::rlim_t,
        };
        // SAFETY: setrlimit reads a valid rlimit struct; lowering a limit is always
        // allowed.
        unsafe { libc::setrlimit(resource, &lim) };
    };
    set(libc::RLIMIT_AS, CHILD_MEMORY_BYTES);
    set(libc::RLIMIT_CPU, CHILD_TIMEOUT.as_secs());
    // No core file for a crash on a hostile file.
    set(libc::RLIMIT_CORE, 0);
}

#[cfg(not(unix))]
fn limit_this_process() {
    // The parent's timeout bounds the child's time; memory is not limited here.
}

/// The program to run as the child: this executable when it is the program itself,
/// else (in tests) the program built next to it. `None` when there is none.
fn program() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let name = format!("ntm-dossier{}", std::env::consts::EXE_SUFFIX);
    if exe.file_name().is_some_and(|n| n == name.as_str()) {
        return Some(exe);
    }
    let dir = exe.parent()?;
    [dir.join(&name), dir.parent()?.join(&name)]
        .into_iter()
        .find(|p| p.is_file())
}

/// Checks a PDF in a child process with limits (see the module docs). Where no child
/// can be started, the file is opened here with panics contained.
pub fn probe(bytes: &[u8]) -> Probe {
    let Some(program) = program() else {
        return super::untrusted::contain("tệp PDF", || Ok(inspect(bytes)))
            .unwrap_or_else(|_| Probe::Damaged("PDF bị hỏng hoặc không đọc được".into()));
    };
    match probe_with(&program, bytes) {
        Some(p) => p,
        None => Probe::Damaged(
            "PDF bị hỏng, quá lớn khi giải nén hoặc đọc quá lâu (đã dừng việc đọc tệp)".into(),
        ),
    }
}

/// A temporary copy of the bytes, removed when dropped.
struct TempCopy(PathBuf);

impl Drop for TempCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn temp_copy(bytes: &[u8]) -> Option<TempCopy> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("ntm-kiem-tra-{}-{n}.pdf", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    let mut file = options.open(&path).ok()?;
    let copy = TempCopy(path);
    std::io::Write::write_all(&mut file, bytes).ok()?;
    Some(copy)
}

/// Runs the child; `None` when it crashed, ran out of memory or time, or said nothing
/// readable.
fn probe_with(program: &Path, bytes: &[u8]) -> Option<Probe> {
    let copy = temp_copy(bytes)?;
    let mut child = Command::new(program)
        .arg(CHILD_COMMAND)
        .arg(&copy.0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > CHILD_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(_) => {
                let _ = child.kill();
                return None;
            }
        }
    };
    let mut out = String::new();
    child.stdout.take()?.read_to_string(&mut out).ok()?;
    if !status.success() {
        return None;
    }
    decode(out.lines().next()?)
}

/// For the printed dossier: a PDF that cannot be used gives its reason.
pub fn check_pdf(bytes: &[u8]) -> Result<(), String> {
    match probe(bytes).problem() {
        None => Ok(()),
        Some(m) => Err(m),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_cross_the_pipe_unchanged() {
        for p in [
            Probe::Pages(12),
            Probe::Encrypted,
            Probe::Damaged("PDF bị hỏng hoặc không đọc được".into()),
        ] {
            assert_eq!(decode(&encode(&p)), Some(p));
        }
        assert_eq!(decode("rác"), None);
    }

    #[test]
    fn garbage_is_damaged_not_a_panic() {
        assert!(matches!(inspect(b"%PDF-1.4 rac"), Probe::Damaged(_)));
    }
}
