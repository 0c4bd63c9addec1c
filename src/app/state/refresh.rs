//! Re-reading what the screens show after a change, and collecting background tasks.

use super::{AppState, WATCH_EVERY};
use crate::app::tasks::{self, Task};
use crate::app::{AppError, AppResult};

impl AppState {
    /// Re-reads what the screens show and records today's counts, here and now.
    pub fn refresh(&mut self) -> AppResult<()> {
        let selection = self.selection(true);
        let Some(ws) = self.workspace.as_mut() else {
            return Ok(());
        };
        let reloaded = crate::app::reload::gather(ws, selection)?;
        self.pending.reads_here += 1;
        // What a reload under way would bring is older than this: it is dropped (its
        // generation is behind) and nothing is left to read again.
        self.watch.again = false;
        self.install(reloaded);
        Ok(())
    }

    /// Re-reads after a change the window made: on a background thread when
    /// [`AppState::background_reload`] is on (the screens keep what was typed meanwhile;
    /// today's counts and the roll-up are computed there too), else at once.
    pub(super) fn reread(&mut self) -> AppResult<()> {
        if !self.background_reload {
            return self.refresh();
        }
        if self.is_showing() {
            self.pending.again = true;
            return Ok(());
        }
        if self.watch.reloading.is_some() {
            self.watch.again = true;
            return Ok(());
        }
        self.start_reload();
        Ok(())
    }

    /// Starts reading what the window shows on a background thread; without a thread,
    /// reads here.
    pub(super) fn start_reload(&mut self) {
        let Some(ws) = self.workspace.as_ref() else {
            return;
        };
        let (db, user) = (ws.path().to_path_buf(), ws.user().to_string());
        let selection = self.selection(false);
        match tasks::reload(db, user, selection) {
            Some(reload) => self.watch.reloading = Some((reload, self.generation)),
            None => {
                if let Err(e) = self.refresh() {
                    self.error = Some(e);
                }
            }
        }
    }

    /// What a reload needs to know of the window. `take_rollup` moves the roll-up shown
    /// out for reuse (a reload on this thread); a reload elsewhere gets a copy.
    pub(super) fn selection(&mut self, take_rollup: bool) -> crate::app::reload::Selection {
        let shown = if take_rollup {
            self.rollup.take()
        } else {
            self.rollup.clone()
        };
        crate::app::reload::Selection {
            unit: self.selected_unit,
            assessment: self.current.as_ref().map(|c| c.record.id),
            rollup_filter: self.rollup_filter.clone(),
            rollup: self.rollup_key.clone().zip(shown),
            editions: self.editions.clone(),
        }
    }

    /// Shows what a reload read.
    pub(super) fn install(&mut self, r: crate::app::reload::Reloaded) {
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
    /// another program or, behind the window, by the window itself, or while a choice
    /// of the user is being read.
    pub fn is_reloading(&self) -> bool {
        self.watch.reloading.is_some() || self.loading().is_some()
    }

    /// Once a second, asks the workspace for its change sequence (one small query); when
    /// another program (the command line, another connection) changed the file, reads
    /// everything again on a background thread and shows it once read. A result that
    /// a read here overtook is dropped: the window has read since. When the window
    /// changed the file while it was reading, it reads again at once.
    fn watch_for_changes(&mut self) {
        // A choice being read reads everything afresh.
        if self.is_showing() || self.opening_path().is_some() {
            return;
        }
        if let Some((mut reload, generation)) = self.watch.reloading.take() {
            match reload.try_finish() {
                None => self.watch.reloading = Some((reload, generation)),
                Some(_) if generation != self.generation => {}
                Some(Ok(reloaded)) => {
                    self.install(reloaded);
                    if std::mem::take(&mut self.watch.again) {
                        self.start_reload();
                    }
                }
                Some(Err(e)) => {
                    self.watch.again = false;
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
            if let Some(outcome) = self.tasks.get_mut(i).and_then(Task::try_finish) {
                let task = self.tasks.remove(i);
                finished = true;
                if !outcome.problems.is_empty() || outcome.hint.is_some() {
                    self.error = Some(
                        AppError::new(
                            if outcome.summary.is_empty() {
                                format!("{}: có lỗi.", task.title)
                            } else {
                                outcome.summary.clone()
                            },
                            outcome.hint.clone().unwrap_or_else(|| {
                                "Các tệp khác vẫn được xử lý bình thường.".into()
                            }),
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
        self.poll_pending();
        if finished {
            if let Err(e) = self.reread() {
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

    pub(super) fn start_previews(&mut self) {
        if self.pending.leaving
            || self
                .tasks
                .iter()
                .any(|t| t.title == super::loading::PREVIEWS)
        {
            return;
        }
        if let Some(ws) = self.workspace.as_ref()
            && let Some(task) = tasks::make_previews(ws)
        {
            self.tasks.push(task);
        }
    }
}
