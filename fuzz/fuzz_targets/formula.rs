//! Formulas of derived measures, as typed in a plan file.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(expr) = text.parse::<kehoach_domain::formula::Expr>() {
            let _ = expr.eval(&|_| Some(rust_decimal::Decimal::ONE));
            let back: kehoach_domain::formula::Expr = expr.to_string().parse().expect("written formulas read back");
            assert_eq!(back.references(), expr.references());
        }
        let _ = text.parse::<kehoach_domain::formula::Formula>();
    }
});
