//! The audit log (nhật ký thay đổi), newest first, searched.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use kehoach_domain::access::Action;
use kehoach_store::Store;

use crate::AppState;
use crate::error::AppError;
use crate::view::{Chrome, html, when};
use crate::viewer::Viewer;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    q: String,
    entries: Vec<Entry>,
}

/// An entry as the page shows it: the action in words, its code beside.
struct Entry {
    at: String,
    actor: String,
    action: &'static str,
    code: String,
    entity: String,
    detail: String,
}

/// What an audit entry's action did, in Vietnamese (the English is in
/// `i18n`); an action this version does not know shows its code only.
fn action_vi(code: &str) -> &'static str {
    match code {
        "agencies.put" => "Cập nhật danh sách cơ quan",
        "audit.seal" => "Niêm phong nhật ký",
        "comment.add" => "Thêm ý kiến",
        "draft.confirm" => "Xác nhận kế hoạch từ bản nháp",
        "draft.create" => "Đọc nghị quyết thành bản nháp",
        "draft.update" => "Sửa bản nháp",
        "measure.assign" => "Phân công chỉ tiêu",
        "measure.revise" => "Điều chỉnh chỉ tiêu",
        "org_units.put" => "Cập nhật đơn vị hành chính",
        "plan.save" => "Lưu kế hoạch",
        "submission.approved" => "Phê duyệt số liệu",
        "submission.draft" => "Lưu nháp số liệu",
        "submission.returned" => "Trả lại số liệu",
        "submission.submitted" => "Gửi duyệt số liệu",
        "submission.unlocked" => "Mở khóa số liệu",
        "task.progress" => "Báo cáo tiến độ nhiệm vụ",
        "user.create" => "Tạo tài khoản",
        "user.disable" => "Khóa tài khoản",
        "user.enable" => "Mở lại tài khoản",
        "user.login" => "Đăng nhập",
        "user.login_failed" => "Đăng nhập không thành công",
        "user.logout" => "Đăng xuất",
        "user.passwd" => "Đổi mật khẩu",
        "user.unlock" => "Mở khóa đăng nhập",
        "value.submit" => "Lưu số liệu",
        _ => "",
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct Search {
    q: Option<String>,
}

pub(crate) async fn audit(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(s): Query<Search>,
) -> Result<Response, AppError> {
    viewer.require(Action::Audit, None, "/audit")?;
    let q = s.q.unwrap_or_default().trim().to_lowercase();
    let entries = state
        .store
        .audit(2000)
        .await?
        .into_iter()
        .filter(|e| {
            q.is_empty() || [&e.actor, &e.action, &e.entity, &e.detail].iter().any(|f| f.to_lowercase().contains(&q))
        })
        .take(500)
        .map(|e| Entry {
            at: when(&e.at),
            actor: e.actor,
            action: action_vi(&e.action),
            code: e.action,
            entity: e.entity,
            detail: e.detail,
        })
        .collect();
    Ok(html(&AuditPage { chrome: viewer.chrome("Nhật ký thay đổi", "audit"), q, entries }))
}

#[cfg(test)]
mod tests {
    /// Every action the store writes has its words, in both languages.
    #[test]
    fn every_action_of_the_store_has_its_words() {
        let store = ["accounts.rs", "lib.rs", "records.rs", "sql.rs"]
            .map(|f| std::fs::read_to_string(format!("{}/../store/src/{f}", env!("CARGO_MANIFEST_DIR"))).unwrap())
            .join("\n");
        let mut codes: Vec<String> = regex_lite(&store);
        for state in ["draft", "submitted", "approved", "returned", "unlocked"] {
            codes.push(format!("submission.{state}"));
        }
        assert!(codes.len() > 20, "{codes:?}");
        for code in codes {
            let vi = super::action_vi(&code);
            assert!(!vi.is_empty(), "{code} has no words");
            assert_ne!(crate::i18n::Lang::En.t(vi), vi, "{code}: “{vi}” has no English");
        }
    }

    /// The quoted `"x.y"` codes of a source text that look like actions.
    fn regex_lite(text: &str) -> Vec<String> {
        let mut out: Vec<String> = text
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|t| {
                let mut parts = t.split('.');
                let (Some(a), Some(b), None) = (parts.next(), parts.next(), parts.next()) else { return false };
                let word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '_');
                word(a)
                    && word(b)
                    && [
                        "agencies",
                        "audit",
                        "comment",
                        "draft",
                        "measure",
                        "org_units",
                        "plan",
                        "task",
                        "user",
                        "value",
                    ]
                    .contains(&a)
            })
            .map(str::to_string)
            .collect();
        out.sort();
        out.dedup();
        out
    }
}
