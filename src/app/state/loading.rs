//! Choices read behind the window (issue 12): opening a workspace, selecting a unit or an
//! assessment, adding a unit or an assessment and changing the roll-up's filter read on a
//! background thread, with their own connection, while the frame shows what it has (or
//! «Đang tải…»). One choice is read at a time: a newer one replaces it, so a result that
//! arrives after the user moved on is never shown.

use super::AppState;
use crate::app::memory::Memory;
use crate::app::reload::{Reloaded, Selection, gather};
use crate::app::report::RollupFilter;
use crate::app::session::WindowLock;
use crate::app::{AppError, AppResult, open_workspace, today};
use crate::domain::ids::{AssessmentId, UnitId};
use crate::store::Workspace;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

/// The title of the task making thumbnails.
pub(super) const PREVIEWS: &str = "Tạo ảnh thu nhỏ";

/// Work running on its own thread; its result is taken between two frames.
struct Behind<T> {
    handle: Option<JoinHandle<AppResult<T>>>,
}

impl<T: Send + 'static> Behind<T> {
    /// Starts `work` on a thread named `name`; `None` when no thread could be started.
    fn spawn(name: &str, work: impl FnOnce() -> AppResult<T> + Send + 'static) -> Option<Self> {
        std::thread::Builder::new()
            .name(name.into())
            .spawn(work)
            .ok()
            .map(|h| Self { handle: Some(h) })
    }

    /// The result once the thread has finished; `None` while it runs.
    fn try_finish(&mut self) -> Option<AppResult<T>> {
        if !self.handle.as_ref().is_some_and(JoinHandle::is_finished) {
            return None;
        }
        let joined = self.handle.take()?.join();
        Some(joined.unwrap_or_else(|_| {
            Err(AppError::new(
                "Không đọc được dữ liệu để hiển thị.",
                "Hãy chọn lại, hoặc mở lại tệp dữ liệu.",
            ))
        }))
    }
}

/// What the user chose to see, read behind the window.
#[derive(Clone, Debug, PartialEq)]
enum Want {
    /// A unit with its latest assessment.
    Unit(UnitId),
    /// An assessment (its unit comes with it).
    Assessment(AssessmentId),
    /// The roll-up of the selected unit on another edition, year or target.
    Filter(UnitId, RollupFilter),
}

/// A choice being read.
struct Showing {
    want: Want,
    /// What the frame says meanwhile.
    words: String,
    job: Behind<Reloaded>,
}

/// What an opening read: the workspace, the unit to show and why the opening backup
/// failed (or the remembered settings could not be read), and everything shown.
struct Opened {
    ws: Workspace,
    unit: Option<UnitId>,
    notice: Option<String>,
    reloaded: Reloaded,
}

/// A workspace being opened.
struct Opening {
    path: PathBuf,
    /// Taken before the thread starts: a file open in another window is refused at once.
    lock: WindowLock,
    /// Said once it is open (a restored backup says what was restored).
    notice: Option<String>,
    job: Behind<Opened>,
}

/// The choices being read behind the window, and how often the window read here.
#[derive(Default)]
pub(super) struct Pending {
    opening: Option<Opening>,
    showing: Option<Showing>,
    /// The window changed the file while a choice was being read: read again after it.
    pub(super) again: bool,
    /// Reads of everything shown done on the window's thread.
    pub(super) reads_here: u64,
    /// Leaving the workspace for another: thumbnails of it are not started again.
    pub(super) leaving: bool,
}

impl AppState {
    /// What the window is reading behind itself for a choice of the user, in the user's
    /// words («Đang tải Xã Đông Hòa…»); `None` when nothing is.
    pub fn loading(&self) -> Option<&str> {
        if self.pending.opening.is_some() {
            return Some("Đang mở tệp dữ liệu…");
        }
        self.pending.showing.as_ref().map(|s| s.words.as_str())
    }

    /// The path of the workspace being opened, if one is: the window shows only that.
    pub fn opening_path(&self) -> Option<&Path> {
        self.pending.opening.as_ref().map(|o| o.path.as_path())
    }

    /// True while a unit or assessment chosen is being read: nothing of the one shown
    /// before is left on screen, and nothing of the new one is there yet.
    pub fn is_loading_selection(&self) -> bool {
        self.pending
            .showing
            .as_ref()
            .is_some_and(|s| !matches!(s.want, Want::Filter(..)))
    }

    /// The roll-up filter the screen offers: the one being computed, else the one shown.
    pub fn rollup_filter_chosen(&self) -> &RollupFilter {
        match self.pending.showing.as_ref().map(|s| &s.want) {
            Some(Want::Filter(_, f)) => f,
            _ => &self.rollup_filter,
        }
    }

    /// How many times everything the window shows was read on the window's own thread
    /// (opening, selecting and changing read behind it when [`AppState::background_reload`]
    /// is on).
    pub fn reads_here(&self) -> u64 {
        self.pending.reads_here
    }

    /// Opens a workspace as the desktop window does: behind the window, selecting the
    /// unit and assessment remembered from the last session once it is read.
    pub fn open_behind(path: &Path, remember_recent: bool) -> Self {
        let mut state = Self {
            remember_recent,
            background_reload: true,
            ..Self::default()
        };
        let remembered = remember_recent
            .then(crate::app::memory::default_path)
            .flatten()
            .map(|p| crate::app::memory::load(&p));
        if let Err(e) = state.start_opening(path, remembered) {
            state.error = Some(e);
        }
        state
    }

    /// Starts opening the workspace at `path` on a background thread (the lock is taken
    /// here); `remembered` is the last session's selection and any note about it.
    pub(super) fn start_opening(
        &mut self,
        path: &Path,
        remembered: Option<(Memory, Option<String>)>,
    ) -> AppResult<()> {
        let lock = WindowLock::acquire(path)?;
        let target = path.to_path_buf();
        let job = Behind::spawn("mo-tep", move || open_and_read(&target, remembered)).ok_or_else(
            || {
                AppError::new(
                    "Không mở được tệp dữ liệu: máy không cho tạo thêm luồng xử lý.",
                    "Hãy đóng bớt chương trình khác rồi mở lại tệp.",
                )
            },
        )?;
        self.pending.opening = Some(Opening {
            path: path.to_path_buf(),
            lock,
            notice: None,
            job,
        });
        Ok(())
    }

    /// Before another workspace is opened: thumbnails still being made of this one stop
    /// (they are made when it is next opened) rather than being waited for; other tasks
    /// (files being added, bundles being imported) are waited for.
    pub fn leave_workspace(&mut self) {
        self.pending.leaving = true;
        for task in self.tasks.iter().filter(|t| t.title == PREVIEWS) {
            task.cancel();
        }
        self.wait_for_tasks();
        self.pending.leaving = false;
    }

    /// Says `notice` once the workspace being opened is shown (at once when none is).
    pub(super) fn notice_after_opening(&mut self, notice: String) {
        match self.pending.opening.as_mut() {
            Some(o) => o.notice = Some(notice),
            None => self.notice = Some(notice),
        }
    }

    /// Shows `unit` with its latest assessment once read behind the window; nothing of
    /// the unit shown before stays on screen meanwhile.
    pub(super) fn show_unit(&mut self, unit: UnitId) {
        let words = format!("Đang tải {}…", self.unit_title(unit));
        self.clear_shown(Some(unit));
        self.start_showing(Want::Unit(unit), words);
    }

    /// Shows an assessment once read behind the window.
    pub(super) fn show_assessment(&mut self, id: AssessmentId) {
        let unit = self.assessments.iter().find(|a| a.id == id).map(|a| a.unit);
        let words = match unit {
            Some(u) => format!("Đang tải đợt đánh giá số {id} của {}…", self.unit_title(u)),
            None => format!("Đang tải đợt đánh giá số {id}…"),
        };
        self.clear_shown(unit);
        self.start_showing(Want::Assessment(id), words);
    }

    /// Rolls the selected unit up on `filter` behind the window; the roll-up shown stays
    /// until the new one is read, and stays when the filter is refused.
    pub(super) fn show_filter(&mut self, unit: UnitId, filter: RollupFilter) {
        self.start_showing(Want::Filter(unit, filter), "Đang tổng hợp lại…".to_string());
    }

    /// Forgets what was shown of the unit or assessment before: the frame shows nothing
    /// of it while the next one is read.
    fn clear_shown(&mut self, unit: Option<UnitId>) {
        self.selected_unit = unit;
        self.current = None;
        self.rollup = None;
        self.rollup_key = None;
        self.former.clear();
        self.evidence.clear();
        self.postings.clear();
        self.submissions.clear();
        self.received = None;
        self.year_start = None;
        self.previous_dossier = None;
        self.dossier_missing.clear();
        self.generation += 1;
    }

    fn start_showing(&mut self, want: Want, words: String) {
        // A reload under way read the choice before: it is not shown, this one reads
        // everything afresh.
        self.watch.reloading = None;
        self.watch.again = false;
        self.pending.again = false;
        let Some(ws) = self.workspace.as_ref() else {
            return;
        };
        let (db, user) = (ws.path().to_path_buf(), ws.user().to_string());
        let selection = self.selection(false);
        let asked = want.clone();
        match Behind::spawn("doc-lua-chon", move || {
            read_choice(&db, &user, selection, &asked)
        }) {
            Some(job) => self.pending.showing = Some(Showing { want, words, job }),
            None => {
                self.pending.showing = None;
                self.error = Some(AppError::new(
                    "Không đọc được dữ liệu: máy không cho tạo thêm luồng xử lý.",
                    "Hãy đóng bớt chương trình khác rồi chọn lại.",
                ));
            }
        }
    }

    /// Between two frames: shows a workspace opened or a choice read, once ready.
    pub(super) fn poll_pending(&mut self) {
        if let Some(mut opening) = self.pending.opening.take() {
            match opening.job.try_finish() {
                None => self.pending.opening = Some(opening),
                Some(Ok(opened)) => self.install_opened(opening, opened),
                Some(Err(e)) => self.error = Some(e),
            }
            return;
        }
        let Some(mut showing) = self.pending.showing.take() else {
            return;
        };
        match showing.job.try_finish() {
            None => self.pending.showing = Some(showing),
            Some(Ok(reloaded)) => {
                if let Some(c) = reloaded.current.as_ref() {
                    self.selected_unit = Some(c.loaded.unit.id);
                }
                self.install(reloaded);
                if !matches!(showing.want, Want::Filter(..)) {
                    self.remember_selection();
                }
                if std::mem::take(&mut self.pending.again) {
                    self.start_reload();
                }
            }
            // Told as now; a refused filter leaves the roll-up shown as it was.
            Some(Err(e)) => {
                self.error = Some(e);
                if std::mem::take(&mut self.pending.again) {
                    self.start_reload();
                }
            }
        }
    }

    /// True while a choice is being read (a change the window makes meanwhile is read
    /// again once it is shown).
    pub(super) fn is_showing(&self) -> bool {
        self.pending.showing.is_some()
    }

    fn install_opened(&mut self, opening: Opening, opened: Opened) {
        if self.remember_recent {
            crate::app::session::remember(&opening.path);
        }
        let (remember_recent, background_reload) = (self.remember_recent, self.background_reload);
        let reads_here = self.pending.reads_here;
        *self = Self {
            workspace: Some(opened.ws),
            _lock: Some(opening.lock),
            remember_recent,
            background_reload,
            ..Self::default()
        };
        self.pending.reads_here = reads_here;
        self.selected_unit = opened.unit;
        if let Some(c) = opened.reloaded.current.as_ref() {
            self.selected_unit = Some(c.loaded.unit.id);
        }
        self.install(opened.reloaded);
        self.remember_selection();
        self.start_previews();
        self.notice = opening.notice.or(opened.notice);
    }
}

/// Reads a choice on its own connection.
fn read_choice(
    db: &Path,
    user: &str,
    mut selection: Selection,
    want: &Want,
) -> AppResult<Reloaded> {
    let mut ws = Workspace::open_secondary(db, user)?;
    match want {
        Want::Unit(unit) => {
            selection.unit = Some(*unit);
            selection.assessment = ws.latest_assessment(*unit)?.map(|a| a.id);
        }
        Want::Assessment(id) => selection.assessment = Some(*id),
        Want::Filter(unit, filter) => {
            // Checked before it is kept: a refused edition is said, and the roll-up
            // shown stays.
            let change_seq = ws.change_seq()?;
            let day = today();
            let rollup = crate::app::report::rollup_with(&ws, *unit, filter, day)?;
            selection.rollup_filter = filter.clone();
            selection.rollup = Some(((*unit, filter.clone(), change_seq, day), rollup));
        }
    }
    gather(&mut ws, selection)
}

/// Opens the workspace at `path`, finds the remembered selection in it and reads
/// everything shown.
fn open_and_read(path: &Path, remembered: Option<(Memory, Option<String>)>) -> AppResult<Opened> {
    let mut ws = open_workspace(path)?;
    let backup_failure = crate::app::backup::failure_notice(&mut ws);
    let mut selection = Selection::default();
    let mut note = None;
    if let Some((memory, remembered_note)) = remembered {
        note = remembered_note;
        let same = memory
            .workspace
            .as_ref()
            .is_some_and(|m| same_file::is_same_file(path, m).unwrap_or(false));
        if same {
            (selection.unit, selection.assessment) = remembered_selection(&ws, &memory)?;
        }
    }
    let unit = selection.unit;
    let reloaded = gather(&mut ws, selection)?;
    Ok(Opened {
        ws,
        unit,
        notice: note.or(backup_failure),
        reloaded,
    })
}

/// The unit and assessment remembered, when they still exist: the assessment only when
/// it belongs to the unit, else the unit's latest.
fn remembered_selection(
    ws: &Workspace,
    memory: &Memory,
) -> AppResult<(Option<UnitId>, Option<AssessmentId>)> {
    let Some(unit) = memory.unit.map(UnitId) else {
        return Ok((None, None));
    };
    if !ws.units()?.iter().any(|u| u.id == unit) {
        return Ok((None, None));
    }
    let remembered = memory.assessment.map(AssessmentId).filter(|id| {
        ws.assessments()
            .is_ok_and(|all| all.iter().any(|a| a.id == *id && a.unit == unit))
    });
    let assessment = match remembered {
        Some(id) => Some(id),
        None => ws.latest_assessment(unit)?.map(|a| a.id),
    };
    Ok((Some(unit), assessment))
}
