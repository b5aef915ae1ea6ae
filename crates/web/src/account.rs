//! Signing in and out: Argon2id passwords (checked on the blocking pool),
//! the login form with its double-submit token, login limits per client
//! address and lockout per account, changing one's password, and the
//! interface language.

use askama::Template;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use kehoach_store::{Accounts, User};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::Instant;

use crate::AppState;
use crate::error::AppError;
use crate::view::{Chrome, html};
use crate::viewer::{CsrfForm, LANG_COOKIE, SESSION_COOKIE, Viewer, constant_time_eq, cookie, hex, token_hash};

/// Before a session exists, the login form's token rides in this cookie
/// (double submit), so a foreign page cannot log a browser in.
const LOGIN_COOKIE: &str = "kehoach_login";

/// Argon2id with the crate's defaults (19 MiB, 2 passes), as a PHC string.
pub fn hash_password(password: &str) -> String {
    use argon2::password_hash::PasswordHasher;
    argon2::Argon2::default().hash_password(password.as_bytes()).expect("Argon2 hashes any password").to_string()
}

fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordVerifier, phc::PasswordHash};
    PasswordHash::new(hash).is_ok_and(|h| argon2::Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// What a password must be: at least 10 characters (a phrase is best), at
/// most 256 (Argon2 reads all of it). The answer says why not, in
/// Vietnamese for the pages; `Display` in English for the command line.
pub fn password_policy(password: &str) -> Result<(), PasswordProblem> {
    match password.chars().count() {
        n if n < 10 => Err(PasswordProblem::TooShort),
        n if n > 256 => Err(PasswordProblem::TooLong),
        _ => Ok(()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("the password is too short: at least 10 characters")]
    TooShort,
    #[error("the password is too long: at most 256 characters")]
    TooLong,
}

impl PasswordProblem {
    /// The key of the interface text that says so.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Self::TooShort => "new-password-too-short-at",
            Self::TooLong => "new-password-too-long-at",
        }
    }
}

/// A password to print once for a new account: 16 letters and digits
/// without look-alikes (0/O, 1/l/I).
pub fn one_time_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the system gives random bytes");
    bytes.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect()
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the system gives random bytes");
    hex(&bytes)
}

/// Whether cookies are marked Secure: when configured, or when the request
/// came over HTTPS through the reverse proxy the README sets up (it says so
/// in `X-Forwarded-Proto` or `Forwarded`), so that a deployment behind HTTPS
/// is safe without remembering a setting.
fn secure(state: &AppState, headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_ascii_lowercase();
    state.settings.secure_cookies
        || text("x-forwarded-proto").split(',').next().is_some_and(|p| p.trim() == "https")
        || text("forwarded").split([';', ',']).any(|p| p.trim() == "proto=https")
}

fn set_cookie(name: &str, value: &str, max_age: u64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// Login attempts per client address in the last minute.
pub(crate) struct Limiter {
    per_minute: u32,
    seen: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl Limiter {
    pub fn new(per_minute: u32) -> Self {
        Self { per_minute, seen: Mutex::new(HashMap::new()) }
    }

    /// Counts an attempt; false once the address is over its allowance.
    fn allow(&self, ip: IpAddr) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        seen.retain(|_, (since, _)| now.duration_since(*since).as_secs() < 60);
        let entry = seen.entry(ip).or_insert((now, 0));
        entry.1 += 1;
        entry.1 <= self.per_minute
    }
}

/// The address a request came from: the peer's, unless the peer is one of
/// the reverse proxies the settings trust, in which case the address the
/// proxies recorded in `X-Forwarded-For`, read from the right (the nearest
/// hop) past every trusted proxy. Entries further left were written by the
/// client and are never believed; behind a proxy that is not trusted, every
/// client shares the proxy's address, as before.
pub(crate) fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|hop| hop.trim().parse::<IpAddr>().ok())
        .collect::<Vec<_>>();
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        match hop {
            Some(ip) if trusted.contains(&ip) => client = ip,
            Some(ip) => return ip,
            // A hop that is not an address: nothing before it can be trusted.
            None => return client,
        }
    }
    client
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    chrome: Chrome,
    csrf: String,
    username: String,
    /// A one-time password is being replaced.
    forced: bool,
    error: Option<String>,
}

impl PasswordPage {
    /// The page, with the problem (by key) if the form was refused.
    fn of(viewer: &Viewer, user: &User, error: Option<&str>) -> Self {
        Self {
            chrome: viewer.chrome("change-password", "password"),
            csrf: viewer.csrf.clone(),
            username: user.username.clone(),
            forced: user.must_change_password,
            error: error.map(|key| viewer.lang.t(key).to_string()),
        }
    }
}

pub(crate) async fn password_form(viewer: Viewer) -> Result<Response, AppError> {
    let user = viewer.user.as_ref().ok_or_else(|| AppError::SignIn { next: "/password".into() })?;
    Ok(html(&PasswordPage::of(&viewer, user, None)))
}

#[derive(serde::Deserialize)]
pub(crate) struct PasswordForm {
    current: String,
    new: String,
    again: String,
}

/// A signed-in person changes their own password: the current one checked,
/// the new one twice; the other sessions end, this one goes on.
pub(crate) async fn change_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfForm(viewer, form): CsrfForm<PasswordForm>,
) -> Result<Response, AppError> {
    let user = viewer.user.clone().ok_or_else(|| AppError::SignIn { next: "/password".into() })?;
    let again =
        |error: &str| AppError::form(StatusCode::UNPROCESSABLE_ENTITY, &PasswordPage::of(&viewer, &user, Some(error)));
    let (current, hash) = (form.current.clone(), user.password_hash.clone());
    if !tokio::task::spawn_blocking(move || verify_password(&current, &hash)).await.unwrap_or(false) {
        return Err(again("current-password-wrong"));
    }
    if form.new != form.again {
        return Err(again("two-new-passwords-differ"));
    }
    if let Err(problem) = password_policy(&form.new) {
        return Err(again(problem.key()));
    }
    if form.new == form.current {
        return Err(again("new-password-must-differ-from"));
    }
    let new = form.new.clone();
    let Ok(hash) = tokio::task::spawn_blocking(move || hash_password(&new)).await else {
        return Err(again("password-could-not-changed-please"));
    };
    let keep = cookie(&headers, SESSION_COOKIE).map(token_hash);
    state.store.set_password(&user.username, &hash, false, keep.as_deref(), &user.username).await?;
    Ok(Redirect::to("/").into_response())
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    token: String,
    username: String,
    next: String,
    error: Option<String>,
}

#[derive(serde::Deserialize)]
pub(crate) struct Next {
    next: Option<String>,
}

/// Only a path of this site: never an address elsewhere. Browsers drop
/// tabs and line breaks from an address (`/\t/evil.example` becomes
/// `//evil.example`), and a line break cannot go in a header, so only the
/// visible characters of a path and its query are taken.
fn safe_next(next: Option<&str>) -> String {
    let path_chars = |n: &str| n.chars().all(|c| c.is_ascii_graphic() && c != '\\');
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && path_chars(n) => n.to_string(),
        _ => "/".into(),
    }
}

pub(crate) async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    viewer: Viewer,
    Query(q): Query<Next>,
) -> Response {
    let token = random_token();
    let page = LoginPage {
        chrome: viewer.chrome("log-in", "login"),
        token: token.clone(),
        username: String::new(),
        next: safe_next(q.next.as_deref()),
        error: None,
    };
    let cookie = set_cookie(LOGIN_COOKIE, &token, 3600, secure(&state, &headers));
    ([(header::SET_COOKIE, cookie)], html(&page)).into_response()
}

#[derive(serde::Deserialize)]
pub(crate) struct LoginForm {
    username: String,
    password: String,
    token: String,
    next: Option<String>,
}

pub(crate) async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    viewer: Viewer,
    axum::Form(form): axum::Form<LoginForm>,
) -> Result<Response, AppError> {
    let next = safe_next(form.next.as_deref());
    // `error` is the key of what to say.
    let again = |status: StatusCode, error: &str| {
        let token = random_token();
        let page = LoginPage {
            chrome: viewer.chrome("log-in", "login"),
            token: token.clone(),
            username: form.username.clone(),
            next: next.clone(),
            error: Some(viewer.lang.t(error).to_string()),
        };
        let cookie = set_cookie(LOGIN_COOKIE, &token, 3600, secure(&state, &headers));
        Ok((status, [(header::SET_COOKIE, cookie)], html(&page)).into_response())
    };
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(expected.as_bytes(), form.token.as_bytes()) {
        return again(StatusCode::FORBIDDEN, "login-form-expired");
    }
    if !state.limiter.allow(client_ip(addr.ip(), &headers, &state.settings.trusted_proxies)) {
        return again(StatusCode::TOO_MANY_REQUESTS, "login-too-many");
    }
    // An unknown name, a wrong password and a locked account get the same
    // answer after the same work (a password hash checked), so that nobody
    // learns from it which accounts exist.
    let refused = "login-refused";
    let user = state.store.user(form.username.trim()).await?;
    let hash = user.as_ref().map_or(DUMMY_HASH.to_string(), |u| u.password_hash.clone());
    let password = form.password.clone();
    // Argon2 takes tens of milliseconds of a core: off the async workers.
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash)).await.unwrap_or(false);
    let Some(user) = user else {
        return again(StatusCode::UNAUTHORIZED, refused);
    };
    let now = chrono::Utc::now();
    let stamp = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let locked = user.locked_until.as_deref().is_some_and(|until| until > stamp(now).as_str());
    let from = addr.ip().to_string();
    if locked {
        return again(StatusCode::UNAUTHORIZED, refused);
    }
    if !matches {
        let until = stamp(now + chrono::Duration::from_std(state.settings.lockout).unwrap_or_default());
        let lockout =
            kehoach_store::Lockout { max_failed: state.settings.max_failed_logins, until: &until, now: &stamp(now) };
        state.store.login_failed(&user, &lockout, &from).await?;
        return again(StatusCode::UNAUTHORIZED, refused);
    }
    let token = random_token();
    let expires = now + chrono::Duration::from_std(state.settings.session_length).unwrap_or_default();
    let expires = expires.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    // Refused when locked by attempts made at the same time.
    if !state.store.login_succeeded(&user, &token_hash(&token), &random_token(), &expires, &from).await? {
        return again(StatusCode::UNAUTHORIZED, refused);
    }
    let session = set_cookie(SESSION_COOKIE, &token, state.settings.session_length.as_secs(), secure(&state, &headers));
    let clear = set_cookie(LOGIN_COOKIE, "", 0, secure(&state, &headers));
    let mut response = Redirect::to(&next).into_response();
    response.headers_mut().append(header::SET_COOKIE, session.parse().expect("cookie text"));
    response.headers_mut().append(header::SET_COOKIE, clear.parse().expect("cookie text"));
    Ok(response)
}

/// A real Argon2id hash of a password nobody has, checked when the user
/// name is unknown.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ZmFrZWhhc2hmYWtlaGFzaGZha2VoYXNoZmFrZWhhc2g";

/// Nothing but the token.
#[derive(serde::Deserialize)]
pub(crate) struct Empty {}

pub(crate) async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfForm(viewer, Empty {}): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    // Only the signed-in person, from this site, with the form's token, logs
    // out: a request from elsewhere neither ends the session nor clears its
    // cookie.
    let Some(user) = viewer.user.as_ref() else {
        return Ok(Redirect::to("/public").into_response());
    };
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        state.store.end_session(&token_hash(token), &user.username).await?;
    }
    let clear = set_cookie(SESSION_COOKIE, "", 0, secure(&state, &headers));
    Ok(([(header::SET_COOKIE, clear)], Redirect::to("/public")).into_response())
}

/// Switches the interface language and goes back to the page the link was
/// on (a path of this site only).
pub(crate) async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let lang = crate::i18n::Lang::from_code(&code).ok_or(AppError::NotFound)?;
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    let back = headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.strip_prefix(host))
        .filter(|_| !host.is_empty());
    let cookie = set_cookie(LANG_COOKIE, lang.code(), 365 * 24 * 3600, secure(&state, &headers));
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&safe_next(back))).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("mật khẩu dài 1");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("mật khẩu dài 1", &h));
        assert!(!verify_password("mật khẩu dài 2", &h));
        assert!(!verify_password("x", "not a hash"));
        assert!(!verify_password("x", DUMMY_HASH));
    }

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next(Some("/entry?period=2025-09")), "/entry?period=2025-09");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn the_client_is_the_peer_unless_a_trusted_proxy_says_otherwise() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let forwarded = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert("x-forwarded-for", v.parse().unwrap());
            h
        };
        let proxy = [ip("127.0.0.1"), ip("10.0.0.2")];
        // Not from a trusted proxy: the header is the client's own words.
        assert_eq!(client_ip(ip("203.0.113.9"), &forwarded("198.51.100.1"), &proxy), ip("203.0.113.9"));
        assert_eq!(client_ip(ip("127.0.0.1"), &forwarded("198.51.100.1"), &[]), ip("127.0.0.1"));
        // Through the proxy: the nearest address it recorded.
        assert_eq!(client_ip(ip("127.0.0.1"), &forwarded("198.51.100.1"), &proxy), ip("198.51.100.1"));
        // A client that writes its own header is named by what the proxy appended.
        assert_eq!(client_ip(ip("127.0.0.1"), &forwarded("1.2.3.4, 198.51.100.1"), &proxy), ip("198.51.100.1"));
        // Two trusted hops are passed over.
        assert_eq!(client_ip(ip("127.0.0.1"), &forwarded("198.51.100.1, 10.0.0.2"), &proxy), ip("198.51.100.1"));
        // Nothing, or garbage, recorded: the proxy itself.
        assert_eq!(client_ip(ip("127.0.0.1"), &HeaderMap::new(), &proxy), ip("127.0.0.1"));
        assert_eq!(client_ip(ip("127.0.0.1"), &forwarded("1.2.3.4, unknown"), &proxy), ip("127.0.0.1"));
    }

    #[test]
    fn the_limiter_counts_per_address() {
        let l = Limiter::new(2);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(l.allow(a) && l.allow(a) && !l.allow(a));
        assert!(l.allow(b));
    }

    #[test]
    fn one_time_passwords_are_long_and_differ() {
        let (a, b) = (one_time_password(), one_time_password());
        assert_eq!(a.len(), 16);
        assert_ne!(a, b);
    }
}
