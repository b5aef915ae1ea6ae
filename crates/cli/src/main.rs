//! `kehoach`: follows a Vietnamese socio-economic development plan from the
//! resolution that adopts it to the reports that judge it.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use kehoach_domain::check::{Severity, check};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "kehoach",
    version,
    about = "Theo dõi kế hoạch phát triển kinh tế - xã hội / follow a socio-economic development plan"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read a resolution (UTF-8 text, legacy-encoded text or DOCX) into a plan.
    Import {
        /// The resolution file.
        file: PathBuf,
        /// Print the plan as JSON on standard output.
        #[arg(long)]
        json: bool,
        /// Write the plan file (TOML) for review.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// Check a plan file (or a resolution) for inconsistencies.
    Check {
        /// A plan file (.toml) or a resolution to read first.
        plan: PathBuf,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kehoach: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Import { file, json, output } => {
            let imported = kehoach_import::import_file(&file).with_context(|| format!("{}", file.display()))?;
            let plan = imported.plan;
            if let Some(out) = &output {
                write_atomically(out, kehoach_planfile::to_toml(&plan).as_bytes())?;
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&kehoach_planfile::to_json(&plan))?);
            }
            if !json {
                let measures = plan.measures().count();
                let flagged = plan.measures().filter(|m| !m.review.is_empty()).count();
                eprintln!(
                    "{}: {} targets, {measures} measures ({flagged} to review), {} tasks; read as {:?}",
                    file.display(),
                    plan.targets.len(),
                    plan.tasks.len(),
                    imported.format
                );
                if output.is_none() {
                    eprintln!("(nothing written: add --json to print the plan or -o plan.toml to save it)");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { plan } => {
            let loaded = load_plan(&plan)?;
            let findings = check(&loaded);
            // Lines are those of the resolution the plan was read from.
            let source = loaded.document.file.clone().unwrap_or_else(|| plan.display().to_string());
            for f in &findings {
                let at = match f.line {
                    Some(line) => format!("{source}:{line}"),
                    None => source.clone(),
                };
                println!("{at}: {}: [{}] {}", f.severity, f.key, f.message);
            }
            let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
            let warnings = findings.iter().filter(|f| f.severity == Severity::Warning).count();
            let reviews = findings.len() - errors - warnings;
            println!("{errors} error(s), {warnings} warning(s), {reviews} item(s) to review");
            Ok(if errors > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
    }
}

/// A plan file is TOML; anything else is read as a resolution.
fn load_plan(path: &Path) -> Result<kehoach_domain::Plan> {
    if path.extension().is_some_and(|e| e == "toml") {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        Ok(kehoach_planfile::from_toml(&text)
            .with_context(|| format!("{} is not a valid plan file", path.display()))?)
    } else {
        Ok(kehoach_import::import_file(path).with_context(|| format!("{}", path.display()))?.plan)
    }
}

/// Writes to a temporary file beside the target and renames it, so a failed
/// run never leaves half a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        bail!("cannot write {}: folder {} does not exist", path.display(), dir.display());
    }
    let tmp = dir.join(format!(".{}.tmp", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
