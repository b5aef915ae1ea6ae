//! The real server on port 0 over a real SQLite database, driven as a
//! browser would over HTTP: every route × every role, allowed or denied on
//! the server; CSRF, lockout, sessions, the security headers, the language.

use crate::common::*;
use kehoach_domain::access::Role;
use kehoach_store::{Accounts, NewUser, Store};

/// Behind a trusted reverse proxy, login attempts are counted per client as
/// the proxy names it, not all together under the proxy's address; an
/// address the client writes itself before the proxy's is not believed.
#[tokio::test]
async fn logins_are_limited_per_client_behind_a_trusted_proxy() {
    let settings = kehoach_web::Settings {
        logins_per_minute: 2,
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        ..Default::default()
    };
    let server = start_configured(settings, async |_| {}).await;
    let attempt = async |forwarded: &str| {
        let form = http(&server, "GET", "/login", "", "", &[]).await;
        let pre = form.cookie("kehoach_login").unwrap();
        let token = form.hidden("token").unwrap();
        let body = format!("username=planner&password=wrong-password&token={token}&next=%2F");
        let headers = [("X-Forwarded-For", forwarded)];
        http(&server, "POST", "/login", &format!("kehoach_login={pre}"), &body, &headers).await.status
    };
    assert_eq!(attempt("198.51.100.1").await, 401);
    assert_eq!(attempt("198.51.100.1").await, 401);
    assert_eq!(attempt("198.51.100.1").await, 429, "the third from one client in a minute");
    assert_eq!(attempt("4.3.2.1, 198.51.100.1").await, 429, "a client's own header changes nothing");
    assert_eq!(attempt("198.51.100.2").await, 401, "another client is not held back");
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// 2xx, or a redirect that is not to the login page.
    Allowed,
    /// To the login page (not signed in).
    Login,
    /// 403.
    Denied,
}

#[tokio::test]
async fn every_route_checks_role_and_agency_on_the_server() {
    use Expect::*;
    let server = start().await;
    let mut sessions = Vec::new();
    for role in Role::ALL {
        sessions.push((
            Some(role),
            login(&server, role.as_str(), PASSWORD).await.unwrap_or_else(|a| panic!("{role}: {}", a.status)),
        ));
    }
    // Columns: public, admin, planner, reporter (SCT), approver, supervisor.
    let table: &[(&str, &str, &str, [Expect; 6])] = &[
        ("GET", "/", "", [Login, Allowed, Allowed, Allowed, Allowed, Allowed]),
        ("GET", "/?period=2025-09&status=no_data", "", [Login, Allowed, Allowed, Allowed, Allowed, Allowed]),
        ("GET", "/measures/c.1", "", [Login, Allowed, Allowed, Allowed, Allowed, Allowed]),
        ("GET", "/tasks", "", [Login, Allowed, Allowed, Allowed, Allowed, Allowed]),
        (
            "GET",
            "/api/analytics/figure?measure=c.1&period=2024",
            "",
            [Login, Allowed, Allowed, Allowed, Allowed, Allowed],
        ),
        (
            "GET",
            "/api/analytics/dashboard?unit=83&period=2025-H1",
            "",
            [Login, Allowed, Allowed, Allowed, Allowed, Allowed],
        ),
        ("GET", "/entry?period=2025-09", "", [Login, Allowed, Allowed, Allowed, Denied, Denied]),
        ("GET", "/entry?period=2025-09&agency=SYT", "", [Login, Allowed, Allowed, Denied, Denied, Denied]),
        (
            "POST",
            "/entry",
            "period=2025-09&agency=SCT&action=draft&submission_version=0",
            [Login, Allowed, Allowed, Allowed, Denied, Denied],
        ),
        (
            "POST",
            "/entry",
            "period=2025-09&agency=SYT&action=draft&submission_version=0",
            [Login, Allowed, Allowed, Denied, Denied, Denied],
        ),
        ("GET", "/approvals", "", [Login, Allowed, Denied, Denied, Allowed, Denied]),
        (
            "POST",
            "/approvals/SYT/2025-09",
            "decision=approve&version=0",
            [Login, Allowed, Denied, Denied, Allowed, Denied],
        ),
        ("GET", "/audit", "", [Login, Allowed, Allowed, Denied, Allowed, Allowed]),
        ("GET", "/audit?q=login", "", [Login, Allowed, Allowed, Denied, Allowed, Allowed]),
        (
            "POST",
            "/measures/c.1/comments",
            "body=C%C3%B3+%C3%BD+ki%E1%BA%BFn",
            [Login, Allowed, Allowed, Denied, Allowed, Allowed],
        ),
        (
            "POST",
            "/tasks/b.1/progress",
            "status=in_progress&percent=10&version=0",
            [Login, Allowed, Allowed, Denied, Denied, Denied],
        ),
        ("GET", "/plan", "", [Login, Allowed, Allowed, Denied, Denied, Denied]),
        ("GET", "/plans", "", [Login, Allowed, Allowed, Allowed, Allowed, Allowed]),
        ("POST", "/plan/c.1/assign", "lead=SCT", [Login, Allowed, Allowed, Denied, Denied, Denied]),
        (
            "POST",
            "/plan/a.1/revise",
            "comparator=at_least&value=8&decision=01%2F2025%2FNQ-H%C4%90ND&date=2025-02-19",
            [Login, Allowed, Allowed, Denied, Denied, Denied],
        ),
        ("GET", "/reports", "", [Login, Allowed, Allowed, Allowed, Allowed, Allowed]),
        ("GET", "/reports/download?period=2025&format=xlsx", "", [Login, Allowed, Allowed, Allowed, Allowed, Allowed]),
        ("GET", "/reports/template?agency=SCT&period=2025-Q1", "", [Login, Allowed, Allowed, Allowed, Denied, Denied]),
        ("GET", "/reports/template?agency=SYT&period=2025-Q1", "", [Login, Allowed, Allowed, Denied, Denied, Denied]),
        ("GET", "/public", "", [Allowed; 6]),
        ("GET", "/public?period=2025", "", [Allowed; 6]),
        ("GET", "/public/measures/c.1", "", [Allowed; 6]),
        ("GET", "/public/figures.csv", "", [Allowed; 6]),
        ("GET", "/login", "", [Allowed; 6]),
        ("GET", "/password", "", [Login, Allowed, Allowed, Allowed, Allowed, Allowed]),
        ("GET", "/assets/style.css", "", [Allowed; 6]),
        ("GET", "/lang/en", "", [Allowed; 6]),
        // Without the login form's own cookie a sign-in is refused, whoever sends it.
        ("POST", "/login", "username=planner&password=x&token=x", [Denied; 6]),
        // A wrong current password: let through, refused on the merits (422).
        ("POST", "/password", "current=x&new=y&again=y", [Login, Allowed, Allowed, Allowed, Allowed, Allowed]),
        ("GET", "/plan/import", "", [Login, Allowed, Allowed, Denied, Denied, Denied]),
        // Not a resolution (422), or no such draft (404): refused on the merits after the role.
        ("POST", "/plan/import", "", [Login, Allowed, Allowed, Denied, Denied, Denied]),
        ("GET", "/plan/drafts/999", "", [Login, Allowed, Allowed, Denied, Denied, Denied]),
        ("POST", "/plan/drafts/999", "action=save&plan_file=x", [Login, Allowed, Allowed, Denied, Denied, Denied]),
        ("POST", "/reports/template", "", [Login, Allowed, Allowed, Allowed, Denied, Denied]),
        // Last: it ends the sessions the rows above use.
        ("POST", "/logout", "", [Allowed; 6]),
    ];
    // A plan's pages again under /plans/1/ (the plan followed at its own
    // addresses), before the last row ends the sessions.
    let scoped = plan_pages();
    let (last, rows) = table.split_last().unwrap();
    let nested: Vec<(&str, String, &str, [Expect; 6])> = rows
        .iter()
        .filter(|(_, path, ..)| scoped.iter().any(|p| matches(p, path.split('?').next().unwrap())))
        .map(|(m, path, form, e)| {
            (*m, format!("/plans/1{}", if path.starts_with("/?") { &path[1..] } else { path }), *form, *e)
        })
        .map(|(m, path, form, e)| (m, if path == "/plans/1/" { "/plans/1".to_string() } else { path }, form, e))
        .collect();
    let table: Vec<(&str, String, &str, [Expect; 6])> = rows
        .iter()
        .map(|(m, p, f, e)| (*m, p.to_string(), *f, *e))
        .chain(nested)
        .chain(std::iter::once((last.0, last.1.to_string(), last.2, last.3)))
        .collect();
    every_route_of_the_router_is_in_the_table(table.iter().map(|(m, p, ..)| (*m, p.as_str())));
    let mut failures = Vec::new();
    for (method, path, form, expected) in &table {
        let path = path.as_str();
        let who: Vec<(Option<Role>, Option<&Session>)> =
            std::iter::once((None, None)).chain(sessions.iter().map(|(r, s)| (*r, Some(s)))).collect();
        for ((role, session), want) in who.into_iter().zip(expected) {
            let cookie = session.map_or("", |s| s.cookie.as_str());
            let body = match (session, *method) {
                (Some(s), "POST") => format!("csrf={}&{form}", s.csrf),
                _ => form.to_string(),
            };
            // The two upload forms are sent as a browser sends them, with a file.
            let a = if *method == "POST" && (path == "/plan/import" || path.ends_with("/reports/template")) {
                let csrf = session.map_or("", |s| s.csrf.as_str());
                let (content_type, body) = multipart(csrf, "x.txt", b"x");
                exchange(&server, method, path, cookie, Some(&content_type), &body, &[]).await
            } else {
                http(&server, method, path, cookie, &body, &[]).await
            };
            let got = if a.to_login() {
                Login
            } else if a.status == 403 {
                Denied
            } else if a.status < 400 || [400, 404, 409, 422].contains(&a.status) {
                // 400/404/409/422: let through, then refused on the merits.
                Allowed
            } else {
                panic!("{method} {path} as {role:?}: {} {}", a.status, a.body.chars().take(300).collect::<String>())
            };
            if got != *want {
                failures.push(format!("{method} {path} as {role:?}: expected {want:?}, got {got:?} ({})", a.status));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every route and method the router serves has a row in the table above
/// (read from the router's source: axum cannot list its routes).
fn every_route_of_the_router_is_in_the_table<'a>(rows: impl Iterator<Item = (&'a str, &'a str)>) {
    let rows: Vec<(&str, &str)> = rows.map(|(m, p)| (m, p.split('?').next().unwrap())).collect();
    let mut missing = Vec::new();
    let mut pairs = 0;
    // The router's own routes, and a plan's pages at their own addresses and
    // nested under /plans/{plan}.
    let source = std::fs::read_to_string(root().join("crates/web/src/lib.rs")).unwrap();
    let router = &source[source.find("Router::new()").unwrap()..source.find(".fallback(").unwrap()];
    let plan = &source[source.find("fn plan_pages()").unwrap()..];
    let plan = &plan[..plan.find("\n}\n").unwrap()];
    for (routes, prefix) in [(router, ""), (plan, ""), (plan, "/plans/{plan}")] {
        for (method, pattern) in routes_of(routes) {
            pairs += 1;
            let pattern = match (prefix, pattern.as_str()) {
                ("", p) => p.to_string(),
                (prefix, "/") => prefix.to_string(),
                (prefix, p) => format!("{prefix}{p}"),
            };
            if !rows.iter().any(|(m, p)| *m == method && matches(&pattern, p)) {
                missing.push(format!("{method} {pattern}"));
            }
        }
    }
    assert!(pairs > 40, "the router was read ({pairs} pairs)");
    assert!(missing.is_empty(), "not in the route × role table: {missing:?}");
}

/// The routes and methods a piece of the router's source declares.
fn routes_of(source: &str) -> Vec<(&'static str, String)> {
    let route = regex::Regex::new(r#"\.route\(\s*"([^"]+)""#).unwrap();
    let starts: Vec<(usize, &str)> =
        route.captures_iter(source).map(|c| (c.get(0).unwrap().start(), c.get(1).unwrap().as_str())).collect();
    let mut out = Vec::new();
    for (i, (start, pattern)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(source.len(), |(s, _)| *s);
        for (method, call) in [("GET", "get("), ("POST", "post(")] {
            if source[*start..end].contains(call) {
                out.push((method, pattern.to_string()));
            }
        }
    }
    out
}

/// The patterns of a plan's pages (`fn plan_pages`).
fn plan_pages() -> Vec<String> {
    let source = std::fs::read_to_string(root().join("crates/web/src/lib.rs")).unwrap();
    let plan = &source[source.find("fn plan_pages()").unwrap()..];
    routes_of(&plan[..plan.find("\n}\n").unwrap()]).into_iter().map(|(_, p)| p).collect()
}

/// Whether a path is one of a route's pattern (`{…}` any segment).
fn matches(pattern: &str, path: &str) -> bool {
    let (want, got): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
    (want.len() == got.len() || want.last().is_some_and(|w| w.starts_with("{*")))
        && want.iter().zip(&got).all(|(w, g)| w.starts_with('{') || w == g)
}

#[tokio::test]
async fn forms_without_the_token_or_from_another_site_change_nothing() {
    let server = start().await;
    let reporter = login(&server, "reporter", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.status));
    let form = "period=2025-09&agency=SCT&action=submit&submission_version=0&v.c.1=1.850%2C5&s.c.1=estimate";
    let missing = http(&server, "POST", "/entry", &reporter.cookie, form, &[]).await;
    assert_eq!(missing.status, 403);
    let wrong =
        http(&server, "POST", "/entry", &reporter.cookie, &format!("csrf=x{}&{form}", reporter.csrf), &[]).await;
    assert_eq!(wrong.status, 403);
    let cross = http(
        &server,
        "POST",
        "/entry",
        &reporter.cookie,
        &format!("csrf={}&{form}", reporter.csrf),
        &[("Sec-Fetch-Site", "cross-site")],
    )
    .await;
    assert!(cross.to_login(), "a cross-site request is never the signed-in user: {}", cross.status);
    let entry = http(&server, "GET", "/entry?period=2025-09", &reporter.cookie, "", &[]).await;
    assert_eq!(entry.status, 200);
    assert!(entry.body.contains("name=\"v.c.1\" value=\"\""), "the field is empty: nothing was stored");
    let api = "/api/analytics/figure?measure=c.1&unit=83&period=2025-09";
    let before = http(&server, "GET", api, &reporter.cookie, "", &[]).await;
    assert!(before.body.contains("\"value\":null"), "nor is it in the analytics engine: {}", before.body);
    // With the token it goes through, and the page says so.
    let ok = http(&server, "POST", "/entry", &reporter.cookie, &format!("csrf={}&{form}", reporter.csrf), &[]).await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let entry = http(&server, "GET", ok.header("location").unwrap(), &reporter.cookie, "", &[]).await;
    assert!(entry.body.contains("value=\"1.850,5\""), "the stored figure is shown the Vietnamese way");
    assert!(entry.body.contains("Đã gửi"), "the flash says it was sent");
    // Submitted, it counts for nothing until an approver approves it.
    let waiting = http(&server, "GET", api, &reporter.cookie, "", &[]).await;
    assert!(waiting.body.contains("\"value\":null"), "{}", waiting.body);
    let approver = login(&server, "approver", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.status));
    assert_eq!(approve(&server, &approver, "SCT/2025-09").await.status, 303);
    // The analytics engine has it at once.
    let after = http(&server, "GET", api, &reporter.cookie, "", &[]).await;
    assert_eq!(after.status, 200, "{}", after.body);
    assert!(after.body.contains("\"value\":\"1850.5\""), "{}", after.body);
    // The dashboard of the place carries it beside last September (none).
    let board =
        http(&server, "GET", "/api/analytics/dashboard?unit=83&period=2025-09", &reporter.cookie, "", &[]).await;
    assert_eq!(board.status, 200, "{}", board.body);
    let json: serde_json::Value = serde_json::from_str(&board.body).unwrap();
    let c1 = json["measures"].as_array().unwrap().iter().find(|m| m["measure"] == "c.1").unwrap();
    assert_eq!(c1["this"]["value"], "1850.5");
    assert_eq!(c1["this"]["record"], "1850.5");
    assert_eq!(c1["last_year"]["value"], serde_json::Value::Null);
    assert_eq!(c1["growth_pct"], serde_json::Value::Null);
}

#[tokio::test]
async fn wrong_passwords_lock_the_account() {
    let server = start().await;
    for _ in 0..5 {
        let a = login(&server, "supervisor", "sai-mat-khau").await.err().expect("refused");
        assert_eq!(a.status, 401);
        assert!(a.body.contains("không đúng"));
    }
    let locked = login(&server, "supervisor", PASSWORD).await.err().expect("locked");
    assert_eq!(locked.status, 401);
    assert!(locked.body.contains("tạm khóa"), "{}", locked.body);
    // Unknown names, wrong passwords and locked accounts get the same answer.
    let unknown = login(&server, "nobody", PASSWORD).await.err().expect("refused");
    let wrong = login(&server, "planner", "sai-mat-khau").await.err().expect("refused");
    let said = |a: &Answer| {
        let at = a.body.find("class=\"problem\"").unwrap_or(0);
        a.body[at..at + a.body[at..].find("</p>").unwrap_or(0)].to_string()
    };
    assert_eq!((unknown.status, said(&unknown)), (locked.status, said(&locked)));
    assert_eq!((wrong.status, said(&wrong)), (locked.status, said(&locked)));
}

/// Ten wrong passwords sent at once all count: the account is locked, and
/// the right password is then refused until the lock ends (or an
/// administrator unlocks it).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn wrong_passwords_sent_at_once_lock_the_account() {
    let server = std::sync::Arc::new(start().await);
    let mut attempts = Vec::new();
    for _ in 0..10 {
        let server = server.clone();
        attempts.push(tokio::spawn(
            async move { login(&server, "approver", "sai-mat-khau").await.err().map(|a| a.status) },
        ));
    }
    for a in attempts {
        assert_eq!(a.await.unwrap(), Some(401));
    }
    let refused = login(&server, "approver", PASSWORD).await.err().expect("locked");
    assert_eq!(refused.status, 401);
    let store = server.store().await;
    let approver = store.user("approver").await.unwrap().unwrap();
    assert!(approver.failed_logins >= 5 && approver.locked_until.is_some(), "{approver:?}");
    store.unlock_user("approver", "admin").await.unwrap();
    assert!(login(&server, "approver", PASSWORD).await.is_ok(), "unlocked, the right password opens a session");
}

/// Small things an attack found: a cross-site logout changes nothing; a
/// logout ends the session and is in the audit log; signed-in pages are not
/// cached; a comment on a measure that does not exist is refused.
#[tokio::test]
async fn logout_cache_and_comments_hold() {
    let server = start().await;
    let planner = login(&server, "planner", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.status));
    let form = format!("csrf={}", planner.csrf);
    let cross = http(&server, "POST", "/logout", &planner.cookie, &form, &[("Sec-Fetch-Site", "cross-site")]).await;
    assert!(cross.cookie("kehoach_session").is_none(), "a cross-site logout clears no cookie");
    let home = http(&server, "GET", "/", &planner.cookie, "", &[]).await;
    assert_eq!(home.status, 200, "the session is still valid");
    assert_eq!(home.header("cache-control"), Some("no-store"), "signed-in pages are not cached");
    let comment = format!("csrf={}&body=Ghi+ch%C3%BA", planner.csrf);
    assert_eq!(http(&server, "POST", "/measures/zz.9/comments", &planner.cookie, &comment, &[]).await.status, 404);
    assert_eq!(http(&server, "POST", "/measures/c.1/comments", &planner.cookie, &comment, &[]).await.status, 303);
    let out = http(&server, "POST", "/logout", &planner.cookie, &form, &[]).await;
    assert_eq!(out.cookie("kehoach_session").as_deref(), Some(""), "the cookie is cleared");
    assert!(http(&server, "GET", "/", &planner.cookie, "", &[]).await.to_login(), "the session is over");
    let audit = server.store().await.audit(20).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "user.logout" && a.actor == "planner"), "{audit:?}");
}

/// A one-time password is changed before anything else; the change keeps
/// this session and ends the others. A disabled account's sessions end and
/// it signs in no more, with the same answer as a wrong password.
#[tokio::test]
async fn a_one_time_password_is_changed_first_and_a_disabled_account_is_out() {
    let server = start().await;
    let store = server.store().await;
    let hash = kehoach_web::hash_password("mot-lan-thoi-1");
    let new = NewUser {
        username: "moi".into(),
        name: "Người mới".into(),
        role: Role::Planner,
        agency: None,
        password_hash: hash,
        must_change_password: true,
    };
    store.create_user(&new, "test").await.unwrap();
    let other = login(&server, "moi", "mot-lan-thoi-1").await.unwrap_or_else(|a| panic!("{}", a.status));
    let me = login(&server, "moi", "mot-lan-thoi-1").await.unwrap_or_else(|a| panic!("{}", a.status));
    for path in ["/", "/public", "/entry", "/api/analytics/dashboard"] {
        let a = http(&server, "GET", path, &me.cookie, "", &[]).await;
        assert_eq!((a.status, a.header("location")), (303, Some("/password")), "{path}");
    }
    let page = http(&server, "GET", "/password", &me.cookie, "", &[]).await;
    assert!(page.status == 200 && page.body.contains("mật khẩu dùng một lần"), "{}", page.body);
    let post = |current: &str, new: &str, again: &str| {
        format!("csrf={}&current={}&new={}&again={}", me.csrf, enc(current), enc(new), enc(again))
    };
    for (form, says) in [
        (post("sai-mat-khau-1", "mat-khau-rieng-1", "mat-khau-rieng-1"), "Mật khẩu hiện tại không đúng"),
        (post("mot-lan-thoi-1", "mat-khau-rieng-1", "mat-khau-rieng-2"), "không giống nhau"),
        (post("mot-lan-thoi-1", "ngan", "ngan"), "quá ngắn"),
        (post("mot-lan-thoi-1", "mot-lan-thoi-1", "mot-lan-thoi-1"), "phải khác"),
    ] {
        let a = http(&server, "POST", "/password", &me.cookie, &form, &[]).await;
        assert_eq!(a.status, 422, "{says}");
        assert!(a.body.contains(says), "{says}: {}", a.body);
    }
    let a = http(
        &server,
        "POST",
        "/password",
        &me.cookie,
        &post("mot-lan-thoi-1", "mat-khau-rieng-1", "mat-khau-rieng-1"),
        &[],
    )
    .await;
    assert_eq!((a.status, a.header("location")), (303, Some("/")));
    assert_eq!(http(&server, "GET", "/", &me.cookie, "", &[]).await.status, 200, "this session goes on");
    assert!(http(&server, "GET", "/", &other.cookie, "", &[]).await.to_login(), "the other session ended");
    assert!(login(&server, "moi", "mot-lan-thoi-1").await.is_err(), "the one-time password is gone");
    let again = login(&server, "moi", "mat-khau-rieng-1").await.unwrap_or_else(|a| panic!("{}", a.status));
    assert_eq!(http(&server, "GET", "/", &again.cookie, "", &[]).await.status, 200);

    store.set_disabled("moi", true, "admin").await.unwrap();
    assert!(http(&server, "GET", "/", &again.cookie, "", &[]).await.to_login(), "sessions end");
    let refused = login(&server, "moi", "mat-khau-rieng-1").await.err().expect("refused");
    assert_eq!(refused.status, 401);
    assert!(refused.body.contains("Tên đăng nhập hoặc mật khẩu không đúng"), "{}", refused.body);
    store.set_disabled("moi", false, "admin").await.unwrap();
    assert!(login(&server, "moi", "mat-khau-rieng-1").await.is_ok());
    let audit = store.audit(30).await.unwrap();
    for action in ["user.passwd", "user.disable", "user.enable"] {
        assert!(audit.iter().any(|a| a.action == action), "{action}");
    }
}

/// Low items an attack found: cookies are Secure behind an HTTPS proxy; a
/// NUL or bytes that are not UTF-8 in a path, a query or a form are refused
/// (400) before anything is read or stored; an unknown task is not found
/// (404), not "cannot read the database".
#[tokio::test]
async fn text_is_taken_as_typed_and_behind_https_cookies_are_secure() {
    let server = start().await;
    let plain = http(&server, "GET", "/login", "", "", &[]).await;
    assert!(!plain.header("set-cookie").unwrap().contains("Secure"));
    let proxied = http(&server, "GET", "/login", "", "", &[("X-Forwarded-Proto", "https")]).await;
    assert!(proxied.header("set-cookie").unwrap().contains("; Secure"), "{:?}", proxied.header("set-cookie"));
    let planner = login(&server, "planner", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.status));
    for (path, form) in [
        ("/measures/c.1%00", String::new()),
        ("/?period=2025%00", String::new()),
        ("/measures/c.1/comments", format!("csrf={}&body=Ghi%00ch%C3%BA", planner.csrf)),
        ("/measures/c.1/comments", format!("csrf={}&body=Ghi%FF%FEch", planner.csrf)),
    ] {
        let method = if form.is_empty() { "GET" } else { "POST" };
        let a = http(&server, method, path, &planner.cookie, &form, &[]).await;
        assert_eq!(a.status, 400, "{path} {form}: {}", a.body);
        assert!(a.body.contains("không phải văn bản UTF-8 hợp lệ"), "{}", a.body);
    }
    assert!(server.store().await.comments(1, "c.1").await.unwrap().is_empty(), "nothing stored");
    let progress = format!("csrf={}&status=on_track&percent=10&narrative=x", planner.csrf);
    let a = http(&server, "POST", "/tasks/zz.99/progress", &planner.cookie, &progress, &[]).await;
    assert_eq!(a.status, 404, "{}", a.body);
}

/// `next` is only ever a path of this site: a tab or a line break in it
/// (which browsers drop, so `/\t/evil.example` would be `//evil.example`)
/// sends the person home instead.
#[tokio::test]
async fn after_login_only_a_path_of_this_site_is_followed() {
    let server = start().await;
    for (next, lands) in [
        ("%2F%09%2Fevil.example", "/"),
        ("%2Fentry%0D%0ASet-Cookie%3A+x%3D1", "/"),
        ("https%3A%2F%2Fevil.example", "/"),
        ("%2F%2Fevil.example", "/"),
        ("%2Fmeasures%2Fc.1%3Fperiod%3D2025-09", "/measures/c.1?period=2025-09"),
    ] {
        let page = http(&server, "GET", "/login", "", "", &[]).await;
        let pre = page.cookie("kehoach_login").unwrap();
        let token = page.hidden("token").unwrap();
        let form = format!("username=planner&password={PASSWORD}&token={token}&next={next}");
        let a = http(&server, "POST", "/login", &format!("kehoach_login={pre}"), &form, &[]).await;
        assert_eq!(a.status, 303, "{next}: {}", a.body);
        assert_eq!(a.header("location"), Some(lands), "{next}");
    }
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_no_inline_script() {
    let server = start().await;
    for path in ["/public", "/login", "/nowhere", "/assets/style.css"] {
        let a = http(&server, "GET", path, "", "", &[]).await;
        let csp = a.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(a.header("x-frame-options"), Some("DENY"), "{path}");
        assert!(!a.body.contains("<script>"), "{path} has an inline script");
    }
    let login_page = http(&server, "GET", "/login", "", "", &[]).await;
    let cookie = login_page.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("set-cookie")).unwrap();
    assert!(cookie.1.contains("HttpOnly") && cookie.1.contains("SameSite=Lax"), "{}", cookie.1);
    let big = "x".repeat(70 * 1024);
    let a = http(&server, "POST", "/login", "", &format!("username={big}"), &[]).await;
    assert_eq!(a.status, 413, "forms are limited in size");
}

#[tokio::test]
async fn english_on_request_vietnamese_by_default() {
    let server = start().await;
    let vi = http(&server, "GET", "/public?period=2025", "", "", &[]).await;
    assert!(vi.body.contains("<html lang=\"vi\">") && vi.body.contains("Kết quả thực hiện kế hoạch năm"));
    let switch = http(
        &server,
        "GET",
        "/lang/en",
        "",
        "",
        &[("Referer", &format!("http://{}/public?period=2025", server.addr()))],
    )
    .await;
    assert_eq!(switch.status, 303);
    assert_eq!(switch.header("location"), Some("/public?period=2025"), "back where the link was");
    assert_eq!(switch.cookie("lang").as_deref(), Some("en"));
    let elsewhere = http(&server, "GET", "/lang/en", "", "", &[("Referer", "https://evil.example/x")]).await;
    assert_eq!(elsewhere.header("location"), Some("/"), "never back to another site");
    let en = http(&server, "GET", "/public?period=2025", "lang=en", "", &[]).await;
    assert!(en.body.contains("<html lang=\"en\">"), "the page says its language");
    assert!(en.body.contains("Plan results for") && en.body.contains("Year 2025"), "headings and periods in English");
    assert!(en.body.contains(">Not achieved<") || en.body.contains(">No data<"), "statuses in English");
    assert!(en.body.contains("Tiếng Việt"), "and the way back");
    assert!(en.body.contains("Kim ngạch xuất khẩu"), "the plan's own words stay as the resolution wrote them");
}
