//! The rules of the commands the window sends, as use cases: the window's dispatcher
//! (`app::state`) only delegates here, so a rule holds whichever face calls it. One file
//! per concern; the use cases that already stood on their own stay in their modules
//! (`app::units`, `app::evidence`, `app::dossier` …).

pub mod evidence;
pub mod values;
