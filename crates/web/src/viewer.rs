//! Who is asking: the person behind a request (from the session cookie,
//! kept in the database under its SHA-256), what they may do, and the two
//! extractors every handler takes them through: [`Viewer`] for reading and
//! [`CsrfForm`] for a form that changes something, which checks the
//! session's token before the handler runs, so no handler can forget it.

use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use kehoach_domain::access::{Action, Role, allowed};
use kehoach_store::{Accounts, PlanId, Store, User};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::view::{Chrome, Who};

pub(crate) const SESSION_COOKIE: &str = "kehoach_session";
/// The interface language (`vi`, `en`); not a secret, read by no script.
pub(crate) const LANG_COOKIE: &str = "lang";

/// The person behind a request, if signed in.
#[derive(Debug, Clone, Default)]
pub(crate) struct Viewer {
    pub user: Option<User>,
    pub csrf: String,
    /// The interface language chosen (cookie `lang`), Vietnamese by default.
    pub lang: Lang,
    /// The plan the request is about.
    pub plan: Viewing,
}

/// The plan a request is about: an address under `/plans/{plan}/` names
/// it, so that a link or a bookmark keeps it; every other address is of the
/// plan the application follows (the database's default plan).
#[derive(Debug, Clone)]
pub(crate) struct Viewing {
    pub id: PlanId,
    /// What the plan's addresses start with: "" at the followed plan's own
    /// addresses, "/plans/N" under a plan's.
    pub base: String,
    /// The plan as the header names it: "Kế hoạch 2: Vĩnh Long, 2026".
    pub label: String,
    /// Its kind and years (a five-year plan's pages show its years).
    pub kind: kehoach_domain::PlanKind,
    pub years: std::ops::RangeInclusive<i32>,
}

impl Default for Viewing {
    fn default() -> Self {
        Self { id: 0, base: String::new(), label: String::new(), kind: kehoach_domain::PlanKind::Year, years: 0..=0 }
    }
}

impl Viewing {
    /// An address of this plan's: `path` under its base.
    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The plan a request's address names, or the one followed; an address
    /// naming no plan of the database is not found.
    async fn of(parts: &mut Parts, state: &AppState, lang: Lang) -> Result<Self, AppError> {
        let params = RawPathParams::from_request_parts(parts, state).await.map_err(|_| AppError::NotFound)?;
        let named = params.iter().find(|(k, _)| *k == "plan").map(|(_, v)| v.to_string());
        let (id, base) = match named {
            Some(text) => {
                let id: PlanId = text.parse().map_err(|_| AppError::NotFound)?;
                (id, format!("/plans/{id}"))
            }
            None => (state.plan(), String::new()),
        };
        let plans = state.store.plans().await?;
        let Some(p) = plans.iter().find(|p| p.id == id) else { return Err(AppError::NotFound) };
        let span = match p.kind {
            kehoach_domain::PlanKind::Year => p.year.to_string(),
            _ => format!("{} – {}", p.from.format("%d/%m/%Y"), p.to.format("%d/%m/%Y")),
        };
        let label = tr!(lang, "plan-viewed", id = id, region = p.region, span = span);
        use chrono::Datelike;
        Ok(Self { id, base, label, kind: p.kind, years: p.from.year()..=p.to.year() })
    }
}

/// The addresses that are a plan's (under `/plans/{plan}` too).
pub(crate) const PLAN_PAGES: [&str; 7] = ["/", "/tasks", "/entry", "/approvals", "/reports", "/plan", "/public"];

impl Viewer {
    pub fn role(&self) -> Option<Role> {
        self.user.as_ref().map(|u| u.role)
    }

    pub fn agency(&self) -> Option<&str> {
        self.user.as_ref().and_then(|u| u.agency.as_deref())
    }

    /// The user name, as the audit log records who did something.
    pub fn username(&self) -> String {
        self.user.as_ref().map(|u| u.username.clone()).unwrap_or_default()
    }

    pub fn may(&self, action: Action, agency: Option<&str>) -> bool {
        allowed(self.role(), action, self.agency(), agency)
    }

    /// Lets the request through, or says why not: the login page (then
    /// `next`) for someone not signed in, 403 for someone whose role or
    /// agency does not allow it.
    pub fn require(&self, action: Action, agency: Option<&str>, next: &str) -> Result<(), AppError> {
        if self.may(action, agency) {
            Ok(())
        } else if self.user.is_none() {
            Err(AppError::SignIn { next: next.to_string() })
        } else {
            Err(AppError::Forbidden(Box::new(self.chrome("forbidden", ""))))
        }
    }

    /// A page in this viewer's frame saying why the request was not done:
    /// the heading by key, the text in the viewer's language already.
    pub fn refuse(&self, status: StatusCode, heading: &str, text: &str) -> AppError {
        let heading = self.lang.t(heading);
        AppError::message(status, self.chrome_titled(heading.to_string(), ""), heading, text)
    }

    /// A token sent with a form must be the session's.
    pub fn check_csrf(&self, sent: Option<&str>) -> Result<(), AppError> {
        match sent {
            Some(t) if !self.csrf.is_empty() && constant_time_eq(t.as_bytes(), self.csrf.as_bytes()) => Ok(()),
            _ => Err(AppError::Csrf),
        }
    }

    /// The frame of a page for this viewer: the links they may open, the
    /// one of `page` marked.
    pub fn chrome(&self, title: &str, page: &str) -> Chrome {
        self.chrome_titled(self.lang.t(title).to_string(), page)
    }

    /// The frame of a page whose title is made, not a key (it names a file).
    pub fn chrome_titled(&self, title: String, page: &str) -> Chrome {
        let inside = self.user.is_some();
        let links: Vec<(&'static str, &'static str, &str)> = [
            ("/", "overview", "overview", inside),
            ("/tasks", "tasks", "tasks", inside),
            ("/entry", "data-entry", "entry", self.may(Action::Enter, self.agency())),
            ("/approvals", "approvals", "approvals", self.may(Action::Approve, None)),
            ("/reports", "reports", "reports", inside),
            ("/plan", "plan", "plan", self.may(Action::Plan, None)),
            ("/audit", "audit-log", "audit", self.may(Action::Audit, None)),
            ("/public", "public", "public", true),
        ]
        .into_iter()
        .filter(|(.., shown)| *shown)
        .map(|(href, label, key, _)| (href, label, key))
        .collect();
        let who = self.user.as_ref().map(|u| Who {
            name: u.name.clone(),
            role: self.lang.label("role", u.role.as_str()).to_string(),
            csrf: self.csrf.clone(),
        });
        // The plan viewed is named to those who sign in: the public sees
        // one plan's published figures.
        let label = if inside { self.plan.label.clone() } else { String::new() };
        Chrome::new(self.lang, title, page, who, &links).of_plan(&self.plan.base, label, &PLAN_PAGES)
    }
}

pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// What the database keeps of a session's cookie.
pub(crate) fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The language a request asks for (its `lang` cookie).
pub(crate) fn lang_of(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE).and_then(Lang::from_code).unwrap_or_default()
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        // A cross-site request never acts as the signed-in user.
        let cross_site = parts.headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site");
        let lang = lang_of(&parts.headers);
        let plan = Viewing::of(parts, state, lang).await?;
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE).filter(|_| !cross_site) else {
            return Ok(Viewer { lang, plan, ..Viewer::default() });
        };
        match state.store.session(&token_hash(token)).await? {
            // A password someone else set is changed before anything else.
            Some((user, _)) if user.must_change_password && !may_wait_for_password(parts.uri.path()) => {
                Err(AppError::MustChangePassword)
            }
            Some((user, csrf)) => Ok(Viewer { user: Some(user), csrf, lang, plan }),
            None => Ok(Viewer { lang, plan, ..Viewer::default() }),
        }
    }
}

/// What someone who must change their password may still reach.
fn may_wait_for_password(path: &str) -> bool {
    matches!(path, "/password" | "/logout") || path.starts_with("/lang/")
}

/// A form that changes something, with the person who sent it. Extracting
/// it checks the form's `csrf` field against the session's token, so a
/// handler that takes one cannot forget to. Someone not signed in gets
/// through to the handler, whose `Viewer::require` sends them to the login
/// page: they can change nothing.
pub(crate) struct CsrfForm<T>(pub Viewer, pub T);

#[derive(serde::Deserialize)]
struct Token {
    csrf: Option<String>,
}

impl<T: serde::de::DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, AppError> {
        let (mut parts, body) = request.into_parts();
        let viewer = Viewer::from_request_parts(&mut parts, state).await?;
        let unreadable = |viewer: &Viewer| {
            viewer.refuse(StatusCode::BAD_REQUEST, "data-sent-not-valid", viewer.lang.t("form-unreadable"))
        };
        let form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !form {
            return Err(unreadable(&viewer));
        }
        let bytes = axum::body::to_bytes(body, crate::MAX_FORM).await.map_err(|_| unreadable(&viewer))?;
        if viewer.user.is_some() {
            let token: Token = serde_urlencoded::from_bytes(&bytes).map_err(|_| AppError::Csrf)?;
            viewer.check_csrf(token.csrf.as_deref())?;
        }
        let fields = serde_urlencoded::from_bytes(&bytes).map_err(|_| unreadable(&viewer))?;
        Ok(CsrfForm(viewer, fields))
    }
}
