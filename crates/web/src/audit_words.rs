//! The audit log in words, in the viewer's language: what an entry's action
//! did, its detail and what it concerns. The store writes each detail as
//! JSON ([`AuditDetail`]) and says it in English, as the command line
//! does; the Vietnamese is said here. An entry written before details were
//! JSON keeps its English text, shown as stored.
//!
//! Beside `words`, above `i18n`: of the web's modules it names `i18n` only.

use crate::i18n::Lang;
use kehoach_domain::access::{Role, SubmissionState};
use kehoach_domain::number::format_vi;
use kehoach_domain::period::Period;
use kehoach_domain::progress::TaskStatus;
use kehoach_domain::value::ValueStatus;
use kehoach_store::AuditDetail;
use rust_decimal::Decimal;
use std::str::FromStr;

/// What an entry's action did, in `lang`; `None` for an action this
/// version does not know (the page shows its code).
pub(crate) fn action(code: &str, lang: Lang) -> Option<&'static str> {
    Some(lang.label("audit", code)).filter(|words| !words.is_empty())
}

/// An entry's detail as a sentence in `lang`: the English the store gives,
/// or the Vietnamese. An older entry's text, or a detail this version does
/// not know, is given as stored.
pub(crate) fn detail(action: &str, detail: &str, lang: Lang) -> String {
    match (AuditDetail::read(action, detail), lang) {
        (None, _) => detail.to_string(),
        (Some(d), Lang::En) => d.english(action),
        (Some(d), Lang::Vi) => vietnamese(action, &d),
    }
}

fn vietnamese(action: &str, detail: &AuditDetail) -> String {
    use AuditDetail::*;
    match detail {
        Figure { version, value, status, origin } => {
            let status = ValueStatus::from_str(status).map_or_else(|_| status.clone(), |s| lower(s.label_vi()));
            let origin = match Lang::Vi.label("origin", origin) {
                "" => origin.clone(),
                words => lower(words),
            };
            format!("Phiên bản {version}: {} ({status}, {origin})", number(value))
        }
        Progress { version, status, percent } => {
            let status = TaskStatus::from_str(status).map_or_else(|_| status.clone(), |s| lower(s.label_vi()));
            match percent {
                Some(p) => format!("Phiên bản {version}: {status}, {}%", number(p)),
                None => format!("Phiên bản {version}: {status}"),
            }
        }
        Submission { version, state, comment, figures } => {
            let state = SubmissionState::from_str(state).map_or_else(|_| state.clone(), |s| lower(s.label_vi()));
            let mut text = format!("Lần {version}: {state}");
            if !comment.is_empty() {
                text.push_str(&format!(" — ý kiến: “{comment}”"));
            }
            if !figures.is_empty() {
                let listed: Vec<String> = figures
                    .iter()
                    .map(|f| format!("{} tại {} (phiên bản {})", f.measure, f.org_unit, f.version))
                    .collect();
                text.push_str(&format!("; số liệu: {}", listed.join(", ")));
            }
            text
        }
        Revision { measure, target, decision, decided_on } => {
            format!("{measure} → {target} theo {decision} ngày {}", day(decided_on))
        }
        Assignment { lead, units } if units.is_empty() => format!("Cơ quan chủ trì: {lead}"),
        Assignment { lead, units } => {
            format!("Cơ quan chủ trì: {lead}; đơn vị báo cáo phần việc: {}", units.join(", "))
        }
        Plan { region, year, measures, tasks } => {
            format!("{region} năm {year}: {measures} chỉ tiêu, {tasks} nhiệm vụ")
        }
        Codes { codes } if action == "agencies.put" => format!("{} cơ quan: {}", codes.len(), codes.join(", ")),
        Codes { codes } => format!("{} đơn vị hành chính: {}", codes.len(), codes.join(", ")),
        Seal { chained, sealed } => {
            format!("Đưa {chained} mục nhật ký có từ trước vào chuỗi, niêm phong {sealed} bản ghi")
        }
        Account { name, role, agency } => {
            let role = Role::from_str(role).map_or_else(|_| role.clone(), |r| r.label_vi().to_string());
            match agency {
                Some(agency) => format!("{name} ({role}, {agency})"),
                None => format!("{name} ({role})"),
            }
        }
        Login { from } => format!("Từ địa chỉ {from}"),
        LoginFailed { from, count, locked_until } => match locked_until {
            Some(until) => {
                format!("Sai mật khẩu từ địa chỉ {from} ({count} lần liên tiếp); khóa đến {}", time(until))
            }
            None => format!("Sai mật khẩu từ địa chỉ {from} ({count} lần liên tiếp)"),
        },
        Password { one_time: true } => "Đặt mật khẩu dùng một lần; các phiên đăng nhập khác đã kết thúc".into(),
        Password { one_time: false } => "Đổi mật khẩu; các phiên đăng nhập khác đã kết thúc".into(),
        Comment { body } => body.clone(),
        Draft { file_name } => format!("Tệp {file_name}"),
        Confirmed { plan } => format!("Thành kế hoạch {plan}"),
        Nothing {} => match action {
            "user.unlock" => "Xóa số lần đăng nhập sai",
            "user.disable" => "Không cho đăng nhập nữa; các phiên đăng nhập đã kết thúc",
            "user.enable" => "Cho đăng nhập lại",
            "user.logout" => "Phiên đăng nhập đã kết thúc",
            "draft.update" => "Sửa tệp kế hoạch",
            "plan.default" => "Làm việc với kế hoạch này khi không nêu kế hoạch nào",
            _ => "",
        }
        .into(),
    }
}

/// A label inside a sentence.
fn lower(label: &str) -> String {
    label.to_lowercase()
}

/// A decimal as stored (`1234.50`), the Vietnamese way (`1.234,50`), never
/// rounded; other text as it is.
fn number(text: &str) -> String {
    Decimal::from_str(text).map_or_else(|_| text.to_string(), format_vi)
}

/// `2025-02-19` as `19/02/2025`.
fn day(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map_or_else(|_| iso.to_string(), |d| d.format("%d/%m/%Y").to_string())
}

/// An RFC 3339 time as `31/03/2025 17:15`, Vietnam's time.
fn time(rfc3339: &str) -> String {
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7");
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map_or_else(|_| rfc3339.to_string(), |t| t.with_timezone(&vietnam).format("%d/%m/%Y %H:%M").to_string())
}

/// What an entry concerns, its kind in words: `plan 1 c.1` → `kế hoạch 1,
/// mục c.1`, `user an` → `tài khoản an`, `draft 3` → `bản nháp 3`. A shape
/// this version does not know is given as stored.
pub(crate) fn entity(entity: &str, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    let words: Vec<&str> = entity.split(' ').collect();
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let worded = match words.as_slice() {
        ["org_units"] => Some(if vi { "đơn vị hành chính" } else { "administrative units" }.to_string()),
        ["agencies"] => Some(if vi { "cơ quan" } else { "agencies" }.to_string()),
        ["audit_log"] => Some(if vi { "nhật ký thay đổi" } else { "audit log" }.to_string()),
        ["user", name] if !name.is_empty() => {
            Some(if vi { format!("tài khoản {name}") } else { format!("user {name}") })
        }
        ["draft", id] if digits(id) => Some(if vi { format!("bản nháp {id}") } else { format!("draft {id}") }),
        ["plan", id, rest @ ..] if digits(id) => plan_entity(id, rest, lang),
        _ => None,
    };
    worded.unwrap_or_else(|| entity.to_string())
}

/// `plan <id>` and what of it: a measure or task key (`c.1`, `task:b.3`),
/// an agency's period (`SCT 2025-Q3`), a figure (`c.1 83 2025-09`).
fn plan_entity(id: &str, rest: &[&str], lang: Lang) -> Option<String> {
    let vi = lang == Lang::Vi;
    let plan = if vi { format!("kế hoạch {id}") } else { format!("plan {id}") };
    let period = |p: &str| p.parse::<Period>().ok().map(|p| lang.period(p));
    Some(match rest {
        [] => plan,
        [key] => match key.strip_prefix("task:") {
            Some(task) if vi => format!("{plan}, nhiệm vụ {task}"),
            Some(task) => format!("{plan}, task {task}"),
            // A measure's key or a task's: the entity does not say which.
            None if vi => format!("{plan}, mục {key}"),
            None => format!("{plan}, item {key}"),
        },
        [agency, p] => {
            let p = period(p)?;
            if vi { format!("{plan}, cơ quan {agency}, {p}") } else { format!("{plan}, agency {agency}, {p}") }
        }
        [measure, unit, p] => {
            let p = period(p)?;
            if vi {
                format!("{plan}, chỉ tiêu {measure}, đơn vị {unit}, {p}")
            } else {
                format!("{plan}, measure {measure}, unit {unit}, {p}")
            }
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The actions the store writes: the quoted `"x.y"` codes of its
    /// sources that look like actions, and a submission's move to each
    /// state.
    fn store_actions() -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/src");
        let mut text = String::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "rs") {
                text.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
        let kinds = ["agencies", "audit", "comment", "draft", "measure", "org_units", "plan", "task", "user", "value"];
        let word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        let mut codes: Vec<String> = text
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|t| {
                let mut parts = t.split('.');
                let (Some(a), Some(b), None) = (parts.next(), parts.next(), parts.next()) else { return false };
                word(a) && word(b) && kinds.contains(&a)
            })
            .map(str::to_string)
            .collect();
        codes.extend(SubmissionState::ALL.map(|s| format!("submission.{}", s.as_str())));
        codes.sort();
        codes.dedup();
        assert!(codes.len() > 20, "the store's sources were read: {codes:?}");
        codes
    }

    /// A detail of each action as the store writes it, and its Vietnamese.
    const SAMPLES: &[(&str, &str, &str)] = &[
        (
            "value.submit",
            r#"{"version":2,"value":"1234.50","status":"preliminary","origin":"recorded"}"#,
            "Phiên bản 2: 1.234,50 (sơ bộ, ghi nhận từ dòng lệnh)",
        ),
        (
            "task.progress",
            r#"{"version":2,"status":"in_progress","percent":"37.5"}"#,
            "Phiên bản 2: đang triển khai, 37,5%",
        ),
        ("submission.draft", r#"{"version":1,"state":"draft","comment":"","figures":[]}"#, "Lần 1: nháp"),
        (
            "submission.submitted",
            r#"{"version":2,"state":"submitted","comment":"","figures":[{"measure":"c.1","org_unit":"83","version":3}]}"#,
            "Lần 2: chờ duyệt; số liệu: c.1 tại 83 (phiên bản 3)",
        ),
        (
            "submission.approved",
            r#"{"version":3,"state":"approved","comment":"Đồng ý","figures":[{"measure":"c.1","org_unit":"83","version":3},{"measure":"c.2","org_unit":"829","version":1}]}"#,
            "Lần 3: đã duyệt — ý kiến: “Đồng ý”; số liệu: c.1 tại 83 (phiên bản 3), c.2 tại 829 (phiên bản 1)",
        ),
        (
            "submission.returned",
            r#"{"version":3,"state":"returned","comment":"Thiếu số liệu quý III","figures":[]}"#,
            "Lần 3: trả lại — ý kiến: “Thiếu số liệu quý III”",
        ),
        (
            "submission.unlocked",
            r#"{"version":4,"state":"unlocked","comment":"Sửa số liệu","figures":[]}"#,
            "Lần 4: mở khóa — ý kiến: “Sửa số liệu”",
        ),
        (
            "measure.revise",
            r#"{"measure":"a.1","target":"≥ 8%","decision":"01/2025/NQ-HĐND","decided_on":"2025-02-19"}"#,
            "a.1 → ≥ 8% theo 01/2025/NQ-HĐND ngày 19/02/2025",
        ),
        (
            "measure.assign",
            r#"{"lead":"SCT","units":["829","831"]}"#,
            "Cơ quan chủ trì: SCT; đơn vị báo cáo phần việc: 829, 831",
        ),
        (
            "plan.save",
            r#"{"region":"Bến Tre","year":2025,"measures":55,"tasks":75}"#,
            "Bến Tre năm 2025: 55 chỉ tiêu, 75 nhiệm vụ",
        ),
        ("org_units.put", r#"{"codes":["83","829"]}"#, "2 đơn vị hành chính: 83, 829"),
        ("agencies.put", r#"{"codes":["SCT","SYT"]}"#, "2 cơ quan: SCT, SYT"),
        (
            "audit.seal",
            r#"{"chained":4,"sealed":73}"#,
            "Đưa 4 mục nhật ký có từ trước vào chuỗi, niêm phong 73 bản ghi",
        ),
        (
            "user.create",
            r#"{"name":"Nguyễn Văn An","role":"reporter","agency":"SCT"}"#,
            "Nguyễn Văn An (Cán bộ báo cáo, SCT)",
        ),
        ("user.login", r#"{"from":"10.0.0.1"}"#, "Từ địa chỉ 10.0.0.1"),
        (
            "user.login_failed",
            r#"{"from":"10.0.0.1","count":5,"locked_until":"2025-03-31T10:15:00.000Z"}"#,
            "Sai mật khẩu từ địa chỉ 10.0.0.1 (5 lần liên tiếp); khóa đến 31/03/2025 17:15",
        ),
        ("user.passwd", r#"{"one_time":true}"#, "Đặt mật khẩu dùng một lần; các phiên đăng nhập khác đã kết thúc"),
        ("user.unlock", "{}", "Xóa số lần đăng nhập sai"),
        ("user.disable", "{}", "Không cho đăng nhập nữa; các phiên đăng nhập đã kết thúc"),
        ("user.enable", "{}", "Cho đăng nhập lại"),
        ("user.logout", "{}", "Phiên đăng nhập đã kết thúc"),
        ("comment.add", r#"{"body":"Đề nghị làm rõ số liệu quý III"}"#, "Đề nghị làm rõ số liệu quý III"),
        ("draft.create", r#"{"file_name":"nghi-quyet-15.docx"}"#, "Tệp nghi-quyet-15.docx"),
        ("draft.update", "{}", "Sửa tệp kế hoạch"),
        ("plan.default", "{}", "Làm việc với kế hoạch này khi không nêu kế hoạch nào"),
        ("draft.confirm", r#"{"plan":2}"#, "Thành kế hoạch 2"),
    ];

    /// The English words of the store's sentences and codes, which a
    /// Vietnamese sentence must not hold.
    const ENGLISH: &str = "agency agencies again approved by chained changed cleared corrected draft earlier \
        ended entered entries estimate failed file from illustrative in_progress lead locked logins may measures more \
        of official one password plan preliminary published records recorded reporter returned row sealed session \
        sessions set sign signs submitted tasks time units unlocked until user version wrong";

    fn english_words(vietnamese: &str) -> Vec<String> {
        vietnamese
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map(str::to_lowercase)
            .filter(|w| {
                ENGLISH.split_whitespace().any(|e| e == w)
                    || w.strip_prefix('v').is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            })
            .collect()
    }

    /// Every action the store writes has its words, in both languages.
    #[test]
    fn every_action_of_the_store_has_its_words() {
        for code in store_actions() {
            let (vi, en) = (action(&code, Lang::Vi), action(&code, Lang::En));
            assert!(vi.is_some_and(|w| !w.is_empty()), "{code} has no words");
            assert_ne!(vi, en, "{code}: “{vi:?}” has no English");
        }
        assert_eq!(action("value.submit", Lang::Vi), Some("Lưu số liệu"));
        assert_eq!(action("user.create", Lang::Vi), Some("Tạo tài khoản"));
        assert_eq!(action("plan.destroy", Lang::Vi), None);
    }

    /// Each detail the store writes reads as a Vietnamese sentence without
    /// English words, and as the English the command line prints.
    #[test]
    fn each_detail_of_the_store_is_worded_in_both_languages() {
        for code in store_actions() {
            assert!(SAMPLES.iter().any(|(a, _, _)| *a == code), "{code}: no sample of its detail");
        }
        for (code, json, want) in SAMPLES {
            let read = AuditDetail::read(code, json).unwrap_or_else(|| panic!("{code}: the store reads {json}"));
            let vi = detail(code, json, Lang::Vi);
            assert_eq!(&vi, want, "{code}");
            assert_eq!(english_words(&vi), Vec::<String>::new(), "{code}: “{vi}”");
            let en = detail(code, json, Lang::En);
            assert_eq!(en, read.english(code), "{code}");
            // A comment is the same words in both languages: its own.
            assert!(!en.contains('{') && (en != vi || *code == "comment.add"), "{code}: “{en}”");
        }
        let en = |code, json| detail(code, json, Lang::En);
        assert_eq!(en("value.submit", SAMPLES[0].1), "v2 = 1234.50 (preliminary, recorded)");
        assert_eq!(en("user.passwd", r#"{"one_time":true}"#), "one-time password set; other sessions ended");
        assert_eq!(en("user.logout", "{}"), "session ended");
    }

    /// An entry written before details were JSON, or a detail this
    /// version does not know, is shown as stored.
    #[test]
    fn an_older_detail_is_shown_as_stored() {
        for (code, text) in [
            ("value.submit", "v1 = 180.2 (estimate, entered)"),
            ("org_units.put", "83, 86, 829"),
            ("measure.assign", "lead CTK; units "),
            ("comment.add", "{ghi chú trong ngoặc}"),
            ("user.login", r#"{"from":"10.0.0.1","port":80}"#),
            ("plan.destroy", r#"{"plan":2}"#),
        ] {
            for lang in [Lang::Vi, Lang::En] {
                assert_eq!(detail(code, text, lang), text, "{code}");
            }
        }
    }

    #[test]
    fn what_an_entry_concerns_is_worded() {
        for (stored, vi, en) in [
            ("plan 1", "kế hoạch 1", "plan 1"),
            ("plan 1 c.1", "kế hoạch 1, mục c.1", "plan 1, item c.1"),
            ("plan 1 task:b.3", "kế hoạch 1, nhiệm vụ b.3", "plan 1, task b.3"),
            ("plan 1 SCT 2025-Q3", "kế hoạch 1, cơ quan SCT, Quý III/2025", "plan 1, agency SCT, Q3 2025"),
            (
                "plan 1 c.1 83 2025-09",
                "kế hoạch 1, chỉ tiêu c.1, đơn vị 83, Tháng 9/2025",
                "plan 1, measure c.1, unit 83, September 2025",
            ),
            ("user an", "tài khoản an", "user an"),
            ("draft 3", "bản nháp 3", "draft 3"),
            ("org_units", "đơn vị hành chính", "administrative units"),
            ("agencies", "cơ quan", "agencies"),
            ("audit_log", "nhật ký thay đổi", "audit log"),
        ] {
            assert_eq!(entity(stored, Lang::Vi), vi, "{stored}");
            assert_eq!(entity(stored, Lang::En), en, "{stored}");
        }
        for unknown in ["plan x c.1", "plan 1 c.1 83 sometime", "plan 1 a b c d", "budget 2025", "user", ""] {
            assert_eq!(entity(unknown, Lang::Vi), unknown);
            assert_eq!(entity(unknown, Lang::En), unknown);
        }
    }
}
