//! Automatic numbering: the label Word shows before a numbered paragraph,
//! from `word/numbering.xml` and the paragraph styles of `word/styles.xml`
//! (only what numbering needs of them).

use super::*;

#[derive(Debug, Default)]
pub(super) struct Style {
    pub(super) based_on: Option<String>,
    pub(super) num_id: Option<String>,
    pub(super) ilvl: Option<usize>,
}

#[derive(Debug, Default)]
pub(super) struct Styles {
    pub(super) styles: HashMap<String, Style>,
    /// The paragraph style applied when a paragraph names none.
    pub(super) default_paragraph: Option<String>,
}

impl Styles {
    /// The numbering a style carries, inherited through `w:basedOn`.
    pub(super) fn numbering_of(&self, style_id: &str) -> (Option<String>, Option<usize>) {
        let (mut num_id, mut ilvl) = (None, None);
        let mut id = Some(style_id);
        for _ in 0..16 {
            let Some(style) = id.and_then(|id| self.styles.get(id)) else {
                break;
            };
            num_id = num_id.or_else(|| style.num_id.clone());
            ilvl = ilvl.or(style.ilvl);
            if num_id.is_some() && ilvl.is_some() {
                break;
            }
            id = style.based_on.as_deref();
        }
        (num_id, ilvl)
    }
}

pub(super) enum StyleCtx {
    Style(String),
    PPr(String),
    NumPr(String),
    Other,
}

pub(super) fn parse_styles(part: &str, text: &str) -> Result<Styles, DocxError> {
    let mut out = Styles::default();
    let mut stack: Vec<StyleCtx> = Vec::new();
    let mut xml = XmlWalker::new(part, text);
    loop {
        let Some((ns, e, empty)) = xml.next_open(&mut stack)? else { return Ok(out) };
        let local = e.local_name();
        let ctx = match (ns, local.as_ref(), stack.last()) {
            (Ns::W, "style", _) => match attr(&e, "styleId") {
                Some(id) => {
                    let is_default = attr(&e, "default").is_some_and(|v| is_true(&v));
                    if is_default && attr(&e, "type").as_deref() == Some("paragraph") && out.default_paragraph.is_none()
                    {
                        out.default_paragraph = Some(id.clone());
                    }
                    out.styles.entry(id.clone()).or_default();
                    StyleCtx::Style(id)
                }
                None => StyleCtx::Other,
            },
            (Ns::W, "basedOn", Some(StyleCtx::Style(id))) => {
                if let Some(style) = out.styles.get_mut(id) {
                    style.based_on = attr(&e, "val");
                }
                StyleCtx::Other
            }
            (Ns::W, "pPr", Some(StyleCtx::Style(id))) => StyleCtx::PPr(id.clone()),
            (Ns::W, "numPr", Some(StyleCtx::PPr(id))) => StyleCtx::NumPr(id.clone()),
            (Ns::W, "numId", Some(StyleCtx::NumPr(id))) => {
                if let Some(style) = out.styles.get_mut(id) {
                    style.num_id = attr(&e, "val").map(|v| v.trim().to_owned());
                }
                StyleCtx::Other
            }
            (Ns::W, "ilvl", Some(StyleCtx::NumPr(id))) => {
                if let Some(style) = out.styles.get_mut(id) {
                    style.ilvl = parse_level(attr(&e, "val"));
                }
                StyleCtx::Other
            }
            _ => StyleCtx::Other,
        };
        if !empty {
            stack.push(ctx);
        }
    }
}

// ---------------------------------------------------------------------------
// numbering.xml
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NumFmt {
    Decimal,
    DecimalZero,
    LowerLetter,
    UpperLetter,
    LowerRoman,
    UpperRoman,
    Bullet,
    /// `none`: the number is not shown.
    Hidden,
    /// `custom` (Word 2010+), always paired with a fallback format in
    /// `mc:Fallback` that replaces it.
    Custom,
}

impl NumFmt {
    pub(super) fn parse(v: &str) -> NumFmt {
        match v.trim() {
            "decimalZero" => NumFmt::DecimalZero,
            "lowerLetter" => NumFmt::LowerLetter,
            "upperLetter" => NumFmt::UpperLetter,
            "lowerRoman" => NumFmt::LowerRoman,
            "upperRoman" => NumFmt::UpperRoman,
            "bullet" => NumFmt::Bullet,
            "none" => NumFmt::Hidden,
            "custom" => NumFmt::Custom,
            // decimal, and national formats we do not render: arabic numbers.
            _ => NumFmt::Decimal,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) enum Suffix {
    #[default]
    Tab,
    Space,
    Nothing,
}

#[derive(Debug, Clone, Default)]
pub(super) struct LevelDef {
    pub(super) start: Option<u32>,
    pub(super) fmt: Option<NumFmt>,
    pub(super) text: Option<String>,
    /// `w:lvlRestart`: restart after this (1-based) level; 0 never.
    pub(super) restart: Option<u32>,
    /// `w:isLgl`: show every number in the label as decimal.
    pub(super) legal: bool,
    pub(super) suffix: Suffix,
    /// `w:pStyle`: the paragraph style tied to this level.
    pub(super) style: Option<String>,
}

#[derive(Debug, Default)]
pub(super) struct AbstractNum {
    pub(super) levels: [LevelDef; LEVELS],
    /// `w:numStyleLink`: the levels live in the numbering style named here.
    pub(super) num_style_link: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub(super) struct LevelOverride {
    pub(super) start: Option<u32>,
    pub(super) level: Option<LevelDef>,
}

#[derive(Debug, Default)]
pub(super) struct NumInstance {
    pub(super) abstract_id: String,
    pub(super) overrides: [LevelOverride; LEVELS],
}

#[derive(Debug, Default)]
pub(super) struct Numbering {
    pub(super) abstracts: HashMap<String, AbstractNum>,
    pub(super) nums: HashMap<String, NumInstance>,
}

impl Numbering {
    /// The abstract definition behind a numbering instance, following
    /// `w:numStyleLink` through the numbering style it names.
    pub(super) fn resolve_abstract<'n>(
        &'n self,
        num: &'n NumInstance,
        styles: &Styles,
    ) -> Option<(&'n str, &'n AbstractNum)> {
        let mut id: &str = &num.abstract_id;
        for _ in 0..8 {
            let abs = self.abstracts.get(id)?;
            let Some(link) = &abs.num_style_link else {
                return Some((id, abs));
            };
            let linked = styles.numbering_of(link).0?;
            id = &self.nums.get(linked.as_str())?.abstract_id;
        }
        None
    }

    pub(super) fn level_mut(&mut self, target: &LevelTarget) -> Option<&mut LevelDef> {
        match target {
            LevelTarget::Abstract(id, l) => self.abstracts.get_mut(id).map(|a| &mut a.levels[*l]),
            LevelTarget::Override(id, l) => {
                self.nums.get_mut(id).map(|n| n.overrides[*l].level.get_or_insert_with(LevelDef::default))
            }
        }
    }
}

pub(super) enum LevelTarget {
    Abstract(String, usize),
    Override(String, usize),
}

pub(super) enum NumCtx {
    Abstract(String),
    Num(String),
    Override(String, usize),
    Level(LevelTarget),
    /// `mc:AlternateContent` and its branches: transparent here, so that a
    /// `w:numFmt` in `mc:Fallback` can replace a `custom` one.
    Mc,
    Other,
}

pub(super) fn parse_numbering(part: &str, text: &str) -> Result<Numbering, DocxError> {
    let mut out = Numbering::default();
    let mut stack: Vec<NumCtx> = Vec::new();
    let mut xml = XmlWalker::new(part, text);
    loop {
        let Some((ns, e, empty)) = xml.next_open(&mut stack)? else { return Ok(out) };
        let parent = stack.iter().rev().find(|c| !matches!(c, NumCtx::Mc));
        let local = e.local_name();
        let ctx = match (ns, local.as_ref(), parent) {
            (Ns::Mc, _, _) => NumCtx::Mc,
            (Ns::W, "abstractNum", _) => match attr(&e, "abstractNumId") {
                Some(id) => {
                    let id = id.trim().to_owned();
                    out.abstracts.entry(id.clone()).or_default();
                    NumCtx::Abstract(id)
                }
                None => NumCtx::Other,
            },
            (Ns::W, "num", _) => match attr(&e, "numId") {
                Some(id) => {
                    let id = id.trim().to_owned();
                    out.nums.entry(id.clone()).or_default();
                    NumCtx::Num(id)
                }
                None => NumCtx::Other,
            },
            (Ns::W, "abstractNumId", Some(NumCtx::Num(id))) => {
                if let (Some(num), Some(v)) = (out.nums.get_mut(id), attr(&e, "val")) {
                    num.abstract_id = v.trim().to_owned();
                }
                NumCtx::Other
            }
            (Ns::W, "numStyleLink", Some(NumCtx::Abstract(id))) => {
                if let Some(abs) = out.abstracts.get_mut(id) {
                    abs.num_style_link = attr(&e, "val");
                }
                NumCtx::Other
            }
            (Ns::W, "lvlOverride", Some(NumCtx::Num(id))) => match parse_level(attr(&e, "ilvl")) {
                Some(l) => NumCtx::Override(id.clone(), l),
                None => NumCtx::Other,
            },
            (Ns::W, "startOverride", Some(NumCtx::Override(id, l))) => {
                if let Some(num) = out.nums.get_mut(id) {
                    num.overrides[*l].start = attr(&e, "val").and_then(|v| v.trim().parse().ok());
                }
                NumCtx::Other
            }
            (Ns::W, "lvl", Some(NumCtx::Abstract(id))) => match parse_level(attr(&e, "ilvl")) {
                Some(l) => NumCtx::Level(LevelTarget::Abstract(id.clone(), l)),
                None => NumCtx::Other,
            },
            (Ns::W, "lvl", Some(NumCtx::Override(id, l))) => {
                let l = parse_level(attr(&e, "ilvl")).unwrap_or(*l);
                NumCtx::Level(LevelTarget::Override(id.clone(), l))
            }
            (Ns::W, name, Some(NumCtx::Level(target))) => {
                if let Some(def) = out.level_mut(target) {
                    apply_level_property(def, name, &e);
                }
                NumCtx::Other
            }
            _ => NumCtx::Other,
        };
        if !empty {
            stack.push(ctx);
        }
    }
}

pub(super) fn apply_level_property(def: &mut LevelDef, name: &str, e: &BytesStart<'_>) {
    let val = attr(e, "val");
    match name {
        "start" => def.start = val.and_then(|v| v.trim().parse().ok()),
        "numFmt" => {
            // A later format (the mc:Fallback one) replaces only `custom`.
            if matches!(def.fmt, None | Some(NumFmt::Custom)) {
                def.fmt = Some(NumFmt::parse(val.as_deref().unwrap_or("decimal")));
            }
        }
        "lvlText" => def.text = Some(val.unwrap_or_default()),
        "lvlRestart" => def.restart = val.and_then(|v| v.trim().parse().ok()),
        "isLgl" => def.legal = on_off(e),
        "suff" => {
            def.suffix = match val.as_deref().map(str::trim) {
                Some("space") => Suffix::Space,
                Some("nothing") => Suffix::Nothing,
                _ => Suffix::Tab,
            }
        }
        "pStyle" => def.style = val,
        _ => {}
    }
}

/// A numbering label and what separates it from the paragraph text.
#[derive(Debug)]
pub(super) struct Label {
    pub(super) text: String,
    pub(super) suffix: &'static str,
}

/// Running list counters, advanced paragraph by paragraph in document order.
pub(super) struct Counters<'a> {
    pub(super) numbering: &'a Numbering,
    pub(super) styles: &'a Styles,
    /// Keyed by abstract numbering: in Word, `w:num` instances sharing an
    /// `w:abstractNum` continue one sequence unless an override restarts it.
    pub(super) values: HashMap<String, [Option<u32>; LEVELS]>,
    /// `(numId, level)` whose `w:startOverride` has been applied.
    pub(super) overrides_applied: HashSet<(String, usize)>,
}

impl<'a> Counters<'a> {
    pub(super) fn new(numbering: &'a Numbering, styles: &'a Styles) -> Self {
        Counters { numbering, styles, values: HashMap::new(), overrides_applied: HashSet::new() }
    }

    /// The label of a paragraph, advancing the counters; `None` when the
    /// paragraph is not numbered.
    pub(super) fn label(&mut self, num_id: Option<&str>, ilvl: Option<usize>, style: Option<&str>) -> Option<Label> {
        let numbering = self.numbering;
        let style = style.or(self.styles.default_paragraph.as_deref());
        let (style_num, style_ilvl) = style.map(|s| self.styles.numbering_of(s)).unwrap_or_default();
        let num_id = num_id.or(style_num.as_deref())?;
        if num_id == "0" {
            return None; // numId 0 switches numbering off
        }
        let num = numbering.nums.get(num_id)?;
        let (abs_id, abs) = numbering.resolve_abstract(num, self.styles)?;
        let level = ilvl
            .or(style_ilvl)
            .or_else(|| {
                let style = style?;
                abs.levels.iter().position(|l| l.style.as_deref() == Some(style))
            })
            .unwrap_or(0);
        if level >= LEVELS {
            return None;
        }
        let def = |k: usize| num.overrides[k].level.as_ref().unwrap_or(&abs.levels[k]);

        let override_start =
            num.overrides[level].start.filter(|_| self.overrides_applied.insert((num_id.to_owned(), level)));
        let counters = self.values.entry(abs_id.to_owned()).or_insert([None; LEVELS]);
        let value = match (override_start, counters[level]) {
            (Some(start), _) => start,
            (None, Some(previous)) => previous.saturating_add(1),
            (None, None) => def(level).start.unwrap_or(0),
        };
        counters[level] = Some(value);
        // Deeper levels restart when this one advances, unless their
        // w:lvlRestart says otherwise.
        for (k, counter) in counters.iter_mut().enumerate().skip(level + 1) {
            let restarts = match def(k).restart {
                None => true,
                Some(0) => false,
                Some(after) => (level as u32) < after,
            };
            if restarts {
                *counter = None;
            }
        }

        let current = def(level);
        if current.fmt == Some(NumFmt::Bullet) {
            return Some(Label { text: "-".to_owned(), suffix: " " });
        }
        let values: [u32; LEVELS] = std::array::from_fn(|k| counters[k].unwrap_or_else(|| def(k).start.unwrap_or(0)));
        let text = render_level_text(current.text.as_deref().unwrap_or(""), |k| {
            let fmt = if current.legal { NumFmt::Decimal } else { def(k).fmt.unwrap_or(NumFmt::Decimal) };
            format_number(values[k], fmt)
        });
        if text.is_empty() {
            return None;
        }
        let suffix = match current.suffix {
            Suffix::Nothing => "",
            Suffix::Tab | Suffix::Space => " ",
        };
        Some(Label { text, suffix })
    }
}

/// Fills `%1`…`%9` in a `w:lvlText` with the numbers of those levels.
pub(super) fn render_level_text(template: &str, mut number: impl FnMut(usize) -> String) -> String {
    let mut out = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        let level = match c {
            '%' => chars.peek().and_then(|d| d.to_digit(10)).filter(|d| *d >= 1),
            _ => None,
        };
        match level {
            Some(d) => {
                chars.next();
                out.push_str(&number(d as usize - 1));
            }
            None => out.push(c),
        }
    }
    out
}

pub(super) fn format_number(n: u32, fmt: NumFmt) -> String {
    match fmt {
        NumFmt::Decimal | NumFmt::Custom => n.to_string(),
        NumFmt::DecimalZero if n < 10 => format!("0{n}"),
        NumFmt::DecimalZero => n.to_string(),
        NumFmt::LowerLetter => vietnamese_letter(n, false),
        NumFmt::UpperLetter => vietnamese_letter(n, true),
        NumFmt::LowerRoman => roman(n).to_lowercase(),
        NumFmt::UpperRoman => roman(n),
        NumFmt::Bullet | NumFmt::Hidden => String::new(),
    }
}

/// The `n`th item letter (1-based).
///
/// We deliberately do NOT do what Word does here. Word's `lowerLetter` and
/// `upperLetter` count a b c d e f …, but Vietnamese legal documents letter
/// their points ("điểm") in the Vietnamese alphabet: a b c d đ e g h i k l m
/// n o p q r s t u v x y (no f, j, w, z). A resolution that uses Word's
/// auto-lettering is still read, cited and amended by people as a), b), c),
/// d), đ), e)…, and the importer keys targets by that letter, so the 5th item
/// must be "đ", not "e". Upper-case letters follow the same alphabet (Đ).
/// Past y the letters double (aa, bb, …) as in Word; absurd counts fall
/// back to digits.
pub(super) fn vietnamese_letter(n: u32, upper: bool) -> String {
    let count = ITEM_LETTERS.len() as u32;
    if n == 0 || n > count * 4 {
        return n.to_string();
    }
    let letter = ITEM_LETTERS[((n - 1) % count) as usize];
    let letter = if upper { letter.to_uppercase() } else { letter.to_owned() };
    letter.repeat(((n - 1) / count + 1) as usize)
}

pub(super) fn roman(n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    const DIGITS: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (value, digits) in DIGITS {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}
