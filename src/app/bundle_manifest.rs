//! The manifest of an assessment bundle as it is written and read: plain serde types,
//! raw text and numbers. Nothing here is trusted until [`super::bundle_checks`] has
//! parsed it into domain types.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Manifest {
    pub(crate) format: u32,
    pub(crate) kind: String,
    pub(crate) signer: String,
    pub(crate) origin: String,
    pub(crate) assessment: i64,
    pub(crate) round: i64,
    pub(crate) parents: Vec<UnitEntry>,
    pub(crate) unit: UnitEntry,
    pub(crate) edition_code: String,
    pub(crate) edition_toml: String,
    pub(crate) edition_sha256: String,
    pub(crate) target: String,
    pub(crate) year: i32,
    pub(crate) values: Vec<ValueEntry>,
    pub(crate) ratings: Vec<(u32, String, String)>,
    pub(crate) conditions: ConditionsEntry,
    pub(crate) postings: Vec<(String, String, String)>,
    pub(crate) evidence: Vec<EvidenceEntry>,
    pub(crate) settings: BTreeMap<String, String>,
    pub(crate) signed: BTreeMap<String, String>,
    pub(crate) entries: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UnitEntry {
    pub(crate) name: String,
    pub(crate) kind: String,
    pub(crate) official_code: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) group: Option<String>,
    pub(crate) flags: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ValueEntry {
    pub(crate) assessment: i64,
    pub(crate) indicator: String,
    pub(crate) numerator: Option<f64>,
    pub(crate) denominator: Option<f64>,
    pub(crate) value_number: Option<f64>,
    pub(crate) value_text: Option<String>,
    pub(crate) data_date: Option<String>,
    pub(crate) source_office: Option<String>,
    pub(crate) computed_verdict: String,
    pub(crate) manual_verdict: Option<String>,
    pub(crate) manual_reason: Option<String>,
    pub(crate) note: Option<String>,
    pub(crate) responsible: Option<String>,
    pub(crate) deadline: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConditionsEntry {
    pub(crate) households_surveyed: Option<u32>,
    pub(crate) households_satisfied: Option<u32>,
    pub(crate) satisfaction_threshold: Option<f64>,
    pub(crate) debt_million_vnd: Option<f64>,
    pub(crate) debt_status: Option<String>,
    pub(crate) security_status: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EvidenceEntry {
    pub(crate) assessment: i64,
    pub(crate) code: String,
    pub(crate) file_name: String,
    pub(crate) media_type: String,
    pub(crate) sha256: String,
    pub(crate) doc_number: Option<String>,
    pub(crate) doc_date: Option<String>,
    pub(crate) issuer: Option<String>,
    pub(crate) summary: Option<String>,
    pub(crate) indicators: Vec<String>,
    /// Indicator → the name the file was given for it, where that differs from
    /// `file_name`. Left out when empty.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) link_names: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Entry {
    pub(crate) name: String,
    pub(crate) size: u64,
    pub(crate) sha256: String,
}
