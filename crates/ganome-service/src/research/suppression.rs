//! Small-cell suppression (小集計セルの秘匿) of the counts a researcher's query returns.
//!
//! The rule, applied to one breakdown (the cells of one "count by") and its total:
//! 1. **Primary**: a count from 1 to [`THRESHOLD`] − 1 is not shown; it reads `<10`. Zero
//!    is shown (a breakdown lists only keys present, so zeros do not arise there; a total
//!    of zero is an empty release).
//! 2. **Complementary**: when exactly one cell of the breakdown is suppressed, the smallest
//!    shown cell is suppressed too (ties: the first in key order), so the suppressed count
//!    cannot be derived as the total minus the shown cells. With two or more suppressed
//!    cells, no single one can be derived that way; with one cell in all, the cell equals
//!    the total, and both are suppressed by rule 1 if small.
//! 3. The total is suppressed by rule 1 alone.
//!
//! This is the classic threshold-plus-one-complement rule, not a full audit against every
//! combination of published tables (e.g. by linear programming): a researcher who runs
//! differently filtered queries over the same release could still narrow a cell. Queries
//! here are limited to whole-release breakdowns for that reason (`docs/research.md`).

use serde::Serialize;
use utoipa::ToSchema;

/// Counts below this are suppressed.
pub const THRESHOLD: u64 = 10;

/// One count as returned: the number when it may be shown, `<10` when not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CountCell {
    /// What is counted (a gene, an alteration, an OncoTree code; `total` for the total).
    pub key: String,
    /// The count, when shown.
    pub count: Option<u64>,
    /// As displayed: the number, or `<10`.
    pub shown: String,
    /// Whether the count is withheld (primary or complementary suppression).
    pub suppressed: bool,
}

impl CountCell {
    fn shown(key: &str, n: u64) -> CountCell {
        CountCell {
            key: key.to_owned(),
            count: Some(n),
            shown: n.to_string(),
            suppressed: false,
        }
    }

    fn withheld(key: &str) -> CountCell {
        CountCell {
            key: key.to_owned(),
            count: None,
            shown: format!("<{THRESHOLD}"),
            suppressed: true,
        }
    }
}

fn small(n: u64) -> bool {
    (1..THRESHOLD).contains(&n)
}

/// The total, suppressed when small (rule 3).
pub fn total(n: u64) -> CountCell {
    if small(n) {
        CountCell::withheld("total")
    } else {
        CountCell::shown("total", n)
    }
}

/// A breakdown's cells, in the given order, with rules 1 and 2 applied.
pub fn breakdown(cells: &[(String, u64)]) -> Vec<CountCell> {
    let mut suppressed: Vec<bool> = cells.iter().map(|(_, n)| small(*n)).collect();
    if suppressed.iter().filter(|s| **s).count() == 1 {
        let complement = cells
            .iter()
            .enumerate()
            .filter(|(i, _)| !suppressed[*i])
            .min_by(|(_, (ka, a)), (_, (kb, b))| a.cmp(b).then_with(|| ka.cmp(kb)))
            .map(|(i, _)| i);
        if let Some(i) = complement {
            suppressed[i] = true;
        }
    }
    cells
        .iter()
        .zip(suppressed)
        .map(|((key, n), s)| {
            if s {
                CountCell::withheld(key)
            } else {
                CountCell::shown(key, *n)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(v: &[(&str, u64)]) -> Vec<(String, u64)> {
        v.iter().map(|(k, n)| (k.to_string(), *n)).collect()
    }

    fn shown(out: &[CountCell]) -> Vec<String> {
        out.iter()
            .map(|c| format!("{}={}", c.key, c.shown))
            .collect()
    }

    #[test]
    fn counts_from_one_to_nine_read_less_than_ten() {
        for n in 1..=9 {
            assert_eq!(total(n).shown, "<10");
            assert_eq!(total(n).count, None);
        }
        assert_eq!(total(10).count, Some(10));
        assert_eq!(total(0).shown, "0");
    }

    #[test]
    fn a_lone_suppressed_cell_takes_the_next_smallest_with_it() {
        // Total 57: without the complement, LUSC = 57 − 30 − 12 − 11 = 4 would be derivable.
        let out = breakdown(&cells(&[
            ("COAD", 30),
            ("LUAD", 12),
            ("LUSC", 4),
            ("PAAD", 11),
        ]));
        assert_eq!(shown(&out), ["COAD=30", "LUAD=12", "LUSC=<10", "PAAD=<10"]);
    }

    #[test]
    fn ties_take_the_first_key() {
        let out = breakdown(&cells(&[("A", 20), ("B", 15), ("C", 15), ("D", 2)]));
        assert_eq!(shown(&out), ["A=20", "B=<10", "C=15", "D=<10"]);
    }

    #[test]
    fn two_suppressed_cells_need_no_complement() {
        let out = breakdown(&cells(&[("A", 20), ("B", 3), ("C", 5), ("D", 40)]));
        assert_eq!(shown(&out), ["A=20", "B=<10", "C=<10", "D=40"]);
    }

    #[test]
    fn nothing_small_nothing_withheld() {
        let out = breakdown(&cells(&[("A", 10), ("B", 11)]));
        assert!(out.iter().all(|c| !c.suppressed));
        assert!(breakdown(&[]).is_empty());
    }

    #[test]
    fn a_single_small_cell_is_withheld_alone() {
        let out = breakdown(&cells(&[("A", 3)]));
        assert_eq!(shown(&out), ["A=<10"]);
    }
}
