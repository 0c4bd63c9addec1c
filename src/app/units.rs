//! Administrative units: the form a user fills in, its validation against the tree, and
//! the profile (region, group, flags) that decides which thresholds apply.
use super::{AppError, AppResult};
use crate::domain::ids::UnitId;
use crate::domain::units::{CommuneGroup, Region, UnitFlag, UnitKind, UnitProfile};
use crate::domain::vn_text::nfc;
use crate::store::{UnitDraft, UnitRecord, Workspace};

/// A unit as typed by a user (command line or screen), before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitForm {
    /// Name.
    pub name: String,
    /// `tinh`, `huyen`, `xa` or `thon`.
    pub kind: String,
    /// Parent id, empty for a province.
    pub parent: String,
    /// Official code.
    pub official_code: String,
    /// Region code.
    pub region: String,
    /// Group `1`–`3`.
    pub group: String,
    /// Flag codes.
    pub flags: Vec<String>,
    /// Ids of former units merged into this one.
    pub merged_from: Vec<String>,
}

impl UnitForm {
    /// The form showing a stored unit, for editing.
    pub fn from_record(u: &UnitRecord) -> Self {
        Self {
            name: u.name.clone(),
            kind: u.kind.code().to_string(),
            parent: u.parent.map(|p| p.to_string()).unwrap_or_default(),
            official_code: u.official_code.clone().unwrap_or_default(),
            region: u.region.map(|r| r.code().to_string()).unwrap_or_default(),
            group: u.group.map(|g| g.code().to_string()).unwrap_or_default(),
            flags: u.flags.iter().map(|f| f.code().to_string()).collect(),
            merged_from: u.merged_from.iter().map(|m| m.to_string()).collect(),
        }
    }
}

fn allowed_parents(kind: UnitKind) -> &'static [UnitKind] {
    match kind {
        UnitKind::Province => &[],
        UnitKind::District => &[UnitKind::Province],
        UnitKind::Commune | UnitKind::Town => &[UnitKind::Province, UnitKind::District],
        UnitKind::Village => &[UnitKind::Commune, UnitKind::Town],
    }
}

fn parse_id(text: &str, what: &str) -> AppResult<UnitId> {
    text.trim()
        .parse()
        .map_err(|_| AppError::invalid(format!("{what} «{text}» không phải mã số đơn vị hợp lệ.")))
}

/// "Xã Đông Hòa" for a commune named "Đông Hòa" or "Xã Đông Hòa": the kind is shown
/// once, never twice, and a name that already says what it is ("Thành phố Huế",
/// "Phường An Cựu", "Bản Na Hang") is shown as typed.
pub fn display_name(u: &UnitRecord) -> String {
    let prefixes: &[&str] = match u.kind {
        UnitKind::Province => &["tinh ", "thanh pho "],
        UnitKind::District => &["huyen ", "thi xa ", "thanh pho ", "quan "],
        UnitKind::Commune => &["xa ", "phuong ", "thi tran ", "dac khu "],
        UnitKind::Town => &["thi tran "],
        UnitKind::Village => &[
            "thon ",
            "ban ",
            "ap ",
            "lang ",
            "to dan pho ",
            "xom ",
            "buon ",
            "khom ",
            "soc ",
        ],
    };
    let folded = crate::domain::vn_text::fold(&u.name);
    if prefixes.iter().any(|p| folded.starts_with(p)) {
        u.name.clone()
    } else {
        format!("{} {}", u.kind.label(), u.name)
    }
}

/// Validates a form against the workspace's tree; `editing` is the unit being edited.
pub fn validate(ws: &Workspace, form: &UnitForm, editing: Option<UnitId>) -> AppResult<UnitDraft> {
    let name = nfc(&form.name);
    if name.is_empty() {
        return Err(AppError::invalid("Chưa nhập tên đơn vị."));
    }
    let kind = UnitKind::from_code(&form.kind).ok_or_else(|| {
        AppError::invalid(format!(
            "Cấp đơn vị «{}» không hợp lệ: dùng tinh, huyen, xa, thitran hoặc thon.",
            form.kind
        ))
    })?;
    let parent = match form.parent.trim() {
        "" => None,
        text => Some(parse_id(text, "Đơn vị cấp trên")?),
    };
    check_parent(ws, kind, parent, editing)?;
    let region = match form.region.trim() {
        "" => None,
        r => Some(Region::from_code(r).ok_or_else(|| {
            AppError::invalid(format!(
                "Vùng «{r}» không hợp lệ: dùng tdmnpb, dbsh, btb, dhntb, tn, dnb hoặc dbscl."
            ))
        })?),
    };
    let group = match form.group.trim() {
        "" => None,
        g => Some(CommuneGroup::from_code(g).ok_or_else(|| {
            AppError::invalid(format!("Nhóm xã «{g}» không hợp lệ: dùng 1, 2 hoặc 3."))
        })?),
    };
    let mut flags = Vec::new();
    for f in &form.flags {
        let flag = UnitFlag::from_code(f).ok_or_else(|| {
            AppError::invalid(format!("Đặc điểm «{f}» không hợp lệ: dùng dbkk hoặc atk."))
        })?;
        if !flags.contains(&flag) {
            flags.push(flag);
        }
    }
    let merged_from = merged_units(ws, &form.merged_from, kind, editing)?;
    let official_code = Some(nfc(&form.official_code)).filter(|c| !c.is_empty());
    Ok(UnitDraft {
        name,
        kind,
        parent,
        official_code,
        region,
        group,
        flags,
        merged_from,
    })
}

/// The parent of a unit of `kind` must exist, be of an allowed level, and be neither the
/// unit being edited nor one of its descendants.
fn check_parent(
    ws: &Workspace,
    kind: UnitKind,
    parent: Option<UnitId>,
    editing: Option<UnitId>,
) -> AppResult<()> {
    let allowed = allowed_parents(kind);
    match parent {
        None if !allowed.is_empty() && kind != UnitKind::Commune => {
            return Err(AppError::invalid(format!(
                "{} cần có đơn vị cấp trên (--parent).",
                kind.label()
            )));
        }
        None => {}
        Some(pid) => {
            let p = ws
                .unit(pid)?
                .ok_or_else(|| AppError::invalid(format!("Không có đơn vị cấp trên số {pid}.")))?;
            if !allowed.contains(&p.kind) {
                return Err(AppError::invalid(format!(
                    "{} không thể trực thuộc {} «{}».",
                    kind.label(),
                    p.kind.label().to_lowercase(),
                    p.name
                )));
            }
            if Some(pid) == editing
                || editing.is_some_and(|e| {
                    ws.ancestors(pid)
                        .map(|a| a.iter().any(|u| u.id == e))
                        .unwrap_or(false)
                })
            {
                return Err(AppError::invalid(
                    "Đơn vị không thể trực thuộc chính nó hoặc đơn vị cấp dưới của nó.",
                ));
            }
        }
    }
    Ok(())
}

/// The former units a merged unit was made from: each must exist, not be the unit itself,
/// and be of the same level (communes and towns count as one level). Duplicates are dropped.
fn merged_units(
    ws: &Workspace,
    codes: &[String],
    kind: UnitKind,
    editing: Option<UnitId>,
) -> AppResult<Vec<UnitId>> {
    let mut merged_from = Vec::new();
    for m in codes {
        let id = parse_id(m, "Đơn vị cũ")?;
        let former = ws
            .unit(id)?
            .ok_or_else(|| AppError::invalid(format!("Không có đơn vị cũ số {id}.")))?;
        if Some(id) == editing {
            return Err(AppError::invalid("Đơn vị không thể sáp nhập từ chính nó."));
        }
        // Communes and towns are the same level: a merged commune often takes in a town.
        let commune_level = |k: UnitKind| matches!(k, UnitKind::Commune | UnitKind::Town);
        if former.kind != kind && !(commune_level(former.kind) && commune_level(kind)) {
            return Err(AppError::invalid(format!(
                "Đơn vị cũ «{}» là {}, không cùng cấp với {}.",
                former.name,
                former.kind.label().to_lowercase(),
                kind.label().to_lowercase()
            )));
        }
        if !merged_from.contains(&id) {
            merged_from.push(id);
        }
    }
    Ok(merged_from)
}

/// Adds a unit from a form.
pub fn add(ws: &mut Workspace, form: &UnitForm) -> AppResult<UnitId> {
    let draft = validate(ws, form, None)?;
    Ok(ws.add_unit(&draft)?)
}

/// Saves an edited unit.
pub fn update(ws: &mut Workspace, id: UnitId, form: &UnitForm) -> AppResult<()> {
    let draft = validate(ws, form, Some(id))?;
    Ok(ws.update_unit(id, &draft)?)
}

/// Every unit of the workspace.
pub fn list(ws: &Workspace) -> AppResult<Vec<UnitRecord>> {
    Ok(ws.units()?)
}

/// A unit or a not-found error.
pub fn require(ws: &Workspace, id: UnitId) -> AppResult<UnitRecord> {
    ws.unit(id)?.ok_or_else(|| {
        AppError::new(
            format!("Không có đơn vị số {id}."),
            "Hãy xem danh sách bằng lệnh «unit list».",
        )
    })
}

/// The threshold profile of a unit: its own region or the nearest ancestor's.
pub fn profile(ws: &Workspace, unit: &UnitRecord) -> AppResult<UnitProfile> {
    let region = match unit.region {
        Some(r) => Some(r),
        None => ws.ancestors(unit.id)?.iter().find_map(|a| a.region),
    };
    Ok(UnitProfile {
        region,
        group: unit.group,
        flags: unit.flags.clone(),
    })
}

/// The names of the villages directly under a commune.
pub fn village_names(ws: &Workspace, unit: UnitId) -> AppResult<Vec<String>> {
    Ok(ws
        .subtree(unit)?
        .into_iter()
        .filter(|u| u.kind == UnitKind::Village && u.parent == Some(unit))
        .map(|u| u.name)
        .collect())
}

/// The deepest level a unit tree is walked to. Tỉnh > huyện > xã > thôn is four levels;
/// a deeper chain (a damaged or hostile file) is cut off there, never followed down.
pub const MAX_TREE_DEPTH: usize = 8;

/// Every unit in tree order (parents before their children, siblings in list order)
/// with its depth, walked with a stack rather than recursion so that no chain of
/// parents can overflow it; units below [`MAX_TREE_DEPTH`] or in a cycle are left out.
pub fn tree_order(all: &[UnitRecord]) -> Vec<(usize, &UnitRecord)> {
    let mut children: std::collections::HashMap<Option<UnitId>, Vec<&UnitRecord>> =
        std::collections::HashMap::new();
    for u in all {
        children.entry(u.parent).or_default().push(u);
    }
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut stack: Vec<(usize, &UnitRecord)> = children
        .get(&None)
        .map(|c| c.iter().rev().map(|u| (0, *u)).collect())
        .unwrap_or_default();
    while let Some((depth, u)) = stack.pop() {
        if !seen.insert(u.id) {
            continue;
        }
        out.push((depth, u));
        if depth + 1 < MAX_TREE_DEPTH
            && let Some(c) = children.get(&Some(u.id))
        {
            stack.extend(c.iter().rev().map(|c| (depth + 1, *c)));
        }
    }
    out
}

/// How QĐ 51/2025/QĐ-TTg sorts communes into groups (shown where the group is chosen).
pub const GROUP_RULE: &str = "Nhóm xã theo QĐ 51/2025/QĐ-TTg: nhóm 1 — xã giáp đô thị hiện có và được quy hoạch đô thị hóa, hoặc có tỷ trọng nông nghiệp dưới 10% cơ cấu kinh tế, hoặc được quy hoạch là đô thị mới; nhóm 3 — xã khu vực II, III vùng đồng bào dân tộc thiểu số và miền núi; nhóm 2 — các xã còn lại.";

/// How regions and the disadvantaged-commune flags key thresholds (QĐ 318/QĐ-TTg).
pub const REGION_RULE: &str = "Vùng theo QĐ 318/QĐ-TTg (7 vùng): để «theo tỉnh» thì dùng vùng của tỉnh. Xã đặc biệt khó khăn và xã an toàn khu dùng ngưỡng của vùng Trung du và miền núi phía Bắc.";

/// The indicators of an edition whose threshold depends on the region or the commune
/// group, as one sentence for the unit form («3 chỉ tiêu có ngưỡng khác nhau theo vùng
/// hoặc nhóm xã: 15.2, 15.4, 17.1.»).
pub fn segment_differences(edition: &crate::domain::catalog::Edition) -> String {
    let codes: Vec<String> = edition
        .indicators()
        .filter(|(_, ind)| {
            let mut values = ind
                .thresholds
                .iter()
                .map(|t| format!("{:?}", t.value))
                .collect::<Vec<_>>();
            values.sort();
            values.dedup();
            values.len() > 1
        })
        .map(|(_, ind)| ind.code.to_string())
        .collect();
    if codes.is_empty() {
        return format!(
            "{}: chưa có chỉ tiêu nào có ngưỡng khác nhau theo vùng hoặc nhóm xã.",
            edition.decision_label()
        );
    }
    let shown: Vec<&str> = codes.iter().take(12).map(String::as_str).collect();
    format!(
        "{}: {} chỉ tiêu có ngưỡng khác nhau theo vùng hoặc nhóm xã: {}{}.",
        edition.decision_label(),
        codes.len(),
        shown.join(", "),
        if codes.len() > shown.len() {
            ", …"
        } else {
            ""
        }
    )
}

/// "Cẩm Bình" from "Xã Cẩm Bình" or "Cẩm Bình".
pub(crate) fn strip_kind(name: &str, kind: UnitKind) -> String {
    let folded = crate::domain::vn_text::fold(name);
    let prefixes: &[&str] = match kind {
        UnitKind::Province => &["tinh ", "thanh pho "],
        UnitKind::District => &["huyen ", "thi xa ", "thanh pho ", "quan "],
        UnitKind::Commune => &["xa ", "phuong ", "thi tran ", "dac khu "],
        UnitKind::Town => &["thi tran "],
        _ => &[],
    };
    for p in prefixes {
        if folded.starts_with(p) {
            return name
                .chars()
                .skip(p.chars().count())
                .collect::<String>()
                .trim()
                .to_string();
        }
    }
    name.trim().to_string()
}
