//! Append-only schema migrations keyed on `PRAGMA user_version`. Never edit a shipped
//! migration: add a new one. All pending migrations run in one transaction.

use super::{APPLICATION_ID, StoreResult};
use rusqlite::{Connection, TransactionBehavior};

const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    r#"
    CREATE TABLE editions (
        code TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        content_toml TEXT NOT NULL,
        content_sha256 TEXT NOT NULL,
        builtin INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE units (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('tinh', 'huyen', 'xa', 'thon')),
        parent_id INTEGER REFERENCES units(id),
        official_code TEXT,
        region TEXT,
        commune_group TEXT,
        flag_dbkk INTEGER NOT NULL DEFAULT 0,
        flag_atk INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    CREATE INDEX units_parent ON units(parent_id);
    CREATE TABLE unit_lineage (
        unit_id INTEGER NOT NULL REFERENCES units(id),
        former_unit_id INTEGER NOT NULL REFERENCES units(id),
        PRIMARY KEY (unit_id, former_unit_id),
        CHECK (unit_id <> former_unit_id)
    );
    CREATE TABLE assessments (
        id INTEGER PRIMARY KEY,
        unit_id INTEGER NOT NULL REFERENCES units(id),
        edition_code TEXT NOT NULL,
        edition_toml TEXT NOT NULL,
        edition_sha256 TEXT NOT NULL,
        target TEXT NOT NULL,
        year INTEGER NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX assessments_unit ON assessments(unit_id);
    CREATE TABLE indicator_values (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id),
        indicator_code TEXT NOT NULL,
        numerator REAL,
        denominator REAL,
        value_number REAL,
        value_text TEXT,
        data_date TEXT,
        source_office TEXT,
        computed_verdict TEXT NOT NULL DEFAULT 'chua_danh_gia',
        manual_verdict TEXT,
        manual_reason TEXT,
        note TEXT,
        responsible TEXT,
        deadline TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (assessment_id, indicator_code),
        CHECK (manual_verdict IS NULL OR length(trim(coalesce(manual_reason, ''))) > 0)
    );
    CREATE TABLE criterion_ratings (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id),
        criterion_number INTEGER NOT NULL,
        verdict TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
        PRIMARY KEY (assessment_id, criterion_number)
    );
    CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        data BLOB NOT NULL
    );
    CREATE TABLE evidence (
        id INTEGER PRIMARY KEY,
        assessment_id INTEGER NOT NULL REFERENCES assessments(id),
        sha256 TEXT NOT NULL REFERENCES blobs(sha256),
        file_name TEXT NOT NULL,
        media_type TEXT NOT NULL,
        evidence_code TEXT NOT NULL,
        doc_number TEXT,
        doc_date TEXT,
        issuer TEXT,
        summary TEXT,
        added_at TEXT NOT NULL,
        UNIQUE (assessment_id, sha256),
        UNIQUE (assessment_id, evidence_code)
    );
    CREATE TABLE evidence_links (
        evidence_id INTEGER NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
        indicator_code TEXT NOT NULL,
        PRIMARY KEY (evidence_id, indicator_code)
    );
    CREATE TABLE conditions (
        assessment_id INTEGER PRIMARY KEY REFERENCES assessments(id),
        households_surveyed INTEGER,
        households_satisfied INTEGER,
        satisfaction_threshold REAL,
        debt_million_vnd REAL,
        debt_status TEXT,
        security_status TEXT
    );
    CREATE TABLE postings (
        id INTEGER PRIMARY KEY,
        assessment_id INTEGER NOT NULL REFERENCES assessments(id),
        place TEXT NOT NULL,
        posted_on TEXT NOT NULL,
        medium TEXT NOT NULL
    );
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_name TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        field TEXT NOT NULL,
        old_value TEXT,
        new_value TEXT
    );
    "#,
    // 2: previews of evidence files (thumbnails, page counts) and daily status snapshots.
    r#"
    CREATE TABLE previews (
        sha256 TEXT PRIMARY KEY REFERENCES blobs(sha256),
        width INTEGER NOT NULL DEFAULT 0,
        height INTEGER NOT NULL DEFAULT 0,
        rgba BLOB,
        pages INTEGER,
        problem TEXT
    );
    CREATE TABLE status_snapshots (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id),
        taken_on TEXT NOT NULL,
        criteria_met INTEGER NOT NULL,
        indicators_met INTEGER NOT NULL,
        indicators_with_evidence INTEGER NOT NULL,
        PRIMARY KEY (assessment_id, taken_on)
    );
    "#,
    // 3: the printed dossier: per-assessment settings (signer, date…) and the signed
    // originals scanned back in, which replace the generated drafts.
    r#"
    CREATE TABLE dossier_settings (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id),
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (assessment_id, key)
    );
    CREATE TABLE signed_originals (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id),
        document_key TEXT NOT NULL,
        evidence_id INTEGER NOT NULL REFERENCES evidence(id),
        PRIMARY KEY (assessment_id, document_key)
    );
    "#,
    // 4: exchange between a commune and its compiling office: this workspace's id, the
    // rounds a commune submitted, and the rounds an office imported (older kept).
    r#"
    CREATE TABLE workspace_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE submissions (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id),
        round INTEGER NOT NULL,
        bundle_sha256 TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (assessment_id, round)
    );
    CREATE TABLE bundle_rounds (
        origin TEXT NOT NULL,
        round INTEGER NOT NULL,
        assessment_id INTEGER NOT NULL REFERENCES assessments(id),
        bundle_sha256 TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        PRIMARY KEY (origin, round)
    );
    "#,
    // 5: the compiling office's review of a received assessment, and the same review
    // as the commune receives it back (requests become its to-do list).
    r#"
    CREATE TABLE reviews (
        assessment_id INTEGER PRIMARY KEY REFERENCES assessments(id),
        vote TEXT NOT NULL DEFAULT '',
        decision TEXT NOT NULL DEFAULT '',
        reviewer TEXT NOT NULL DEFAULT '',
        received_at TEXT
    );
    CREATE TABLE review_criteria (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id),
        criterion_number INTEGER NOT NULL,
        verdict TEXT NOT NULL,
        comment TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (assessment_id, criterion_number)
    );
    CREATE TABLE review_requests (
        id INTEGER PRIMARY KEY,
        assessment_id INTEGER NOT NULL REFERENCES assessments(id),
        indicator_code TEXT NOT NULL,
        request TEXT NOT NULL
    );
    "#,
    // 6: the name the clerk gave a file when linking it to an indicator: the same bytes
    // attached twice under two names keep both (NULL: the evidence file's own name).
    r#"
    ALTER TABLE evidence_links ADD COLUMN file_name TEXT;
    "#,
    // 7: signed bundles. The workspace's own Ed25519 key (the secret never leaves this
    // file) and the keys it trusts: a commune's (role 'xa', subject its unit id) or its
    // compiling office's (role 'co_quan', subject ''). One key, one subject. A round whose bundle carried an edition that differs
    // from the office's own keeps the commune's copy as its claim.
    r#"
    CREATE TABLE signing_key (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        secret BLOB NOT NULL,
        public_key TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE trusted_keys (
        role TEXT NOT NULL CHECK (role IN ('xa', 'co_quan')),
        subject TEXT NOT NULL,
        public_key TEXT NOT NULL UNIQUE,
        enrolled_at TEXT NOT NULL,
        PRIMARY KEY (role, subject)
    );
    ALTER TABLE bundle_rounds ADD COLUMN claimed_edition_toml TEXT;
    "#,
    // 8: central appraisal. Towns (thị trấn) as a unit kind: the units table's CHECK is
    // widened in place (SQLite's documented procedure for loosening a constraint: the
    // table text is edited, the schema version bumped by `migrate`), so the table keeps
    // its place and its rows. Recognition decisions per unit (revocations are rows too),
    // and survey results per unit and content (households asked and satisfied).
    r#"
    PRAGMA writable_schema = ON;
    UPDATE sqlite_master
       SET sql = replace(sql, 'CHECK (kind IN (''tinh'', ''huyen'', ''xa'', ''thon''))',
                              'CHECK (kind IN (''tinh'', ''huyen'', ''xa'', ''thitran'', ''thon''))')
     WHERE type = 'table' AND name = 'units';
    PRAGMA writable_schema = OFF;
    CREATE TABLE unit_recognitions (
        id INTEGER PRIMARY KEY,
        unit_id INTEGER NOT NULL REFERENCES units(id),
        target TEXT NOT NULL
            CHECK (target IN ('ntm', 'nang-cao', 'kieu-mau', 'hien-dai', 'do-thi-van-minh')),
        decision TEXT NOT NULL CHECK (length(trim(decision)) > 0),
        decided_on TEXT NOT NULL,
        issued_by TEXT NOT NULL DEFAULT '',
        revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
        created_at TEXT NOT NULL,
        UNIQUE (unit_id, target, decision, revoked)
    );
    CREATE INDEX unit_recognitions_unit ON unit_recognitions(unit_id);
    CREATE TABLE survey_results (
        unit_id INTEGER NOT NULL REFERENCES units(id),
        content TEXT NOT NULL CHECK (length(trim(content)) > 0),
        households_surveyed INTEGER NOT NULL CHECK (households_surveyed > 0),
        households_satisfied INTEGER NOT NULL
            CHECK (households_satisfied BETWEEN 0 AND households_surveyed),
        PRIMARY KEY (unit_id, content)
    );
    "#,
    // 9: plans. A commune's target («phấn đấu đạt chuẩn NTM năm 2026») and a district's
    // or province's dossier deadline, one row per unit; either part may be absent.
    r#"
    CREATE TABLE unit_plans (
        unit_id INTEGER PRIMARY KEY REFERENCES units(id),
        target TEXT CHECK (target IN ('ntm', 'nang-cao', 'kieu-mau', 'hien-dai')),
        target_year INTEGER CHECK (target_year BETWEEN 2000 AND 2100),
        dossier_deadline TEXT,
        CHECK ((target IS NULL) = (target_year IS NULL))
    );
    "#,
    // 10: the reason a clerk gives for replacing the satisfaction threshold the edition
    // fixes. A column added in place (no table rebuild: backups copy with foreign keys
    // on); rows written before keep a NULL reason.
    r#"
    ALTER TABLE conditions ADD COLUMN satisfaction_threshold_reason TEXT;
    "#,
    // 11: indexes for the roll-up (issue 12), added in place. The latest assessment of
    // each commune is read from `assessments_latest` alone: the year, target and hash
    // columns of the table sit behind the long pinned edition text (overflow pages).
    // Whether a round received was replaced by a later one is found by the assessment
    // (`bundle_rounds_assessment`) instead of a scan of every round per assessment.
    // `IF NOT EXISTS`: a file turned back to an older version by dropping what later
    // migrations added (as some tests do) keeps its indexes.
    r#"
    CREATE INDEX IF NOT EXISTS assessments_latest
        ON assessments(unit_id, year, id, target, edition_code, edition_sha256, created_at);
    CREATE INDEX IF NOT EXISTS bundle_rounds_assessment
        ON bundle_rounds(assessment_id, origin, round);
    "#,
];

/// The newest schema version this program knows.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// The migration that edits a table's text in place (see its comment): the schema
/// version must be bumped after it, and the edit must have happened.
const TOWN_KIND_MIGRATION: i64 = 8;

/// Applies pending migrations in one transaction, which takes the write lock up front
/// and reads the version inside it (two programs opening an old file at once cannot
/// both migrate it).
pub(super) fn migrate(conn: &mut Connection) -> StoreResult<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current >= LATEST {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for sql in MIGRATIONS
        .get(current.max(0) as usize..)
        .unwrap_or_default()
    {
        tx.execute_batch(sql)?;
    }
    if current < TOWN_KIND_MIGRATION {
        town_kind_in_place(&tx)?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.pragma_update(None, "user_version", LATEST)?;
    tx.commit()?;
    Ok(())
}

/// After migration 8 edited the units table's text: bump the schema version (so every
/// connection rereads the schema), and check that the edit took and the file is sound.
fn town_kind_in_place(conn: &Connection) -> StoreResult<()> {
    let version: i64 = conn.pragma_query_value(None, "schema_version", |r| r.get(0))?;
    conn.pragma_update(None, "schema_version", version + 1)?;
    let edited: bool = conn.query_row(
        "SELECT count(*) = 1 FROM sqlite_master WHERE type = 'table' AND name = 'units' AND sql LIKE '%''thitran''%'",
        [],
        |r| r.get(0),
    )?;
    let sound: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if !edited || sound != "ok" {
        return Err(super::StoreError::Invalid(format!(
            "nâng cấp tệp dữ liệu (thêm cấp thị trấn) không thực hiện được ({sound}); tệp được giữ nguyên"
        )));
    }
    Ok(())
}

/// Applies the first `n` migrations only (a file as version `n` of the program left
/// it), for the tests that open every shipped version. Versions past the newest are
/// refused.
pub(super) fn migrate_to(conn: &mut Connection, n: i64) -> StoreResult<()> {
    let steps = MIGRATIONS
        .get(..usize::try_from(n).unwrap_or(usize::MAX))
        .ok_or_else(|| super::StoreError::Invalid(format!("không có lược đồ {n}")))?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for sql in steps {
        tx.execute_batch(sql)?;
    }
    if n >= TOWN_KIND_MIGRATION {
        town_kind_in_place(&tx)?;
    }
    if n > 0 {
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    tx.pragma_update(None, "user_version", n)?;
    tx.commit()?;
    Ok(())
}
