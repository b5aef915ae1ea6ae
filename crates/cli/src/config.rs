//! Settings from a file and the environment, under the command line:
//! built-in defaults, then the config file (`kehoach.toml` in the working
//! directory, or `--config FILE`), then `KEHOACH__…` variables (secrets such
//! as a PostgreSQL password belong there: `KEHOACH__DATABASE=postgres://…`),
//! then the flags of the command.

use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// A file path, `sqlite://PATH` or `postgres://…`.
    pub database: String,
    pub server: Server,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Server {
    pub listen: String,
    pub secure_cookies: bool,
    pub session_hours: u64,
    pub max_failed_logins: u32,
    pub lockout_minutes: u64,
    pub logins_per_minute: u32,
    /// Addresses of the reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Default for Config {
    fn default() -> Self {
        Self { database: "kehoach.db".into(), server: Server::default() }
    }
}

impl Default for Server {
    fn default() -> Self {
        let web = kehoach_web::Settings::default();
        Self {
            listen: "127.0.0.1:8080".into(),
            secure_cookies: web.secure_cookies,
            session_hours: web.session_length.as_secs() / 3600,
            max_failed_logins: web.max_failed_logins,
            lockout_minutes: web.lockout.as_secs() / 60,
            logins_per_minute: web.logins_per_minute,
            trusted_proxies: web.trusted_proxies,
        }
    }
}

impl Server {
    pub fn settings(&self) -> kehoach_web::Settings {
        use std::time::Duration;
        kehoach_web::Settings {
            secure_cookies: self.secure_cookies,
            session_length: Duration::from_secs(self.session_hours.max(1) * 3600),
            max_failed_logins: self.max_failed_logins.max(1),
            lockout: Duration::from_secs(self.lockout_minutes * 60),
            logins_per_minute: self.logins_per_minute.max(1),
            trusted_proxies: self.trusted_proxies.clone(),
            pdf: pdf_writer(),
        }
    }
}

/// Reads the file (when given, it must exist; `kehoach.toml` is read only
/// if present) and the environment.
pub fn load(file: Option<&Path>, env: impl IntoIterator<Item = (String, String)>) -> Result<Config> {
    let mut builder = config::Config::builder();
    match file {
        Some(path) => {
            if !path.exists() {
                anyhow::bail!("the config file {} does not exist", path.display());
            }
            builder = builder.add_source(config::File::from(path).format(config::FileFormat::Toml));
        }
        None => {
            builder = builder
                .add_source(config::File::with_name("kehoach.toml").format(config::FileFormat::Toml).required(false));
        }
    }
    let vars: config::Map<String, String> = env.into_iter().filter(|(k, _)| k.starts_with("KEHOACH_")).collect();
    // One variable names the database. The one earlier versions also read
    // is refused rather than ignored, so that nobody works on the default
    // database believing they work on theirs.
    if vars.contains_key("KEHOACH_DATABASE") {
        anyhow::bail!("KEHOACH_DATABASE is not read: name the database with KEHOACH__DATABASE (two underscores)");
    }
    let vars: config::Map<String, String> = vars.into_iter().filter(|(k, _)| k.starts_with("KEHOACH__")).collect();
    builder = builder.add_source(
        config::Environment::with_prefix("KEHOACH")
            .prefix_separator("__")
            .separator("__")
            .source(Some(vars))
            .try_parsing(true),
    );
    let built = builder.build().context("reading the configuration")?;
    built.try_deserialize().context("the configuration")
}

/// The PDF typesetter the web application is given, when built in.
#[cfg(feature = "pdf")]
fn pdf_writer() -> Option<kehoach_web::PdfWriter> {
    Some(|report| kehoach_pdf::report(report).map_err(|e| e.to_string()))
}

#[cfg(not(feature = "pdf"))]
fn pdf_writer() -> Option<kehoach_web::PdfWriter> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_then_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("k.toml");
        std::fs::write(
            &file,
            "database = \"x.db\"\n[server]\nlisten = \"0.0.0.0:9000\"\nlockout_minutes = 30\n\
             trusted_proxies = [\"127.0.0.1\", \"::1\"]\n",
        )
        .unwrap();
        let env = vec![
            ("KEHOACH__DATABASE".to_string(), "postgres://u:secret@db/kehoach".to_string()),
            ("KEHOACH__SERVER__SECURE_COOKIES".to_string(), "true".to_string()),
            ("OTHER".to_string(), "x".to_string()),
        ];
        let c = load(Some(&file), env).unwrap();
        assert_eq!(c.database, "postgres://u:secret@db/kehoach");
        assert_eq!(c.server.listen, "0.0.0.0:9000");
        assert!(c.server.secure_cookies);
        assert_eq!(c.server.settings().lockout.as_secs(), 1800);
        assert_eq!(c.server.max_failed_logins, 5);
        assert_eq!(
            c.server.settings().trusted_proxies,
            ["127.0.0.1".parse::<std::net::IpAddr>().unwrap(), "::1".parse().unwrap()]
        );
        // The binary built with PDF hands the typesetter to the web.
        assert_eq!(c.server.settings().pdf.is_some(), cfg!(feature = "pdf"));
    }

    #[test]
    fn one_variable_names_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("k.toml");
        std::fs::write(&file, "").unwrap();
        let env = |k: &str| vec![(k.to_string(), "other.db".to_string())];
        assert_eq!(load(Some(&file), env("KEHOACH__DATABASE")).unwrap().database, "other.db");
        let e = load(Some(&file), env("KEHOACH_DATABASE")).unwrap_err();
        assert!(format!("{e:#}").contains("KEHOACH__DATABASE"), "{e:#}");
    }

    #[test]
    fn a_misspelt_setting_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("k.toml");
        std::fs::write(&file, "[server]\nlisen = \"0.0.0.0:9000\"\n").unwrap();
        let e = load(Some(&file), Vec::new()).unwrap_err();
        assert!(format!("{e:#}").contains("lisen"), "{e:#}");
        assert!(load(Some(&dir.path().join("none.toml")), Vec::new()).is_err());
    }
}
