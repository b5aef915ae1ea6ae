//! The plan file loads back exactly as written, and shows its sources.

use std::path::Path;

fn plans() -> Vec<(String, kehoach_domain::Plan)> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../import/tests/data");
    let mut files = vec![data.join("ben-tre-2025-nghi-quyet.txt")];
    let mut genre: Vec<_> = std::fs::read_dir(data.join("genre"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    genre.sort();
    files.extend(genre);
    files.into_iter().map(|f| (f.display().to_string(), kehoach_import::import_file(&f).unwrap().plan)).collect()
}

#[test]
fn plan_files_load_back_unchanged() {
    for (name, plan) in plans() {
        let text = kehoach_planfile::to_toml(&plan);
        let back = kehoach_planfile::from_toml(&text).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
        assert_eq!(back, plan, "{name}");
        // And writing it again gives the same file.
        assert_eq!(kehoach_planfile::to_toml(&back), text, "{name}");
    }
}

#[test]
fn the_plan_file_shows_each_source_sentence() {
    let (_, plan) = plans().remove(0);
    let text = kehoach_planfile::to_toml(&plan);
    assert!(text.starts_with("# Kế hoạch phát triển kinh tế - xã hội năm 2025 — Bến Tre"), "{}", &text[..200]);
    // The comment above measure c.1 quotes its sentence and line.
    let at = text.find("key = \"c.1\"").unwrap();
    let before = &text[..at];
    let comment = before.rsplit("\n\n").next().unwrap();
    assert!(
        comment.contains("# c.1 — ≥ 1.850 triệu USD — «Kim ngạch xuất khẩu đạt 1.850 triệu USD» (line 10)"),
        "{comment}"
    );
    // Numbers are exact strings, not floats.
    assert!(text.contains("value = \"6388.3\""), "e.1 as a decimal string");
}

#[test]
fn a_corrected_plan_file_is_read_as_corrected() {
    let (_, plan) = plans().remove(0);
    let text = kehoach_planfile::to_toml(&plan).replacen("value = \"1850\"", "value = \"1900\"", 1);
    let back = kehoach_planfile::from_toml(&text).unwrap();
    assert_eq!(back.measure("c.1").unwrap().value, Some(rust_decimal::Decimal::from(1900)));
}

#[test]
fn a_broken_plan_file_says_where() {
    let err = kehoach_planfile::from_toml("region = \"X\"\nyear = \"not a year\"\n").unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("line 2"), "{msg}");
}

#[test]
fn the_json_view_has_exact_numbers() {
    let (_, plan) = plans().remove(0);
    let json = serde_json::to_string(&kehoach_planfile::to_json(&plan)).unwrap();
    assert!(json.contains("\"value\":6388.3"), "e.1 as a JSON number");
    assert!(json.contains("\"low\":6.0") && json.contains("\"high\":6.5"), "a.1 as JSON numbers, scale kept");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let m = &v["targets"][0]["measures"][0];
    for field in ["key", "name", "comparator", "value", "low", "high", "unit", "deadline", "subjects", "source"] {
        assert!(m.get(field).is_some(), "measure field {field}");
    }
    let t = &v["tasks"][0];
    for field in ["group", "action", "object", "text", "quantity", "unit", "source"] {
        assert!(t.get(field).is_some(), "task field {field}");
    }
}

/// The built-in plan (`data/plans/ben-tre-2025.toml`) is the importer's
/// reading with names made explicit by a reviewer: its figures must stay
/// those of the resolution.
#[test]
fn the_built_in_plan_keeps_the_resolutions_figures() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/plans/ben-tre-2025.toml");
    let built_in = kehoach_planfile::from_toml(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (_, read) = plans().remove(0);
    let figures = |p: &kehoach_domain::Plan| -> Vec<String> {
        p.measures()
            .map(|m| {
                format!("{} {} {:?} {:?} {:?} {} {:?}", m.key, m.comparator, m.value, m.low, m.high, m.unit, m.deadline)
            })
            .collect()
    };
    assert_eq!(figures(&built_in), figures(&read));
    let errors = kehoach_domain::check::check(&built_in)
        .into_iter()
        .filter(|f| f.severity == kehoach_domain::check::Severity::Error)
        .count();
    assert_eq!(errors, 0);
    assert_eq!(built_in.measure("a.2").unwrap().name, "Tăng trưởng khu vực nông - lâm - thủy sản");
}
