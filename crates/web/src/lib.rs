//! The web application (axum): pages rendered on the server in Vietnamese,
//! sign-in with roles, data entry, approval and a public portal. Everything
//! it serves is in the binary: templates compiled in (askama), assets
//! embedded (rust-embed), htmx vendored from npm; no CDN.
//!
//! `app` builds the router that `kehoach serve` and the tests both run.
//!
//! The modules depend one way, from the top: `pages::*` (one module per
//! page or resource) → `upload`, `viewer` (who asks, and the extractors
//! that check them) → `error` (the one `AppError`) → `view` (the frame,
//! rendering, Vietnamese numbers) → `template_words`, `audit_words` (the
//! workbook's errors and the audit log, worded) → `words` (what the
//! libraries report, worded) → `i18n` (every word, by key, in both languages; the
//! request's language); `live` (the engine kept current) and `chart`
//! beside them; this file wires them into the router.

// An `AppError` carries a whole page (a form refused, said again with what
// was typed), by design; boxing it would only add noise to every handler.
#![allow(clippy::result_large_err)]

// First: its `tr!` is used by the modules after it.
#[macro_use]
mod i18n;
mod account;
mod audit_words;
mod chart;
mod error;
mod live;
mod middleware;
mod pages;
mod template_words;
mod upload;
mod view;
mod viewer;
mod words;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use kehoach_store::{AnyStore, PlanId, Store};
use std::sync::Arc;
use std::time::Duration;

pub use account::{PasswordProblem, hash_password, one_time_password, password_policy};
use pages::{api, approvals, audit, drafts, entry, measure, overview, plan, plans, public, reports, tasks};

/// How the application behaves; the rest comes from the database.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark cookies `Secure` (set when served over TLS, directly or behind
    /// a proxy that terminates it).
    pub secure_cookies: bool,
    /// How long a session lasts without logging in again.
    pub session_length: Duration,
    /// Wrong passwords in a row before an account is locked…
    pub max_failed_logins: u32,
    /// …for this long.
    pub lockout: Duration,
    /// Login attempts allowed per client address per minute.
    pub logins_per_minute: u32,
    /// The reverse proxies in front of the server, whose `X-Forwarded-For`
    /// names the client (see `account::client_ip`); none by default.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// How a report is typeset as PDF: `kehoach_pdf::report`, given by the
    /// binary built with its `pdf` feature (the default). The web does not
    /// depend on the typesetter, so that its tests need not link it; without
    /// one, the reports page offers XLSX and DOCX only.
    pub pdf: Option<PdfWriter>,
}

/// Typesets a report as PDF.
pub type PdfWriter = fn(&kehoach_report::Report) -> Result<Vec<u8>, String>;

impl Default for Settings {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            session_length: Duration::from_secs(8 * 3600),
            max_failed_logins: 5,
            lockout: Duration::from_secs(15 * 60),
            logins_per_minute: 20,
            trusted_proxies: Vec::new(),
            pdf: None,
        }
    }
}

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    Store(#[from] kehoach_store::StoreError),
    #[error("the database holds no plan: run `kehoach init` first")]
    NoPlan,
}

pub(crate) struct App {
    pub store: AnyStore,
    /// The plan the application follows at the plain addresses: the
    /// database's default plan when it started.
    plan: PlanId,
    pub settings: Settings,
    pub limiter: account::Limiter,
    /// The analytics engine, kept current by every save.
    pub(crate) analytics: live::Live,
    /// Resolutions are read one at a time, off the async workers.
    pub(crate) imports: Arc<tokio::sync::Semaphore>,
}

/// What every handler is given (axum's `State<AppState>`).
pub(crate) type AppState = Arc<App>;

impl App {
    pub fn plan(&self) -> PlanId {
        self.plan
    }

    /// Stores an agency's figures for a plan and moves its
    /// submission, in one transaction, then tells this process's analytics
    /// engine of whatever that released: every page that saves figures goes
    /// through here, so none can forget the engine.
    pub async fn enter(
        &self,
        plan: PlanId,
        values: &[kehoach_store::NewValue],
        step: Option<&kehoach_store::Move<'_>>,
        by: &str,
    ) -> Result<kehoach_store::Entered, kehoach_store::StoreError> {
        use kehoach_store::Store;
        let entered = self.store.enter(plan, values, step, by).await?;
        if let Some(moved) = &entered.moved {
            self.analytics.released_values(plan, &moved.released).await;
        }
        Ok(entered)
    }

    /// Moves a submission of a plan; an approval's figures reach
    /// this process's engine at once.
    pub async fn move_submission(
        &self,
        plan: PlanId,
        step: &kehoach_store::Move<'_>,
        by: &str,
    ) -> Result<kehoach_store::Moved, kehoach_store::StoreError> {
        use kehoach_store::Accounts;
        let moved = self.store.move_submission(plan, step, by).await?;
        self.analytics.released_values(plan, &moved.released).await;
        Ok(moved)
    }
}

/// The application over a store holding a plan (it follows the default one:
/// the one chosen last, else the first).
pub async fn app(store: AnyStore, settings: Settings) -> Result<Router, WebError> {
    let plan = store.default_plan().await?.ok_or(WebError::NoPlan)?;
    let limiter = account::Limiter::new(settings.logins_per_minute);
    // Listen for other processes' saves before reading the figures.
    let listener = live::listen(&store).await?;
    let analytics = live::Live::default();
    let imports = Arc::new(tokio::sync::Semaphore::new(1));
    let state: AppState = Arc::new(App { store, plan, settings, limiter, analytics, imports });
    state.analytics.ready(&state.store, plan).await?;
    if let Some(listener) = listener {
        live::follow(state.clone(), listener);
    }
    Ok(Router::new()
        .route("/login", get(account::login_form).post(account::login))
        .route("/logout", post(account::logout))
        .route("/password", get(account::password_form).post(account::change_password))
        .route("/lang/{code}", get(account::switch_language))
        .route(
            "/plan/import",
            get(drafts::import_form).post(drafts::upload).layer(DefaultBodyLimit::max(drafts::MAX_UPLOAD + 64 * 1024)),
        )
        .route(
            "/plan/drafts/{id}",
            get(drafts::review).post(drafts::save).layer(DefaultBodyLimit::max(4 * 1024 * 1024)),
        )
        .route("/audit", get(audit::audit))
        .route("/plans", get(plans::plans))
        .route("/assets/{*path}", get(middleware::asset))
        // A plan's pages: the plan followed at their own addresses, any plan
        // under /plans/{plan}/, so that a link or a bookmark keeps it.
        .merge(plan_pages())
        .nest("/plans/{plan}", plan_pages())
        .fallback(error::not_found)
        .layer(DefaultBodyLimit::max(64 * 1024))
        .layer(axum::middleware::from_fn(middleware::text_as_typed))
        .layer(axum::middleware::from_fn(middleware::language))
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .with_state(state))
}

/// The pages of one plan (`Viewer::plan` says which).
fn plan_pages() -> Router<AppState> {
    Router::new()
        .route("/", get(overview::overview))
        .route("/measures/{key}", get(measure::measure))
        .route("/measures/{key}/comments", post(measure::comment))
        .route("/entry", get(entry::entry_form).post(entry::entry))
        .route("/approvals", get(approvals::approvals))
        .route("/approvals/{agency}/{period}", post(approvals::decide))
        .route("/tasks", get(tasks::tasks))
        .route("/tasks/{key}/progress", post(tasks::report_progress))
        .route("/plan", get(plan::plan))
        .route("/plan/{key}/revise", post(plan::revise))
        .route("/plan/{key}/assign", post(plan::assign))
        .route("/reports", get(reports::reports))
        .route("/reports/download", get(reports::download))
        .route(
            "/reports/template",
            get(reports::template)
                .post(reports::upload)
                .layer(DefaultBodyLimit::max(reports::MAX_TEMPLATE + 64 * 1024)),
        )
        .route("/api/analytics/figure", get(api::figure))
        .route("/api/analytics/dashboard", get(api::dashboard))
        .route("/public", get(public::public))
        .route("/public/measures/{key}", get(public::public_measure))
        .route("/public/figures.csv", get(public::public_csv))
}

/// Serves until `stop` completes; then takes no new connection, lets the
/// requests in flight finish and returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(stop)
        .await
}

/// Completes at Ctrl-C or, on Unix, at SIGTERM (what systemd and container
/// runtimes send to stop a service).
pub async fn stop_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// The largest form body read whole (the review form's plan file).
pub(crate) const MAX_FORM: usize = 4 * 1024 * 1024 + 64 * 1024;
