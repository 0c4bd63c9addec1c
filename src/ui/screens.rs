//! The one trait every screen of the central area implements ([`ScreenView`]: its title,
//! what leaving it saves, and how it is drawn) and the set of screen states the window
//! keeps ([`Screens`]). The tab switch, a change of assessment or workspace and the
//! closing window all save through [`Screens::leave_all`], which asks every screen: a
//! new screen that keeps drafts cannot be forgotten, since `leave` has no default.

use super::Screen;
use super::catalogue::CatalogueState;
use super::conditions::ConditionsState;
use super::dashboard::{self, Jump};
use super::dossier::DossierState;
use super::library::LibraryState;
use super::review::ReviewState;
use super::rollup::RollupState;
use super::thumbs::Thumbs;
use super::walk::WalkState;
use crate::app::state::{AppState, Command};

/// What a screen draws with: the state it reads, the shared thumbnails, the commands it
/// pushes, and where a click of it leads to another screen.
pub struct View<'a> {
    /// The state the screen reads.
    pub state: &'a AppState,
    /// The thumbnails of evidence files, shared by the screens that show them.
    pub thumbs: &'a mut Thumbs,
    /// The commands applied at the end of the frame.
    pub commands: &'a mut Vec<Command>,
    /// Set by a screen whose click opens the walk-through at a criterion.
    pub jump: Option<Jump>,
    /// Set by a screen whose click opens another screen of the assessment.
    pub goto: Option<Screen>,
}

/// One screen of the central area.
pub trait ScreenView {
    /// The screen's name on its tab.
    fn title(&self) -> &'static str;

    /// The saves of what is typed on the screen but not stored yet, if it belongs to
    /// what is shown; called when the screen, the assessment or the window is left.
    /// A screen without drafts returns nothing, and says so in its implementation.
    fn leave(&mut self, state: &AppState) -> Vec<Command>;

    /// Draws the screen.
    fn view(&mut self, ui: &mut egui::Ui, view: &mut View<'_>);
}

/// The dashboard of the selected assessment; it keeps nothing between frames.
#[derive(Default)]
pub struct OverviewState;

impl ScreenView for OverviewState {
    fn title(&self) -> &'static str {
        "Tổng quan"
    }

    fn leave(&mut self, _: &AppState) -> Vec<Command> {
        // Nothing is typed on the dashboard.
        Vec::new()
    }

    fn view(&mut self, ui: &mut egui::Ui, view: &mut View<'_>) {
        let Some(loaded) = view.state.current.as_ref() else {
            dashboard::empty_ui(ui, view.state);
            return;
        };
        if let Some(jump) = dashboard::dashboard_ui(ui, view.state, loaded, view.commands) {
            view.jump = Some(jump);
        }
    }
}

impl ScreenView for WalkState {
    fn title(&self) -> &'static str {
        "Rà soát tiêu chí"
    }

    fn leave(&mut self, state: &AppState) -> Vec<Command> {
        self.pending_saves(state)
    }

    fn view(&mut self, ui: &mut egui::Ui, view: &mut View<'_>) {
        super::walk::walk_ui(ui, view.state, self, view.thumbs, view.commands);
    }
}

impl ScreenView for LibraryState {
    fn title(&self) -> &'static str {
        "Thư viện minh chứng"
    }

    fn leave(&mut self, state: &AppState) -> Vec<Command> {
        self.pending_save(state).into_iter().collect()
    }

    fn view(&mut self, ui: &mut egui::Ui, view: &mut View<'_>) {
        super::library::library_ui(ui, view.state, self, view.thumbs, view.commands);
    }
}

impl ScreenView for ConditionsState {
    fn title(&self) -> &'static str {
        "Điều kiện công nhận"
    }

    fn leave(&mut self, state: &AppState) -> Vec<Command> {
        self.pending_save(state).into_iter().collect()
    }

    fn view(&mut self, ui: &mut egui::Ui, view: &mut View<'_>) {
        let Some(loaded) = view.state.current.as_ref() else {
            dashboard::empty_ui(ui, view.state);
            return;
        };
        super::conditions::conditions_ui(ui, view.state, loaded, self, view.commands);
    }
}

impl ScreenView for DossierState {
    fn title(&self) -> &'static str {
        "Hồ sơ in"
    }

    fn leave(&mut self, state: &AppState) -> Vec<Command> {
        self.pending_save(state).into_iter().collect()
    }

    fn view(&mut self, ui: &mut egui::Ui, view: &mut View<'_>) {
        match super::dossier::dossier_ui(ui, view.state, self, view.commands) {
            Some(super::dossier::DossierJump::Walk(jump)) => view.jump = Some(jump),
            Some(super::dossier::DossierJump::Screen(screen)) => view.goto = Some(screen),
            None => {}
        }
    }
}

impl ScreenView for ReviewState {
    fn title(&self) -> &'static str {
        "Thẩm định"
    }

    fn leave(&mut self, state: &AppState) -> Vec<Command> {
        self.pending_saves(state)
    }

    fn view(&mut self, ui: &mut egui::Ui, view: &mut View<'_>) {
        super::review::review_ui(ui, view.state, self, view.commands);
    }
}

impl ScreenView for RollupState {
    fn title(&self) -> &'static str {
        "Tổng hợp"
    }

    fn leave(&mut self, _: &AppState) -> Vec<Command> {
        // The roll-up's search and filters are choices of what to show, not data.
        Vec::new()
    }

    fn view(&mut self, ui: &mut egui::Ui, view: &mut View<'_>) {
        super::rollup::rollup_ui(ui, view.state, self, view.commands);
    }
}

impl ScreenView for CatalogueState {
    fn title(&self) -> &'static str {
        "Danh mục tiêu chí"
    }

    fn leave(&mut self, _: &AppState) -> Vec<Command> {
        // An edition being edited is saved only by its own «Lưu» once it validates (a
        // half-edited edition must not become the rules); the draft stays open here.
        Vec::new()
    }

    fn view(&mut self, ui: &mut egui::Ui, view: &mut View<'_>) {
        super::catalogue::catalogue_ui(ui, view.state, self, view.commands);
    }
}

/// The state of every screen, kept while the window is open.
#[derive(Default)]
pub struct Screens {
    overview: OverviewState,
    /// The walk-through (the dashboard and dropped files reach into it).
    pub walk: WalkState,
    library: LibraryState,
    conditions: ConditionsState,
    dossier: DossierState,
    review: ReviewState,
    rollup: RollupState,
    catalogue: CatalogueState,
}

impl Screens {
    /// The screen state behind a tab.
    pub fn get(&self, screen: Screen) -> &dyn ScreenView {
        match screen {
            Screen::Overview => &self.overview,
            Screen::Walk => &self.walk,
            Screen::Library => &self.library,
            Screen::Conditions => &self.conditions,
            Screen::Dossier => &self.dossier,
            Screen::Review => &self.review,
            Screen::Rollup => &self.rollup,
            Screen::Catalogue => &self.catalogue,
        }
    }

    /// The screen state behind a tab, to draw it.
    pub fn get_mut(&mut self, screen: Screen) -> &mut dyn ScreenView {
        match screen {
            Screen::Overview => &mut self.overview,
            Screen::Walk => &mut self.walk,
            Screen::Library => &mut self.library,
            Screen::Conditions => &mut self.conditions,
            Screen::Dossier => &mut self.dossier,
            Screen::Review => &mut self.review,
            Screen::Rollup => &mut self.rollup,
            Screen::Catalogue => &mut self.catalogue,
        }
    }

    /// The saves every screen asks for as it is left, in tab order.
    pub fn leave_all(&mut self, state: &AppState) -> Vec<Command> {
        Screen::ALL
            .into_iter()
            .flat_map(|screen| self.get_mut(screen).leave(state))
            .collect()
    }
}
