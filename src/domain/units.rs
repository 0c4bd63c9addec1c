//! Administrative units and the vocabulary that keys thresholds: regions, commune
//! groups, flags, targets and verdicts.
//!
//! Every enum has one stable ASCII code (used on the command line, in files and in the
//! database) and one Vietnamese label (used on screen and in print).

use super::ids::UnitId;
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name { $($(#[$vmeta])* #[doc = $label] #[serde(rename = $code)] $variant,)+ }

        impl $name {
            /// Every value, in the official order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable ASCII code.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// The Vietnamese label shown to users.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// Parses the stable code (case-insensitive).
            pub fn from_code(code: &str) -> Option<Self> {
                let code = code.trim().to_ascii_lowercase();
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

coded_enum!(
    /// The level of an administrative unit. Districts exist only before 1 July 2025.
    UnitKind {
        Province => "tinh", "Tỉnh";
        District => "huyen", "Huyện";
        Commune => "xa", "Xã";
        /// Thị trấn: a commune-level town, recognised «đô thị văn minh» rather than NTM.
        Town => "thitran", "Thị trấn";
        Village => "thon", "Thôn";
    }
);

coded_enum!(
    /// The seven socio-economic regions that key QĐ 318 and QĐ 1980 thresholds.
    Region {
        NorthernMountains => "tdmnpb", "Trung du miền núi phía Bắc";
        RedRiverDelta => "dbsh", "Đồng bằng sông Hồng";
        NorthCentral => "btb", "Bắc Trung Bộ";
        SouthCentralCoast => "dhntb", "Duyên hải Nam Trung Bộ";
        CentralHighlands => "tn", "Tây Nguyên";
        Southeast => "dnb", "Đông Nam Bộ";
        MekongDelta => "dbscl", "Đồng bằng sông Cửu Long";
    }
);

coded_enum!(
    /// The commune groups of QĐ 51/2025.
    CommuneGroup {
        One => "1", "Nhóm 1";
        Two => "2", "Nhóm 2";
        Three => "3", "Nhóm 3";
    }
);

coded_enum!(
    /// Flags that change which thresholds apply.
    UnitFlag {
        /// Xã đặc biệt khó khăn: uses the northern-mountain thresholds of QĐ 318.
        EspeciallyDisadvantaged => "dbkk", "Xã đặc biệt khó khăn";
        /// Xã an toàn khu: uses the northern-mountain thresholds of QĐ 318.
        SafeZone => "atk", "Xã an toàn khu";
    }
);

coded_enum!(
    /// What an assessment aims at.
    Target {
        Ntm => "ntm", "Nông thôn mới";
        Advanced => "nang-cao", "Nông thôn mới nâng cao";
        Model => "kieu-mau", "Nông thôn mới kiểu mẫu";
        Modern => "hien-dai", "Nông thôn mới hiện đại";
    }
);

coded_enum!(
    /// What a recognition decision recognises: the targets of an assessment, and for a
    /// town «đô thị văn minh».
    RecognitionTarget {
        Ntm => "ntm", "Nông thôn mới";
        Advanced => "nang-cao", "Nông thôn mới nâng cao";
        Model => "kieu-mau", "Nông thôn mới kiểu mẫu";
        Modern => "hien-dai", "Nông thôn mới hiện đại";
        CivilisedTown => "do-thi-van-minh", "Đô thị văn minh";
    }
);

coded_enum!(
    /// The verdict on an indicator, a criterion or a condition.
    Verdict {
        Met => "dat", "Đạt";
        MostlyMet => "co_ban_dat", "Cơ bản đạt";
        NotMet => "chua_dat", "Chưa đạt";
        NotAssessed => "chua_danh_gia", "Chưa đánh giá";
    }
);

/// Which segment of a threshold table applies to a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Segment {
    /// The general value ("chung"), used when no more specific one exists.
    General,
    /// One of the seven regions.
    Region(Region),
    /// One of the three commune groups.
    Group(CommuneGroup),
}

impl Segment {
    /// The code used in catalogue files: `chung`, a region code, or `nhom1`…`nhom3`.
    pub fn code(self) -> String {
        match self {
            Segment::General => "chung".to_string(),
            Segment::Region(r) => r.code().to_string(),
            Segment::Group(g) => format!("nhom{}", g.code()),
        }
    }

    /// Parses a catalogue segment code.
    pub fn from_code(code: &str) -> Option<Self> {
        let code = code.trim().to_ascii_lowercase();
        if code == "chung" {
            return Some(Segment::General);
        }
        if let Some(group) = code.strip_prefix("nhom") {
            return CommuneGroup::from_code(group).map(Segment::Group);
        }
        Region::from_code(&code).map(Segment::Region)
    }

    /// The Vietnamese label.
    pub fn label(self) -> String {
        match self {
            Segment::General => "Chung".to_string(),
            Segment::Region(r) => format!("Vùng {}", r.label()),
            Segment::Group(g) => format!("Xã {}", g.label().to_lowercase()),
        }
    }
}

/// The facts about a unit that decide which thresholds apply to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitProfile {
    /// The region, inherited from the province when the unit has none of its own.
    pub region: Option<Region>,
    /// The commune group (QĐ 51/2025).
    pub group: Option<CommuneGroup>,
    /// Flags such as especially disadvantaged.
    pub flags: Vec<UnitFlag>,
}

impl UnitProfile {
    /// The region whose thresholds apply: especially disadvantaged and safe-zone communes
    /// use the northern-mountain values (QĐ 318/QĐ-TTg).
    pub fn threshold_region(&self) -> Option<Region> {
        if self
            .flags
            .iter()
            .any(|f| matches!(f, UnitFlag::EspeciallyDisadvantaged | UnitFlag::SafeZone))
        {
            Some(Region::NorthernMountains)
        } else {
            self.region
        }
    }
}

/// A stored unit.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRecord {
    /// Id.
    pub id: UnitId,
    /// Name.
    pub name: String,
    /// Level.
    pub kind: UnitKind,
    /// Parent.
    pub parent: Option<UnitId>,
    /// Official code.
    pub official_code: Option<String>,
    /// Own region (not inherited).
    pub region: Option<Region>,
    /// Group.
    pub group: Option<CommuneGroup>,
    /// Flags.
    pub flags: Vec<UnitFlag>,
    /// Former units merged into this one.
    pub merged_from: Vec<UnitId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in Region::ALL {
            assert_eq!(Region::from_code(r.code()), Some(*r));
            assert_eq!(
                Segment::from_code(&Segment::Region(*r).code()),
                Some(Segment::Region(*r))
            );
        }
        assert_eq!(
            Segment::from_code("nhom2"),
            Some(Segment::Group(CommuneGroup::Two))
        );
        assert_eq!(Segment::from_code("nhom4"), None);
        assert_eq!(Target::from_code("NANG-CAO"), Some(Target::Advanced));
    }

    #[test]
    fn disadvantaged_communes_use_northern_mountain_thresholds() {
        let profile = UnitProfile {
            region: Some(Region::MekongDelta),
            group: None,
            flags: vec![UnitFlag::EspeciallyDisadvantaged],
        };
        assert_eq!(profile.threshold_region(), Some(Region::NorthernMountains));
    }
}
