//! The web application (axum): pages rendered on the server in Vietnamese,
//! sign-in with roles, data entry, approval and a public portal. Everything
//! it serves is in the binary: templates compiled in (askama), assets
//! embedded (rust-embed), htmx vendored from npm; no CDN.
//!
//! `app` builds the router that `kehoach serve` and the tests both run.

// A handler's early answer (login page, 403) is a whole `Response`, by
// design of axum; boxing it would only add noise to every check.
#![allow(clippy::result_large_err)]

mod admin;
mod analytics;
mod auth;
mod chart;
mod drafts;
mod i18n;
mod pages;
mod reports;
mod view;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use kehoach_store::{AnyStore, PlanId, Store};
use std::sync::Arc;
use std::time::Duration;

pub use auth::{PasswordProblem, hash_password, one_time_password, password_policy};

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
    /// names the client (see `auth::client_ip`); none by default.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            session_length: Duration::from_secs(8 * 3600),
            max_failed_logins: 5,
            lockout: Duration::from_secs(15 * 60),
            logins_per_minute: 20,
            trusted_proxies: Vec::new(),
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
    /// The plan the application follows: the newest, until a planner
    /// confirms another.
    plan: std::sync::RwLock<PlanId>,
    pub settings: Settings,
    pub limiter: auth::Limiter,
    /// The analytics engine, kept current by every save.
    pub(crate) analytics: analytics::Live,
    /// Resolutions are read one at a time, off the async workers.
    pub(crate) imports: Arc<tokio::sync::Semaphore>,
}

pub(crate) type State = Arc<App>;

impl App {
    pub fn plan(&self) -> PlanId {
        *self.plan.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Stores an agency's figures for the plan followed and moves its
    /// submission, in one transaction, then tells this process's analytics
    /// engine of whatever that released: every page that saves figures goes
    /// through here, so none can forget the engine.
    pub async fn enter(
        &self,
        values: &[kehoach_store::NewValue],
        step: Option<&kehoach_store::Move<'_>>,
        by: &str,
    ) -> Result<kehoach_store::Entered, kehoach_store::StoreError> {
        use kehoach_store::Store;
        let plan = self.plan();
        let entered = self.store.enter(plan, values, step, by).await?;
        if let Some(moved) = &entered.moved {
            self.analytics.released_values(plan, &moved.released).await;
        }
        Ok(entered)
    }

    /// Moves a submission of the plan followed; an approval's figures reach
    /// this process's engine at once.
    pub async fn move_submission(
        &self,
        step: &kehoach_store::Move<'_>,
        by: &str,
    ) -> Result<kehoach_store::Moved, kehoach_store::StoreError> {
        use kehoach_store::Accounts;
        let plan = self.plan();
        let moved = self.store.move_submission(plan, step, by).await?;
        self.analytics.released_values(plan, &moved.released).await;
        Ok(moved)
    }

    pub fn follow(&self, plan: PlanId) {
        *self.plan.write().unwrap_or_else(|e| e.into_inner()) = plan;
    }
}

/// The application over a store holding a plan (it follows the newest).
pub async fn app(store: AnyStore, settings: Settings) -> Result<Router, WebError> {
    let plan = store.plans().await?.last().map(|p| p.0).ok_or(WebError::NoPlan)?;
    let limiter = auth::Limiter::new(settings.logins_per_minute);
    // Listen for other processes' saves before reading the figures.
    let listener = analytics::listen(&store).await?;
    let analytics = analytics::Live::default();
    let imports = Arc::new(tokio::sync::Semaphore::new(1));
    let state: State =
        Arc::new(App { store, plan: std::sync::RwLock::new(plan), settings, limiter, analytics, imports });
    state.analytics.ready(&state.store, plan).await?;
    if let Some(listener) = listener {
        analytics::follow(state.clone(), listener);
    }
    Ok(Router::new()
        .route("/", get(pages::overview))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/password", get(auth::password_form).post(auth::change_password))
        .route("/lang/{code}", get(auth::switch_language))
        .route("/measures/{key}", get(pages::measure))
        .route("/measures/{key}/comments", post(pages::comment))
        .route("/entry", get(pages::entry_form).post(pages::entry))
        .route("/approvals", get(pages::approvals))
        .route("/approvals/{agency}/{period}", post(pages::decide))
        .route("/tasks", get(pages::tasks))
        .route("/tasks/{key}/progress", post(pages::report_progress))
        .route("/plan", get(admin::plan))
        .route(
            "/plan/import",
            get(drafts::import_form).post(drafts::upload).layer(DefaultBodyLimit::max(drafts::MAX_UPLOAD + 64 * 1024)),
        )
        .route(
            "/plan/drafts/{id}",
            get(drafts::review).post(drafts::save).layer(DefaultBodyLimit::max(4 * 1024 * 1024)),
        )
        .route("/plan/{key}/revise", post(admin::revise))
        .route("/plan/{key}/assign", post(admin::assign))
        .route("/reports", get(reports::reports))
        .route("/reports/download", get(reports::download))
        .route(
            "/reports/template",
            get(reports::template)
                .post(reports::upload)
                .layer(DefaultBodyLimit::max(reports::MAX_TEMPLATE + 64 * 1024)),
        )
        .route("/audit", get(pages::audit))
        .route("/api/analytics/figure", get(analytics::figure))
        .route("/api/analytics/dashboard", get(analytics::dashboard))
        .route("/public", get(pages::public))
        .route("/public/measures/{key}", get(pages::public_measure))
        .route("/public/figures.csv", get(pages::public_csv))
        .route("/assets/{*path}", get(asset))
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(64 * 1024))
        .layer(middleware::from_fn(text_as_typed))
        .layer(middleware::from_fn(security_headers))
        .with_state(state))
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

/// Headers on every response: no inline script may run, no framing, no
/// sniffing, no referrer leaking figures' URLs.
///
/// Also `Server-Timing`: how long the server spent on the request, read by
/// `bench/overview` and visible in a browser's developer tools.
async fn security_headers(request: Request<axum::body::Body>, next: Next) -> Response {
    let started = std::time::Instant::now();
    // The path only: a query string may carry what a user searched for.
    let (method, path) = (request.method().clone(), request.uri().path().to_string());
    let mut response = next.run(request).await;
    let spent = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!("{method} {path} {} {spent:.1} ms", response.status().as_u16());
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&format!("app;dur={spent:.2}")) {
        h.insert(header::HeaderName::from_static("server-timing"), v);
    }
    let set = |h: &mut axum::http::HeaderMap, name, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    // What a signed-in person sees stays out of shared and browser caches;
    // the embedded assets are the same for everyone.
    if !path.starts_with("/assets/") && !h.contains_key(header::CACHE_CONTROL) {
        set(h, header::CACHE_CONTROL, "no-store");
    }
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::REFERRER_POLICY, "same-origin");
    set(h, header::HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    response
}

/// The largest form body read whole (the review form's plan file).
const MAX_FORM: usize = 4 * 1024 * 1024 + 64 * 1024;

/// Where text arrives (the path, the query, a form's fields), it must be
/// what the person typed: a NUL (which PostgreSQL cannot store) or bytes
/// that are not UTF-8 (which the form reader would silently replace with
/// "�") are refused, with what and where, before any handler sees them.
/// Uploaded files (multipart) are left to their readers.
async fn text_as_typed(request: Request<axum::body::Body>, next: Next) -> Response {
    let refuse = |place: &str| {
        let viewer = auth::Viewer { user: None, csrf: String::new(), lang: Default::default() };
        pages::message(
            &viewer,
            StatusCode::BAD_REQUEST,
            "Dữ liệu gửi lên không hợp lệ",
            &format!("{place} có ký tự NUL hoặc không phải văn bản UTF-8 hợp lệ. Không có gì được lưu."),
        )
    };
    let typed = |bytes: &[u8]| {
        let plus = bytes.iter().map(|&b| if b == b'+' { b' ' } else { b }).collect::<Vec<u8>>();
        let decoded: Vec<u8> = percent_encoding::percent_decode(&plus).collect();
        !decoded.contains(&0) && std::str::from_utf8(&decoded).is_ok()
    };
    if !typed(request.uri().path().as_bytes()) {
        return refuse("Địa chỉ");
    }
    if request.uri().query().is_some_and(|q| !typed(q.as_bytes())) {
        return refuse("Tham số địa chỉ");
    }
    let form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    if !typed(&bytes) {
        return refuse("Biểu mẫu");
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await
}

#[derive(rust_embed::Embed)]
#[folder = "assets/"]
struct Assets;

async fn asset(axum::extract::Path(path): axum::extract::Path<String>) -> Response {
    let Some(file) = Assets::get(&path) else { return pages::not_found().await.into_response() };
    let mime = match path.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("woff2") => "font/woff2",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    };
    ([(header::CONTENT_TYPE, mime), (header::CACHE_CONTROL, "public, max-age=3600")], file.data.into_owned())
        .into_response()
}
