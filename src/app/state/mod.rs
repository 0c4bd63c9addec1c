//! The desktop app's state and the commands its screens send. Screens never write:
//! they push a [`Command`]; [`AppState::apply`] hands it to the file of its concern
//! (`units`, `evidence`, `dossier`, `catalogue`, `bundles`, `rollup`, `session`), which
//! calls the use case in `app` that validates and performs it, then refreshes what the
//! screens read. Slow work goes to [`tasks`].

mod bundles;
mod catalogue;
mod command;
mod dossier;
mod evidence;
mod loading;
mod refresh;
mod rollup;
mod session;
mod units;

pub use command::Command;

use super::assessment::Loaded;
use super::session::WindowLock;
use super::tasks::{self, Task};
use super::{AppError, AppResult, catalog};
use crate::domain::catalog::Edition;
use crate::domain::ids::{AssessmentId, EvidenceId, UnitId};
use crate::domain::units::UnitKind;
use crate::domain::vn_text::CivilDate;
use crate::store::{
    AssessmentRecord, EditionRecord, EvidenceRecord, Snapshot, UnitRecord, Workspace,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What follows a command: re-read what the screens show, or nothing (the command
/// changed no data, or started a background task that refreshes when it ends).
pub(super) enum Then {
    /// Re-read what the screens show.
    Refresh,
    /// Nothing more.
    Done,
}

/// Everything the screens read.
#[derive(Default)]
pub struct AppState {
    /// The open workspace.
    pub workspace: Option<Workspace>,
    /// Held for its `Drop`: releases the file for other windows.
    _lock: Option<WindowLock>,
    /// Remember opened files in the recent list (off in tests).
    pub remember_recent: bool,
    /// Units, refreshed after every change.
    pub units: Vec<UnitRecord>,
    /// Assessments, refreshed after every change.
    pub assessments: Vec<AssessmentRecord>,
    /// Editions as stored.
    pub editions: Vec<EditionRecord>,
    /// Editions parsed, by code.
    pub parsed_editions: Vec<Edition>,
    /// The issuing province of each edition received from an office (code, `code\tname`).
    pub edition_provinces: Vec<(String, String)>,
    /// The selected unit.
    pub selected_unit: Option<UnitId>,
    /// The selected assessment, loaded with its status.
    pub current: Option<Loaded>,
    /// Evidence of the current assessment.
    pub evidence: Vec<EvidenceRecord>,
    /// Recognition conditions of the current assessment.
    pub conditions: crate::store::ConditionsRecord,
    /// Posting log of the current assessment.
    pub postings: Vec<crate::store::PostingRecord>,
    /// The dossier template of the current assessment (chosen, else by year and tree).
    pub dossier_template: Option<super::dossier::Template>,
    /// For an assessment without signer, date and place: those of the commune's last
    /// dossier and its year, offered as defaults.
    pub previous_dossier: Option<(i32, super::dossier::SettingsForm)>,
    /// Signer, date and place of the printed dossier.
    pub dossier_settings: super::dossier::SettingsForm,
    /// Signed originals by document key.
    pub signed: std::collections::BTreeMap<String, EvidenceId>,
    /// What the final packet still lacks, each item with its place.
    pub dossier_missing: Vec<crate::app::dossier::DossierGap>,
    /// The dossier PDF built last in this window, offered with «Mở tệp».
    pub built: Option<PathBuf>,
    /// The roll-up report (PDF or Excel) written last in this window, offered with
    /// «Mở tệp».
    pub rollup_written: Option<PathBuf>,
    /// Rounds submitted for the current assessment: round and date.
    pub submissions: Vec<(i64, String)>,
    /// The former communes of the selected commune with their recognition status.
    pub former: Vec<(String, String)>,
    /// The roll-up of the selected province or district.
    pub rollup: Option<super::report::RollupJson>,
    /// The edition, year and target of the roll-up, as chosen on its screen.
    pub rollup_filter: super::report::RollupFilter,
    /// What the shown roll-up was computed for: unit, filter, the workspace's change
    /// sequence and the day. A refresh that finds the same key keeps it rather than
    /// recomputing the whole province.
    rollup_key: Option<(UnitId, super::report::RollupFilter, i64, CivilDate)>,
    /// The compiling office's review of the current assessment.
    pub review: crate::store::Review,
    /// For an assessment received in a bundle: its round and what changed since the
    /// previous round.
    pub received: Option<(i64, Vec<String>)>,
    /// Counts at the start of the current year, for "change since".
    pub year_start: Option<Snapshot>,
    /// Background tasks still shown.
    pub tasks: Vec<Task>,
    /// The last error, shown until dismissed.
    pub error: Option<AppError>,
    /// The backups listed for restoring: the workspace and its backups, newest first.
    pub backups: Option<(PathBuf, Vec<crate::store::BackupInfo>)>,
    /// The last confirmation, shown until dismissed.
    pub notice: Option<String>,
    /// Bumped whenever data changed, so screens can rebuild their drafts.
    pub generation: u64,
    /// Bundles whose sender's fingerprint the user has yet to confirm.
    pub senders: super::enrolment::Pending,
    /// What moving the open assessment to another edition would change, shown for
    /// confirmation.
    pub move_plan: Option<super::edition_move::MovePlan>,
    /// Watching the file for changes made by other programs.
    watch: Watch,
    /// After the window's own changes, read again on a background thread rather than
    /// here (the desktop window; tests of the state alone read here, at once). The
    /// change itself is always written here, in one transaction.
    pub background_reload: bool,
    /// Indicator histories already read from the audit log, for the generation and the
    /// assessment they were read at: an open history is drawn every frame, read once.
    history_read: std::cell::RefCell<HistoryRead>,
    /// Choices being read behind the window (opening, selecting, the roll-up's filter).
    pending: loading::Pending,
}

/// What [`AppState::value_history`] read last, by indicator code.
#[derive(Default)]
struct HistoryRead {
    /// The generation and assessment the entries belong to.
    at: Option<(u64, AssessmentId)>,
    /// Each indicator's changes, newest first.
    by_code: HashMap<String, Vec<super::history::ValueChange>>,
}

/// How often the window asks whether another program changed the file.
pub(super) const WATCH_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// The window's watch on changes made elsewhere.
#[derive(Default)]
struct Watch {
    /// When the change sequence was last read.
    checked: Option<std::time::Instant>,
    /// The change sequence of what the window shows.
    seen_seq: i64,
    /// A reload under way, and the generation it started from.
    reloading: Option<(tasks::Reload, u64)>,
    /// The window changed the file after the reload under way began reading: read
    /// again once it ends.
    again: bool,
}

impl AppState {
    /// Opens a workspace; a failure is kept in `error`.
    pub fn open(path: &Path, remember_recent: bool) -> Self {
        let mut state = Self {
            remember_recent,
            ..Self::default()
        };
        // The selection of the last session, read before opening rewrites it.
        let remembered = remember_recent
            .then(super::memory::default_path)
            .flatten()
            .map(|p| super::memory::load(&p));
        state.apply(Command::OpenWorkspace(path.to_path_buf()));
        if let Some((memory, note)) = remembered {
            state.restore_selection(&memory);
            if note.is_some() && state.error.is_none() {
                state.notice = note;
            }
        }
        state
    }

    /// Selects the unit and assessment remembered for the open workspace (quietly
    /// nothing when they belong to another workspace or no longer exist).
    pub fn restore_selection(&mut self, memory: &super::memory::Memory) {
        let open = self.workspace.as_ref().map(|ws| ws.path().to_path_buf());
        let same = match (open, &memory.workspace) {
            (Some(open), Some(remembered)) => {
                same_file::is_same_file(&open, remembered).unwrap_or(false)
            }
            _ => false,
        };
        if !same {
            return;
        }
        if let Some(unit) = memory.unit.map(UnitId)
            && self.units.iter().any(|u| u.id == unit)
        {
            self.apply(Command::SelectUnit(unit));
        }
        if let Some(id) = memory.assessment.map(AssessmentId)
            && self
                .assessments
                .iter()
                .any(|a| a.id == id && Some(a.unit) == self.selected_unit)
        {
            self.apply(Command::SelectAssessment(id));
        }
    }

    /// Remembers the open workspace and its selection for the next start.
    fn remember_selection(&self) {
        if !self.remember_recent {
            return;
        }
        let workspace = self
            .workspace
            .as_ref()
            .map(|ws| std::fs::canonicalize(ws.path()).unwrap_or_else(|_| ws.path().to_path_buf()));
        let unit = self.selected_unit.map(|u| u.0);
        let assessment = self.current.as_ref().map(|c| c.record.id.0);
        super::memory::update(|m| {
            m.workspace = workspace;
            m.unit = unit;
            m.assessment = assessment;
        });
    }

    /// The workspace path, if one is open.
    pub fn workspace_path(&self) -> Option<&Path> {
        self.workspace.as_ref().map(Workspace::path)
    }

    /// Applies one command; a failure is kept in `error` and changes nothing.
    pub fn apply(&mut self, command: Command) {
        match self.try_apply(command) {
            Ok(()) => {}
            Err(e) => self.error = Some(e),
        }
    }

    fn ws(&mut self) -> AppResult<&mut Workspace> {
        self.workspace.as_mut().ok_or_else(|| {
            AppError::new(
                "Chưa mở tệp dữ liệu nào.",
                "Hãy mở hoặc tạo một tệp dữ liệu.",
            )
        })
    }

    fn current_id(&self) -> AppResult<AssessmentId> {
        self.current.as_ref().map(|c| c.record.id).ok_or_else(|| {
            AppError::new(
                "Chưa chọn đợt đánh giá.",
                "Hãy chọn một xã và một đợt đánh giá.",
            )
        })
    }

    fn try_apply(&mut self, command: Command) -> AppResult<()> {
        // Choosing what is shown reads here: the screens must not show one commune's
        // figures under another's name. Changes are read again behind the window.
        let navigation = command.changes_selection();
        if let Some(what) = command.edits_current_assessment() {
            let id = self.current_id()?;
            super::received::refuse_edit(self.ws()?, id, what)?;
        }
        let then = match command {
            c @ (Command::OpenWorkspace(..)
            | Command::SelectUnit(..)
            | Command::SelectAssessment(..)
            | Command::OpenFile(..)
            | Command::CancelTask(..)
            | Command::ShowBackups(..)
            | Command::CloseBackups
            | Command::RestoreBackup { .. }
            | Command::ShowError(..)
            | Command::DismissMessage) => self.on_session(c)?,
            c @ (Command::AddUnit(..)
            | Command::UpdateUnit(..)
            | Command::RecordRecognition(..)
            | Command::NewAssessment { .. }
            | Command::SaveValue(..)
            | Command::RestoreValue(..)
            | Command::RateCriterion(..)) => self.on_units(c)?,
            c @ (Command::AttachFiles(..)
            | Command::LinkEvidence(..)
            | Command::UnlinkEvidence(..)
            | Command::SaveEvidenceMeta(..)
            | Command::DeleteEvidence(..)
            | Command::OpenEvidence(..)) => self.on_evidence(c)?,
            c @ (Command::SaveConditions(..)
            | Command::AddPosting(..)
            | Command::RemovePosting(..)
            | Command::SaveDossierSettings(..)
            | Command::AttachSigned(..)
            | Command::RemoveSigned(..)
            | Command::BuildDossier { .. }) => self.on_dossier(c)?,
            c @ (Command::ImportEdition(..)
            | Command::TemplateEdition(..)
            | Command::ExportEdition(..)
            | Command::CopyEdition(..)
            | Command::PlanMove(..)
            | Command::ApplyMove(..)
            | Command::CancelMove
            | Command::SaveEdition(..)
            | Command::PasteEdition(..)) => self.on_catalogue(c)?,
            c @ (Command::ExportBundle(..)
            | Command::ImportBundles(..)
            | Command::ConfirmSender(..)
            | Command::RejectSender
            | Command::ImportBundlesTrusted(..)
            | Command::ReviewCriterion(..)
            | Command::AddRequest(..)
            | Command::RemoveRequest(..)
            | Command::Decide(..)
            | Command::ExportReview(..)) => self.on_bundles(c)?,
            c @ (Command::SetRollupFilter(..)
            | Command::ExportRollupXlsx(..)
            | Command::ExportRollupPdf(..)) => self.on_rollup(c)?,
        };
        match then {
            Then::Refresh if navigation => self.refresh(),
            Then::Refresh => self.reread(),
            Then::Done => Ok(()),
        }
    }

    /// The template of the current assessment, as `dossier build --template tu-dong` picks
    /// it: the one chosen on the dossier screen, else by year and tree.
    fn template(&mut self) -> AppResult<super::dossier::Template> {
        let id = self.current_id()?;
        super::dossier::template_for(self.ws()?, id)
    }

    /// The stored preview (thumbnail or page count) of a file, once made.
    pub fn preview(&self, sha256: &str) -> Option<crate::store::Preview> {
        self.workspace.as_ref()?.preview(sha256).ok().flatten()
    }

    /// The display name of a unit: "Xã Đông Hòa" whether or not the user typed "Xã".
    pub fn unit_title(&self, id: UnitId) -> String {
        self.units
            .iter()
            .find(|u| u.id == id)
            .map_or_else(|| format!("đơn vị số {id}"), super::units::display_name)
    }

    /// How an edition reads to a user: its decision («QĐ 51/2025/QĐ-TTg — xã NTM
    /// 2026–2030»); the code when the edition is not in the workspace.
    pub fn edition_label(&self, code: &str) -> String {
        self.parsed_editions
            .iter()
            .find(|e| e.code.as_str() == code)
            .map_or_else(|| code.to_string(), |e| e.decision_label())
    }

    /// The change history of an indicator of the current assessment, newest first
    /// (empty when nothing is open or the log cannot be read).
    /// Read from the log once per data generation, not once per frame.
    pub fn value_history(&self, code: &str) -> Vec<super::history::ValueChange> {
        let (Some(ws), Some(c)) = (&self.workspace, &self.current) else {
            return Vec::new();
        };
        let at: Option<(u64, AssessmentId)> = Some((self.generation, c.record.id));
        let mut read = self.history_read.borrow_mut();
        if read.at != at {
            read.at = at;
            read.by_code.clear();
        }
        read.by_code
            .entry(code.to_string())
            .or_insert_with(|| super::history::history(ws, c.record.id, code).unwrap_or_default())
            .clone()
    }

    /// Editions offered for new assessments of `unit`: of its level, national ones and
    /// province copies of its own province (see [`super::edition_scope`]).
    pub fn editions_for_unit(&self, unit: &UnitRecord) -> Vec<(String, String)> {
        let mut list = self.editions_for(unit.kind);
        list.retain(|(code, _)| {
            super::edition_scope::offered(
                self.edition_provinces
                    .iter()
                    .find(|(c, _)| c == code)
                    .map(|(_, p)| p.as_str()),
                unit,
                &self.units,
            )
        });
        list
    }

    /// Editions usable for a unit kind, the default edition first.
    pub fn editions_for(&self, kind: UnitKind) -> Vec<(String, String)> {
        let mut list: Vec<(String, String)> = self
            .parsed_editions
            .iter()
            .filter(|e| e.level == kind)
            .map(|e| (e.code.to_string(), e.title.clone()))
            .collect();
        list.sort_by_key(|(code, _)| (code != catalog::DEFAULT_EDITION, code.clone()));
        list
    }
}
