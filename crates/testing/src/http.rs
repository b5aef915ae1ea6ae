//! A real HTTP client (reqwest, HTTP/1.1, no TLS, no redirects followed,
//! no cookie jar: a test says which cookie it sends) for the real server,
//! listening on port 0; and what a test reads of an answer.

use std::net::SocketAddr;

/// A client of one server.
#[derive(Clone)]
pub struct Client {
    addr: SocketAddr,
    base: String,
    inner: reqwest::Client,
}

impl Client {
    pub fn new(addr: SocketAddr) -> Self {
        let inner = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .expect("an HTTP client");
        Self { addr, base: format!("http://{addr}"), inner }
    }

    /// Where the server listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

/// An answer as a test reads it.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The body as text (lossy).
    pub body: String,
    /// The body as sent (a download).
    pub bytes: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The value a `Set-Cookie` gives the cookie `name`.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|(_, v)| v.split(';').next())
            .filter_map(|c| c.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }

    /// The value of the first hidden input of that name.
    pub fn hidden(&self, name: &str) -> Option<String> {
        let at = self.body.find(&format!("name=\"{name}\" value=\""))?;
        let rest = &self.body[at + name.len() + 15..];
        Some(rest[..rest.find('"')?].to_string())
    }

    /// A redirect to the login page.
    pub fn to_login(&self) -> bool {
        self.status == 303 && self.header("location").is_some_and(|l| l.starts_with("/login"))
    }
}

/// A request with a form body for a POST (none for the rest); `extra`
/// headers beside the cookie.
pub async fn http(
    client: &Client,
    method: &str,
    path: &str,
    cookie: &str,
    form: &str,
    extra: &[(&str, &str)],
) -> Answer {
    let content_type = (method == "POST").then_some("application/x-www-form-urlencoded");
    exchange(client, method, path, cookie, content_type, form.as_bytes(), extra).await
}

/// A request as given, and the whole answer.
pub async fn exchange(
    client: &Client,
    method: &str,
    path: &str,
    cookie: &str,
    content_type: Option<&str>,
    body: &[u8],
    extra: &[(&str, &str)],
) -> Answer {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("an HTTP method");
    let mut request = client.inner.request(method, format!("{}{path}", client.base));
    if !cookie.is_empty() {
        request = request.header("cookie", cookie);
    }
    for (k, v) in extra {
        request = request.header(*k, *v);
    }
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type).body(body.to_vec());
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let bytes = response.bytes().await.expect("the whole answer").to_vec();
    Answer { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes }
}

/// Percent-encodes a form value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect()
}

/// A signed-in browser: its session cookie and CSRF token.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// Signs in through the login form (its token and cookie) as a browser
/// would; the answer that refused it otherwise.
pub async fn login(client: &Client, username: &str, password: &str) -> Result<Session, Answer> {
    let form = http(client, "GET", "/login", "", "", &[]).await;
    let pre = form.cookie("kehoach_login").expect("the login form's cookie");
    let token = form.hidden("token").expect("the login form's token");
    let body = format!("username={}&password={}&token={token}&next=%2F", enc(username), enc(password));
    let answer = http(client, "POST", "/login", &format!("kehoach_login={pre}"), &body, &[]).await;
    let Some(session) = answer.cookie("kehoach_session").filter(|_| answer.status == 303) else { return Err(answer) };
    let cookie = format!("kehoach_session={session}");
    let mut home = http(client, "GET", "/", &cookie, "", &[]).await;
    if home.header("location") == Some("/password") {
        home = http(client, "GET", "/password", &cookie, "", &[]).await;
    }
    let csrf = home.hidden("csrf").expect("a signed-in page carries the CSRF token");
    Ok(Session { cookie, csrf })
}

/// Runs an exchange from a test that is not async (one that drives the
/// `kehoach` binary), on a runtime of its own.
pub fn blocking<T>(exchange: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime").block_on(exchange)
}
