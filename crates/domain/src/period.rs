//! Reporting periods (kỳ báo cáo): month, quarter, 6 months, 9 months, year,
//! with their calendar bounds and the data windows of Decree 09/2019/NĐ-CP
//! side by side.

use chrono::NaiveDate;
use std::fmt;
use std::str::FromStr;

/// A period of a plan year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    /// Tháng: `2025-09`.
    Month(i32, u32),
    /// Quý: `2025-Q3`.
    Quarter(i32, u32),
    /// 6 tháng đầu năm: `2025-H1`.
    FirstHalf(i32),
    /// 9 tháng: `2025-9M`.
    NineMonths(i32),
    /// Năm: `2025`.
    Year(i32),
}

/// Why a period could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a period: write 2025, 2025-H1, 2025-9M, 2025-Q3 or 2025-09")]
pub struct PeriodError(pub String);

impl Period {
    pub fn year(self) -> i32 {
        match self {
            Self::Month(y, _) | Self::Quarter(y, _) | Self::FirstHalf(y) | Self::NineMonths(y) | Self::Year(y) => y,
        }
    }

    /// The calendar months the period covers, first and last (1–12).
    pub fn months(self) -> (u32, u32) {
        match self {
            Self::Month(_, m) => (m, m),
            Self::Quarter(_, q) => (q * 3 - 2, q * 3),
            Self::FirstHalf(_) => (1, 6),
            Self::NineMonths(_) => (1, 9),
            Self::Year(_) => (1, 12),
        }
    }

    /// The last month of the period: how far into the year it reaches.
    pub fn last_month(self) -> u32 {
        self.months().1
    }

    /// Calendar bounds, first and last day, as statistics use them.
    pub fn calendar(self) -> (NaiveDate, NaiveDate) {
        let (first, last) = self.months();
        (date(self.year(), first, 1), end_of_month(self.year(), last))
    }

    /// The data window of Decree 09/2019/NĐ-CP: from the 15th of the month
    /// before the period to the 14th of its last month; reports from the
    /// start of the year (6 months, 9 months, year) open on 15/12 of the year
    /// before.
    pub fn reporting_window(self) -> (NaiveDate, NaiveDate) {
        let (first, last) = self.months();
        let year = self.year();
        let start = if first == 1 { date(year - 1, 12, 15) } else { date(year, first - 1, 15) };
        (start, date(year, last, 14))
    }

    /// The same period of the year before (cùng kỳ).
    pub fn year_before(self) -> Self {
        match self {
            Self::Month(y, m) => Self::Month(y - 1, m),
            Self::Quarter(y, q) => Self::Quarter(y - 1, q),
            Self::FirstHalf(y) => Self::FirstHalf(y - 1),
            Self::NineMonths(y) => Self::NineMonths(y - 1),
            Self::Year(y) => Self::Year(y - 1),
        }
    }

    /// The months of the year, each as a period.
    pub fn months_of(year: i32) -> impl Iterator<Item = Period> {
        (1..=12).map(move |m| Period::Month(year, m))
    }

    /// Every period of a year a report can be asked for: 12 months, 4
    /// quarters, 6 months, 9 months and the year.
    pub fn all_of(year: i32) -> Vec<Period> {
        let mut all: Vec<Period> = Self::months_of(year).collect();
        all.extend((1..=4).map(|q| Period::Quarter(year, q)));
        all.extend([Period::FirstHalf(year), Period::NineMonths(year), Period::Year(year)]);
        all
    }

    /// The period as a Vietnamese report names it.
    pub fn label_vi(self) -> String {
        match self {
            Self::Month(y, m) => format!("Tháng {m}/{y}"),
            Self::Quarter(y, q) => format!("Quý {}/{y}", ["I", "II", "III", "IV"][(q - 1) as usize]),
            Self::FirstHalf(y) => format!("6 tháng đầu năm {y}"),
            Self::NineMonths(y) => format!("9 tháng năm {y}"),
            Self::Year(y) => format!("Năm {y}"),
        }
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid calendar date")
}

fn end_of_month(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    date(ny, nm, 1).pred_opt().expect("a day before the first")
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Month(y, m) => write!(f, "{y}-{m:02}"),
            Self::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Self::FirstHalf(y) => write!(f, "{y}-H1"),
            Self::NineMonths(y) => write!(f, "{y}-9M"),
            Self::Year(y) => write!(f, "{y}"),
        }
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || PeriodError(s.to_string());
        let t = s.trim();
        let (year, rest) = match t.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (t, None),
        };
        if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
            return Err(err());
        }
        let year: i32 = year.parse().map_err(|_| err())?;
        if !(1900..=2999).contains(&year) {
            return Err(err());
        }
        let Some(rest) = rest else { return Ok(Period::Year(year)) };
        let upper = rest.to_ascii_uppercase();
        match upper.as_str() {
            "H1" | "6M" | "6T" => Ok(Period::FirstHalf(year)),
            "9M" | "9T" => Ok(Period::NineMonths(year)),
            "Q1" | "Q2" | "Q3" | "Q4" => Ok(Period::Quarter(year, upper[1..].parse().map_err(|_| err())?)),
            m if m.len() == 2 && m.chars().all(|c| c.is_ascii_digit()) => {
                let m: u32 = m.parse().map_err(|_| err())?;
                if (1..=12).contains(&m) { Ok(Period::Month(year, m)) } else { Err(err()) }
            }
            _ => Err(err()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn reads_the_ways_periods_are_written() {
        assert_eq!("2025".parse(), Ok(Period::Year(2025)));
        assert_eq!("2025-H1".parse(), Ok(Period::FirstHalf(2025)));
        assert_eq!("2025-9M".parse(), Ok(Period::NineMonths(2025)));
        assert_eq!("2025-Q3".parse(), Ok(Period::Quarter(2025, 3)));
        assert_eq!("2025-09".parse(), Ok(Period::Month(2025, 9)));
        for bad in ["", "25", "2025-13", "2025-Q5", "2025-H2", "x2025", "2025-9", "0000", "0999-01"] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
    }

    #[test]
    fn calendar_and_decree_09_windows_side_by_side() {
        assert_eq!(Period::Month(2025, 3).calendar(), (d(2025, 3, 1), d(2025, 3, 31)));
        assert_eq!(Period::Month(2025, 3).reporting_window(), (d(2025, 2, 15), d(2025, 3, 14)));
        assert_eq!(Period::Month(2025, 1).reporting_window(), (d(2024, 12, 15), d(2025, 1, 14)));
        assert_eq!(Period::Quarter(2025, 3).reporting_window(), (d(2025, 6, 15), d(2025, 9, 14)));
        assert_eq!(Period::FirstHalf(2025).reporting_window(), (d(2024, 12, 15), d(2025, 6, 14)));
        assert_eq!(Period::NineMonths(2025).reporting_window(), (d(2024, 12, 15), d(2025, 9, 14)));
        assert_eq!(Period::Year(2025).reporting_window(), (d(2024, 12, 15), d(2025, 12, 14)));
        assert_eq!(Period::Month(2024, 2).calendar().1, d(2024, 2, 29));
    }

    #[test]
    fn labels_as_reports_write_them() {
        assert_eq!(Period::Quarter(2025, 3).label_vi(), "Quý III/2025");
        assert_eq!(Period::FirstHalf(2025).label_vi(), "6 tháng đầu năm 2025");
        assert_eq!(Period::all_of(2025).len(), 19);
    }

    fn period() -> impl Strategy<Value = Period> {
        (2000i32..2100, 0u32..5, 1u32..13).prop_map(|(y, kind, n)| match kind {
            0 => Period::Month(y, n),
            1 => Period::Quarter(y, (n - 1) / 3 + 1),
            2 => Period::FirstHalf(y),
            3 => Period::NineMonths(y),
            _ => Period::Year(y),
        })
    }

    proptest! {
        #[test]
        fn written_periods_read_back(p in period()) {
            prop_assert_eq!(p.to_string().parse::<Period>(), Ok(p));
        }

        #[test]
        fn windows_are_a_month_before_the_calendar(p in period()) {
            let (cal_start, cal_end) = p.calendar();
            let (win_start, win_end) = p.reporting_window();
            prop_assert!(win_start < cal_start && win_end < cal_end);
            prop_assert_eq!(win_end.day(), 14);
            prop_assert_eq!(win_start.day(), 15);
            prop_assert!(cal_start <= cal_end);
        }

        #[test]
        fn never_panics(s in "\\PC{0,12}") {
            let _ = s.parse::<Period>();
        }
    }
}
