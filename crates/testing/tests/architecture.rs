//! The architecture's rules that the code's shape can break, checked on the
//! code itself (ARCHITECTURE.md names each of these tests).

use kehoach_testing::root;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each crate of the workspace: its directory, and the workspace crates
/// and the outside crates it depends on (normal dependencies only).
fn crates() -> BTreeMap<String, (PathBuf, Vec<String>)> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(root().join("crates")).unwrap() {
        let dir = entry.unwrap().path();
        let Ok(text) = std::fs::read_to_string(dir.join("Cargo.toml")) else { continue };
        let manifest: toml::Table = toml::from_str(&text).unwrap();
        let name = manifest["package"]["name"].as_str().unwrap().to_string();
        let deps = manifest
            .get("dependencies")
            .and_then(|d| d.as_table())
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default();
        out.insert(name, (dir, deps));
    }
    out
}

fn ours(deps: &[String]) -> Vec<&str> {
    let mut v: Vec<&str> = deps.iter().map(String::as_str).filter(|d| d.starts_with("kehoach")).collect();
    v.sort();
    v
}

/// Architecture invariant: the dependencies point inward. The domain depends
/// on no crate of the workspace; the analytics engine and the store only on
/// the domain; judging sits between the store and its readers; only the
/// binary links the PDF typesetter; the test support and the benchmark
/// harness are nobody's dependency; SQL is the store's alone.
#[test]
fn dependencies_point_inward() {
    let crates = crates();
    let deps = |name: &str| ours(&crates[name].1);
    assert_eq!(deps("kehoach-domain"), Vec::<&str>::new());
    assert_eq!(deps("kehoach-legacy"), Vec::<&str>::new());
    assert_eq!(deps("kehoach-analytics"), ["kehoach-domain"]);
    assert_eq!(deps("kehoach-store"), ["kehoach-domain"]);
    assert_eq!(deps("kehoach-country"), ["kehoach-domain"]);
    assert_eq!(deps("kehoach-judge"), ["kehoach-analytics", "kehoach-domain", "kehoach-store"]);
    assert_eq!(deps("kehoach-import"), ["kehoach-domain", "kehoach-legacy"]);
    assert!(
        !deps("kehoach-report").contains(&"kehoach-import"),
        "the report needs the legacy encodings, not the reader"
    );
    for (name, (_, dependencies)) in &crates {
        let d = ours(dependencies);
        if name != "kehoach" {
            assert!(!d.contains(&"kehoach-pdf"), "{name} links the typesetter: only the binary does");
        }
        assert!(
            !d.contains(&"kehoach-testing") && !d.contains(&"kehoach-bench"),
            "{name} depends on a test or bench crate"
        );
        if name != "kehoach-store" {
            assert!(!dependencies.iter().any(|d| d == "sqlx"), "{name} speaks SQL: only the store does");
        }
    }
}

fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Architecture invariant: the domain does no I/O: no files, network,
/// database, runtime or clock in its source.
#[test]
fn the_domain_does_no_io() {
    for file in sources(&root().join("crates/domain/src")) {
        let text = std::fs::read_to_string(&file).unwrap();
        for word in [
            "std::fs",
            "std::net",
            "std::io::",
            "tokio",
            "sqlx",
            "Utc::now",
            "Local::now",
            "SystemTime",
            "Instant::now",
        ] {
            assert!(!text.contains(word), "{}: {word}", file.display());
        }
    }
}

/// Architecture invariant: a file is small enough to read (at most 1,000
/// lines) and no macro stands in for code (at most 60 lines).
#[test]
fn files_and_macros_stay_small() {
    for dir in ["crates", "fuzz/fuzz_targets"] {
        for file in sources(&root().join(dir)) {
            let text = std::fs::read_to_string(&file).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            assert!(lines.len() <= 1000, "{}: {} lines", file.display(), lines.len());
            for (i, line) in lines.iter().enumerate() {
                if line.trim_start().starts_with("macro_rules!") {
                    let indent = line.len() - line.trim_start().len();
                    let end = lines[i + 1..]
                        .iter()
                        .position(|l| l.len() - l.trim_start().len() == indent && l.trim_start().starts_with('}'))
                        .expect("the macro ends");
                    assert!(end < 60, "{}:{}: a macro of {} lines", file.display(), i + 1, end + 2);
                }
            }
        }
    }
}

/// Architecture invariant: the web's modules depend one way, from the pages
/// down: `pages` → `upload`, `viewer` → `error` → `view` →
/// `template_words`, `audit_words` → `words` → `i18n`. A lower module never
/// names a higher one.
#[test]
fn the_web_modules_depend_one_way() {
    let order = ["i18n", "words", "audit_words", "template_words", "view", "error", "viewer", "upload", "pages"];
    let src = root().join("crates/web/src");
    for (at, module) in order.iter().enumerate() {
        let files =
            if *module == "pages" { sources(&src.join("pages")) } else { vec![src.join(format!("{module}.rs"))] };
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            // Every path that starts at the crate (`crate::x::…`), and each
            // name inside `use crate::{…};`.
            let mut paths: Vec<&str> = text.split("crate::").skip(1).collect();
            for (i, _) in text.match_indices("use crate::{") {
                let group = &text[i + "use crate::{".len()..];
                paths.extend(group[..group.find(';').unwrap_or(group.len())].split([',', '{', ' ', '\n']));
            }
            for higher in &order[at + 1..] {
                let names = |p: &&str| {
                    p.trim_start()
                        .strip_prefix(higher)
                        .is_some_and(|rest| rest.starts_with("::") || rest.starts_with(';'))
                };
                assert!(!paths.iter().any(names), "{} names {higher}, a module above it", file.display());
            }
        }
    }
}

/// Architecture invariant: every test ARCHITECTURE.md names exists: each
/// `…::a_test_name` it cites (a name of four words or more) is a function
/// in the sources, so that renaming or removing a test means saying so.
#[test]
fn the_tests_the_architecture_names_exist() {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let code: String = sources(&root().join("crates")).iter().map(|f| std::fs::read_to_string(f).unwrap()).collect();
    let (mut cited, mut missing) = (0, Vec::new());
    for span in text.split('`').skip(1).step_by(2) {
        let Some((_, name)) = span.rsplit_once("::") else { continue };
        if name.split('_').count() < 4
            || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
        {
            continue;
        }
        cited += 1;
        // A test is a function, or one the store's `on_both!` makes.
        let by_macro =
            |body: &str| code.contains(&format!("{name},\n    {body}")) || code.contains(&format!("!({name}, {body})"));
        let defined = code.contains(&format!("fn {name}("))
            || code.contains(&format!("fn {name}<"))
            || name.strip_suffix("_on_both").is_some_and(by_macro);
        if !defined {
            missing.push(span);
        }
    }
    assert!(missing.is_empty(), "ARCHITECTURE.md names tests that do not exist: {missing:?}");
    assert!(cited > 20, "only {cited} tests named");
}
