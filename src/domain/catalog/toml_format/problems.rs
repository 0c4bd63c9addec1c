//! The problems collected while validating an edition, each with its location.

use crate::domain::catalog::Problem;
use std::ops::Range;

/// The problems found so far, each located through `locate`.
pub(super) struct Problems<'a> {
    /// Turns a span into a location text.
    pub(super) locate: &'a dyn Fn(Range<usize>) -> String,
    /// The problems, in the order found.
    pub(super) found: Vec<Problem>,
}

impl Problems<'_> {
    /// Records a problem of `field` at `span`.
    pub(super) fn report(&mut self, span: Range<usize>, field: &str, message: String) {
        self.found.push(Problem {
            location: (self.locate)(span),
            field: field.to_string(),
            message,
        });
    }
}
