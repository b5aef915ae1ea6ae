//! What the web's tests share: the real server on port 0 over the built-in
//! plan, one user per role, and the forms a browser would send.

#![allow(dead_code)] // each module uses its share of these

use kehoach_store::{AnyStore, Store};
pub(crate) use kehoach_testing::http::{Answer, Client, Session, enc, exchange, http, login};
pub(crate) use kehoach_testing::{PASSWORD, db, fixtures, root};

/// A started server, its client and its database.
pub(crate) struct Server {
    pub(crate) client: Client,
    pub(crate) database: db::TestDatabase,
}

impl Server {
    /// The server's database, opened beside it, to check what was stored.
    pub(crate) async fn store(&self) -> AnyStore {
        AnyStore::open(&self.database.url).await.unwrap()
    }
}

/// A test talks to the server through its client.
impl std::ops::Deref for Server {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

pub(crate) async fn start() -> Server {
    start_with(async |_| {}).await
}

/// A server, and someone of `role` signed in to it (the fixture's user of
/// that name).
pub(crate) async fn start_as(role: &str) -> (Server, Session) {
    let server = start().await;
    let session = login(&server, role, PASSWORD).await.unwrap_or_else(|a| panic!("{role}: {}", a.status));
    (server, session)
}

/// A server over a database `before` has written to (as another process,
/// an older kehoach or a hand edit may have) before the application starts.
pub(crate) async fn start_with(before: impl AsyncFnOnce(&AnyStore)) -> Server {
    let pdf: kehoach_web::PdfWriter = |report| kehoach_pdf::report(report).map_err(|e| e.to_string());
    start_configured(kehoach_web::Settings { pdf: Some(pdf), ..kehoach_web::Settings::default() }, before).await
}

/// [`start_with`] under settings of the test's own: the built-in plan, one
/// user per role, the application `kehoach serve` runs, on port 0.
pub(crate) async fn start_configured(settings: kehoach_web::Settings, before: impl AsyncFnOnce(&AnyStore)) -> Server {
    let database = db::sqlite();
    let store = AnyStore::open(&database.url).await.unwrap();
    store.init(&fixtures::setup(), "test").await.unwrap();
    fixtures::users(&store, &kehoach_web::hash_password(PASSWORD)).await;
    before(&store).await;
    let app = kehoach_web::app(store, settings).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(kehoach_web::serve(listener, app, std::future::pending()));
    Server { client: Client::new(addr), database }
}

/// The approvals page's form for one submission (`SCT/2025-09`): its fields
/// as the page gives them, the figures shown by version included.
pub(crate) fn approval_form(page: &str, csrf: &str, id: &str, decision: &str) -> String {
    let at = page.find(&format!("data-submission=\"{id}\"")).unwrap_or_else(|| panic!("{id} on the page"));
    let row = &page[at..at + page[at..].find("</tr>").unwrap()];
    let field = |name: &str| -> Vec<String> {
        row.match_indices(&format!("name=\"{name}\" value=\""))
            .map(|(i, m)| {
                let rest = &row[i + m.len()..];
                rest[..rest.find('"').unwrap()].to_string()
            })
            .collect()
    };
    let mut form = format!("csrf={csrf}&decision={decision}&version={}", field("version")[0]);
    for seen in field("seen") {
        form.push_str(&format!("&seen={}", enc(&seen)));
    }
    form
}

/// Approves a submission exactly as the approvals page shows it.
pub(crate) async fn approve(server: &Server, approver: &Session, id: &str) -> Answer {
    let page = http(server, "GET", "/approvals", &approver.cookie, "", &[]).await;
    let form = approval_form(&page.body, &approver.csrf, id, "approve");
    http(server, "POST", &format!("/approvals/{id}"), &approver.cookie, &form, &[]).await
}

pub(crate) fn multipart(csrf: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----kehoach-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub(crate) async fn upload_to(server: &Server, path: &str, s: &Session, file_name: &str, bytes: &[u8]) -> Answer {
    let (content_type, body) = multipart(&s.csrf, file_name, bytes);
    exchange(server, "POST", path, &s.cookie, Some(&content_type), &body, &[]).await
}

/// Uploads a filled template with the button chosen (`draft` or `submit`).
pub(crate) async fn upload_as(server: &Server, s: &Session, file_name: &str, bytes: &[u8], action: &str) -> Answer {
    let (content_type, body) = multipart(&s.csrf, file_name, bytes);
    let boundary = "----kehoach-test-boundary";
    let action = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\n{action}\r\n");
    let body = [action.as_bytes(), &body].concat();
    exchange(server, "POST", "/reports/template", &s.cookie, Some(&content_type), &body, &[]).await
}

pub(crate) async fn upload(server: &Server, s: &Session, file_name: &str, text: &str) -> Answer {
    upload_to(server, "/plan/import", s, file_name, text.as_bytes()).await
}

/// Fills the value cell of measure `key` in a template, as a spreadsheet
/// program saves it.
pub(crate) fn fill(template: &[u8], key: &str, value: &str) -> Vec<u8> {
    // Which row holds the key: read it back.
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(template)).unwrap();
    let sheet = book.worksheet_range("Nhập số liệu").unwrap();
    let row = (0..sheet.height() as u32)
        .find(|r| sheet.get_value((*r, 1)) == Some(&calamine::Data::String(key.into())))
        .unwrap_or_else(|| panic!("{key} is in the template"));
    edit_entry_sheet(template, |xml| {
        let cell = format!("G{}", row + 1);
        let re = regex::Regex::new(&format!(r#"<c r="{cell}" s="(\d+)"/>"#)).unwrap();
        re.replace(&xml, format!(r#"<c r="{cell}" s="$1"><v>{value}</v></c>"#).as_str()).into_owned()
    })
}

/// Rewrites a template's entry sheet (its XML) as a spreadsheet program
/// would save it.
pub(crate) fn edit_entry_sheet(template: &[u8], edit: impl Fn(String) -> String) -> Vec<u8> {
    kehoach_testing::zip::rewrite(template, "xl/worksheets/sheet1.xml", edit)
}
