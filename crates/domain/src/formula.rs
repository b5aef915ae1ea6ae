//! Derived measures: a small formula language over decimals.
//!
//! ```text
//! [o.1] = [beds] / [population] * 10000
//! [e.1] = [e.2] + [e.3]
//! [x]   = max([a] - [b], 0)
//! ```
//!
//! References are in square brackets (a measure key or a named figure),
//! numbers are plain (`10000`, `0.5`), operators `+ - * /` with the usual
//! precedence, parentheses, unary minus, and `min`, `max`, `abs`. Written
//! here rather than taken from a crate: the expression crates work in `f64`
//! (wrong for money) or carry a licence this project cannot ship.

use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(Decimal),
    Ref(String),
    Neg(Box<Expr>),
    Binary(Box<Expr>, Op, Box<Expr>),
    Call(Function, Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    Min,
    Max,
    Abs,
}

/// `[key] = expression`: how a derived measure is computed.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    pub defines: String,
    pub expr: Expr,
}

/// What is wrong with a formula, and where (a character position).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormulaError {
    #[error("at character {at}: {message}")]
    Syntax { at: usize, message: String },
    #[error("[{0}] has no value")]
    Missing(String),
    #[error("division by zero")]
    DivisionByZero,
    #[error("the result is too large")]
    Overflow,
    #[error("formulas refer to each other in a circle: {0}")]
    Cycle(String),
}

impl FromStr for Formula {
    type Err = FormulaError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut p = Parser::new(s);
        p.skip_space();
        let defines = match p.peek() {
            Some('[') => p.reference()?,
            _ => return Err(p.error("a formula starts with the measure it defines, as [key]")),
        };
        p.skip_space();
        if p.peek() != Some('=') {
            return Err(p.error("expected “=” after the measure"));
        }
        p.bump();
        let expr = p.expression()?;
        p.end()?;
        Ok(Formula { defines, expr })
    }
}

impl FromStr for Expr {
    type Err = FormulaError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut p = Parser::new(s);
        let expr = p.expression()?;
        p.end()?;
        Ok(expr)
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

/// Nesting deeper than this is refused: no formula a person writes needs it,
/// and recursion must stay bounded on hostile input.
const MAX_DEPTH: usize = 64;

impl Parser {
    fn new(text: &str) -> Self {
        Self { chars: text.chars().collect(), pos: 0 }
    }

    fn error(&self, message: &str) -> FormulaError {
        FormulaError::Syntax { at: self.pos + 1, message: message.to_string() }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek();
        self.pos += 1;
        c
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn end(&mut self) -> Result<(), FormulaError> {
        self.skip_space();
        match self.peek() {
            None => Ok(()),
            Some(c) => Err(self.error(&format!("unexpected “{c}”"))),
        }
    }

    fn expression(&mut self) -> Result<Expr, FormulaError> {
        self.expression_at(0)
    }

    fn expression_at(&mut self, depth: usize) -> Result<Expr, FormulaError> {
        if depth > MAX_DEPTH {
            return Err(self.error("the formula is nested too deeply"));
        }
        let mut left = self.term(depth)?;
        loop {
            self.skip_space();
            let op = match self.peek() {
                Some('+') => Op::Add,
                Some('-') => Op::Sub,
                _ => return Ok(left),
            };
            self.bump();
            let right = self.term(depth)?;
            left = Expr::Binary(Box::new(left), op, Box::new(right));
        }
    }

    fn term(&mut self, depth: usize) -> Result<Expr, FormulaError> {
        let mut left = self.factor(depth)?;
        loop {
            self.skip_space();
            let op = match self.peek() {
                Some('*') => Op::Mul,
                Some('/') => Op::Div,
                _ => return Ok(left),
            };
            self.bump();
            let right = self.factor(depth)?;
            left = Expr::Binary(Box::new(left), op, Box::new(right));
        }
    }

    fn factor(&mut self, depth: usize) -> Result<Expr, FormulaError> {
        if depth > MAX_DEPTH {
            return Err(self.error("the formula is nested too deeply"));
        }
        self.skip_space();
        match self.peek() {
            Some('-') => {
                self.bump();
                Ok(Expr::Neg(Box::new(self.factor(depth + 1)?)))
            }
            Some('(') => {
                self.bump();
                let inner = self.expression_at(depth + 1)?;
                self.skip_space();
                if self.bump() != Some(')') {
                    return Err(self.error("expected “)”"));
                }
                Ok(inner)
            }
            Some('[') => Ok(Expr::Ref(self.reference()?)),
            Some(c) if c.is_ascii_digit() => self.number(),
            Some(c) if c.is_alphabetic() => self.call(depth),
            Some(c) => Err(self.error(&format!("unexpected “{c}”"))),
            None => Err(self.error("the formula ends too early")),
        }
    }

    fn reference(&mut self) -> Result<String, FormulaError> {
        self.bump(); // [
        let start = self.pos;
        while self.peek().is_some_and(|c| c != ']' && c != '[') {
            self.pos += 1;
        }
        if self.peek() != Some(']') {
            return Err(self.error("a reference is not closed with “]”"));
        }
        let name: String = self.chars[start..self.pos].iter().collect::<String>().trim().to_string();
        self.bump();
        if name.is_empty() {
            return Err(self.error("an empty reference []"));
        }
        Ok(name)
    }

    fn number(&mut self) -> Result<Expr, FormulaError> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.') {
            self.pos += 1;
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        Decimal::from_str(&text)
            .map(Expr::Number)
            .map_err(|_| FormulaError::Syntax { at: start + 1, message: format!("“{text}” is not a number") })
    }

    fn call(&mut self, depth: usize) -> Result<Expr, FormulaError> {
        let start = self.pos;
        while self.peek().is_some_and(char::is_alphabetic) {
            self.pos += 1;
        }
        let name: String = self.chars[start..self.pos].iter().collect::<String>().to_lowercase();
        let function = match name.as_str() {
            "min" => Function::Min,
            "max" => Function::Max,
            "abs" => Function::Abs,
            _ => {
                return Err(FormulaError::Syntax {
                    at: start + 1,
                    message: format!("unknown function “{name}” (min, max, abs; references go in [brackets])"),
                });
            }
        };
        self.skip_space();
        if self.bump() != Some('(') {
            return Err(self.error("expected “(” after the function"));
        }
        let mut args = vec![self.expression_at(depth + 1)?];
        loop {
            self.skip_space();
            match self.bump() {
                Some(',') => args.push(self.expression_at(depth + 1)?),
                Some(')') => break,
                _ => return Err(self.error("expected “,” or “)”")),
            }
        }
        let arity_ok = match function {
            Function::Abs => args.len() == 1,
            Function::Min | Function::Max => !args.is_empty(),
        };
        if !arity_ok {
            return Err(FormulaError::Syntax { at: start + 1, message: format!("{name} takes one argument") });
        }
        Ok(Expr::Call(function, args))
    }
}

impl Expr {
    /// Computes the expression; `lookup` gives the value of a reference.
    pub fn eval(&self, lookup: &dyn Fn(&str) -> Option<Decimal>) -> Result<Decimal, FormulaError> {
        match self {
            Expr::Number(n) => Ok(*n),
            Expr::Ref(name) => lookup(name).ok_or_else(|| FormulaError::Missing(name.clone())),
            Expr::Neg(e) => Ok(-e.eval(lookup)?),
            Expr::Binary(a, op, b) => {
                let (a, b) = (a.eval(lookup)?, b.eval(lookup)?);
                match op {
                    Op::Add => a.checked_add(b).ok_or(FormulaError::Overflow),
                    Op::Sub => a.checked_sub(b).ok_or(FormulaError::Overflow),
                    Op::Mul => a.checked_mul(b).ok_or(FormulaError::Overflow),
                    Op::Div if b.is_zero() => Err(FormulaError::DivisionByZero),
                    Op::Div => a.checked_div(b).ok_or(FormulaError::Overflow),
                }
            }
            Expr::Call(f, args) => {
                let values = args.iter().map(|a| a.eval(lookup)).collect::<Result<Vec<_>, _>>()?;
                Ok(match f {
                    Function::Abs => values[0].abs(),
                    Function::Min => values.into_iter().min().unwrap_or_default(),
                    Function::Max => values.into_iter().max().unwrap_or_default(),
                })
            }
        }
    }

    /// The references the expression reads.
    pub fn references(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        self.collect_refs(&mut out);
        out
    }

    fn collect_refs(&self, out: &mut BTreeSet<String>) {
        match self {
            Expr::Number(_) => {}
            Expr::Ref(name) => {
                out.insert(name.clone());
            }
            Expr::Neg(e) => e.collect_refs(out),
            Expr::Binary(a, _, b) => {
                a.collect_refs(out);
                b.collect_refs(out);
            }
            Expr::Call(_, args) => args.iter().for_each(|a| a.collect_refs(out)),
        }
    }
}

impl Expr {
    /// Binding strength: what needs brackets when written inside what.
    fn precedence(&self) -> u8 {
        match self {
            Expr::Binary(_, Op::Add | Op::Sub, _) => 1,
            Expr::Binary(_, Op::Mul | Op::Div, _) => 2,
            Expr::Neg(_) => 3,
            Expr::Number(_) | Expr::Ref(_) | Expr::Call(..) => 4,
        }
    }
}

/// Writes with only the brackets the meaning needs, so that writing and
/// reading back never nests deeper than the formula as typed.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bracket = |e: &Expr, need: bool| if need { format!("({e})") } else { e.to_string() };
        match self {
            Expr::Number(n) => write!(f, "{n}"),
            Expr::Ref(name) => write!(f, "[{name}]"),
            Expr::Neg(e) => write!(f, "-{}", bracket(e, e.precedence() < 3)),
            Expr::Binary(a, op, b) => {
                let (symbol, level) = match op {
                    Op::Add => ("+", 1),
                    Op::Sub => ("-", 1),
                    Op::Mul => ("*", 2),
                    Op::Div => ("/", 2),
                };
                // Left-associative: the right side brackets at equal strength.
                write!(f, "{} {symbol} {}", bracket(a, a.precedence() < level), bracket(b, b.precedence() <= level))
            }
            Expr::Call(func, args) => {
                let name = match func {
                    Function::Min => "min",
                    Function::Max => "max",
                    Function::Abs => "abs",
                };
                let args: Vec<String> = args.iter().map(ToString::to_string).collect();
                write!(f, "{name}({})", args.join(", "))
            }
        }
    }
}

impl fmt::Display for Formula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] = {}", self.defines, self.expr)
    }
}

/// Orders formulas so that each comes after those it reads; refuses circles.
pub fn order(formulas: &[Formula]) -> Result<Vec<&Formula>, FormulaError> {
    let by_name: BTreeMap<&str, &Formula> = formulas.iter().map(|f| (f.defines.as_str(), f)).collect();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    let mut out = Vec::new();
    fn visit<'f>(
        f: &'f Formula,
        by_name: &BTreeMap<&str, &'f Formula>,
        done: &mut BTreeSet<&'f str>,
        path: &mut Vec<&'f str>,
        out: &mut Vec<&'f Formula>,
    ) -> Result<(), FormulaError> {
        if done.contains(f.defines.as_str()) {
            return Ok(());
        }
        if path.contains(&f.defines.as_str()) {
            path.push(f.defines.as_str());
            return Err(FormulaError::Cycle(path.join(" → ")));
        }
        path.push(f.defines.as_str());
        for r in f.expr.references() {
            if let Some(dep) = by_name.get(r.as_str()) {
                visit(dep, by_name, done, path, out)?;
            }
        }
        path.pop();
        done.insert(f.defines.as_str());
        out.push(f);
        Ok(())
    }
    for f in formulas {
        visit(f, &by_name, &mut done, &mut Vec::new(), &mut out)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn beds_per_ten_thousand_people() {
        let f: Formula = "[o.1] = [beds] / [population] * 10000".parse().unwrap();
        assert_eq!(f.defines, "o.1");
        let values = |name: &str| match name {
            "beds" => Some(d("4300")),
            "population" => Some(d("1290000")),
            _ => None,
        };
        assert_eq!(f.expr.eval(&values).unwrap().round_dp(2), d("33.33"));
        assert_eq!(f.expr.references().into_iter().collect::<Vec<_>>(), ["beds", "population"]);
    }

    #[test]
    fn precedence_functions_and_errors() {
        let e: Expr = "2 + 3 * -(4 - 1) / 2".parse().unwrap();
        assert_eq!(e.eval(&|_| None).unwrap(), d("-2.5"));
        let e: Expr = "max([a] - [b], 0) + abs(-1.5) + min(1, 2, 0.5)".parse().unwrap();
        let v = |n: &str| if n == "a" { Some(d("1")) } else { Some(d("3")) };
        assert_eq!(e.eval(&v).unwrap(), d("2.0"));
        assert_eq!("[a] / 0".parse::<Expr>().unwrap().eval(&|_| Some(d("1"))), Err(FormulaError::DivisionByZero));
        assert_eq!("[a]".parse::<Expr>().unwrap().eval(&|_| None), Err(FormulaError::Missing("a".into())));
        assert_eq!(
            "[a] +".parse::<Expr>(),
            Err(FormulaError::Syntax { at: 6, message: "the formula ends too early".into() })
        );
        assert!(matches!("sqrt([a])".parse::<Expr>(), Err(FormulaError::Syntax { at: 1, .. })));
        assert!("[o.1] [a]".parse::<Formula>().is_err());
        assert!("1.850,5".parse::<Expr>().is_err());
    }

    #[test]
    fn formulas_are_ordered_and_circles_refused() {
        let fs: Vec<Formula> =
            ["[c] = [b] + 1", "[b] = [a] * 2", "[d] = [c] + [b]"].iter().map(|s| s.parse().unwrap()).collect();
        let sorted: Vec<&str> = order(&fs).unwrap().iter().map(|f| f.defines.as_str()).collect();
        assert_eq!(sorted, ["b", "c", "d"]);
        let circle: Vec<Formula> = ["[a] = [b]", "[b] = [a] + 1"].iter().map(|s| s.parse().unwrap()).collect();
        assert_eq!(order(&circle).unwrap_err(), FormulaError::Cycle("a → b → a".into()));
    }

    fn expr() -> impl Strategy<Value = Expr> {
        let leaf = prop_oneof![
            (0i64..1_000_000, 0u32..3).prop_map(|(u, s)| Expr::Number(Decimal::new(u, s))),
            prop::sample::select(vec!["a", "b", "c.1"]).prop_map(|n| Expr::Ref(n.to_string())),
        ];
        leaf.prop_recursive(5, 32, 3, |inner| {
            prop_oneof![
                inner.clone().prop_map(|e| Expr::Neg(Box::new(e))),
                (inner.clone(), prop::sample::select(vec![Op::Add, Op::Sub, Op::Mul, Op::Div]), inner.clone())
                    .prop_map(|(a, op, b)| Expr::Binary(Box::new(a), op, Box::new(b))),
                proptest::collection::vec(inner, 1..3).prop_map(|args| Expr::Call(Function::Max, args)),
            ]
        })
    }

    proptest! {
        /// What is written reads back as the same expression and value.
        #[test]
        fn written_formulas_read_back(e in expr()) {
            let text = e.to_string();
            let back: Expr = text.parse().unwrap();
            prop_assert_eq!(&back, &e, "{}", text);
            let values = |n: &str| Some(Decimal::from(n.len() as i64 + 1));
            prop_assert_eq!(back.eval(&values), e.eval(&values));
            prop_assert_eq!(back.references(), e.references());
        }

        /// Sums are exact in decimals, as money needs.
        #[test]
        fn sums_are_exact(parts in proptest::collection::vec((0i64..1_000_000_000, 0u32..4), 1..8)) {
            let values: Vec<Decimal> = parts.iter().map(|&(u, s)| Decimal::new(u, s)).collect();
            let text = (0..values.len()).map(|i| format!("[p{i}]")).collect::<Vec<_>>().join(" + ");
            let e: Expr = text.parse().unwrap();
            let got = e.eval(&|n: &str| n[1..].parse::<usize>().ok().and_then(|i| values.get(i).copied())).unwrap();
            prop_assert_eq!(got, values.iter().sum::<Decimal>());
        }

        #[test]
        fn never_panics(s in "\\PC{0,80}") {
            if let Ok(e) = s.parse::<Expr>() {
                let _ = e.eval(&|_| Some(Decimal::ONE));
            }
            let _ = s.parse::<Formula>();
        }

        #[test]
        fn deep_nesting_is_refused_not_overflowed(n in 1usize..400) {
            let text = format!("{}1{}", "(".repeat(n), ")".repeat(n));
            let parsed = text.parse::<Expr>();
            if n <= MAX_DEPTH {
                prop_assert_eq!(parsed.expect("up to the limit it parses").eval(&|_| None).ok(), Some(Decimal::ONE));
            } else {
                let e = parsed.expect_err("refused");
                prop_assert!(e.to_string().contains("nested too deeply"), "{}", e);
            }
        }
    }
}
