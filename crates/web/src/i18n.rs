//! Vietnamese by default, English on request: the words of the interface
//! (not the plan's own text, which is the resolution's) in both languages,
//! under stable keys. A text is a whole sentence or label; values go in by
//! name (`{year}`), never by gluing fragments, so each language orders its
//! sentence its own way.

use std::fmt::{Display, Write as _};

/// `tr!(lang, "key", year = 2025, region = name)`: the text under the key
/// in `lang`, its `{year}` and `{region}` filled (any `Display` values).
macro_rules! tr {
    ($lang:expr, $key:expr $(, $name:ident = $value:expr)* $(,)?) => {
        $lang.fill($key, &[$((stringify!($name), &$value as &dyn std::fmt::Display)),*])
    };
}

tokio::task_local! {
    /// The language of the request being answered, for the errors raised
    /// before anyone is known (a store failure met through `?`). Set by the
    /// `language` layer around every request.
    pub(crate) static LANG: Lang;
}

/// The language of the request being answered (Vietnamese outside one).
pub(crate) fn current_lang() -> Lang {
    LANG.try_with(|l| *l).unwrap_or_default()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Self::Vi => "vi",
            Self::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "vi" => Some(Self::Vi),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The text under `key` in this language. A key not in the table shows
    /// itself (a bug the test `every_key_used_is_in_the_table` catches).
    pub fn t(self, key: &str) -> &str {
        match MESSAGES.binary_search_by(|(k, _, _)| (*k).cmp(key)) {
            Ok(i) => self.pick(i),
            Err(_) => key,
        }
    }

    /// The text under `key` with its `{name}` places filled from `args`.
    pub fn fill(self, key: &str, args: &[(&str, &dyn Display)]) -> String {
        let text = self.t(key);
        let mut out = String::with_capacity(text.len() + 16);
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}').map(|close| (&after[..close], close)) {
                Some((name, close)) if args.iter().any(|(n, _)| *n == name) => {
                    let (_, value) = args.iter().find(|(n, _)| *n == name).expect("just found");
                    let _ = write!(out, "{value}");
                    rest = &after[close + 1..];
                }
                _ => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The words of a kind the domain names by code (`status`, `at_risk`):
    /// the entry `<kind>.<code>`; empty if there is none (the tests hold
    /// that every code has its entry).
    pub fn label(self, kind: &str, code: &str) -> &'static str {
        let key = format!("{kind}.{code}");
        match MESSAGES.binary_search_by(|(k, _, _)| (*k).cmp(key.as_str())) {
            Ok(i) => self.pick(i),
            Err(_) => "",
        }
    }

    fn pick(self, i: usize) -> &'static str {
        match self {
            Self::Vi => MESSAGES[i].1,
            Self::En => MESSAGES[i].2,
        }
    }

    /// The name of a period in this language: "Tháng 9/2025", "September 2025".
    pub fn period(self, p: kehoach_domain::period::Period) -> String {
        use kehoach_domain::period::Period::*;
        if self == Self::Vi {
            return p.label_vi();
        }
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        match p {
            Month(y, m) => format!("{} {y}", MONTHS[(m as usize).clamp(1, 12) - 1]),
            Quarter(y, q) => format!("Q{q} {y}"),
            FirstHalf(y) => format!("First half of {y}"),
            NineMonths(y) => format!("Nine months of {y}"),
            Year(y) => format!("Year {y}"),
        }
    }
}

/// key → (Vietnamese, English), sorted by key (binary search): the file
/// `messages.tsv`, read once. Labels of the domain's kinds are keyed
/// `<kind>.<code>` by the code the domain gives them (`status.at_risk`).
static MESSAGES: std::sync::LazyLock<Vec<(&str, &str, &str)>> = std::sync::LazyLock::new(|| {
    include_str!("messages.tsv")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let mut fields = line.split('\t');
            match (fields.next(), fields.next(), fields.next(), fields.next()) {
                (Some(key), Some(vi), Some(en), None) => (key, vi, en),
                _ => panic!("messages.tsv: “{line}” is not key, Vietnamese and English"),
            }
        })
        .collect()
});

#[cfg(test)]
mod tests {
    use super::*;
    use kehoach_domain::period::Period;
    use std::collections::BTreeSet;

    /// The texts' `{name}` places.
    fn places(text: &str) -> BTreeSet<&str> {
        text.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(name, _)| name)).collect()
    }

    #[test]
    fn the_table_is_sorted_and_each_entry_is_whole_in_both_languages() {
        assert!(MESSAGES.windows(2).all(|w| w[0].0 < w[1].0), "sorted by key, no key twice");
        let vietnamese = |s: &str| {
            s.chars().any(|c| "ăâđêôơưĂÂĐÊÔƠƯ".contains(c) || ('\u{300}'..='\u{323}').contains(&c))
                || s.chars().any(|c| matches!(c, 'à'..='ỹ') && !c.is_ascii() && !"éèóòáà".contains(c))
        };
        for (key, vi, en) in MESSAGES.iter() {
            assert!(!vi.trim().is_empty() && !en.trim().is_empty(), "{key}: both languages");
            assert_eq!(places(vi), places(en), "{key}: the same values in both languages");
            // English words, except the Vietnamese a text quotes on purpose
            // (a document number, a column of the Vietnamese workbook).
            let quoted = ["HĐND", "NĐ-CP", "Ghi chú", "Khởi công"];
            let mut bare = en.to_string();
            for q in quoted {
                bare = bare.replace(q, "");
            }
            assert!(!vietnamese(&bare), "{key}: “{en}” is not English");
        }
    }

    #[test]
    fn a_text_takes_its_values_by_name_in_either_order() {
        assert_eq!(Lang::Vi.t("overview"), "Tổng quan");
        assert_eq!(Lang::En.t("overview"), "Overview");
        let args: [(&str, &dyn Display); 2] = [("year", &2025), ("region", &"Bến Tre")];
        assert_eq!(Lang::Vi.fill("plan-results-year-region", &args), "Kết quả thực hiện kế hoạch năm 2025 — Bến Tre");
        assert_eq!(Lang::En.fill("plan-results-year-region", &args), "Plan results for 2025 — Bến Tre");
        assert_eq!(Lang::En.label("status", "at_risk"), "At risk");
        assert_eq!(Lang::En.period(Period::Month(2025, 9)), "September 2025");
        assert_eq!(Lang::Vi.period(Period::Quarter(2025, 3)), "Quý III/2025");
        assert_eq!(Lang::En.period(Period::FirstHalf(2025)), "First half of 2025");
    }

    /// Every kind the domain names by code has its words, and the
    /// Vietnamese is the domain's own (the reports say the same).
    #[test]
    fn every_code_of_the_domain_has_its_words() {
        use kehoach_domain::access::{Role, SubmissionState};
        use kehoach_domain::evaluate::Status;
        use kehoach_domain::progress::TaskStatus;
        use kehoach_domain::value::{Origin, ValueStatus, Workflow};
        use kehoach_domain::{Comparator, MeasureKind, Sector};
        let mut codes: Vec<(&str, &str, Option<&str>)> = Vec::new();
        for s in
            [Status::Exceeded, Status::Achieved, Status::NotAchieved, Status::OnTrack, Status::AtRisk, Status::NoData]
        {
            codes.push(("status", s.as_str(), Some(s.label_vi())));
        }
        for s in [ValueStatus::Estimate, ValueStatus::Preliminary, ValueStatus::Official] {
            codes.push(("figure", s.as_str(), Some(s.label_vi())));
        }
        for w in Workflow::ALL {
            codes.push(("workflow", w.as_str(), Some(w.label_vi())));
        }
        for s in SubmissionState::ALL {
            codes.push(("submission", s.as_str(), Some(s.label_vi())));
        }
        for s in [
            TaskStatus::NotStarted,
            TaskStatus::InProgress,
            TaskStatus::Done,
            TaskStatus::Delayed,
            TaskStatus::Cancelled,
        ] {
            codes.push(("task", s.as_str(), Some(s.label_vi())));
        }
        for r in Role::ALL {
            codes.push(("role", r.as_str(), Some(r.label_vi())));
        }
        for s in Sector::ALL {
            codes.push(("sector", s.as_str(), Some(s.label_vi())));
        }
        for k in kehoach_domain::PlanKind::ALL {
            codes.push(("plan-kind", k.as_str(), Some(k.label_vi())));
        }
        for o in [Origin::Entered, Origin::Recorded, Origin::Published, Origin::Illustrative] {
            codes.push(("origin", o.as_str(), None));
        }
        use MeasureKind::*;
        for k in [Growth, Share, Level, Ratio, Count, Change, Direction, Zero, Deadline, Checklist] {
            codes.push(("kind", k.as_str(), None));
        }
        for c in Comparator::ALL.iter().filter(|c| {
            !matches!(c, Comparator::Decrease | Comparator::Increase | Comparator::Zero | Comparator::CompleteBy)
        }) {
            codes.push(("comparator", c.as_str(), None));
        }
        codes.push(("task", "not_reported", Some(kehoach_report::model::NOT_REPORTED)));
        for (kind, code, vi) in codes {
            let (v, e) = (Lang::Vi.label(kind, code), Lang::En.label(kind, code));
            assert!(!v.is_empty() && !e.is_empty() && v != e, "{kind}.{code} has no words");
            if let Some(vi) = vi {
                assert_eq!(v, vi, "{kind}.{code}: the domain's own word");
            }
        }
    }

    /// Every key the templates and the code ask for is in the table, and
    /// every entry of the table is asked for: by a literal key, or by a
    /// kind whose codes the code fills in (`label("status", …)`).
    #[test]
    fn every_key_used_is_in_the_table_and_every_entry_is_used() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        for dir in ["templates", "src", "src/pages"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() && !path.ends_with("i18n.rs") && !path.ends_with("messages.tsv") {
                    texts.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
                }
            }
        }
        let calls = regex::Regex::new(
            r#"\b(?:t|tr!|fill|f1|f2|chrome|refuse|again|plain)\((?:[^"()]*?,\s*)?"([a-z0-9][a-z0-9._-]*)""#,
        )
        .unwrap();
        let literal = regex::Regex::new(r#""([a-z0-9][a-z0-9._-]*)""#).unwrap();
        let labels = regex::Regex::new(r#"label\(\s*"([a-z-]+)""#).unwrap();
        let known: BTreeSet<&str> = MESSAGES.iter().map(|(k, _, _)| *k).collect();
        let (mut missing, mut literals, mut kinds) = (Vec::new(), BTreeSet::new(), BTreeSet::new());
        for (file, text) in &texts {
            for c in calls.captures_iter(text) {
                let key = c.get(1).unwrap().as_str();
                if !known.contains(key) {
                    missing.push(format!("{file}: {key}"));
                }
            }
            literals.extend(literal.captures_iter(text).map(|c| c.get(1).unwrap().as_str().to_string()));
            kinds.extend(labels.captures_iter(text).map(|c| c.get(1).unwrap().as_str().to_string()));
        }
        assert!(missing.is_empty(), "keys asked for but not in the table:\n{}", missing.join("\n"));
        let unused: Vec<&str> = known
            .iter()
            .copied()
            .filter(|k| !literals.contains(*k))
            .filter(|k| !k.split_once('.').is_some_and(|(kind, _)| kinds.contains(kind) || kind == "month"))
            .collect();
        assert!(unused.is_empty(), "entries nothing asks for:\n{}", unused.join("\n"));
    }
}
