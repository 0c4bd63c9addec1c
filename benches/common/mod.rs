//! Data shared by the benchmarks.
#![allow(dead_code)]

use std::fmt::Write as _;

pub const CRITERIA: u32 = 19;
pub const INDICATORS: u32 = 57;

/// A synthetic edition (benchmark data only, not legal thresholds): 19 criteria, 57 ratio indicators.
pub fn synthetic_edition() -> String {
    let mut t = String::from(
        "format = 1\ncode = \"do-hieu-nang\"\ntitle = \"Bộ tiêu chí đo hiệu năng\"\nlevel = \"xa\"\ntargets = [\"ntm\"]\nkeyed_by = \"vung\"\n[legal]\ndecision = \"(đo hiệu năng)\"\n",
    );
    let mut code = 0;
    for c in 1..=CRITERIA {
        let _ = write!(t, "[[criteria]]\nnumber = {c}\nname = \"Tiêu chí {c}\"\n");
        for i in 1..=3 {
            code += 1;
            if code > INDICATORS {
                break;
            }
            let _ = write!(
                t,
                "[[criteria.indicators]]\ncode = \"{c}.{i}\"\ntext = \"Chỉ tiêu {c}.{i}\"\nunit = \"%\"\nkind = \"ty_le\"\n[[criteria.indicators.thresholds]]\nsegment = \"chung\"\nvalue = 80\nsource = \"đo hiệu năng\"\n[[criteria.indicators.thresholds]]\nsegment = \"dbsh\"\nvalue = 85\nsource = \"đo hiệu năng\"\n"
            );
        }
    }
    t
}
