//! The figures reports quote, produced from the engine's counts and never typed:
//! «đạt 3/9 tiêu chí (33,3%) và 27/38 chỉ tiêu (71,1%), tăng 02 chỉ tiêu so với đầu
//! năm», and a unit's communes beside the whole province's («93,33% và 18,86 tiêu
//! chí/xã so với 68,3% và 14,58 tiêu chí/xã»). Pure computation: the callers read the
//! counts, the year-start snapshot and the recognitions.

use crate::domain::vn_text::format_number;

/// A count out of a total, e.g. 27 indicators met of 38.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    /// How many are met.
    pub met: usize,
    /// Out of how many.
    pub total: usize,
}

impl Count {
    /// The share in percent; 0 for an empty total.
    pub fn percent(self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.met as f64 * 100.0 / self.total as f64
        }
    }
}

/// «3/9 tiêu chí (33,3%)»: the count, the noun and the share with one decimal.
pub fn count_with_share(count: Count, noun: &str) -> String {
    format!(
        "{}/{} {noun} ({}%)",
        count.met,
        count.total,
        format_number(count.percent(), 1)
    )
}

/// A count as reports write it: two digits at least («02», «12», «125»).
pub fn two_digits(n: u64) -> String {
    format!("{n:02}")
}

/// «tăng 02 chỉ tiêu so với đầu năm», «giảm 01 chỉ tiêu …», «không thay đổi số chỉ tiêu
/// so với đầu năm».
pub fn change_since_year_start(now: usize, year_start: u32, noun: &str) -> String {
    let now = now as i64;
    let before = i64::from(year_start);
    let diff = now - before;
    if diff > 0 {
        format!(
            "tăng {} {noun} so với đầu năm",
            two_digits(diff.unsigned_abs())
        )
    } else if diff < 0 {
        format!(
            "giảm {} {noun} so với đầu năm",
            two_digits(diff.unsigned_abs())
        )
    } else {
        format!("không thay đổi số {noun} so với đầu năm")
    }
}

/// «đạt 3/9 tiêu chí (33,3%) và 27/38 chỉ tiêu (71,1%), tăng 02 chỉ tiêu so với đầu năm»;
/// without a start-of-year count the sentence ends after the indicators.
pub fn progress_sentence(
    criteria: Count,
    indicators: Count,
    indicators_year_start: Option<u32>,
) -> String {
    let mut out = format!(
        "đạt {} và {}",
        count_with_share(criteria, "tiêu chí"),
        count_with_share(indicators, "chỉ tiêu")
    );
    if let Some(start) = indicators_year_start {
        out.push_str(", ");
        out.push_str(&change_since_year_start(indicators.met, start, "chỉ tiêu"));
    }
    out
}

/// One commune as the shares count it: recognised at the target (by a decision in force)
/// and its criteria met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommuneFigure {
    /// Recognised by a decision in force.
    pub recognised: bool,
    /// Criteria met in its latest assessment (0 without one).
    pub criteria_met: usize,
}

/// The communes of one unit, summed up: share recognised and average criteria met.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing {
    /// Communes counted.
    pub communes: usize,
    /// Of them, recognised.
    pub recognised: usize,
    /// Share recognised, percent (not rounded).
    pub share_percent: f64,
    /// Average criteria met per commune (not rounded).
    pub average_criteria: f64,
}

/// Sums up communes; an empty list gives zeros.
pub fn standing(communes: &[CommuneFigure]) -> Standing {
    let n = communes.len();
    let recognised = communes.iter().filter(|c| c.recognised).count();
    let criteria: usize = communes.iter().map(|c| c.criteria_met).sum();
    let (share_percent, average_criteria) = if n == 0 {
        (0.0, 0.0)
    } else {
        (
            recognised as f64 * 100.0 / n as f64,
            criteria as f64 / n as f64,
        )
    };
    Standing {
        communes: n,
        recognised,
        share_percent,
        average_criteria,
    }
}

/// «93,33% và 18,86 tiêu chí/xã»: share and average with two decimals at most.
pub fn standing_figures(s: &Standing) -> String {
    format!(
        "{}% và {} tiêu chí/xã",
        format_number(s.share_percent, 2),
        format_number(s.average_criteria, 2)
    )
}

/// The unit against the province: «tỷ lệ xã đạt chuẩn NTM, tỷ lệ tiêu chí NTM đã đạt/xã
/// đều cao hơn bình quân chung của cả tỉnh (93,33% và 18,86 tiêu chí/xã so với 68,3% và
/// 14,58 tiêu chí/xã)». «đều cao hơn», «đều thấp hơn», «đều bằng» when both figures go the
/// same way (compared as printed, two decimals); otherwise each is named.
pub fn comparison_sentence(unit: &Standing, province: &Standing) -> String {
    let share = order(unit.share_percent, province.share_percent);
    let average = order(unit.average_criteria, province.average_criteria);
    let figures = format!(
        "({} so với {})",
        standing_figures(unit),
        standing_figures(province)
    );
    let subject = "tỷ lệ xã đạt chuẩn NTM, tỷ lệ tiêu chí NTM đã đạt/xã";
    if share == average {
        format!(
            "{subject} đều {} bình quân chung của cả tỉnh {figures}",
            share.words()
        )
    } else {
        format!(
            "tỷ lệ xã đạt chuẩn NTM {} và số tiêu chí NTM đã đạt/xã {} bình quân chung của cả tỉnh {figures}",
            share.words(),
            average.words()
        )
    }
}

/// How a unit's figure stands against the province's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    Above,
    Same,
    Below,
}

impl Order {
    fn words(self) -> &'static str {
        match self {
            Order::Above => "cao hơn",
            Order::Same => "bằng",
            Order::Below => "thấp hơn",
        }
    }
}

/// Compares two figures as they are printed (two decimals), so the words never
/// contradict the numbers beside them.
fn order(a: f64, b: f64) -> Order {
    let a = crate::domain::engine::round2(a);
    let b = crate::domain::engine::round2(b);
    if a > b {
        Order::Above
    } else if a < b {
        Order::Below
    } else {
        Order::Same
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn communes(recognised: usize, others: usize, criteria: &[usize]) -> Vec<CommuneFigure> {
        (0..recognised + others)
            .map(|i| CommuneFigure {
                recognised: i < recognised,
                criteria_met: criteria.get(i).copied().unwrap_or(0),
            })
            .collect()
    }

    #[test]
    fn the_seed_sentence_comes_out_of_the_counts() {
        // 3/9 = 33,33…% ; 27/38 = 71,05…% ; 27 − 25 = 2.
        let s = progress_sentence(
            Count { met: 3, total: 9 },
            Count { met: 27, total: 38 },
            Some(25),
        );
        assert_eq!(
            s,
            "đạt 3/9 tiêu chí (33,3%) và 27/38 chỉ tiêu (71,1%), tăng 02 chỉ tiêu so với đầu năm"
        );
    }

    #[test]
    fn no_year_start_no_change_clause() {
        let s = progress_sentence(Count { met: 9, total: 9 }, Count { met: 0, total: 0 }, None);
        assert_eq!(s, "đạt 9/9 tiêu chí (100%) và 0/0 chỉ tiêu (0%)");
    }

    #[test]
    fn change_goes_both_ways_and_pads_to_two_digits() {
        assert_eq!(
            change_since_year_start(20, 21, "chỉ tiêu"),
            "giảm 01 chỉ tiêu so với đầu năm"
        );
        assert_eq!(
            change_since_year_start(40, 28, "chỉ tiêu"),
            "tăng 12 chỉ tiêu so với đầu năm"
        );
        assert_eq!(
            change_since_year_start(7, 7, "tiêu chí"),
            "không thay đổi số tiêu chí so với đầu năm"
        );
    }

    #[test]
    fn district_beside_province_as_the_seed_reports_it() {
        // District: 7 communes, all recognised; 6 × 19 + 18 = 132 criteria, 132 / 7 = 18,857… → 18,86.
        let mut district_criteria = vec![19; 6];
        district_criteria.push(18);
        let district = standing(&communes(7, 0, &district_criteria));
        assert_eq!(district.recognised, 7);
        assert_eq!(standing_figures(&district), "100% và 18,86 tiêu chí/xã");

        // Province: 82 of 120 recognised = 68,333… → 68,33; 70 × 15 + 50 × 14 = 1.750 criteria,
        // 1.750 / 120 = 14,583… → 14,58.
        let mut province_criteria = vec![15; 70];
        province_criteria.extend(vec![14; 50]);
        let province = standing(&communes(82, 38, &province_criteria));
        assert_eq!(province.communes, 120);
        assert_eq!(standing_figures(&province), "68,33% và 14,58 tiêu chí/xã");

        assert_eq!(
            comparison_sentence(&district, &province),
            "tỷ lệ xã đạt chuẩn NTM, tỷ lệ tiêu chí NTM đã đạt/xã đều cao hơn bình quân chung \
             của cả tỉnh (100% và 18,86 tiêu chí/xã so với 68,33% và 14,58 tiêu chí/xã)"
        );
        assert_eq!(
            comparison_sentence(&province, &district),
            "tỷ lệ xã đạt chuẩn NTM, tỷ lệ tiêu chí NTM đã đạt/xã đều thấp hơn bình quân chung \
             của cả tỉnh (68,33% và 14,58 tiêu chí/xã so với 100% và 18,86 tiêu chí/xã)"
        );
    }

    #[test]
    fn fifteen_communes_fourteen_recognised_give_93_33() {
        // 14 / 15 = 93,333… → 93,33; 14 × 19 + 17 = 283 criteria, 283 / 15 = 18,866… → 18,87.
        let mut criteria = vec![19; 14];
        criteria.push(17);
        let d = standing(&communes(14, 1, &criteria));
        assert_eq!(standing_figures(&d), "93,33% và 18,87 tiêu chí/xã");
    }

    #[test]
    fn mixed_directions_name_each_figure() {
        let unit = standing(&communes(1, 1, &[10, 10])); // 50 %, 10
        let flat = standing(&communes(1, 1, &[19, 5])); // 50 %, 12
        assert_eq!(
            comparison_sentence(&flat, &unit),
            "tỷ lệ xã đạt chuẩn NTM bằng và số tiêu chí NTM đã đạt/xã cao hơn bình quân chung \
             của cả tỉnh (50% và 12 tiêu chí/xã so với 50% và 10 tiêu chí/xã)"
        );
    }

    #[test]
    fn words_follow_the_printed_figures_not_hidden_decimals() {
        // 2/3 = 66,666…% and 6.667/10.000 = 66,67 %: both print 66,67, so «bằng».
        let a = Standing {
            communes: 3,
            recognised: 2,
            share_percent: 200.0 / 3.0,
            average_criteria: 5.0,
        };
        let b = Standing {
            communes: 10_000,
            recognised: 6_667,
            share_percent: 66.67,
            average_criteria: 5.0,
        };
        assert!(
            comparison_sentence(&a, &b).contains("đều bằng"),
            "{}",
            comparison_sentence(&a, &b)
        );
    }

    #[test]
    fn no_communes_give_zeros_not_nan() {
        let s = standing(&[]);
        assert_eq!(standing_figures(&s), "0% và 0 tiêu chí/xã");
        assert_eq!(
            count_with_share(Count { met: 0, total: 0 }, "tiêu chí"),
            "0/0 tiêu chí (0%)"
        );
    }
}
