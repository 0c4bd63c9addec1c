//! The desktop app's state and the commands its screens send. Screens never write:
//! they push a [`Command`]; [`AppState::apply`] validates and performs it at the end of
//! the frame, then refreshes what the screens read.

use super::assessment::{self, Loaded};
use super::units::{self, UnitForm};
use super::{AppError, AppResult, catalog, open_workspace, today};
use crate::domain::ids::{AssessmentId, UnitId};
use crate::store::{AssessmentRecord, EditionRecord, UnitRecord, Workspace};
use std::path::{Path, PathBuf};

/// A durable action requested by a screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Open (or create) the workspace at a path.
    OpenWorkspace(PathBuf),
    /// Select a unit in the tree.
    SelectUnit(UnitId),
    /// Select an assessment to show.
    SelectAssessment(AssessmentId),
    /// Add a unit.
    AddUnit(UnitForm),
    /// Create an assessment: unit, edition code, target code, year.
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
    /// Show an input error found by a screen before any command could run.
    ShowError(String),
    /// Dismiss the error or notice shown.
    DismissMessage,
}

/// Everything the screens read.
#[derive(Default)]
pub struct AppState {
    /// The open workspace.
    pub workspace: Option<Workspace>,
    /// Units, refreshed after every change.
    pub units: Vec<UnitRecord>,
    /// Assessments, refreshed after every change.
    pub assessments: Vec<AssessmentRecord>,
    /// Editions, refreshed after every change.
    pub editions: Vec<EditionRecord>,
    /// The selected unit.
    pub selected_unit: Option<UnitId>,
    /// The selected assessment, loaded with its status.
    pub current: Option<Loaded>,
    /// The last error, shown until dismissed.
    pub error: Option<AppError>,
    /// The last confirmation, shown until dismissed.
    pub notice: Option<String>,
}

impl AppState {
    /// Opens a workspace, keeping the previous one if this fails.
    pub fn open(path: &Path) -> Self {
        let mut state = Self::default();
        state.apply(Command::OpenWorkspace(path.to_path_buf()));
        state
    }

    /// The workspace path, if one is open.
    pub fn workspace_path(&self) -> Option<&Path> {
        self.workspace.as_ref().map(Workspace::path)
    }

    /// Applies one command; a failure is kept in `error` and changes nothing.
    pub fn apply(&mut self, command: Command) {
        if let Err(e) = self.try_apply(command) {
            self.error = Some(e);
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

    fn try_apply(&mut self, command: Command) -> AppResult<()> {
        match command {
            Command::OpenWorkspace(path) => {
                let ws = open_workspace(&path)?;
                *self = Self {
                    workspace: Some(ws),
                    ..Self::default()
                };
            }
            Command::SelectUnit(id) => {
                self.selected_unit = Some(id);
                let latest = self.ws()?.latest_assessment(id)?;
                self.current = None;
                if let Some(a) = latest {
                    self.current = Some(assessment::load(self.ws()?, a.id, today())?);
                }
            }
            Command::SelectAssessment(id) => {
                let loaded = assessment::load(self.ws()?, id, today())?;
                self.selected_unit = Some(loaded.unit.id);
                self.current = Some(loaded);
            }
            Command::AddUnit(form) => {
                let id = units::add(self.ws()?, &form)?;
                self.notice = Some(format!(
                    "Đã thêm {} «{}».",
                    form_kind_label(&form),
                    crate::domain::vn_text::nfc(&form.name)
                ));
                self.selected_unit = Some(id);
                self.current = None;
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
            Command::ShowError(message) => return Err(AppError::invalid(message)),
            Command::DismissMessage => {
                self.error = None;
                self.notice = None;
            }
        }
        self.refresh()
    }

    /// Re-reads the lists the screens show.
    pub fn refresh(&mut self) -> AppResult<()> {
        let Some(ws) = self.workspace.as_ref() else {
            return Ok(());
        };
        self.units = ws.units()?;
        self.assessments = ws.assessments()?;
        self.editions = ws.editions()?;
        if let Some(current) = &self.current {
            let id = current.record.id;
            self.current = Some(assessment::load(ws, id, today())?);
        }
        Ok(())
    }

    /// Parsed editions usable for a unit kind, default first.
    pub fn editions_for(&self, kind: crate::domain::units::UnitKind) -> Vec<(String, String)> {
        let mut list: Vec<(String, String)> = self
            .editions
            .iter()
            .filter_map(|r| catalog::parse_stored(&r.code, &r.content_toml).ok())
            .filter(|e| e.level == kind)
            .map(|e| (e.code.to_string(), e.title))
            .collect();
        list.sort_by_key(|(code, _)| (code != catalog::DEFAULT_EDITION, code.clone()));
        list
    }
}

fn form_kind_label(form: &UnitForm) -> String {
    crate::domain::units::UnitKind::from_code(&form.kind)
        .map(|k| k.label().to_lowercase())
        .unwrap_or_default()
}
