//! `kehoach report`, `kehoach template` and the XLSX side of `values import`.

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use kehoach_domain::period::Period;
use kehoach_report::{Report, Request};
use kehoach_store::{Against, Store};
use std::path::Path;

use crate::store_commands::{actor, open, plan_id};

/// The formats a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Xlsx,
    Docx,
    Pdf,
}

impl Format {
    /// From the output file's extension, when no format is given.
    pub fn of(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "xlsx" => Some(Self::Xlsx),
            "docx" => Some(Self::Docx),
            "pdf" => Some(Self::Pdf),
            _ => None,
        }
    }
}

/// The report in one format, as bytes.
pub fn render(report: &Report, format: Format) -> Result<Vec<u8>> {
    Ok(match format {
        Format::Xlsx => kehoach_report::xlsx::appendix(report).context("the XLSX appendix")?,
        Format::Docx => kehoach_report::docx::report(report)?,
        #[cfg(feature = "pdf")]
        Format::Pdf => kehoach_pdf::report(report)?,
        #[cfg(not(feature = "pdf"))]
        Format::Pdf => {
            anyhow::bail!("this kehoach was built without PDF (the `pdf` feature): say --format xlsx or docx")
        }
    })
}

pub struct ReportArgs<'a> {
    pub period: Period,
    pub format: Option<Format>,
    pub output: &'a Path,
    pub against: Against,
    pub date: Option<NaiveDate>,
    pub plan: Option<i64>,
}

pub async fn report(database: &str, args: ReportArgs<'_>) -> Result<()> {
    let format = match args.format.or_else(|| Format::of(args.output)) {
        Some(f) => f,
        None => bail!("say --format xlsx, docx or pdf (or name the output file .xlsx, .docx or .pdf)"),
    };
    let store = open(database).await?;
    let id = plan_id(&store, args.plan).await?;
    let date = args.date.unwrap_or_else(|| chrono::Local::now().date_naive());
    let request = Request { plan: id, period: args.period, against: args.against, date, issuer: None };
    let report = kehoach_report::gather(&store, &request, None).await?;
    crate::warn_left_out(&report.left_out);
    let bytes = render(&report, format)?;
    crate::write_atomically(args.output, &bytes)?;
    let counts = kehoach_report::model::Counts::of(report.rows());
    println!(
        "{}: {} report, {}: {} measures ({} exceeded, {} achieved, {} not achieved, {} at risk, {} without figures), {} tasks",
        args.output.display(),
        match format {
            Format::Xlsx => "XLSX",
            Format::Docx => "DOCX",
            Format::Pdf => "PDF",
        },
        report.period.label_vi(),
        counts.total(),
        counts.exceeded,
        counts.achieved,
        counts.not_achieved,
        counts.at_risk,
        counts.no_data,
        report.tasks.len()
    );
    Ok(())
}

pub async fn template(database: &str, agency: &str, period: Period, output: &Path, plan: Option<i64>) -> Result<()> {
    let store = open(database).await?;
    let id = plan_id(&store, plan).await?;
    let spec = kehoach_report::gather::template_spec(&store, id, agency, period).await?;
    let bytes = kehoach_report::template::write(&spec).context("the template")?;
    crate::write_atomically(output, &bytes)?;
    println!(
        "{}: template of {} ({}) for {}: {} measure(s) of {}",
        output.display(),
        spec.agency_name,
        spec.agency,
        period.label_vi(),
        spec.rows.len(),
        spec.unit_name
    );
    Ok(())
}

/// Reads a filled template and stores its figures, all or nothing.
pub async fn import_template(database: &str, file: &Path, plan: Option<i64>) -> Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let store = open(database).await?;
    let id = plan_id(&store, plan).await?;
    let current = store.plan(id, Against::Current).await?;
    let rejected = |e: kehoach_report::template::Rejected| anyhow::anyhow!("{}: {e}", file.display());
    let header = kehoach_report::template::header(&bytes).map_err(rejected)?;
    if header.plan_id != id {
        bail!("{}: the template was made for plan {}, not plan {id}; nothing imported", file.display(), header.plan_id);
    }
    // What the workbook may hold is what its agency reports for the period,
    // as the database says now; its hidden sheet only names the agency.
    let spec = kehoach_report::gather::template_spec(&store, id, &header.agency, header.period)
        .await
        .with_context(|| format!("{}: nothing imported", file.display()))?;
    let read = kehoach_report::template::read(&bytes, &current, &spec).map_err(rejected)?;
    for c in &read.converted {
        eprintln!("{}: {c}: text in a legacy encoding, converted to Unicode", file.display());
    }
    let released = store.released_values(id).await?;
    crate::store_commands::refuse_unlikely(
        file,
        &released,
        read.figures.iter().map(|f| {
            let at = format!("sheet “{}”, cell {}", kehoach_report::template::ENTRY_SHEET, f.cell);
            (at, &f.measure, &read.unit, read.period, f.value, &f.note)
        }),
    )?;
    // The planner who runs the command answers for the figures: recorded.
    let values = read.new_values(kehoach_domain::value::Origin::Recorded, None);
    if values.is_empty() {
        println!("{}: no figure was filled in; nothing to import", file.display());
        return Ok(());
    }
    store
        .submit_values(id, &values, &actor())
        .await
        .with_context(|| format!("{}: nothing imported", file.display()))?;
    println!(
        "{}: {} figure(s) of {} for {} stored in plan {id}",
        file.display(),
        values.len(),
        read.agency,
        read.period.label_vi()
    );
    Ok(())
}
