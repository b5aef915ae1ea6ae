//! Who is asking: the person behind a request (from the session cookie,
//! kept in the database under its SHA-256), what they may do, and the two
//! extractors every handler takes them through: [`Viewer`] for reading and
//! [`CsrfForm`] for a form that changes something, which checks the
//! session's token before the handler runs, so no handler can forget it.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use kehoach_domain::access::{Action, Role, allowed};
use kehoach_store::{Accounts, User};
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
}

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
        Chrome::new(self.lang, title, page, who, &links)
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
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE).filter(|_| !cross_site) else {
            return Ok(Viewer { lang, ..Viewer::default() });
        };
        match state.store.session(&token_hash(token)).await? {
            // A password someone else set is changed before anything else.
            Some((user, _)) if user.must_change_password && !may_wait_for_password(parts.uri.path()) => {
                Err(AppError::MustChangePassword)
            }
            Some((user, csrf)) => Ok(Viewer { user: Some(user), csrf, lang }),
            None => Ok(Viewer { lang, ..Viewer::default() }),
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
