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
            must_change_password: true,
        };
        store.create_user(&admin, "kehoach serve").await?;
        // Printed once, never logged or stored in clear.
        println!(
            "First administrator: user name “admin”, one-time password: {password} (to be changed at the first sign-in)"
        );
        println!("Add the others with `kehoach user add NAME --role reporter --agency CODE`.");
    }
    // The audit log is checked at every start, and what it found is said.
    match store.verify_audit().await? {
        Ok(intact) => tracing::info!("audit log intact: {} entries, {} records", intact.entries, intact.records),
        Err(broken) => {
            tracing::error!("the audit log does not verify: {broken}; see `kehoach audit verify`");
            eprintln!("kehoach: WARNING: the audit log does not verify: {broken}");
        }
    }
    let app = kehoach_web::app(store.clone(), settings).await?;
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr()?;
    println!("kehoach is serving http://{address}/ (log in at http://{address}/login)");
    kehoach_web::serve(listener, app, kehoach_web::stop_signal()).await.context("the server stopped")?;
    // Asked to stop: the requests in flight have had their answers.
    store.close().await;
    println!("kehoach stopped: the requests in flight were answered and the database closed");
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
    let (password, generated) = password(password_stdin)?;
    let store = open(database).await?;
    let user = NewUser {
        username: username.into(),
        name: name.unwrap_or_else(|| username.into()),
        role,
        agency,
        password_hash: kehoach_web::hash_password(&password),
        must_change_password: generated,
    };
    store.create_user(&user, "cli").await.with_context(|| format!("user {username} not added"))?;
    if generated {
        println!("{username} ({}): one-time password {password} (to be changed at the first sign-in)", role.label_vi());
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

/// A password from standard input (`--password-stdin`), or a one-time one
/// made here (the second value: whether it was made).
fn password(from_stdin: bool) -> Result<(String, bool)> {
    let (password, generated) = if from_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
        (line.trim_end_matches(['\r', '\n']).to_string(), false)
    } else {
        (kehoach_web::one_time_password(), true)
    };
    if let Err(why) = kehoach_web::password_policy(&password) {
        bail!("{why}");
    }
    Ok((password, generated))
}

/// `kehoach user passwd NAME`: a new password, one-time unless given on
/// standard input; every session of the user ends.
pub async fn set_password(database: &str, username: &str, password_stdin: bool) -> Result<()> {
    let (password, generated) = password(password_stdin)?;
    let store = open(database).await?;
    let hash = kehoach_web::hash_password(&password);
    store
        .set_password(username, &hash, generated, None, &crate::store_commands::actor())
        .await
        .with_context(|| format!("the password of {username} not changed"))?;
    if generated {
        println!("{username}: one-time password {password} (to be changed at the next sign-in); sessions ended");
    } else {
        println!("{username}: password changed; sessions ended");
    }
    Ok(())
}

/// `kehoach user disable NAME` / `user enable NAME`.
pub async fn set_disabled(database: &str, username: &str, disabled: bool) -> Result<()> {
    let store = open(database).await?;
    store
        .set_disabled(username, disabled, &crate::store_commands::actor())
        .await
        .with_context(|| format!("user {username} not changed"))?;
    if disabled {
        println!("{username}: disabled; sessions ended");
    } else {
        println!("{username}: enabled");
    }
    Ok(())
}

/// `kehoach audit verify`: whether the audit log and the records it wrote
/// are as written.
pub async fn verify_audit(database: &str) -> Result<bool> {
    let store = open(database).await?;
    match store.verify_audit().await? {
        Ok(intact) => {
            println!("audit log intact: {} entries, {} records checked", intact.entries, intact.records);
            Ok(true)
        }
        Err(broken) => {
            eprintln!("kehoach: the audit log does not verify: {broken}");
            Ok(false)
        }
    }
}
