//! The web's one error: every handler returns `Result<_, AppError>` and
//! uses `?`; what each kind of failure answers (status, page, words) is
//! decided here, once.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kehoach_store::StoreError;

use crate::i18n::current_lang;
use crate::view::{Chrome, encode, html};

/// Why a request was not done.
pub(crate) enum AppError {
    /// Nobody is signed in: the login page, and back to `next` after.
    SignIn { next: String },
    /// A password someone else set must be changed before anything else.
    MustChangePassword,
    /// Signed in, but the role or agency does not allow it (the frame is
    /// the viewer's, so the menu stays theirs).
    Forbidden(Box<Chrome>),
    /// A form that did not carry the session's token.
    Csrf,
    /// What the address names does not exist.
    NotFound,
    /// The request cannot be done as asked, said on a page in the viewer's
    /// frame: a period that is not one, a decision that is none…
    Message { status: StatusCode, chrome: Box<Chrome>, heading: String, text: String },
    /// Invalid input: the form's own page again, with what was typed and
    /// why it was refused (422, or 409 for a conflict).
    Form(Response),
    /// The figures changed meanwhile, or the period is locked.
    Conflict,
    /// The store refused the change for a reason the person can act on
    /// (where the handler has no form to say it on).
    Refused(kehoach_store::Refusal),
    /// The database could not be read or written: logged in full, said
    /// without internals.
    Unavailable(StoreError),
}

impl AppError {
    /// A page that says why, in the frame given.
    pub fn message(status: StatusCode, chrome: Chrome, heading: &str, text: &str) -> Self {
        Self::Message { status, chrome: Box::new(chrome), heading: heading.into(), text: text.into() }
    }

    /// A form's page rendered again with what was typed, answered `status`.
    pub fn form<T: Template>(status: StatusCode, page: &T) -> Self {
        Self::Form((status, html(page)).into_response())
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            // What the request asked for does not exist, or cannot be: the
            // person's answer, not the database's trouble.
            StoreError::NotFound(what) => {
                tracing::info!("not found: {what}");
                Self::NotFound
            }
            StoreError::Conflict { .. }
            | StoreError::Locked { .. }
            | StoreError::Changed { .. }
            | StoreError::Transition { .. } => {
                tracing::info!("conflict: {e}");
                Self::Conflict
            }
            StoreError::Refused(r) => Self::Refused(r),
            e => Self::Unavailable(e),
        }
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    chrome: Chrome,
    heading: String,
    text: String,
}

/// A message page in the frame given; heading and text are in the frame's
/// language already.
pub(crate) fn message_page(status: StatusCode, chrome: Chrome, heading: &str, text: &str) -> Response {
    let page = MessagePage { heading: heading.to_string(), text: text.to_string(), chrome };
    (status, html(&page)).into_response()
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let lang = current_lang();
        // Heading and text by key.
        let plain = |status, heading: &str, text: &str| {
            let heading = lang.t(heading);
            message_page(status, Chrome::anonymous(lang, heading), heading, lang.t(text))
        };
        match self {
            Self::SignIn { next } => Redirect::to(&format!("/login?next={}", encode(&next))).into_response(),
            Self::MustChangePassword => Redirect::to("/password").into_response(),
            Self::Forbidden(chrome) => {
                message_page(StatusCode::FORBIDDEN, *chrome, lang.t("forbidden"), lang.t("forbidden-text"))
            }
            Self::Csrf => (StatusCode::FORBIDDEN, lang.t(CSRF_REFUSED).to_string()).into_response(),
            Self::NotFound => plain(StatusCode::NOT_FOUND, "not-found", "what-was-asked-not-system"),
            Self::Message { status, chrome, heading, text } => message_page(status, *chrome, &heading, &text),
            Self::Form(response) => response,
            Self::Conflict => plain(StatusCode::CONFLICT, "figures-changed", "figures-were-just-changed-someone"),
            Self::Refused(r) => {
                let heading = lang.t("request-refused");
                let text = crate::words::refused(&r, lang);
                message_page(StatusCode::UNPROCESSABLE_ENTITY, Chrome::anonymous(lang, heading), heading, &text)
            }
            Self::Unavailable(e) => {
                tracing::error!("store: {e}");
                plain(StatusCode::SERVICE_UNAVAILABLE, "database-unavailable", "database-unavailable-text")
            }
        }
    }
}

/// What a form without the session's token is answered (a key).
pub(crate) const CSRF_REFUSED: &str = "session-expired";

/// The answer to an address that names no page.
pub(crate) async fn not_found() -> AppError {
    AppError::NotFound
}
