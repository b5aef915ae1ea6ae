//! Whether reading costs grow with the input and no faster (issue 13: a
//! 25 KB DOCX whose text was 8 MB took 26 s). Each shape of hostile or
//! careless input is read at one size and at eight times that size; the
//! ratio of the times is 8 when the cost is linear. The peer in the same run
//! is normalising the same text (NFC, line ends), which is linear by
//! construction: a reader whose ratio stays near the peer's is linear too.
//!
//! `cargo bench -p kehoach-import --bench scaling` prints one line per shape:
//! `SCALING shape small_ms large_ms ratio floor_ratio goal=≤12× ok|ABOVE GOAL`,
//! and the time of the largest accepted input.

use kehoach_import::docx::testing::docx_of_text as docx_of;
use std::hint::black_box;
use std::time::{Duration, Instant};

const SEED: &str = include_str!("../tests/data/ben-tre-2025-nghi-quyet.txt");

/// Text of about `bytes` bytes of one shape: a start, then one piece
/// repeated (numbered by `i` where the reader would take copies as one).
fn text(shape: &str, bytes: usize) -> String {
    let head = "II. NHIỆM VỤ NĂM 2025\n2. Các chỉ tiêu chủ yếu\n";
    let start = match shape {
        "seed repeated" => String::new(),
        "many tasks" | "table rows" => SEED.to_string(),
        "words without marks" => format!("{head}a) GRDP tăng 6%\n"),
        _ => head.to_string(),
    };
    let piece = |i: usize| match shape {
        "seed repeated" => SEED.to_string(),
        "one long line" => "a) Tốc độ tăng trưởng kinh tế (GRDP) đạt 6,5%; ".to_string(),
        "many target items" => {
            let label = ["a", "b", "c", "d", "đ", "e", "g", "h"][i % 8];
            format!("{label}) Tổng vốn đầu tư toàn xã hội đạt {i} tỷ đồng.\n")
        }
        "many tasks" => "- Đẩy mạnh cải cách hành chính, hoàn thành 12 dự án trước ngày 30/6/2025.\n".to_string(),
        "table rows" => format!("Tốc độ tăng GRDP {i} | % | 6,5 | 7,0\n"),
        "words without marks" => "phát triển kinh tế xã hội ".to_string(),
        other => unreachable!("{other}"),
    };
    let mut s = start;
    let mut i = 0;
    while s.len() < bytes {
        s.push_str(&piece(i));
        i += 1;
    }
    s
}

/// The shortest of a few runs: the cost itself, not the machine's noise.
fn best(mut run: impl FnMut()) -> Duration {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            run();
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn main() {
    const SMALL: usize = 96 * 1024;
    let shapes =
        ["seed repeated", "one long line", "many target items", "many tasks", "table rows", "words without marks"];
    let mut worst: f64 = 0.0;
    for docx in [false, true] {
        for shape in shapes {
            let (small, large) = (text(shape, SMALL), text(shape, 8 * SMALL));
            let bytes = |t: &str| if docx { docx_of(t) } else { t.as_bytes().to_vec() };
            let (small_in, large_in) = (bytes(&small), bytes(&large));
            let read = |input: &[u8]| {
                let _ = black_box(kehoach_import::import_bytes(black_box(input)));
            };
            let (s, l) = (best(|| read(&small_in)), best(|| read(&large_in)));
            let floor = |t: &str| best(|| drop(black_box(kehoach_import::text::Source::new(black_box(t)))));
            let (fs, fl) = (floor(&small), floor(&large));
            let ratio = l.as_secs_f64() / s.as_secs_f64();
            worst = worst.max(ratio);
            println!(
                "SCALING {}{shape}: {} KB {:.1} ms, {} KB {:.1} ms, ratio={ratio:.1} floor_ratio={:.1} goal=≤12× {}",
                if docx { "docx " } else { "" },
                small.len() / 1024,
                s.as_secs_f64() * 1e3,
                large.len() / 1024,
                l.as_secs_f64() * 1e3,
                fl.as_secs_f64() / fs.as_secs_f64(),
                if ratio <= 12.0 { "ok" } else { "ABOVE GOAL" },
            );
        }
    }
    // The largest text the reader accepts, read at its worst shape: what one
    // upload can cost.
    let limit = kehoach_import::MAX_TEXT_BYTES;
    for shape in shapes {
        let mut input = text(shape, limit);
        input.truncate(input.floor_char_boundary(limit));
        let t = best(|| drop(black_box(kehoach_import::import_bytes(black_box(input.as_bytes())))));
        let outcome = match kehoach_import::import_bytes(input.as_bytes()) {
            Ok(read) => format!("{} measures", read.plan.measures().count()),
            Err(e) => format!("refused: {e}"),
        };
        println!("LIMIT {shape}: {} KB in {:.2} s ({outcome})", input.len() / 1024, t.as_secs_f64());
    }
    println!("SCALING worst ratio={worst:.1} goal=≤12× {}", if worst <= 12.0 { "ok" } else { "ABOVE GOAL" });
}
