//! What wraps every request: the security headers and timing, the
//! language of the answer, text arriving as typed; and the embedded assets.

use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{AppError, message_page};
use crate::i18n::{LANG, current_lang};
use crate::view::Chrome;

/// Answers in the language the request asks for (its `lang` cookie): the
/// errors met before anyone is known read it from here.
pub(crate) async fn language(request: Request<axum::body::Body>, next: Next) -> Response {
    let lang = crate::viewer::lang_of(request.headers());
    LANG.scope(lang, next.run(request)).await
}

/// Headers on every response: no inline script may run, no framing, no
/// sniffing, no referrer leaking figures' URLs.
///
/// Also `Server-Timing`: how long the server spent on the request, read by
/// `bench/overview` and visible in a browser's developer tools.
pub(crate) async fn security_headers(request: Request<axum::body::Body>, next: Next) -> Response {
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

/// Where text arrives (the path, the query, a form's fields), it must be
/// what the person typed: a NUL (which PostgreSQL cannot store) or bytes
/// that are not UTF-8 (which the form reader would silently replace with
/// "�") are refused, with what and where, before any handler sees them.
/// Uploaded files (multipart) are left to their readers.
pub(crate) async fn text_as_typed(request: Request<axum::body::Body>, next: Next) -> Response {
    // `place` is the key of the sentence that says where.
    let refuse = |place: &str| {
        let lang = current_lang();
        let heading = lang.t("data-sent-not-valid");
        message_page(StatusCode::BAD_REQUEST, Chrome::anonymous(lang, heading), heading, lang.t(place))
    };
    let typed = |bytes: &[u8]| {
        let plus = bytes.iter().map(|&b| if b == b'+' { b' ' } else { b }).collect::<Vec<u8>>();
        let decoded: Vec<u8> = percent_encoding::percent_decode(&plus).collect();
        !decoded.contains(&0) && std::str::from_utf8(&decoded).is_ok()
    };
    if !typed(request.uri().path().as_bytes()) {
        return refuse("not-text-in-path");
    }
    if request.uri().query().is_some_and(|q| !typed(q.as_bytes())) {
        return refuse("not-text-in-query");
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
    let Ok(bytes) = axum::body::to_bytes(body, crate::MAX_FORM).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    if !typed(&bytes) {
        return refuse("not-text-in-form");
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await
}

#[derive(rust_embed::Embed)]
#[folder = "assets/"]
struct Assets;

pub(crate) async fn asset(axum::extract::Path(path): axum::extract::Path<String>) -> Response {
    let Some(file) = Assets::get(&path) else { return AppError::NotFound.into_response() };
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
