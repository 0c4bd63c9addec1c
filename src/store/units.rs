//! Administrative units as a tree, with region, group, flags and the lineage of merged
//! communes.

use super::types::column;
use super::{StoreError, StoreResult, Workspace};
use crate::domain::ids::UnitId;
use crate::domain::units::{CommuneGroup, Region, UnitFlag, UnitKind};
use rusqlite::{OptionalExtension, Row, params};

/// A unit to add or the new state of an edited unit.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitDraft {
    /// Name.
    pub name: String,
    /// Level.
    pub kind: UnitKind,
    /// Parent.
    pub parent: Option<UnitId>,
    /// Official code.
    pub official_code: Option<String>,
    /// Region.
    pub region: Option<Region>,
    /// Group.
    pub group: Option<CommuneGroup>,
    /// Flags.
    pub flags: Vec<UnitFlag>,
    /// Former units merged into this one.
    pub merged_from: Vec<UnitId>,
}

pub use crate::domain::units::UnitRecord;

const UNIT_COLUMNS: &str =
    "id, name, kind, parent_id, official_code, region, commune_group, flag_dbkk, flag_atk";

fn unit_from_row(r: &Row<'_>) -> rusqlite::Result<UnitRecord> {
    let id: i64 = r.get(0)?;
    let mut flags = Vec::new();
    if column::<bool>(r, 7, "units", id, "flag_dbkk")? {
        flags.push(UnitFlag::EspeciallyDisadvantaged);
    }
    if column::<bool>(r, 8, "units", id, "flag_atk")? {
        flags.push(UnitFlag::SafeZone);
    }
    Ok(UnitRecord {
        id: UnitId(id),
        name: r.get(1)?,
        kind: column(r, 2, "units", id, "kind")?,
        parent: column(r, 3, "units", id, "parent_id")?,
        official_code: r.get(4)?,
        region: column(r, 5, "units", id, "region")?,
        group: column(r, 6, "units", id, "commune_group")?,
        flags,
        merged_from: Vec::new(),
    })
}

impl Workspace {
    /// Adds a unit; the caller has validated the draft against the tree.
    pub fn add_unit(&mut self, draft: &UnitDraft) -> StoreResult<UnitId> {
        self.write(|w| {
            w.tx.prepare_cached(
                "INSERT INTO units(name, kind, parent_id, official_code, region, commune_group, flag_dbkk, flag_atk, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
            )?
            .execute(params![
                draft.name,
                draft.kind,
                draft.parent,
                draft.official_code,
                draft.region,
                draft.group,
                draft.flags.contains(&UnitFlag::EspeciallyDisadvantaged),
                draft.flags.contains(&UnitFlag::SafeZone),
            ])?;
            let id = UnitId(w.tx.last_insert_rowid());
            for former in &draft.merged_from {
                w.tx.prepare_cached("INSERT OR IGNORE INTO unit_lineage(unit_id, former_unit_id) VALUES (?1, ?2)")?.execute(params![id, former])?;
            }
            w.audit("don_vi", &id.to_string(), "tao_moi", None, Some(&draft.name))?;
            Ok(id)
        })
    }

    /// Replaces a unit's fields and lineage, auditing each changed field.
    pub fn update_unit(&mut self, id: UnitId, draft: &UnitDraft) -> StoreResult<()> {
        let old = self
            .unit(id)?
            .ok_or_else(|| StoreError::NotFound(format!("đơn vị số {id}")))?;
        self.write(|w| {
            w.tx.prepare_cached(
                "UPDATE units SET name = ?2, kind = ?3, parent_id = ?4, official_code = ?5, region = ?6, commune_group = ?7, flag_dbkk = ?8, flag_atk = ?9 WHERE id = ?1",
            )?
            .execute(params![
                id,
                draft.name,
                draft.kind,
                draft.parent,
                draft.official_code,
                draft.region,
                draft.group,
                draft.flags.contains(&UnitFlag::EspeciallyDisadvantaged),
                draft.flags.contains(&UnitFlag::SafeZone),
            ])?;
            w.tx.prepare_cached("DELETE FROM unit_lineage WHERE unit_id = ?1")?.execute([id])?;
            for former in &draft.merged_from {
                w.tx.prepare_cached("INSERT OR IGNORE INTO unit_lineage(unit_id, former_unit_id) VALUES (?1, ?2)")?.execute(params![id, former])?;
            }
            let eid = id.to_string();
            w.audit("don_vi", &eid, "ten", Some(&old.name), Some(&draft.name))?;
            w.audit("don_vi", &eid, "ma", old.official_code.as_deref(), draft.official_code.as_deref())?;
            w.audit("don_vi", &eid, "vung", old.region.map(|r| r.code()), draft.region.map(|r| r.code()))?;
            w.audit("don_vi", &eid, "nhom", old.group.map(|g| g.code()), draft.group.map(|g| g.code()))?;
            let codes = |f: &[UnitFlag]| f.iter().map(|x| x.code()).collect::<Vec<_>>().join(",");
            w.audit("don_vi", &eid, "co", Some(&codes(&old.flags)), Some(&codes(&draft.flags)))?;
            let ids = |v: &[UnitId]| v.iter().map(UnitId::to_string).collect::<Vec<_>>().join(",");
            w.audit("don_vi", &eid, "sap_nhap_tu", Some(&ids(&old.merged_from)), Some(&ids(&draft.merged_from)))
        })
    }

    /// One unit with its lineage.
    pub fn unit(&self, id: UnitId) -> StoreResult<Option<UnitRecord>> {
        let sql = format!("SELECT {UNIT_COLUMNS} FROM units WHERE id = ?1");
        let unit = self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], unit_from_row)
            .optional()?;
        match unit {
            Some(mut u) => {
                u.merged_from = self.lineage(id)?;
                Ok(Some(u))
            }
            None => Ok(None),
        }
    }

    fn lineage(&self, id: UnitId) -> StoreResult<Vec<UnitId>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT former_unit_id FROM unit_lineage WHERE unit_id = ?1 ORDER BY former_unit_id",
        )?;
        let ids = stmt.query_map([id], |r| r.get(0))?;
        Ok(ids.collect::<Result<_, _>>()?)
    }

    /// Every unit with its lineage, ordered by id.
    pub fn units(&self) -> StoreResult<Vec<UnitRecord>> {
        let sql = format!("SELECT {UNIT_COLUMNS} FROM units ORDER BY id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut units: Vec<UnitRecord> = stmt
            .query_map([], unit_from_row)?
            .collect::<Result<_, _>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT unit_id, former_unit_id FROM unit_lineage ORDER BY unit_id, former_unit_id",
        )?;
        let links: Vec<(UnitId, UnitId)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (unit, former) in links {
            if let Some(u) = units.iter_mut().find(|u| u.id == unit) {
                u.merged_from.push(former);
            }
        }
        Ok(units)
    }

    /// The unit and every unit below it, at any depth.
    pub fn subtree(&self, root: UnitId) -> StoreResult<Vec<UnitRecord>> {
        let sql = format!(
            "WITH RECURSIVE tree(id) AS (SELECT ?1 UNION SELECT u.id FROM units u JOIN tree t ON u.parent_id = t.id)
             SELECT {UNIT_COLUMNS} FROM units WHERE id IN (SELECT id FROM tree) ORDER BY id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let units = stmt.query_map([root], unit_from_row)?;
        Ok(units.collect::<Result<_, _>>()?)
    }

    /// The ancestors of a unit, nearest first.
    pub fn ancestors(&self, id: UnitId) -> StoreResult<Vec<UnitRecord>> {
        let mut out = Vec::new();
        let mut next = self.unit(id)?.and_then(|u| u.parent);
        while let Some(pid) = next {
            if out.iter().any(|u: &UnitRecord| u.id == pid) || out.len() > 8 {
                break;
            }
            match self.unit(pid)? {
                Some(p) => {
                    next = p.parent;
                    out.push(p);
                }
                None => break,
            }
        }
        Ok(out)
    }
}
