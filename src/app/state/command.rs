//! The durable actions a screen asks for ([`Command`]).

use crate::app::assessment::ValueForm;
use crate::app::conditions::{ConditionsForm, PostingForm};
use crate::app::library::MetaForm;
use crate::app::units::UnitForm;
use crate::domain::catalog::Edition;
use crate::domain::ids::{AssessmentId, EvidenceId, UnitId};
use crate::domain::units::Verdict;
use std::path::PathBuf;

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
    RecordRecognition(crate::app::recognitions::RecognitionForm),
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
    SaveDossierSettings(crate::app::dossier::SettingsForm),
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
    ImportBundlesTrusted(Vec<PathBuf>, crate::app::keys::Trust),
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
    SetRollupFilter(crate::app::report::RollupFilter),
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
    /// Whether the command chooses what the window shows (a workspace, a unit, an
    /// assessment) rather than changing data.
    pub fn changes_selection(&self) -> bool {
        matches!(
            self,
            Command::OpenWorkspace(..)
                | Command::SelectUnit(..)
                | Command::SelectAssessment(..)
                | Command::RestoreBackup { .. }
                | Command::AddUnit(..)
        )
    }

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
