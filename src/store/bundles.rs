//! The exchange between a commune and its compiling office: the workspace's own id, the
//! rounds a commune submitted, and importing a round in one transaction (so a refused
//! bundle changes nothing).
use super::{ConditionsRecord, StoreResult, ValueRecord, Workspace};
use crate::domain::ids::{AssessmentId, UnitId};
use crate::domain::units::{CommuneGroup, Region, Target, UnitFlag, UnitKind};
use crate::domain::vn_text::nfc;
use rusqlite::{OptionalExtension, params};
use std::collections::BTreeMap;

/// A unit as a bundle describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleUnit {
    /// Name.
    pub name: String,
    /// Level.
    pub kind: UnitKind,
    /// Official code.
    pub official_code: Option<String>,
    /// Region.
    pub region: Option<Region>,
    /// Group.
    pub group: Option<CommuneGroup>,
    /// Flags.
    pub flags: Vec<UnitFlag>,
}

/// One evidence file of a round.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleEvidence {
    /// Code, e.g. TC03-01.
    pub code: String,
    /// File name.
    pub file_name: String,
    /// Media type.
    pub media_type: String,
    /// SHA-256 of the bytes.
    pub sha256: String,
    /// Number, date, issuer, summary.
    pub meta: [Option<String>; 4],
    /// Indicators it proves.
    pub indicators: Vec<String>,
    /// Indicator → the name the file was given for it, where it differs.
    pub link_names: BTreeMap<String, String>,
}

/// Everything a round brings, validated by the app layer before it gets here.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRound {
    /// `<workspace id>:<assessment id>` of the sender.
    pub origin: String,
    /// Round number.
    pub round: i64,
    /// SHA-256 of the whole bundle file.
    pub bundle_sha256: String,
    /// The units above the commune, top down.
    pub parents: Vec<BundleUnit>,
    /// The commune.
    pub unit: BundleUnit,
    /// Edition code, canonical TOML and its hash: the office's own edition when it has
    /// one of that code.
    pub edition: (String, String, String),
    /// The commune's copy of the edition, when it differs from the office's.
    pub claimed_edition: Option<String>,
    /// Target.
    pub target: Target,
    /// Year.
    pub year: i32,
    /// Values.
    pub values: Vec<ValueRecord>,
    /// Criterion ratings.
    pub ratings: Vec<super::CriterionRating>,
    /// Conditions.
    pub conditions: ConditionsRecord,
    /// Posting log.
    pub postings: Vec<crate::domain::engine::Posting>,
    /// Evidence.
    pub evidence: Vec<BundleEvidence>,
    /// Dossier settings.
    pub settings: BTreeMap<String, String>,
    /// Signed originals: document key → evidence code.
    pub signed: BTreeMap<String, String>,
    /// The signer, checked against the key enrolled for the commune inside the import.
    pub signer: super::SignerCheck,
}

/// A round this workspace submitted for one of its assessments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// Round number, from 1.
    pub round: i64,
    /// SHA-256 of the bundle sent.
    pub bundle_sha256: String,
    /// The status snapshot frozen with it (JSON).
    pub snapshot: String,
    /// When, UTC ISO.
    pub created_at: String,
}

/// A round received from a commune and imported as a local assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedRound {
    /// Round number, from 1.
    pub round: i64,
    /// The local assessment holding it.
    pub assessment: AssessmentId,
    /// SHA-256 of the bundle received.
    pub bundle_sha256: String,
}

/// Where a local assessment received in a bundle came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedFrom {
    /// The sending workspace's origin (`<workspace id>:<assessment id>`).
    pub origin: String,
    /// Round number, from 1.
    pub round: i64,
}

/// What importing a round did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imported {
    /// A new local assessment holds the round.
    New(AssessmentId),
    /// The same bundle was imported before: nothing changed.
    AlreadyThere(AssessmentId),
}

impl Workspace {
    /// This workspace's id (made once, kept forever): the origin of what it sends.
    pub fn workspace_id(&mut self) -> StoreResult<String> {
        let existing: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM workspace_meta WHERE key = 'id'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = existing {
            return Ok(id);
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let seed = format!("{}|{}|{nanos}", self.path().display(), std::process::id());
        let id = super::sha256_hex(seed.as_bytes())[..24].to_string();
        self.write(|w| {
            w.tx.execute(
                "INSERT OR IGNORE INTO workspace_meta(key, value) VALUES ('id', ?1)",
                [&id],
            )?;
            Ok(())
        })?;
        self.workspace_id()
    }

    /// Rounds submitted for an assessment, by round.
    pub fn submissions(&self, id: AssessmentId) -> StoreResult<Vec<Submission>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT round, bundle_sha256, snapshot, created_at FROM submissions WHERE assessment_id = ?1 ORDER BY round",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(Submission {
                round: r.get(0)?,
                bundle_sha256: r.get(1)?,
                snapshot: r.get(2)?,
                created_at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records a submitted round.
    pub fn add_submission(
        &mut self,
        id: AssessmentId,
        round: i64,
        sha: &str,
        snapshot: &str,
    ) -> StoreResult<()> {
        self.write(|w| {
            w.tx.prepare_cached(
                "INSERT INTO submissions(assessment_id, round, bundle_sha256, snapshot, created_at) VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
            )?
            .execute(params![id, round, sha, snapshot])?;
            w.audit("gui_ho_so", &id.to_string(), "lan_gui", None, Some(&round.to_string()))
        })
    }

    /// The imported rounds of an origin, by round.
    pub fn bundle_rounds(&self, origin: &str) -> StoreResult<Vec<ImportedRound>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT round, assessment_id, bundle_sha256 FROM bundle_rounds WHERE origin = ?1 ORDER BY round",
        )?;
        let rows = stmt.query_map([origin], |r| {
            Ok(ImportedRound {
                round: r.get(0)?,
                assessment: r.get(1)?,
                bundle_sha256: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The origin and round a local assessment was imported from, if it was.
    pub fn imported_from(&self, id: AssessmentId) -> StoreResult<Option<ReceivedFrom>> {
        Ok(self
            .conn
            .query_row(
                "SELECT origin, round FROM bundle_rounds WHERE assessment_id = ?1",
                [id],
                |r| {
                    Ok(ReceivedFrom {
                        origin: r.get(0)?,
                        round: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// The commune's own copy of the edition for an imported round, when it differed
    /// from the office's (canonical TOML).
    pub fn claimed_edition(&self, id: AssessmentId) -> StoreResult<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT claimed_edition_toml FROM bundle_rounds WHERE assessment_id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    /// The unit an import of this origin and commune would write to, if it exists
    /// already (read only: nothing is added).
    pub fn unit_of_bundle(
        &self,
        origin: &str,
        parents: &[BundleUnit],
        unit: &BundleUnit,
    ) -> StoreResult<Option<UnitId>> {
        let earlier: Option<UnitId> = self
            .conn
            .query_row(
                "SELECT a.unit_id FROM bundle_rounds b JOIN assessments a ON a.id = b.assessment_id WHERE b.origin = ?1 ORDER BY b.round DESC LIMIT 1",
                [origin],
                |r| r.get(0),
            )
            .optional()?;
        if earlier.is_some() {
            return Ok(earlier);
        }
        let mut parent = None;
        for p in parents {
            match Self::find_unit(&self.conn, p, parent)? {
                Some(id) => parent = Some(id),
                None => return Ok(None),
            }
        }
        Self::find_unit(&self.conn, unit, parent)
    }

    fn find_unit(
        conn: &rusqlite::Connection,
        u: &BundleUnit,
        parent: Option<UnitId>,
    ) -> StoreResult<Option<UnitId>> {
        let mut stmt = conn.prepare_cached(
            "SELECT id, name, official_code FROM units WHERE kind = ?1 AND parent_id IS ?2",
        )?;
        let rows: Vec<(UnitId, String, Option<String>)> = stmt
            .query_map(params![u.kind.code(), parent], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        // By official code first; then by the exact name (NFC, diacritics count: «An Hòa»
        // and «Ân Hòa» are two communes) when the codes do not contradict each other.
        let by_code = u
            .official_code
            .as_ref()
            .and_then(|c| rows.iter().find(|r| r.2.as_ref() == Some(c)));
        let by_name = rows.iter().find(|r| {
            nfc(&r.1) == nfc(&u.name)
                && (r.2.is_none() || u.official_code.is_none() || r.2 == u.official_code)
        });
        Ok(by_code.or(by_name).map(|r| r.0))
    }

    fn find_or_add_unit(
        tx: &rusqlite::Transaction<'_>,
        u: &BundleUnit,
        parent: Option<UnitId>,
    ) -> StoreResult<UnitId> {
        if let Some(id) = Self::find_unit(tx, u, parent)? {
            return Ok(id);
        }
        tx.prepare_cached(
            "INSERT INTO units(name, kind, parent_id, official_code, region, commune_group, flag_dbkk, flag_atk, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
        )?
        .execute(params![
            u.name,
            u.kind.code(),
            parent,
            u.official_code,
            u.region.map(|r| r.code()),
            u.group.map(|g| g.code()),
            u.flags.contains(&UnitFlag::EspeciallyDisadvantaged),
            u.flags.contains(&UnitFlag::SafeZone),
        ])?;
        Ok(UnitId(tx.last_insert_rowid()))
    }

    /// A round of a known origin goes to the unit its earlier rounds went to (`earlier`); a
    /// manifest that describes another existing unit is refused.
    fn check_described_unit(&self, data: &ImportRound, earlier: UnitId) -> StoreResult<()> {
        let mut parent = None;
        let mut described = Some(None);
        for p in &data.parents {
            described = match Self::find_unit(&self.conn, p, parent)? {
                Some(id) => {
                    parent = Some(id);
                    Some(Some(id))
                }
                None => None,
            };
            if described.is_none() {
                break;
            }
        }
        let described = match described {
            Some(_) => Self::find_unit(&self.conn, &data.unit, parent)?,
            None => None,
        };
        if described.is_some_and(|d| d != earlier) {
            return Err(super::StoreError::Invalid(format!(
                "gói ghi đơn vị «{}», nhưng các lần gửi trước của hồ sơ này thuộc đơn vị khác",
                data.unit.name
            )));
        }
        Ok(())
    }

    /// Writes the round's evidence (a file's bytes only when the workspace lacks them) and
    /// their indicator links; returns each evidence code's new row id.
    fn insert_evidence<'d>(
        tx: &rusqlite::Transaction<'_>,
        id: AssessmentId,
        data: &'d ImportRound,
        blob: &mut dyn FnMut(&str) -> Result<Vec<u8>, String>,
        workspace_path: &std::path::Path,
    ) -> StoreResult<BTreeMap<&'d str, i64>> {
        let mut codes: BTreeMap<&str, i64> = BTreeMap::new();
        for e in &data.evidence {
            let known: bool = tx
                .prepare_cached("SELECT EXISTS(SELECT 1 FROM blobs WHERE sha256 = ?1)")?
                .query_row([&e.sha256], |r| r.get(0))?;
            if !known {
                let bytes = blob(&e.sha256).map_err(super::StoreError::Invalid)?;
                tx.prepare_cached("INSERT INTO blobs(sha256, size, data) VALUES (?1, ?2, ?3)")?
                    .execute(params![e.sha256, bytes.len() as i64, bytes])?;
                // Not an error for the import: the next backup copies what is missing.
                let _ = super::backup::mirror_blob(workspace_path, &e.sha256, &bytes);
            }
            tx.prepare_cached(
                "INSERT INTO evidence(assessment_id, sha256, file_name, media_type, evidence_code, doc_number, doc_date, issuer, summary, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
            )?
            .execute(params![id, e.sha256, e.file_name, e.media_type, e.code, e.meta[0], e.meta[1], e.meta[2], e.meta[3]])?;
            let eid = tx.last_insert_rowid();
            codes.insert(&e.code, eid);
            for i in &e.indicators {
                tx.prepare_cached("INSERT INTO evidence_links(evidence_id, indicator_code, file_name) VALUES (?1, ?2, ?3)")?
                    .execute(params![eid, i, e.link_names.get(i)])?;
            }
        }
        Ok(codes)
    }

    /// Imports a round in one transaction; `blob(sha)` gives one file's verified bytes at
    /// a time. Any error rolls everything back.
    pub fn import_round(
        &mut self,
        data: &ImportRound,
        blob: &mut dyn FnMut(&str) -> Result<Vec<u8>, String>,
    ) -> StoreResult<Imported> {
        if let Some(known) = self
            .bundle_rounds(&data.origin)?
            .into_iter()
            .find(|r| r.round == data.round)
        {
            if known.bundle_sha256 == data.bundle_sha256 {
                return Ok(Imported::AlreadyThere(known.assessment));
            }
            return Err(super::StoreError::Invalid(format!(
                "lần gửi {} của hồ sơ này đã được nhập với nội dung khác",
                data.round
            )));
        }
        let earlier_unit: Option<UnitId> = self
            .conn
            .query_row(
                "SELECT a.unit_id FROM bundle_rounds b JOIN assessments a ON a.id = b.assessment_id WHERE b.origin = ?1 ORDER BY b.round DESC LIMIT 1",
                [&data.origin],
                |r| r.get(0),
            )
            .optional()?;
        // A round of a known origin goes to the unit its earlier rounds went to; a
        // manifest that describes another existing unit is refused (a commune's bundle
        // never writes under another commune's name).
        if let Some(earlier) = earlier_unit {
            self.check_described_unit(data, earlier)?;
        }
        let workspace_path = self.path().to_path_buf();
        self.write(|w| {
            let tx = &w.tx;
            let unit = match earlier_unit {
                Some(u) => u,
                None => {
                    let mut parent = None;
                    for p in &data.parents {
                        parent = Some(Self::find_or_add_unit(tx, p, parent)?);
                    }
                    Self::find_or_add_unit(tx, &data.unit, parent)?
                }
            };
            // Only the commune's own key writes to it: checked (or enrolled, when the
            // user confirmed the fingerprint) before anything else is written.
            w.check_signer(
                super::KeyRole::Commune,
                &unit.to_string(),
                &format!("«{}»", data.unit.name),
                &data.signer,
            )?;
            tx.prepare_cached(
                "INSERT INTO assessments(unit_id, edition_code, edition_toml, edition_sha256, target, year, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
            )?
            .execute(params![unit, data.edition.0, data.edition.1, data.edition.2, data.target.code(), data.year])?;
            let id = AssessmentId(tx.last_insert_rowid());
            for v in &data.values {
                tx.prepare_cached(
                    "INSERT INTO indicator_values(assessment_id, indicator_code, numerator, denominator, value_number, value_text, data_date, source_office,
                        computed_verdict, manual_verdict, manual_reason, note, responsible, deadline, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                )?
                .execute(params![
                    id, v.indicator, v.numerator, v.denominator, v.value_number, v.value_text, v.data_date, v.source_office,
                    v.computed_verdict, v.manual_verdict, v.manual_reason, v.note, v.responsible, v.deadline
                ])?;
            }
            for r in &data.ratings {
                tx.prepare_cached("INSERT INTO criterion_ratings(assessment_id, criterion_number, verdict, reason) VALUES (?1, ?2, ?3, ?4)")?
                    .execute(params![id, r.number, r.verdict, r.reason])?;
            }
            let c = &data.conditions;
            tx.prepare_cached(
                "INSERT INTO conditions(assessment_id, households_surveyed, households_satisfied, satisfaction_threshold, debt_million_vnd, debt_status, security_status)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![id, c.households_surveyed, c.households_satisfied, c.satisfaction_threshold, c.debt_million_vnd, c.debt_status, c.security_status])?;
            for p in &data.postings {
                tx.prepare_cached("INSERT INTO postings(assessment_id, place, posted_on, medium) VALUES (?1, ?2, ?3, ?4)")?
                    .execute(params![id, p.place, p.date, p.medium])?;
            }
            let codes = Self::insert_evidence(tx, id, data, blob, &workspace_path)?;
            for (k, v) in &data.settings {
                tx.prepare_cached("INSERT INTO dossier_settings(assessment_id, key, value) VALUES (?1, ?2, ?3)")?
                    .execute(params![id, k, v])?;
            }
            for (k, code) in &data.signed {
                let eid = codes.get(code.as_str()).ok_or_else(|| {
                    super::StoreError::Invalid(format!("bản đã ký «{k}» trỏ tới minh chứng không có trong gói: {code}"))
                })?;
                tx.prepare_cached("INSERT INTO signed_originals(assessment_id, document_key, evidence_id) VALUES (?1, ?2, ?3)")?
                    .execute(params![id, k, eid])?;
            }
            tx.prepare_cached(
                "INSERT INTO bundle_rounds(origin, round, assessment_id, bundle_sha256, imported_at, claimed_edition_toml) VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?5)",
            )?
            .execute(params![data.origin, data.round, id, data.bundle_sha256, data.claimed_edition])?;
            w.audit("nhan_ho_so", &id.to_string(), "lan_gui", None, Some(&format!("{} #{}", data.origin, data.round)))?;
            Ok(Imported::New(id))
        })
    }
}
