//! `kehoach`: follows a Vietnamese socio-economic development plan from the
//! resolution that adopts it to the reports that judge it.

mod analytics_commands;
mod config;
mod demo;
mod plan_commands;
mod report_commands;
mod splitmix;
mod store_commands;
mod units_commands;
mod web_commands;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
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
    /// The database: a file path or sqlite://PATH (SQLite), or postgres://…
    /// [default: kehoach.db, or `database` in the config file]
    #[arg(long, global = true)]
    database: Option<String>,
    /// A config file (TOML); without it, kehoach.toml is read if present.
    /// `KEHOACH__DATABASE`, `KEHOACH__SERVER__LISTEN`, … override it.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// The plan a command works on (`kehoach plan list`) [default: the
    /// database's default plan, the first until `plan default` changes it].
    #[arg(long = "plan", global = true, value_name = "ID")]
    plan_id: Option<i64>,
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
    /// Create the database and load a plan (the built-in Bến Tre 2025 plan,
    /// its units and its published figures when no plan is given).
    Init {
        /// A plan file (.toml) or a resolution [default: the built-in plan].
        #[arg(value_name = "FILE")]
        plan: Option<PathBuf>,
        /// Add a generated, illustrative year of monthly figures for every
        /// measure, marked as such and never mixed with real figures.
        #[arg(long)]
        demo: bool,
    },
    /// Run the web application. A new database gets the built-in plan, and
    /// the first administrator with a one-time password printed once.
    Serve {
        /// Address to listen on (port 0: any free port) [default: 127.0.0.1:8080,
        /// or server.listen in the config file].
        #[arg(long)]
        listen: Option<String>,
        /// Mark cookies Secure: set when the site is served over HTTPS.
        #[arg(long)]
        secure_cookies: bool,
    },
    /// People who sign in to the web application.
    #[command(subcommand)]
    User(UserCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Reported figures.
    #[command(subcommand)]
    Values(ValuesCommand),
    /// The country's administrative units and their lineage across the
    /// reform of 01/07/2025.
    #[command(subcommand)]
    Units(units_commands::UnitsCommand),
    /// The plan's targets.
    #[command(subcommand)]
    Plan(PlanCommand),
    /// Compare regions on one national indicator: for every plan of the
    /// year with a measure of that code, its target, figure and verdict.
    Compare {
        /// The national statistical indicator code the plans give their
        /// measures (`indicator = "…"` in a plan file).
        #[arg(long)]
        code: String,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        json: bool,
    },
    /// Judge every measure for a period.
    Status {
        /// 2025, 2025-H1, 2025-9M, 2025-Q3 or 2025-09.
        #[arg(long)]
        period: String,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Judge against the targets as adopted or as revised since.
        #[arg(long, value_enum, default_value = "current")]
        against: AgainstArg,
        /// Judge the illustrative figures of `init --demo` (only those).
        #[arg(long)]
        illustrative: bool,
    },
    /// The reporting periods of a year: calendar bounds and the Decree
    /// 09/2019 reporting windows (15th to 14th) side by side.
    Periods { year: i32 },
    /// Write the report of a period: the XLSX appendix of the main targets,
    /// the DOCX report laid out per Decree 30/2020, or the same as PDF.
    Report {
        /// 2025, 2025-H1, 2025-9M, 2025-Q3 or 2025-09.
        #[arg(long)]
        period: String,
        /// xlsx, docx or pdf [default: from the output file's extension].
        #[arg(long, value_enum)]
        format: Option<report_commands::Format>,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// Judge against the targets as adopted or as revised since.
        #[arg(long, value_enum, default_value = "current")]
        against: AgainstArg,
        /// The report's date (YYYY-MM-DD) [default: today].
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
    },
    /// Write an Excel data-entry template: the measures an agency leads, for
    /// one period, to fill in and bring back with `values import FILE.xlsx`.
    Template {
        /// The agency's code (SCT) or name.
        #[arg(long)]
        agency: String,
        /// 2025, 2025-H1, 2025-9M, 2025-Q3 or 2025-09.
        #[arg(long)]
        period: String,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// The in-memory analytics engine.
    #[command(subcommand)]
    Analytics(analytics_commands::AnalyticsCommand),
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user; the password is read from standard input with
    /// --password-stdin, otherwise a one-time password is made and printed.
    Add {
        username: String,
        /// admin, planner, reporter, approver or supervisor.
        #[arg(long)]
        role: String,
        /// The agency a reporter enters figures for (its code, e.g. SCT).
        #[arg(long)]
        agency: Option<String>,
        /// Full name as shown in the application.
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        password_stdin: bool,
    },
    /// End a lock set by wrong passwords and clear the count (in the audit log).
    Unlock { username: String },
    /// Set a new password: a one-time one printed once (to be changed at the
    /// next sign-in), or read from standard input with --password-stdin.
    /// Every session of the user ends.
    Passwd {
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Stop a user signing in; their sessions end (in the audit log).
    Disable { username: String },
    /// Let a disabled user sign in again.
    Enable { username: String },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check that the audit log's chain holds and that every figure,
    /// approval, revision and task report is as its entry wrote it: exits 0
    /// when intact, 1 naming the first entry that does not match.
    Verify,
}

#[derive(Subcommand)]
enum ValuesCommand {
    /// Import figures, all or nothing: a CSV (measure,period,org_unit,value,
    /// status,note) or an XLSX template filled in (`kehoach template`).
    Import { file: PathBuf },
    /// Every version of the figures of a measure, oldest first: the value as
    /// an exact decimal, its status (estimate, preliminary, official), where
    /// it stands in the workflow (draft, submitted, returned, approved,
    /// recorded; only approved and recorded ones count), who and when.
    List {
        #[arg(long)]
        measure: String,
        /// 2025, 2025-H1, 2025-9M, 2025-Q3 or 2025-09.
        #[arg(long)]
        period: Option<String>,
        /// A unit by code or name.
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum PlanCommand {
    /// Every plan: id, region, span, kind, state, and which is the default.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Add a plan beside the others (never changing them): a resolution or
    /// a reviewed plan file, for a region by its official code, over a year
    /// or a span.
    Add {
        file: PathBuf,
        /// The region's official code (83, 86, VN for the National Assembly's
        /// plans): `kehoach units list`.
        #[arg(long)]
        region: String,
        #[arg(long, conflicts_with_all = ["from", "to"], required_unless_present_all = ["from", "to"])]
        year: Option<i32>,
        /// First day (YYYY-MM-DD), with --to: a span that is not a whole year.
        #[arg(long, requires = "to")]
        from: Option<chrono::NaiveDate>,
        #[arg(long, requires = "from")]
        to: Option<chrono::NaiveDate>,
        /// year, five-year or rest-of-year [default: year, or rest-of-year for
        /// a span within a year].
        #[arg(long, value_parser = clap::value_parser!(kehoach_domain::PlanKind))]
        kind: Option<kehoach_domain::PlanKind>,
    },
    /// Make a plan the one commands and pages work on when none is named.
    Default { id: i64 },
    /// Change a target by a later decision; the old version is kept.
    Revise {
        /// The measure, e.g. a.1.
        key: String,
        #[command(flatten)]
        target: TargetArgs,
        /// The deciding document, e.g. "01/2025/NQ-HĐND".
        #[arg(long)]
        decision: String,
        /// Its date, YYYY-MM-DD.
        #[arg(long)]
        date: chrono::NaiveDate,
    },
    /// Set the lead agency of a measure and the units that report their part.
    Assign {
        key: String,
        /// The agency's code (e.g. SCT).
        #[arg(long)]
        lead: String,
        /// A contributing unit (code or name); repeat for several.
        #[arg(long = "unit")]
        units: Vec<String>,
    },
}

#[derive(Args)]
#[group(required = true, multiple = false)]
struct TargetArgs {
    #[arg(long, value_name = "X")]
    at_least: Option<String>,
    #[arg(long, value_name = "X")]
    above: Option<String>,
    #[arg(long, value_name = "X")]
    at_most: Option<String>,
    #[arg(long, value_name = "X")]
    below: Option<String>,
    #[arg(long, value_name = "X")]
    about: Option<String>,
    #[arg(long, value_name = "X")]
    equal: Option<String>,
    #[arg(long, value_names = ["LOW", "HIGH"], num_args = 2)]
    between: Option<Vec<String>>,
}

#[derive(Clone, Copy, ValueEnum)]
enum AgainstArg {
    Original,
    Current,
}

impl From<AgainstArg> for kehoach_store::Against {
    fn from(a: AgainstArg) -> Self {
        match a {
            AgainstArg::Original => Self::Original,
            AgainstArg::Current => Self::Current,
        }
    }
}

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("kehoach: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(Cli::parse())) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kehoach: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode> {
    let config = config::load(cli.config.as_deref(), std::env::vars())?;
    let database = cli.database.as_deref().unwrap_or(config.database.as_str());
    let plan_id = cli.plan_id;
    match cli.command {
        Command::Analytics(command) => {
            analytics_commands::run(database, command).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { plan, demo } => {
            store_commands::init(database, plan.as_deref(), demo).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { listen, secure_cookies } => {
            let listen = listen.unwrap_or_else(|| config.server.listen.clone());
            let mut settings = config.server.settings();
            settings.secure_cookies |= secure_cookies;
            web_commands::serve(database, &listen, settings).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::User(UserCommand::Add { username, role, agency, name, password_stdin }) => {
            web_commands::add_user(database, &username, &role, agency, name, password_stdin).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::User(UserCommand::Unlock { username }) => {
            web_commands::unlock_user(database, &username).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::User(UserCommand::Passwd { username, password_stdin }) => {
            web_commands::set_password(database, &username, password_stdin).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::User(UserCommand::Disable { username }) => {
            web_commands::set_disabled(database, &username, true).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::User(UserCommand::Enable { username }) => {
            web_commands::set_disabled(database, &username, false).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit(AuditCommand::Verify) => {
            Ok(if web_commands::verify_audit(database).await? { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Values(ValuesCommand::Import { file }) => {
            if report_commands::Format::of(&file) == Some(report_commands::Format::Xlsx) {
                report_commands::import_template(database, &file, plan_id).await?;
            } else {
                store_commands::import_values(database, &file, plan_id).await?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Values(ValuesCommand::List { measure, period, unit, json }) => {
            let period = period.map(|p| p.parse()).transpose()?;
            store_commands::list_values(database, &measure, period, unit.as_deref(), json, plan_id).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Plan(PlanCommand::Revise { key, target, decision, date }) => {
            use kehoach_domain::Comparator as C;
            let single = [
                (C::AtLeast, &target.at_least),
                (C::Above, &target.above),
                (C::AtMost, &target.at_most),
                (C::Below, &target.below),
                (C::About, &target.about),
                (C::Equal, &target.equal),
            ]
            .into_iter()
            .find_map(|(c, v)| v.clone().map(|v| (c, v)));
            let new = match (single, target.between) {
                (Some((comparator, value)), _) => {
                    store_commands::NewTarget { comparator, value: Some(value), range: None }
                }
                (None, Some(range)) if range.len() == 2 => store_commands::NewTarget {
                    comparator: C::Between,
                    value: None,
                    range: Some((range[0].clone(), range[1].clone())),
                },
                _ => bail!("give the new target: --at-least X, --between LOW HIGH, …"),
            };
            store_commands::revise(database, &key, new, &decision, date, plan_id).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Plan(PlanCommand::List { json }) => {
            emit(&plan_commands::list(database, json).await?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Plan(PlanCommand::Add { file, region, year, from, to, kind }) => {
            let span = match (year, from, to) {
                (Some(year), ..) => plan_commands::Span::Year(year),
                (None, Some(from), Some(to)) => plan_commands::Span::Days(from, to),
                _ => bail!("give --year YYYY, or --from DATE --to DATE"),
            };
            emit(&plan_commands::add(database, &file, &region, span, kind).await?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Plan(PlanCommand::Default { id }) => {
            emit(&plan_commands::choose_default(database, id).await?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Plan(PlanCommand::Assign { key, lead, units }) => {
            store_commands::assign(database, &key, &lead, units, plan_id).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Status { period, json, against, illustrative } => {
            let period: kehoach_domain::period::Period = period.parse()?;
            store_commands::status(database, period, against.into(), json, illustrative, plan_id).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Report { period, format, output, against, date } => {
            let args = report_commands::ReportArgs {
                period: period.parse()?,
                format,
                output: &output,
                against: against.into(),
                date,
                plan: plan_id,
            };
            report_commands::report(database, args).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Template { agency, period, output } => {
            report_commands::template(database, &agency, period.parse()?, &output, plan_id).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Compare { code, year, json } => {
            emit(&plan_commands::compare(database, &code, year, json).await?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Units(command) => {
            emit(&units_commands::run(command, chrono::Local::now().date_naive())?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Periods { year } => {
            if !(1900..=2999).contains(&year) {
                anyhow::bail!("year {year}: give a year from 1900 to 2999");
            }
            emit(&periods_table(year));
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { file, json, output } => {
            let imported = kehoach_import::import_file(&file).with_context(|| format!("{}", file.display()))?;
            let plan = imported.plan;
            if let Some(out) = &output {
                write_atomically(out, kehoach_planfile::to_toml(&plan).as_bytes())?;
            }
            if json {
                emit(&format!("{}\n", serde_json::to_string_pretty(&kehoach_planfile::to_json(&plan))?));
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
                println!("{at}: {}: [{}] {}", f.severity, f.key, f.problem);
            }
            let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
            let warnings = findings.iter().filter(|f| f.severity == Severity::Warning).count();
            let reviews = findings.len() - errors - warnings;
            println!("{errors} error(s), {warnings} warning(s), {reviews} item(s) to review");
            Ok(if errors > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
    }
}

/// Writes to standard output; a reader that went away (`| head`) is not an
/// error worth a panic.
/// One line per period: code, Vietnamese name, calendar span, reporting
/// window (Nghị định 09/2019/NĐ-CP: from the 15th of the month before the
/// period to the 14th of its last month).
fn periods_table(year: i32) -> String {
    use std::fmt::Write;
    let day = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    let mut out = format!("{:<9} {:<22} {:<25} Kỳ báo cáo (NĐ 09/2019)\n", "Kỳ", "Tên", "Theo lịch");
    for p in kehoach_domain::period::Period::all_of(year) {
        let (from, to) = p.calendar();
        let (wfrom, wto) = p.reporting_window();
        let _ = writeln!(
            out,
            "{:<9} {:<22} {:<25} {} – {}",
            p.to_string(),
            p.label_vi(),
            format!("{} – {}", day(from), day(to)),
            day(wfrom),
            day(wto)
        );
    }
    out
}

pub(crate) fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// A plan file is TOML; anything else is read as a resolution.
pub(crate) fn load_plan(path: &Path) -> Result<kehoach_domain::Plan> {
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
/// Says on standard error which stored figures the verdicts leave out (the
/// command still answers: one such figure never stops the rest).
pub(crate) fn warn_left_out(left_out: &[impl std::fmt::Display]) {
    for out in left_out {
        eprintln!("kehoach: warning: left out of every verdict until a newer version corrects it: {out}");
    }
}

pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        bail!("cannot write {}: folder {} does not exist", path.display(), dir.display());
    }
    let tmp = dir.join(format!(".{}.tmp", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
