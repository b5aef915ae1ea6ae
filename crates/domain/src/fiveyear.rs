//! Five-year plans (kế hoạch 5 năm) judged the way their targets are
//! written: an average a year ("bình quân giai đoạn 2026–2030 tăng X%/năm")
//! on the compound average of the years' growth; a level at the end ("đến
//! năm 2030 đạt …") on the last year's figure; a total over the period ("cả
//! giai đoạn …") on the sum of the years. With the years so far, what the
//! years left must reach for the target to hold: what a five-year page shows
//! beside each year's plan that restates the target.

use rust_decimal::{Decimal, MathematicalOps};

/// How a five-year target is written, so how it is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// A growth rate a year on average (%): the compound average of the
    /// years' rates.
    AverageGrowth,
    /// A level by the period's end: the last year's figure.
    EndLevel,
    /// An amount over the whole period: the sum of the years.
    Total,
}

/// Where a five-year target stands after the years with figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// The years with a figure, counted from the first (a year missing
    /// stops the count: later figures wait for it).
    pub years_in: usize,
    /// What those years give: the compound average growth a year (%), the
    /// last level, or the sum; none before the first year's figure.
    pub so_far: Option<Decimal>,
    /// What each year left must reach on average for the target to hold:
    /// a growth rate a year (%) for an average or a level (from the last
    /// level to the target), an amount a year for a total; none when no year
    /// is left, or when the level so far is not positive.
    pub needed: Option<Decimal>,
}

/// Why a standing cannot be worked out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FiveYearError {
    #[error("a five-year target needs at least one year")]
    NoYears,
    #[error("a growth of {0}% or less leaves nothing to average")]
    GrowthAtOrBelowMinus100(Decimal),
}

/// The standing of `target`, read as `reading`, over the period's years in
/// order (`None`: no figure yet).
pub fn standing(reading: Reading, target: Decimal, years: &[Option<Decimal>]) -> Result<Standing, FiveYearError> {
    if years.is_empty() {
        return Err(FiveYearError::NoYears);
    }
    let known: Vec<Decimal> = years.iter().map_while(|y| *y).collect();
    let (n, k) = (years.len(), known.len());
    let left = Decimal::from(n - k);
    let standing = |so_far, needed| Ok(Standing { years_in: k, so_far, needed });
    match reading {
        Reading::Total => {
            let sum: Decimal = known.iter().sum();
            let needed = (k < n).then(|| (target - sum) / left);
            standing((k > 0).then_some(sum), needed)
        }
        Reading::EndLevel => {
            let last = known.last().copied();
            let needed = match last {
                Some(level) if k < n && level > Decimal::ZERO && target > Decimal::ZERO => {
                    Some(rate(root(target / level, n - k)))
                }
                _ => None,
            };
            standing(last, needed)
        }
        Reading::AverageGrowth => {
            let mut index = Decimal::ONE;
            for g in &known {
                let factor = Decimal::ONE + g / Decimal::ONE_HUNDRED;
                if factor <= Decimal::ZERO {
                    return Err(FiveYearError::GrowthAtOrBelowMinus100(*g));
                }
                index *= factor;
            }
            let so_far = (k > 0).then(|| rate(root(index, k)));
            let whole = (Decimal::ONE + target / Decimal::ONE_HUNDRED).powi(n as i64);
            let needed = (k < n && whole > Decimal::ZERO).then(|| rate(root(whole / index, n - k)));
            standing(so_far, needed)
        }
    }
}

/// The `n`th root of a positive number (n ≥ 1).
fn root(x: Decimal, n: usize) -> Decimal {
    if n == 1 { x } else { x.powd(Decimal::ONE / Decimal::from(n)) }
}

/// A growth factor as a rate in per cent.
fn rate(factor: Decimal) -> Decimal {
    (factor - Decimal::ONE) * Decimal::ONE_HUNDRED
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn near(a: Decimal, b: Decimal) -> bool {
        (a - b).abs() < d("0.000001")
    }

    /// GRDP growth of 10 %/year on average over 2026–2030; 8,2 and 8,5 so
    /// far: the three years left must grow about 11,1 % a year.
    #[test]
    fn an_average_a_year_is_compound() {
        let s = standing(Reading::AverageGrowth, d("10"), &[Some(d("8.2")), Some(d("8.5")), None, None, None]).unwrap();
        assert_eq!(s.years_in, 2);
        let so_far = s.so_far.unwrap();
        assert!((so_far - d("8.3499")).abs() < d("0.0001"), "{so_far}");
        let needed = s.needed.unwrap();
        assert!((needed - d("11.1140")).abs() < d("0.001"), "{needed}");
        // The years so far and the years left at that rate make the target.
        let whole = (d("1.082") * d("1.085") * (Decimal::ONE + needed / Decimal::ONE_HUNDRED).powi(3))
            .powd(Decimal::ONE / Decimal::from(5));
        assert!(near(rate(whole), d("10")), "{whole}");
    }

    /// "Đến năm 2030 đạt 10.000 USD/người": from 6.400 after two years, the
    /// three years left must grow the level by about 16 % a year.
    #[test]
    fn a_level_at_the_end_is_the_last_year() {
        let s = standing(Reading::EndLevel, d("10000"), &[Some(d("6000")), Some(d("6400")), None, None, None]).unwrap();
        assert_eq!(s.so_far, Some(d("6400")));
        let needed = s.needed.unwrap();
        assert!((needed - d("16.0397")).abs() < d("0.001"), "{needed}");
        let done = standing(Reading::EndLevel, d("10000"), &[Some(d("1")); 5]).unwrap();
        assert_eq!((done.so_far, done.needed), (Some(d("1")), None));
    }

    /// "Cả giai đoạn thu hút 50.000 tỷ đồng": after 12.000 and 9.000, the
    /// three years left must bring 29.000, 9.666,… a year.
    #[test]
    fn a_total_is_the_sum() {
        let s = standing(Reading::Total, d("50000"), &[Some(d("12000")), Some(d("9000")), None, None, None]).unwrap();
        assert_eq!(s.so_far, Some(d("21000")));
        // 29.000 / 3, to Decimal's 28 digits.
        assert!((s.needed.unwrap() * Decimal::from(3) - d("29000")).abs() < d("0.0000001"));
    }

    #[test]
    fn a_missing_year_stops_the_count_and_nothing_is_no_standing() {
        let s = standing(Reading::Total, d("10"), &[Some(d("1")), None, Some(d("5"))]).unwrap();
        assert_eq!((s.years_in, s.so_far), (1, Some(d("1"))));
        let none = standing(Reading::AverageGrowth, d("7"), &[None; 5]).unwrap();
        assert_eq!((none.years_in, none.so_far), (0, None));
        assert!(near(none.needed.unwrap(), d("7")), "no year in: each year must reach the average itself");
        assert_eq!(standing(Reading::Total, d("1"), &[]), Err(FiveYearError::NoYears));
        assert!(standing(Reading::AverageGrowth, d("5"), &[Some(d("-100"))]).is_err());
    }

    proptest! {
        /// The years so far and the years left at the rate needed make the
        /// target exactly (to six decimals), whatever the years so far.
        #[test]
        fn the_rate_needed_makes_the_target(
            target in -5i64..20,
            known in proptest::collection::vec(-30i64..40, 0..5),
        ) {
            let target = Decimal::from(target);
            let mut years: Vec<Option<Decimal>> = known.iter().map(|g| Some(Decimal::from(*g))).collect();
            years.resize(5, None);
            let s = standing(Reading::AverageGrowth, target, &years).unwrap();
            let Some(needed) = s.needed else { return Ok(()) };
            let mut index = Decimal::ONE;
            for g in years.iter().map(|y| y.unwrap_or(needed)) {
                index *= Decimal::ONE + g / Decimal::ONE_HUNDRED;
            }
            let average = rate(index.powd(Decimal::ONE / Decimal::from(5)));
            prop_assert!((average - target).abs() < d("0.000001"), "{average} ≠ {target} ({years:?}, {needed})");
        }
    }
}
