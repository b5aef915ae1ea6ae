//! The commands of the web application: serve, user add.

use anyhow::{Context, Result, bail};
use kehoach_domain::access::Role;
use kehoach_store::{Accounts, NewUser, Store};

use crate::store_commands::open;

pub async fn serve(database: &str, listen: &str, settings: kehoach_web::Settings) -> Result<()> {
    // Errors and warnings to standard error; never a password or a token
    // (the application logs neither).
    let _ = tracing_subscriber::fmt().with_max_level(tracing::Level::INFO).with_writer(std::io::stderr).try_init();
    let store = open(database).await?;
    if store.plans().await?.is_empty() {
        println!("{database} holds no plan yet: loading the built-in plan");
        crate::store_commands::init(database, None, false).await?;
    }
    if store.users().await?.is_empty() {
        let password = kehoach_web::one_time_password();
        let admin = NewUser {
            username: "admin".into(),
            name: "Quản trị hệ thống".into(),
            role: Role::Admin,
            agency: None,
            password_hash: kehoach_web::hash_password(&password),
        };
        store.create_user(&admin, "kehoach serve").await?;
        // Printed once, never logged or stored in clear.
        println!("First administrator: user name “admin”, one-time password: {password}");
        println!("Add the others with `kehoach user add NAME --role reporter --agency CODE`.");
    }
    let app = kehoach_web::app(store, settings).await?;
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr()?;
    println!("kehoach is serving http://{address}/ (log in at http://{address}/login)");
    kehoach_web::serve(listener, app).await.context("the server stopped")?;
    Ok(())
}

pub async fn add_user(
    database: &str,
    username: &str,
    role: &str,
    agency: Option<String>,
    name: Option<String>,
    password_stdin: bool,
) -> Result<()> {
    let role: Role = role.parse().map_err(|e: String| anyhow::anyhow!(e))?;
    let username = username.trim();
    if username.is_empty() || username.len() > 64 || username.chars().any(char::is_whitespace) {
        bail!("a user name is 1 to 64 characters without spaces");
    }
    if role == Role::Reporter && agency.is_none() {
        bail!("a reporter enters figures for an agency: give --agency CODE");
    }
    let (password, generated) = if password_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
        (line.trim_end_matches(['\r', '\n']).to_string(), false)
    } else {
        (kehoach_web::one_time_password(), true)
    };
    if password.chars().count() < 10 {
        bail!("the password is too short: at least 10 characters");
    }
    let store = open(database).await?;
    let user = NewUser {
        username: username.into(),
        name: name.unwrap_or_else(|| username.into()),
        role,
        agency,
        password_hash: kehoach_web::hash_password(&password),
    };
    store.create_user(&user, "cli").await.with_context(|| format!("user {username} not added"))?;
    if generated {
        println!("{username} ({}): one-time password {password}", role.label_vi());
    } else {
        println!("{username} ({}) added", role.label_vi());
    }
    Ok(())
}

/// `kehoach user unlock NAME`.
pub async fn unlock_user(database: &str, username: &str) -> Result<()> {
    let store = open(database).await?;
    store
        .unlock_user(username, &crate::store_commands::actor())
        .await
        .with_context(|| format!("user {username} not unlocked"))?;
    println!("{username}: unlocked; failed logins cleared");
    Ok(())
}
