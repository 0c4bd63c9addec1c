//! The desktop app's state and the commands its screens send. Screens never write:
//! they push a [`Command`]; [`AppState::apply`] validates and performs it at the end of
//! the frame, then refreshes what the screens read. Slow work goes to [`tasks`].
#![allow(
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "issue 9: this file is still being brought under the house lints"
)]

use super::assessment::{self, Loaded, ValueForm};
use super::conditions::{ConditionsForm, PostingForm};
use super::library::MetaForm;
use super::session::{self, WindowLock};
use super::tasks::{self, Task};
use super::units::{self, UnitForm};
use super::{AppError, AppResult, catalog, open_workspace, today};
use crate::domain::catalog::Edition;
use crate::domain::ids::{AssessmentId, EvidenceId, UnitId};
use crate::domain::units::{UnitKind, Verdict};
use crate::domain::vn_text::CivilDate;
use crate::store::{
    AssessmentRecord, EditionRecord, EvidenceRecord, Snapshot, UnitRecord, Workspace,
};
use std::path::{Path, PathBuf};

/// A durable action requested by a screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Open (or create) the workspace at a path.
    OpenWorkspace(PathBuf),
    /// Select a unit in the tree (shows its latest assessment).
    SelectUnit(UnitId),
    /// Select an assessment to show.
    SelectAssessment(AssessmentId),
    /// Add a unit.
    AddUnit(UnitForm),
    /// Save an edited unit.
    UpdateUnit(UnitId, UnitForm),
    /// Record a recognition decision (or its revocation) of a unit.
    RecordRecognition(super::recognitions::RecognitionForm),
    /// Create an assessment.
    NewAssessment {
        /// Unit.
        unit: UnitId,
        /// Edition code.
        edition: String,
        /// Target code.
        target: String,
        /// Year.
        year: i32,
    },
    /// Save one indicator's values of the current assessment.
    SaveValue(String, ValueForm),
    /// Rate a whole criterion (`None` clears the rating).
    RateCriterion(u32, Option<(Verdict, String)>),
    /// Attach files to indicators of the current assessment (in the background).
    AttachFiles(Vec<String>, Vec<PathBuf>),
    /// Link an existing evidence file to an indicator.
    LinkEvidence(EvidenceId, String),
    /// Unlink an evidence file from an indicator.
    UnlinkEvidence(EvidenceId, String),
    /// Save the document metadata of an evidence file.
    SaveEvidenceMeta(EvidenceId, MetaForm),
    /// Delete a wrongly added evidence file of the current assessment (confirmed).
    DeleteEvidence(EvidenceId),
    /// Open an evidence file with the system's viewer.
    OpenEvidence(EvidenceId),
    /// Save the recognition conditions.
    SaveConditions(ConditionsForm),
    /// Add a posting-log entry.
    AddPosting(PostingForm),
    /// Remove a posting-log entry.
    RemovePosting(i64),
    /// Import an edition file.
    ImportEdition(PathBuf),
    /// Export an edition to a file.
    ExportEdition(String, PathBuf),
    /// Write the office's Excel template of an edition (Vietnamese headers).
    TemplateEdition(String, PathBuf),
    /// Copy an edition as a province's version: code, new code, new title.
    CopyEdition(String, String, String),
    /// Save an edited province edition.
    SaveEdition(Box<Edition>),
    /// Show what moving the open assessment to this edition would change.
    PlanMove(String),
    /// Move the open assessment to this edition (after the plan was shown).
    ApplyMove(String),
    /// Close the move plan without moving.
    CancelMove,
    /// Save the province copy a pasted annex table makes: base code, new code, title,
    /// pasted text.
    PasteEdition(String, String, String, String),
    /// Save the signer, date and place of the printed dossier.
    SaveDossierSettings(super::dossier::SettingsForm),
    /// Attach the signed scan of a document of the dossier.
    AttachSigned(String, PathBuf),
    /// Remove the signed scan of a document (its draft is printed again).
    RemoveSigned(String),
    /// Build the printed dossier into a file (in the background).
    BuildDossier {
        /// Destination.
        path: PathBuf,
        /// Final packet (refused while anything is missing) or draft.
        final_packet: bool,
    },
    /// Write the current assessment's bundle for submission (in the background).
    ExportBundle(PathBuf),
    /// Import received bundles (in the background).
    ImportBundles(Vec<PathBuf>),
    /// Imports bundles whose sender's fingerprint the user confirmed (first bundle of a
    /// commune or office, or re-enrolment of a re-keyed one).
    ImportBundlesTrusted(Vec<PathBuf>, super::keys::Trust),
    /// The fingerprint the user read off the stamped tờ trình for the sender shown.
    ConfirmSender(String),
    /// The user refused the sender shown: its bundle is not imported.
    RejectSender,
    /// Office: verdict and comment on a criterion of a received assessment.
    ReviewCriterion(u32, Option<(String, String)>),
    /// Office: request more proof on an indicator.
    AddRequest(String, String),
    /// Office: remove a request.
    RemoveRequest(usize),
    /// Office: vote, decision, reviewing body.
    Decide(String, String, String),
    /// Office: write the review bundle for the commune.
    ExportReview(PathBuf),
    /// Roll up on another edition, year or target.
    SetRollupFilter(super::report::RollupFilter),
    /// Write the roll-up of the selected province or district to Excel.
    ExportRollupXlsx(PathBuf),
    /// Write the compiling office's report (PDF) of the selected province or district.
    ExportRollupPdf(PathBuf),
    /// Cancel a background task.
    CancelTask(usize),
    /// List the backups of the workspace at a path (it may be missing or damaged).
    ShowBackups(PathBuf),
    /// Close the list of backups.
    CloseBackups,
    /// Restore a backup (1 = newest) of a workspace into a new file, then open it.
    RestoreBackup {
        /// The workspace whose backups are listed.
        workspace: PathBuf,
        /// Number in the list.
        number: usize,
        /// The new file.
        to: PathBuf,
    },
    /// Put back an indicator's earlier value from its history (an audit-log entry).
    RestoreValue(i64),
    /// Open a file the program wrote (the built dossier) with the system's viewer.
    OpenFile(PathBuf),
    /// Show an input error found by a screen before any command could run.
    ShowError(String),
    /// Dismiss the error or notice shown.
    DismissMessage,
}

impl Command {
    /// What the command changes of the current assessment, in the clerk's words, when
    /// it changes it (refused for a round received from a commune).
    pub fn edits_current_assessment(&self) -> Option<&'static str> {
        match self {
            Command::SaveValue(..) | Command::RestoreValue(..) => Some("giá trị chỉ tiêu"),
            Command::RateCriterion(..) => Some("đánh giá cả tiêu chí"),
            Command::AttachFiles(..)
            | Command::LinkEvidence(..)
            | Command::UnlinkEvidence(..)
            | Command::SaveEvidenceMeta(..)
            | Command::DeleteEvidence(..) => Some("minh chứng"),
            Command::SaveConditions(..) | Command::AddPosting(..) | Command::RemovePosting(..) => {
                Some("điều kiện công nhận")
            }
            Command::SaveDossierSettings(..)
            | Command::AttachSigned(..)
            | Command::RemoveSigned(..) => Some("thông tin in tập hồ sơ"),
            _ => None,
        }
    }
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
    /// What the final packet still lacks.
    pub dossier_missing: Vec<String>,
    /// The dossier PDF built last in this window, offered with «Mở tệp».
    pub built: Option<PathBuf>,
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
}

/// How often the window asks whether another program changed the file.
const WATCH_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// The window's watch on changes made elsewhere.
#[derive(Default)]
struct Watch {
    /// When the change sequence was last read.
    checked: Option<std::time::Instant>,
    /// The change sequence of what the window shows.
    seen_seq: i64,
    /// A reload under way, and the generation it started from.
    reloading: Option<(tasks::Reload, u64)>,
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
        if let Some(what) = command.edits_current_assessment() {
            let id = self.current_id()?;
            super::received::refuse_edit(self.ws()?, id, what)?;
        }
        match command {
            Command::OpenWorkspace(path) => {
                // The file this window already has open: nothing to do (its own lock
                // would otherwise read as «another window»).
                if self
                    .workspace
                    .as_ref()
                    .is_some_and(|ws| same_file::is_same_file(ws.path(), &path).unwrap_or(false))
                {
                    self.notice = Some("Tệp dữ liệu này đang mở trong chính cửa sổ này.".into());
                    return Ok(());
                }
                // Lock first: a file open in another window is refused before it is touched.
                let lock = WindowLock::acquire(&path)?;
                let mut ws = open_workspace(&path)?;
                let backup_failure = super::backup::failure_notice(&mut ws);
                if self.remember_recent {
                    session::remember(&path);
                }
                let remember_recent = self.remember_recent;
                *self = Self {
                    workspace: Some(ws),
                    _lock: Some(lock),
                    remember_recent,
                    ..Self::default()
                };
                self.remember_selection();
                self.start_previews();
                self.notice = backup_failure;
            }
            Command::SelectUnit(id) => {
                self.selected_unit = Some(id);
                self.current = None;
                if let Some(a) = self.ws()?.latest_assessment(id)? {
                    self.current = Some(assessment::load(self.ws()?, a.id, today())?);
                }
                self.remember_selection();
            }
            Command::SelectAssessment(id) => {
                let loaded = assessment::load(self.ws()?, id, today())?;
                self.selected_unit = Some(loaded.unit.id);
                self.current = Some(loaded);
                self.remember_selection();
            }
            Command::AddUnit(form) => {
                let id = units::add(self.ws()?, &form)?;
                self.notice = Some(format!(
                    "Đã thêm «{}».",
                    crate::domain::vn_text::nfc(&form.name)
                ));
                self.selected_unit = Some(id);
                self.current = None;
            }
            Command::UpdateUnit(id, form) => {
                units::update(self.ws()?, id, &form)?;
                self.notice = Some("Đã lưu thông tin đơn vị.".into());
            }
            Command::RecordRecognition(form) => {
                let rec = super::recognitions::record(self.ws()?, &form)?;
                self.notice = Some(format!("Đã ghi: {}.", rec.describe()));
            }
            Command::NewAssessment {
                unit,
                edition,
                target,
                year,
            } => {
                let id = assessment::create(self.ws()?, unit, &edition, &target, year)?;
                self.current = Some(assessment::load(self.ws()?, id, today())?);
                self.notice = Some(format!("Đã tạo đợt đánh giá số {id}."));
            }
            Command::SaveValue(code, form) => {
                let id = self.current_id()?;
                assessment::save_value(self.ws()?, id, &code, &form)?;
            }
            Command::RestoreValue(audit_id) => {
                let (_, code) = super::history::restore(self.ws()?, audit_id)?;
                self.notice = Some(format!(
                    "Đã khôi phục giá trị trước đây của chỉ tiêu {code}."
                ));
            }
            Command::RateCriterion(number, rating) => {
                let id = self.current_id()?;
                let rating = match &rating {
                    Some((v, reason)) => {
                        let reason = crate::domain::vn_text::nfc(reason);
                        if reason.is_empty() {
                            return Err(AppError::invalid("Đánh giá cả tiêu chí cần có lý do."));
                        }
                        Some((v.code(), reason))
                    }
                    None => None,
                };
                self.ws()?.set_criterion_rating(
                    id,
                    number,
                    rating.as_ref().map(|(v, r)| (*v, r.as_str())),
                )?;
            }
            Command::AttachFiles(indicators, files) => {
                let id = self.current_id()?;
                let edition = &self
                    .current
                    .as_ref()
                    .map(|c| c.edition.clone())
                    .ok_or_else(|| AppError::invalid("Chưa chọn đợt đánh giá."))?;
                for code in &indicators {
                    if edition.indicator(code).is_none() {
                        return Err(AppError::invalid(format!(
                            "Chỉ tiêu «{code}» không có trong bộ tiêu chí của đợt đánh giá."
                        )));
                    }
                }
                let ws = self.ws()?;
                let task = tasks::attach_files(
                    ws.path().to_path_buf(),
                    ws.user().to_string(),
                    id,
                    indicators,
                    files,
                );
                self.tasks.push(task);
                return Ok(());
            }
            Command::LinkEvidence(evidence, code) => {
                let id = self.current_id()?;
                if !self.evidence.iter().any(|e| e.id == evidence)
                    || self
                        .current
                        .as_ref()
                        .is_some_and(|c| c.edition.indicator(&code).is_none())
                {
                    return Err(AppError::invalid(format!(
                        "Không gắn được tệp vào chỉ tiêu «{code}» của đợt đánh giá số {id}."
                    )));
                }
                self.ws()?.link_evidence(evidence, &code)?;
            }
            Command::UnlinkEvidence(evidence, code) => {
                self.ws()?.unlink_evidence(evidence, &code)?
            }
            Command::SaveEvidenceMeta(evidence, form) => {
                let meta = form.validate()?;
                self.ws()?.set_evidence_meta(evidence, &meta)?;
            }
            Command::DeleteEvidence(evidence) => {
                let id = self.current_id()?;
                let d = super::evidence::delete_by_id(self.ws()?, id, evidence)?;
                self.notice = Some(format!(
                    "Đã xóa minh chứng {} — {}.",
                    d.record.code, d.record.file_name
                ));
            }
            Command::OpenEvidence(evidence) => {
                self.open_evidence(evidence)?;
                return Ok(());
            }
            Command::OpenFile(path) => {
                open_with_system(&path, &format!("Tệp ở {}.", path.display()))?;
                return Ok(());
            }
            Command::SaveConditions(form) => {
                let record = form.validate()?;
                let id = self.current_id()?;
                self.ws()?.set_conditions(id, &record)?;
            }
            Command::AddPosting(form) => {
                let (place, date, medium) = form.validate()?;
                let id = self.current_id()?;
                self.ws()?.add_posting(id, &place, &date, &medium)?;
            }
            Command::RemovePosting(posting) => {
                let id = self.current_id()?;
                self.ws()?.remove_posting(id, posting)?;
            }
            Command::ImportEdition(path) => {
                // A pack from an office already enrolled; a new office is confirmed with
                // its fingerprint on the command line (`catalog import … --trust`).
                let (edition, changed) = if super::edition_pack::is_pack(&path) {
                    super::edition_pack::import(self.ws()?, &path, &super::keys::Trust::none())?
                } else {
                    catalog::import(self.ws()?, &path)?
                };
                self.notice = Some(if changed {
                    format!(
                        "Đã nhập bộ tiêu chí {} ({} chỉ tiêu).",
                        edition.code,
                        edition.indicator_count()
                    )
                } else {
                    format!("Bộ tiêu chí {} không có gì thay đổi.", edition.code)
                });
            }
            Command::TemplateEdition(code, path) => {
                catalog::template(self.ws()?, &code, &path)?;
                self.notice = Some(format!(
                    "Đã ghi mẫu Excel của bộ tiêu chí {code} ra {}: điền trang tính «Chỉ tiêu» rồi nhập lại.",
                    path.display()
                ));
                return Ok(());
            }
            Command::ExportEdition(code, path) => {
                if super::edition_pack::is_pack(&path) {
                    super::edition_pack::export(self.ws()?, &code, &path)?;
                } else {
                    catalog::export(self.ws()?, &code, &path)?;
                }
                self.notice = Some(format!("Đã xuất bộ tiêu chí {code} ra {}.", path.display()));
                return Ok(());
            }
            Command::CopyEdition(code, new_code, title) => {
                let created = catalog::copy_as(self.ws()?, &code, &new_code, &title)?;
                self.notice = Some(format!(
                    "Đã tạo bộ tiêu chí {created}: có thể sửa nội dung và ngưỡng."
                ));
            }
            Command::PlanMove(code) => {
                let id = self.current_id()?;
                let ws = self.ws()?;
                let plan = super::edition_move::plan(ws, id, &code, super::today())?;
                self.move_plan = Some(plan);
                return Ok(());
            }
            Command::ApplyMove(code) => {
                let id = self.current_id()?;
                let plan = super::edition_move::apply(self.ws()?, id, &code, super::today())?;
                self.move_plan = None;
                self.notice = Some(format!(
                    "Đã chuyển đợt đánh giá sang bộ tiêu chí {}: {} chỉ tiêu thêm, {} chỉ tiêu bỏ (đã lưu vào lịch sử thay đổi), {} kết luận thay đổi.",
                    plan.to,
                    plan.added.len(),
                    plan.removed.len(),
                    plan.verdict_changes.len()
                ));
            }
            Command::CancelMove => {
                self.move_plan = None;
                return Ok(());
            }
            Command::SaveEdition(edition) => {
                catalog::save_edited(self.ws()?, &edition)?;
                self.notice = Some(format!("Đã lưu bộ tiêu chí {}.", edition.code));
            }
            Command::PasteEdition(base, new_code, title, text) => {
                let edition = catalog::paste_save(self.ws()?, &base, &new_code, &title, &text)?;
                self.notice = Some(format!(
                    "Đã lưu bộ tiêu chí {} từ bảng dán ({} tiêu chí, {} chỉ tiêu).",
                    edition.code,
                    edition.criteria.len(),
                    edition.indicator_count()
                ));
            }
            Command::SaveDossierSettings(form) => {
                let id = self.current_id()?;
                super::dossier::save_settings(self.ws()?, id, &form)?;
            }
            Command::AttachSigned(key, path) => {
                let id = self.current_id()?;
                let template = self.template()?;
                super::dossier::attach_signed(self.ws()?, id, &template, &key, &path)?;
                self.notice = Some(
                    "Đã gắn bản đã ký; tập hồ sơ sẽ dùng bản này thay cho bản dự thảo.".into(),
                );
            }
            Command::RemoveSigned(key) => {
                let id = self.current_id()?;
                super::dossier::remove_signed(self.ws()?, id, &key)?;
            }
            Command::BuildDossier { path, final_packet } => {
                let id = self.current_id()?;
                if final_packet && !self.dossier_missing.is_empty() {
                    return Err(AppError::new(
                        format!(
                            "Chưa tạo được hồ sơ chính thức: còn {} mục thiếu.",
                            self.dossier_missing.len()
                        ),
                        "Hãy bổ sung các mục trong danh sách, hoặc in bản dự thảo.",
                    ));
                }
                let template = self.template()?;
                let ws = self.ws()?;
                // Refused at once, before a task starts (the task checks again).
                super::output::refuse_protected(ws, &path)?;
                let mut task = tasks::build_dossier(
                    ws.path().to_path_buf(),
                    ws.user().to_string(),
                    id,
                    template,
                    path.clone(),
                    final_packet,
                );
                task.output = Some(path);
                self.built = None;
                self.tasks.push(task);
                return Ok(());
            }
            Command::ExportBundle(path) => {
                let id = self.current_id()?;
                let ws = self.ws()?;
                super::output::refuse_protected(ws, &path)?;
                let task =
                    tasks::export_bundle(ws.path().to_path_buf(), ws.user().to_string(), id, path);
                self.tasks.push(task);
                return Ok(());
            }
            Command::ImportBundles(files) => {
                let ws = self
                    .workspace
                    .as_ref()
                    .ok_or_else(|| AppError::invalid("Chưa mở tệp dữ liệu nào."))?;
                // A sender (commune, or office of an edition pack) not enrolled waits for
                // the user to confirm its fingerprint.
                let files = self.senders.sort_out(ws, files);
                return self.try_apply(Command::ImportBundlesTrusted(
                    files,
                    super::keys::Trust::none(),
                ));
            }
            Command::ConfirmSender(typed) => {
                let (files, trust) = self.senders.confirm(&typed)?;
                return self.try_apply(Command::ImportBundlesTrusted(files, trust));
            }
            Command::RejectSender => {
                if let Some(s) = self.senders.reject() {
                    self.notice = Some(format!("Đã không nhận gói {}.", s.file.display()));
                }
                return Ok(());
            }
            Command::ImportBundlesTrusted(files, trust) => {
                // Edition packs share the `.ntm` ending: they are imported as editions.
                let (packs, files): (Vec<PathBuf>, Vec<PathBuf>) = files
                    .into_iter()
                    .partition(|p| super::edition_pack::is_edition_pack_file(p));
                if let Some(notice) =
                    super::edition_pack::import_dropped(self.ws()?, &packs, &trust)?
                {
                    self.notice = Some(notice);
                    self.refresh()?;
                }
                if files.is_empty() {
                    return Ok(());
                }
                let ws = self.ws()?;
                let task = tasks::import_bundles(
                    ws.path().to_path_buf(),
                    ws.user().to_string(),
                    files,
                    trust,
                );
                self.tasks.push(task);
                return Ok(());
            }
            Command::ReviewCriterion(number, verdict) => {
                let id = self.current_id()?;
                let v = verdict.as_ref().map(|(v, c)| (v.as_str(), c.as_str()));
                super::review::rate_criterion(self.ws()?, id, number, v)?;
            }
            Command::AddRequest(code, text) => {
                let id = self.current_id()?;
                super::review::add_request(self.ws()?, id, &code, &text)?;
            }
            Command::RemoveRequest(index) => {
                let id = self.current_id()?;
                super::review::remove_request(self.ws()?, id, index)?;
            }
            Command::Decide(vote, decision, reviewer) => {
                let id = self.current_id()?;
                super::review::decide(self.ws()?, id, &vote, &decision, &reviewer)?;
            }
            Command::ExportReview(path) => {
                let id = self.current_id()?;
                let fingerprint = super::review::export(self.ws()?, id, &path)?;
                self.notice = Some(format!(
                    "Đã ghi gói nhận xét vào {} (dấu vân tay khóa ký {fingerprint}).",
                    path.display()
                ));
                return Ok(());
            }
            Command::SetRollupFilter(filter) => {
                if let Some(unit) = self.rollup.as_ref().map(|r| UnitId(r.unit)) {
                    // Checked before it is kept: a refused edition leaves the roll-up shown.
                    super::report::rollup_with(self.ws()?, unit, &filter, today())?;
                }
                self.rollup_filter = filter;
            }
            Command::ExportRollupXlsx(path) => {
                let r = self.rollup.clone().ok_or_else(|| {
                    AppError::invalid("Hãy chọn một tỉnh hoặc huyện để tổng hợp.")
                })?;
                super::report::rollup_xlsx(self.ws()?, &r, &path)?;
                self.notice = Some(format!("Đã ghi bảng tổng hợp ra {}.", path.display()));
                return Ok(());
            }
            Command::ExportRollupPdf(path) => {
                let r = self.rollup.clone().ok_or_else(|| {
                    AppError::invalid("Hãy chọn một tỉnh hoặc huyện để tổng hợp.")
                })?;
                super::report::rollup_pdf(self.ws()?, &r, &path)?;
                self.notice = Some(format!("Đã ghi báo cáo ra {}.", path.display()));
                return Ok(());
            }
            Command::CancelTask(index) => {
                if let Some(t) = self.tasks.get(index) {
                    t.cancel();
                }
                return Ok(());
            }
            Command::ShowBackups(workspace) => {
                let list = super::backup::list(&workspace)?;
                self.backups = Some((workspace, list));
                return Ok(());
            }
            Command::CloseBackups => {
                self.backups = None;
                return Ok(());
            }
            Command::RestoreBackup {
                workspace,
                number,
                to,
            } => {
                let (info, restored) = super::backup::restore(&workspace, number, &to)?;
                self.try_apply(Command::OpenWorkspace(restored.path.clone()))?;
                self.notice = Some(format!(
                    "Đã khôi phục bản sao lưu số {number} ({}, lần thay đổi {}) vào tệp mới {} và mở tệp đó; {} tệp minh chứng đã được kiểm tra mã băm.",
                    info.taken_at,
                    info.change_seq,
                    restored.path.display(),
                    restored.evidence_files
                ));
                return Ok(());
            }
            Command::ShowError(message) => return Err(AppError::invalid(message)),
            Command::DismissMessage => {
                self.error = None;
                self.notice = None;
                return Ok(());
            }
        }
        self.refresh()
    }

    /// Re-reads what the screens show and records today's counts.
    pub fn refresh(&mut self) -> AppResult<()> {
        let selection = self.selection(true);
        let Some(ws) = self.workspace.as_mut() else {
            return Ok(());
        };
        let reloaded = super::reload::gather(ws, selection)?;
        self.install(reloaded);
        Ok(())
    }

    /// What a reload needs to know of the window. `take_rollup` moves the roll-up shown
    /// out for reuse (a reload on this thread); a reload elsewhere gets a copy.
    fn selection(&mut self, take_rollup: bool) -> super::reload::Selection {
        let shown = if take_rollup {
            self.rollup.take()
        } else {
            self.rollup.clone()
        };
        super::reload::Selection {
            unit: self.selected_unit,
            assessment: self.current.as_ref().map(|c| c.record.id),
            rollup_filter: self.rollup_filter.clone(),
            rollup: self.rollup_key.clone().zip(shown),
            editions: self.editions.clone(),
        }
    }

    /// Shows what a reload read.
    fn install(&mut self, r: super::reload::Reloaded) {
        self.units = r.units;
        self.assessments = r.assessments;
        if let Some(parsed) = r.parsed_editions {
            self.parsed_editions = parsed;
        }
        self.editions = r.editions;
        self.edition_provinces = r.edition_provinces;
        self.former = r.former;
        self.rollup_filter = r.rollup_filter;
        (self.rollup_key, self.rollup) = match r.rollup {
            Some((key, rollup)) => (Some(key), Some(rollup)),
            None => (None, None),
        };
        self.watch.seen_seq = r.change_seq;
        match r.current.map(|c| *c) {
            Some(c) => {
                self.evidence = c.evidence;
                self.conditions = c.conditions;
                self.postings = c.postings;
                self.dossier_settings = c.dossier_settings;
                self.previous_dossier = c.previous_dossier;
                self.signed = c.signed;
                self.review = c.review;
                self.submissions = c.submissions;
                self.received = c.received;
                self.year_start = c.year_start;
                self.dossier_template = c.dossier_template;
                self.dossier_missing = c.dossier_missing;
                self.current = Some(c.loaded);
            }
            None => {
                self.evidence.clear();
                self.conditions = Default::default();
                self.postings.clear();
                self.submissions.clear();
                self.received = None;
                self.review = Default::default();
                self.year_start = None;
                self.previous_dossier = None;
            }
        }
        self.generation += 1;
    }

    /// True while what the window shows is being read again after a change made by
    /// another program.
    pub fn is_reloading(&self) -> bool {
        self.watch.reloading.is_some()
    }

    /// Once a second, asks the workspace for its change sequence (one small query); when
    /// another program (the command line, another connection) changed the file, reads
    /// everything again on a background thread and shows it once read. A result that
    /// an own change overtook is dropped: the window has read since.
    fn watch_for_changes(&mut self) {
        if let Some((mut reload, generation)) = self.watch.reloading.take() {
            match reload.try_finish() {
                None => self.watch.reloading = Some((reload, generation)),
                Some(_) if generation != self.generation => {}
                Some(Ok(reloaded)) => self.install(reloaded),
                Some(Err(e)) => {
                    // Told once, not at every check.
                    if let Some(seq) = self.workspace.as_ref().and_then(|ws| ws.change_seq().ok()) {
                        self.watch.seen_seq = seq;
                    }
                    self.error = Some(e);
                }
            }
            return;
        }
        let now = std::time::Instant::now();
        if self
            .watch
            .checked
            .is_some_and(|t| now.duration_since(t) < WATCH_EVERY)
        {
            return;
        }
        self.watch.checked = Some(now);
        let Some(ws) = self.workspace.as_ref() else {
            return;
        };
        if ws
            .change_seq()
            .ok()
            .is_none_or(|seq| seq == self.watch.seen_seq)
        {
            return;
        }
        let (db, user) = (ws.path().to_path_buf(), ws.user().to_string());
        let selection = self.selection(false);
        if let Some(reload) = tasks::reload(db, user, selection) {
            self.watch.reloading = Some((reload, self.generation));
        }
    }

    /// Called every frame: collects finished background tasks and refreshes after them.
    pub fn poll_tasks(&mut self) {
        let mut finished = false;
        let mut i = 0;
        while i < self.tasks.len() {
            if let Some(outcome) = self.tasks[i].try_finish() {
                let task = self.tasks.remove(i);
                finished = true;
                if !outcome.problems.is_empty() {
                    self.error = Some(
                        AppError::new(
                            if outcome.summary.is_empty() {
                                format!("{}: có lỗi.", task.title)
                            } else {
                                outcome.summary.clone()
                            },
                            "Các tệp khác vẫn được xử lý bình thường.",
                        )
                        .with_details(outcome.problems),
                    );
                } else {
                    if let Some(path) = task.output.filter(|p| p.is_file()) {
                        self.built = Some(path);
                    }
                    if !outcome.summary.is_empty() {
                        self.notice = Some(outcome.summary);
                    }
                }
            } else {
                i += 1;
            }
        }
        if finished {
            if let Err(e) = self.refresh() {
                self.error = Some(e);
            }
            self.start_previews();
        }
        self.watch_for_changes();
    }

    /// Waits for every background task (tests, and before the window closes).
    pub fn wait_for_tasks(&mut self) {
        while !self.tasks.is_empty() {
            std::thread::sleep(std::time::Duration::from_millis(5));
            self.poll_tasks();
        }
    }

    fn start_previews(&mut self) {
        if self.tasks.iter().any(|t| t.title == "Tạo ảnh thu nhỏ") {
            return;
        }
        if let Some(ws) = self.workspace.as_ref()
            && let Some(task) = tasks::make_previews(ws.path().to_path_buf(), ws.user().to_string())
        {
            self.tasks.push(task);
        }
    }

    fn open_evidence(&mut self, evidence: EvidenceId) -> AppResult<()> {
        let id = self.current_id()?;
        let ws = self.ws()?;
        let record = ws
            .evidence(id)?
            .into_iter()
            .find(|e| e.id == evidence)
            .ok_or_else(|| AppError::invalid("Không tìm thấy tệp minh chứng."))?;
        // Opened from a copy named by hash and extension, never by the name it came
        // with (a received «C:evil.bat» is not run).
        let name = crate::domain::file_name::temp_name(&record.sha256, &record.file_name)
            .ok_or_else(|| {
                AppError::new(
                    format!(
                        "Không mở trực tiếp tệp «{}»: loại tệp này không phải văn bản hay ảnh.",
                        record.file_name
                    ),
                    "Chỉ mở được tệp PDF, ảnh, văn bản và bảng tính.",
                )
            })?;
        let bytes = ws.evidence_bytes(evidence)?;
        let dir = std::env::temp_dir().join("ho-so-ntm");
        std::fs::create_dir_all(&dir).map_err(|e| {
            AppError::new("Không tạo được tệp tạm để mở.", "").with_details([super::io_words(&e)])
        })?;
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| {
            AppError::new("Không ghi được tệp tạm để mở.", "").with_details([super::io_words(&e)])
        })?;
        open_with_system(
            &path,
            &format!("Tệp đã được lưu tạm tại {}.", path.display()),
        )
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
            .map_or_else(|| format!("đơn vị số {id}"), units::display_name)
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
    pub fn value_history(&self, code: &str) -> Vec<super::history::ValueChange> {
        match (&self.workspace, &self.current) {
            (Some(ws), Some(c)) => {
                super::history::history(ws, c.record.id, code).unwrap_or_default()
            }
            _ => Vec::new(),
        }
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

/// Opens a file with the system's default viewer (evidence, the built dossier).
fn open_with_system(path: &std::path::Path, hint: &str) -> AppResult<()> {
    // Through the shell API on Windows (ShellExecuteW): no command interpreter reads the name.
    super::shell::open_with_system_viewer(path).map_err(|detail| {
        AppError::new("Không mở được tệp bằng chương trình xem mặc định.", hint)
            .with_details([detail])
    })
}
