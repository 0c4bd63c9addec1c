//! Slow work on named background threads (attaching many files, making previews), each
//! with its own connection to the workspace, a progress counter the screens read, and a
//! cancel flag checked between files. The frame never waits on them.

use super::library::make_preview;
use crate::domain::ids::AssessmentId;
use crate::store::Workspace;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;

/// Progress shared between a task and the screens.
#[derive(Debug, Default)]
pub struct Progress {
    /// Items finished.
    pub done: AtomicUsize,
    /// Items in total.
    pub total: AtomicUsize,
    /// Set to ask the task to stop after the current item.
    pub cancel: AtomicBool,
}

/// What a finished task reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// One Vietnamese sentence.
    pub summary: String,
    /// Items that failed, each naming its file.
    pub problems: Vec<String>,
    /// What to do next when the task failed as a whole (nothing it did was kept); `None`
    /// when its items succeed or fail one by one.
    pub hint: Option<String>,
}

/// A running or finished task.
pub struct Task {
    /// What it does, in Vietnamese.
    pub title: String,
    /// Its progress.
    pub progress: Arc<Progress>,
    handle: Option<JoinHandle<Outcome>>,
    /// The file the task writes for the user, offered with «Mở tệp» once written.
    pub output: Option<std::path::PathBuf>,
}

impl Task {
    fn spawn(
        title: String,
        thread_name: &str,
        total: usize,
        work: impl FnOnce(&Progress) -> Outcome + Send + 'static,
    ) -> Task {
        let progress = Arc::new(Progress::default());
        progress.total.store(total, Ordering::Relaxed);
        let shared = progress.clone();
        let handle = std::thread::Builder::new()
            .name(thread_name.to_string())
            .spawn(move || work(&shared))
            .map_err(|e| Outcome {
                summary: format!("Không khởi động được tác vụ: {e}"),
                problems: Vec::new(),
                hint: None,
            });
        match handle {
            Ok(h) => Task {
                title,
                progress,
                handle: Some(h),
                output: None,
            },
            Err(outcome) => {
                let failed = std::thread::spawn(move || outcome);
                Task {
                    title,
                    progress,
                    handle: Some(failed),
                    output: None,
                }
            }
        }
    }

    /// Fraction done, 0–1.
    pub fn fraction(&self) -> f32 {
        let total = self.progress.total.load(Ordering::Relaxed).max(1);
        self.progress.done.load(Ordering::Relaxed) as f32 / total as f32
    }

    /// Items done and in all.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.progress.done.load(Ordering::Relaxed),
            self.progress.total.load(Ordering::Relaxed),
        )
    }

    /// True once stopping was asked.
    pub fn is_cancelled(&self) -> bool {
        self.progress.cancel.load(Ordering::Relaxed)
    }

    /// Asks the task to stop.
    pub fn cancel(&self) {
        self.progress.cancel.store(true, Ordering::Relaxed);
    }

    /// The outcome once the thread has finished; `None` while it runs.
    pub fn try_finish(&mut self) -> Option<Outcome> {
        if !self.handle.as_ref().is_some_and(JoinHandle::is_finished) {
            return None;
        }
        let outcome = self.handle.take()?.join();
        Some(outcome.unwrap_or_else(|_| Outcome {
            summary: format!("{}: tác vụ dừng bất thường.", self.title),
            problems: Vec::new(),
            hint: None,
        }))
    }
}

/// Attaches files to an assessment, linked to `indicators`, as one batch
/// ([`super::evidence::add_batch`]): every file is added or none is, and the outcome says
/// which. Progress counts the files stored; stopping stores nothing.
pub fn attach_files(
    db: PathBuf,
    user: String,
    assessment: AssessmentId,
    indicators: Vec<String>,
    files: Vec<PathBuf>,
) -> Task {
    let title = format!("Đính kèm {} tệp", files.len());
    Task::spawn(title, "dinh-kem-tep", files.len(), move |progress| {
        let failed = |e: super::AppError| Outcome {
            summary: e.summary,
            problems: e.details,
            hint: Some(e.hint),
        };
        let mut ws = match Workspace::open_secondary(&db, &user) {
            Ok(ws) => ws,
            Err(e) => return failed(e.into()),
        };
        let paths: Vec<&std::path::Path> = files.iter().map(PathBuf::as_path).collect();
        let on_stored = |n| progress.done.store(n, Ordering::Relaxed);
        let cancelled = || progress.cancel.load(Ordering::Relaxed);
        let watch = super::evidence::BatchWatch {
            on_stored: &on_stored,
            cancelled: &cancelled,
            defer_checkpoint: true,
        };
        let added = super::evidence::add_batch(&mut ws, assessment, &indicators, &paths, &watch);
        match added {
            Ok(Some(added)) => {
                settle_behind(ws);
                Outcome {
                    summary: super::evidence::added_sentence(&added),
                    problems: Vec::new(),
                    hint: None,
                }
            }
            Ok(None) => Outcome {
                summary: format!(
                    "Đã dừng: chưa tệp nào trong {} tệp được đính kèm; tệp dữ liệu giữ nguyên như trước.",
                    files.len()
                ),
                problems: Vec::new(),
                hint: None,
            },
            Err(e) => failed(e),
        }
    })
}

/// What a batch left (the checkpoint, the copies in the backup store), done on a thread
/// of its own after the user is told the files are in: the task ends as soon as the
/// files are durable. Its failures are not the user's concern: the log is replayed at
/// the next opening and the next backup copies what the store lacks.
fn settle_behind(ws: Workspace) {
    let _ = std::thread::Builder::new()
        .name("sao-luu-minh-chung".into())
        .spawn(move || {
            let _ = ws.settle_after_batch();
        });
}

/// Makes the previews every evidence file still lacks. Which files lack one is asked on
/// `ws` (the caller's connection: one indexed query, no second connection opened on the
/// window's thread); the previews are made on a thread with its own connection.
pub fn make_previews(ws: &Workspace) -> Option<Task> {
    let todo = ws.blobs_without_preview().ok()?;
    let (db, user) = (ws.path().to_path_buf(), ws.user().to_string());
    if todo.is_empty() {
        return None;
    }
    Some(Task::spawn(
        "Tạo ảnh thu nhỏ".into(),
        "anh-thu-nho",
        todo.len(),
        move |progress| {
            let mut ws = match Workspace::open_secondary(&db, &user) {
                Ok(ws) => ws,
                Err(e) => {
                    return Outcome {
                        summary: "Không mở được tệp dữ liệu để tạo ảnh thu nhỏ.".into(),
                        problems: vec![e.to_string()],
                        hint: None,
                    };
                }
            };
            let mut problems = Vec::new();
            for crate::store::BlobToPreview {
                sha256: sha,
                media_type: media,
            } in &todo
            {
                if progress.cancel.load(Ordering::Relaxed) {
                    break;
                }
                // One file in memory at a time.
                if let Ok(Some(bytes)) = ws.blob(sha) {
                    let preview = make_preview(media, &bytes);
                    if let Err(e) = ws.put_preview(sha, &preview) {
                        problems.push(e.to_string());
                    }
                }
                progress.done.fetch_add(1, Ordering::Relaxed);
            }
            Outcome {
                summary: String::new(),
                problems,
                hint: None,
            }
        },
    ))
}

/// Builds the printed dossier in the background. Stopping it leaves no file behind.
pub fn build_dossier(
    db: PathBuf,
    user: String,
    assessment: AssessmentId,
    template: super::dossier::Template,
    out: PathBuf,
    final_packet: bool,
) -> Task {
    let title = if final_packet {
        "Tạo hồ sơ chính thức"
    } else {
        "Tạo bản dự thảo hồ sơ"
    };
    Task::spawn(title.into(), "tao-ho-so", 1, move |progress| {
        let failed = |e: super::AppError| Outcome {
            summary: e.summary.clone(),
            problems: e.details.clone(),
            hint: None,
        };
        let mut ws = match Workspace::open_secondary(&db, &user) {
            Ok(ws) => ws,
            Err(e) => return failed(e.into()),
        };
        // A refused destination writes nothing, not even a new key.
        if let Err(e) = super::output::refuse_protected(&ws, &out) {
            return failed(e);
        }
        // The tờ trình carries this workspace's fingerprint: make the key first.
        if let Err(e) = super::keys::own_fingerprint(&mut ws) {
            return failed(e);
        }
        let report = |done: usize, total: usize| {
            progress.total.store(total.max(1), Ordering::Relaxed);
            progress.done.store(done, Ordering::Relaxed);
        };
        let cancelled = || progress.cancel.load(Ordering::Relaxed);
        // The packet is written to `<out>.dang-ghi` and renamed only when finished; a
        // stop or an error removes the partial file.
        let built = match super::dossier::build_cancellable(
            &ws,
            assessment,
            &template,
            &out,
            final_packet,
            &report,
            &cancelled,
        ) {
            Ok(b) => b,
            Err(e) => return failed(e),
        };
        let kind = if built.draft {
            "bản dự thảo"
        } else {
            "hồ sơ chính thức"
        };
        Outcome {
            summary: format!(
                "Đã tạo {kind} {} ({} trang).",
                out.display(),
                built.report.pages
            ),
            problems: built.report.problems,
            hint: None,
        }
    })
}

/// Imports bundles in the background, one file at a time; a refused bundle is reported
/// and the others go on.
/// `trust` is what the user confirmed about the senders' keys (see [`super::keys::Trust`]).
pub fn import_bundles(
    db: PathBuf,
    user: String,
    files: Vec<PathBuf>,
    trust: super::keys::Trust,
) -> Task {
    let title = format!("Nhận {} gói hồ sơ", files.len());
    Task::spawn(title, "nhan-goi", files.len(), move |progress| {
        let mut ws = match Workspace::open_secondary(&db, &user) {
            Ok(ws) => ws,
            Err(e) => {
                let e: super::AppError = e.into();
                return Outcome {
                    summary: e.summary,
                    problems: e.details,
                    hint: None,
                };
            }
        };
        let (mut new, mut same, mut problems) = (0, 0, Vec::new());
        let mut notes: Vec<String> = Vec::new();
        for f in &files {
            if progress.cancel.load(Ordering::Relaxed) {
                break;
            }
            match super::bundle::receive(&mut ws, f, &trust) {
                Ok(super::bundle::Received::Assessment(i)) if i.is_new => new += 1,
                Ok(super::bundle::Received::Review(r)) => {
                    if r.is_new {
                        new += 1;
                    } else {
                        same += 1;
                    }
                    // The office's edition carried with the review: installed or why not.
                    notes.extend(r.edition);
                }
                Ok(_) => same += 1,
                Err(e) => problems.push(e.summary),
            }
            progress.done.fetch_add(1, Ordering::Relaxed);
        }
        Outcome {
            summary: format!(
                "Đã nhận {new} gói mới{}{}.",
                if same > 0 {
                    format!(", {same} gói đã có từ trước")
                } else {
                    String::new()
                },
                if problems.is_empty() {
                    String::new()
                } else {
                    format!(", {} gói bị từ chối", problems.len())
                },
            ) + &notes
                .iter()
                .map(|n| format!(" Gói nhận xét kèm bộ tiêu chí: {n}."))
                .collect::<String>(),
            problems,
            hint: None,
        }
    })
}

/// Exports the bundle of an assessment in the background.
pub fn export_bundle(db: PathBuf, user: String, assessment: AssessmentId, out: PathBuf) -> Task {
    Task::spawn(
        "Đóng gói hồ sơ".into(),
        "dong-goi",
        1,
        move |progress| {
            let result = Workspace::open_secondary(&db, &user)
                .map_err(super::AppError::from)
                .and_then(|mut ws| super::bundle::export(&mut ws, assessment, &out));
            progress.done.store(1, Ordering::Relaxed);
            match result {
                Ok(e) => Outcome {
                    summary: format!(
                        "Đã đóng gói lần gửi {} vào {} ({} tệp minh chứng), dấu vân tay khóa ký {}.",
                        e.round,
                        out.display(),
                        e.files,
                        e.fingerprint
                    ),
                    problems: Vec::new(),
                    hint: None,
                },
                Err(e) => Outcome {
                    summary: e.summary,
                    problems: e.details,
                    hint: None,
                },
            }
        },
    )
}

/// A reload of what the window shows ([`super::reload::gather`]) on its own thread and
/// connection, after another program changed the file.
pub struct Reload {
    handle: Option<JoinHandle<super::AppResult<super::reload::Reloaded>>>,
}

impl Reload {
    /// What was read once the thread has finished; `None` while it runs.
    pub fn try_finish(&mut self) -> Option<super::AppResult<super::reload::Reloaded>> {
        if !self.handle.as_ref().is_some_and(JoinHandle::is_finished) {
            return None;
        }
        let joined = self.handle.take()?.join();
        Some(joined.unwrap_or_else(|_| {
            Err(super::AppError::new(
                "Không đọc lại được dữ liệu sau khi tệp được thay đổi ở nơi khác.",
                "Hãy mở lại tệp dữ liệu.",
            ))
        }))
    }
}

/// Starts reading what the window shows for `selection` on a background thread; `None`
/// when no thread could be started (the next check tries again).
pub fn reload(db: PathBuf, user: String, selection: super::reload::Selection) -> Option<Reload> {
    std::thread::Builder::new()
        .name("doc-lai".into())
        .spawn(move || {
            let mut ws = Workspace::open_secondary(&db, &user)?;
            super::reload::gather(&mut ws, selection)
        })
        .ok()
        .map(|h| Reload { handle: Some(h) })
}
