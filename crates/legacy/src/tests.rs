//! The encodings round-trip, and the detector picks the right one.
use super::*;
use proptest::prelude::*;

// --- fixtures: (Unicode, TCVN3 as Windows-1252 text, VNI as text) -----

const PHRASES: &[(&str, &str, &str)] = &[
    (
        "Tốc độ tăng trưởng kinh tế (GRDP) đạt 6,5%",
        "Tèc ®é t¨ng tr\u{ad}ëng kinh tÕ (GRDP) ®¹t 6,5%",
        "Toác ñoä taêng tröôûng kinh teá (GRDP) ñaït 6,5%",
    ),
    (
        "Nghị quyết của Hội đồng nhân dân tỉnh",
        "NghÞ quyÕt cña Héi ®ång nh©n d©n tØnh",
        "Nghò quyeát cuûa Hoäi ñoàng nhaân daân tænh",
    ),
    (
        "Thu ngân sách nhà nước trên địa bàn đạt 6.388,3 tỷ đồng",
        "Thu ng©n s¸ch nhµ n\u{ad}íc trªn ®Þa bµn ®¹t 6.388,3 tû ®ång",
        "Thu ngaân saùch nhaø nöôùc treân ñòa baøn ñaït 6.388,3 tyû ñoàng",
    ),
    ("Đường dây 110kV", "§\u{ad}êng d©y 110kV", "Ñöôøng daây 110kV"),
    (
        "Cộng hoà xã hội chủ nghĩa Việt Nam",
        "Céng hoµ x· héi chñ nghÜa ViÖt Nam",
        "Coäng hoaø xaõ hoäi chuû nghóa Vieät Nam",
    ),
    ("Độc lập - Tự do - Hạnh phúc", "§éc lËp - Tù do - H¹nh phóc", "Ñoäc laäp - Töï do - Haïnh phuùc"),
    ("Uỷ ban nhân dân tỉnh Quảng Ninh", "Uû ban nh©n d©n tØnh Qu¶ng Ninh", "Uyû ban nhaân daân tænh Quaûng Ninh"),
    (
        "hỗ trợ đặc biệt, bền vững, sẵn sàng, khuyến khích",
        "hç trî ®Æc biÖt, bÒn v÷ng, s½n sµng, khuyÕn khÝch",
        "hoã trôï ñaëc bieät, beàn vöõng, saün saøng, khuyeán khích",
    ),
    (
        "Giữa năm, tổng kiểm kê rượu, thuế, kỹ thuật, học phí",
        "Gi÷a n¨m, tæng kiÓm kª r\u{ad}îu, thuÕ, kü thuËt, häc phÝ",
        "Giöõa naêm, toång kieåm keâ röôïu, thueá, kyõ thuaät, hoïc phí",
    ),
];

/// Each vowel with its six tones (no tone, huyền, hỏi, ngã, sắc, nặng).
const TONE_ROWS: &[(&str, &str, &str)] = &[
    ("a à ả ã á ạ", "a µ ¶ · ¸ ¹", "a aø aû aõ aù aï"),
    ("ă ằ ẳ ẵ ắ ặ", "¨ » ¼ ½ ¾ Æ", "aê aè aú aü aé aë"),
    ("â ầ ẩ ẫ ấ ậ", "© Ç È É Ê Ë", "aâ aà aå aã aá aä"),
    ("e è ẻ ẽ é ẹ", "e Ì Î Ï Ð Ñ", "e eø eû eõ eù eï"),
    ("ê ề ể ễ ế ệ", "ª Ò Ó Ô Õ Ö", "eâ eà eå eã eá eä"),
    ("i ì ỉ ĩ í ị", "i × Ø Ü Ý Þ", "i ì æ ó í ò"),
    ("o ò ỏ õ ó ọ", "o ß á â ã ä", "o oø oû oõ où oï"),
    ("ô ồ ổ ỗ ố ộ", "« å æ ç è é", "oâ oà oå oã oá oä"),
    ("ơ ờ ở ỡ ớ ợ", "¬ ê ë ì í î", "ô ôø ôû ôõ ôù ôï"),
    ("u ù ủ ũ ú ụ", "u ï ñ ò ó ô", "u uø uû uõ uù uï"),
    ("ư ừ ử ữ ứ ự", "\u{ad} õ ö ÷ ø ù", "ö öø öû öõ öù öï"),
    ("y ỳ ỷ ỹ ý ỵ", "y ú û ü ý þ", "y yø yû yõ yù î"),
    ("đ Đ", "® §", "ñ Ñ"),
    ("Ă Â Ê Ô Ơ Ư", "¡ ¢ £ ¤ ¥ ¦", "AÊ AÂ EÂ OÂ Ô Ö"),
];

/// Upper case with tones: VNI only (VN3 has no slots for them).
const VNI_UPPER_ROWS: &[(&str, &str)] = &[
    ("A À Ả Ã Á Ạ", "A AØ AÛ AÕ AÙ AÏ"),
    ("Ă Ằ Ẳ Ẵ Ắ Ặ", "AÊ AÈ AÚ AÜ AÉ AË"),
    ("Â Ầ Ẩ Ẫ Ấ Ậ", "AÂ AÀ AÅ AÃ AÁ AÄ"),
    ("E È Ẻ Ẽ É Ẹ", "E EØ EÛ EÕ EÙ EÏ"),
    ("Ê Ề Ể Ễ Ế Ệ", "EÂ EÀ EÅ EÃ EÁ EÄ"),
    ("I Ì Ỉ Ĩ Í Ị", "I Ì Æ Ó Í Ò"),
    ("O Ò Ỏ Õ Ó Ọ", "O OØ OÛ OÕ OÙ OÏ"),
    ("Ô Ồ Ổ Ỗ Ố Ộ", "OÂ OÀ OÅ OÃ OÁ OÄ"),
    ("Ơ Ờ Ở Ỡ Ớ Ợ", "Ô ÔØ ÔÛ ÔÕ ÔÙ ÔÏ"),
    ("U Ù Ủ Ũ Ú Ụ", "U UØ UÛ UÕ UÙ UÏ"),
    ("Ư Ừ Ử Ữ Ứ Ự", "Ö ÖØ ÖÛ ÖÕ ÖÙ ÖÏ"),
    ("Y Ỳ Ỷ Ỹ Ý Ỵ", "Y YØ YÛ YÕ YÙ Î"),
    ("NGHỊ QUYẾT HỘI ĐỒNG NHÂN DÂN", "NGHÒ QUYEÁT HOÄI ÑOÀNG NHAÂN DAÂN"),
    ("Ủy ban, Ước tính, Ở đâu", "UÛy ban, Öôùc tính, ÔÛ ñaâu"),
];

fn cp1252_text(bytes: &[u8]) -> String {
    WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned()
}

fn cp1252_bytes(text: &str) -> Vec<u8> {
    text.chars().map(|c| cp1252_byte(c).expect("cp1252 char")).collect()
}

// --- tables ----------------------------------------------------------

#[test]
fn vowel_table_matches_unicode_composition() {
    let marks = ['\0', '\u{300}', '\u{309}', '\u{303}', '\u{301}', '\u{323}'];
    let bases = ["a", "a\u{306}", "a\u{302}", "e", "e\u{302}", "i", "o", "o\u{302}", "o\u{31b}", "u", "u\u{31b}", "y"];
    for (row, base) in bases.iter().enumerate() {
        for (tone, mark) in marks.iter().enumerate() {
            let mut s = base.to_string();
            if tone != NO_TONE {
                s.push(*mark);
            }
            let nfc: String = s.nfc().collect();
            assert_eq!(nfc, VOWELS[row][tone].to_string(), "row {row} tone {tone}");
            let upper = to_upper(VOWELS[row][tone]);
            assert_ne!(upper, VOWELS[row][tone]);
            assert_eq!(vowel_parts(upper), Some((row, tone, true)));
            assert_eq!(vowel_parts(VOWELS[row][tone]), Some((row, tone, false)));
        }
    }
}

#[test]
fn tcvn3_table_is_a_bijection_onto_vietnamese_letters() {
    let mut seen = HashSet::new();
    for &(b, c) in TCVN3_VN3.iter().chain(TCVN3_VN2_UPPER) {
        assert!(b >= 0xA1, "{b:#x}");
        assert!(seen.insert(b), "byte {b:#x} twice");
        assert!(vowel_parts(c).is_some() || c == 'đ' || c == 'Đ', "{c} at {b:#x} is not a Vietnamese letter");
    }
    // Every lower-case toned vowel and every base letter is in VN3.
    for row in VOWELS {
        for v in row {
            let ascii = v.is_ascii();
            let in_vn3 = TCVN3_VN3.iter().any(|&(_, c)| c == v);
            assert!(ascii || in_vn3, "{v} missing from VN3");
        }
    }
    for c in ['Ă', 'Â', 'Ê', 'Ô', 'Ơ', 'Ư', 'Đ', 'đ'] {
        assert!(TCVN3_VN3.iter().any(|&(_, t)| t == c), "{c}");
    }
    assert_eq!(TCVN3_VN3.len(), 12 * 5 + 14);
}

#[test]
fn cp1258_tone_bytes_from_encoding_rs() {
    let (s, _) = WINDOWS_1258.decode_without_bom_handling(&[0xCC, 0xEC, 0xD2, 0xDE, 0xF2]);
    assert_eq!(s, "\u{300}\u{301}\u{309}\u{303}\u{323}");
    let (s, _) = WINDOWS_1258.decode_without_bom_handling(&[0xC3, 0xE3, 0xD0, 0xF0, 0xD5, 0xF5, 0xDD, 0xFD]);
    assert_eq!(s, "ĂăĐđƠơƯư");
}

// --- conversion both ways --------------------------------------------

#[test]
fn tcvn3_phrases_both_ways() {
    for (uni, tcvn3, _) in PHRASES.iter().chain(TONE_ROWS) {
        assert_eq!(convert_legacy_unicode(tcvn3, LegacyEncoding::Tcvn3), *uni);
        let bytes = encode_legacy(uni, LegacyEncoding::Tcvn3).expect("encodable");
        assert_eq!(cp1252_text(&bytes), *tcvn3, "encoding {uni}");
        assert_eq!(decode_legacy_bytes_as(&bytes, LegacyEncoding::Tcvn3), *uni);
    }
}

#[test]
fn vni_phrases_both_ways() {
    let upper = VNI_UPPER_ROWS.iter().map(|&(u, v)| (u, "", v));
    for (uni, _, vni) in PHRASES.iter().copied().chain(TONE_ROWS.iter().copied()).chain(upper) {
        assert_eq!(convert_legacy_unicode(vni, LegacyEncoding::Vni), uni);
        let bytes = encode_legacy(uni, LegacyEncoding::Vni).expect("encodable");
        assert_eq!(cp1252_text(&bytes), vni, "encoding {uni}");
        assert_eq!(decode_legacy_bytes_as(&bytes, LegacyEncoding::Vni), uni);
    }
}

#[test]
fn hand_written_bytes_decode() {
    let cases: &[(&[u8], LegacyEncoding, &str)] = &[
        (b"T\xE8c \xAE\xE9 t\xA8ng tr\xAD\xEBng", LegacyEncoding::Tcvn3, "Tốc độ tăng trưởng"),
        (b"Ngh\xDE quy\xD5t c\xF1a H\xE9i \xAE\xE5ng", LegacyEncoding::Tcvn3, "Nghị quyết của Hội đồng"),
        (b"To\xE1c \xF1o\xE4 ta\xEAng tr\xF6\xF4\xFBng", LegacyEncoding::Vni, "Tốc độ tăng trưởng"),
        (b"\xD1\xF6\xF4\xF8ng da\xE2y", LegacyEncoding::Vni, "Đường dây"),
        // Windows-1258: base letters, then combining tone bytes.
        (b"T\xF4\xECc \xF0\xF4\xF2 t\xE3ng tr\xFD\xF5\xD2ng", LegacyEncoding::Windows1258, "Tốc độ tăng trưởng"),
        (b"\xD0\xFD\xF5\xCCng d\xE2y", LegacyEncoding::Windows1258, "Đường dây"),
        // Precomposed Latin-1 letters are legal Windows-1258 too.
        (b"nh\xE0 n\xFD\xF5\xECc", LegacyEncoding::Windows1258, "nhà nước"),
    ];
    for (bytes, enc, want) in cases {
        assert_eq!(decode_legacy_bytes_as(bytes, *enc), *want, "{enc}");
        assert_eq!(decode_legacy_bytes(bytes), Ok((*enc, want.to_string())), "{want}");
    }
}

#[test]
fn tcvn3_upper_case_toned_letters() {
    // Not encodable in VN3 ...
    assert_eq!(encode_legacy("NGHỊ QUYẾT", LegacyEncoding::Tcvn3), None);
    assert_eq!(encode_legacy("Ấp", LegacyEncoding::Tcvn3), None);
    // ... but typed in .VnTimeH with Caps Lock, they come back upper case.
    let cases = [
        ("NGHÞ QUYÕT", "NGHỊ QUYẾT"),
        ("HéI §åNG NH¢N D¢N TØNH", "HỘI ĐỒNG NHÂN DÂN TỈNH"),
        ("KINH TÕ Vµ X· HéI", "KINH TẾ VÀ XÃ HỘI"),
        ("Hµ NéI\nHµ Néi", "HÀ NỘI\nHà Nội"),
        ("UBND §Ò nghÞ", "UBND Đề nghị"),
        ("§µ N½NG", "ĐÀ NẴNG"),
    ];
    for (tcvn3, want) in cases {
        assert_eq!(convert_legacy_unicode(tcvn3, LegacyEncoding::Tcvn3), want);
    }
    // VN2 upper-case slots inside 0xA0..=0xFF decode.
    assert_eq!(decode_legacy_bytes_as(b"\xC4\xFF\xDA", LegacyEncoding::Tcvn3), "ẤỐẾ");
}

#[test]
fn cp1258_encoder_decomposes_tones() {
    let bytes = encode_legacy("Tốc độ", LegacyEncoding::Windows1258).unwrap();
    assert_eq!(bytes, b"T\xF4\xECc \xF0\xF4\xF2");
    for (uni, _, _) in PHRASES.iter().chain(TONE_ROWS) {
        let bytes = encode_legacy(uni, LegacyEncoding::Windows1258).unwrap();
        assert_eq!(decode_legacy_bytes_as(&bytes, LegacyEncoding::Windows1258), *uni);
    }
    for (uni, _) in VNI_UPPER_ROWS {
        let bytes = encode_legacy(uni, LegacyEncoding::Windows1258).unwrap();
        assert_eq!(decode_legacy_bytes_as(&bytes, LegacyEncoding::Windows1258), *uni);
    }
    // Plain NFD is not Windows-1258: it splits â, ơ, ư, ... too.
    let nfd: String = "Đường dây".nfd().collect();
    assert!(WINDOWS_1258.encode(&nfd).2);
}

#[test]
fn encoders_refuse_what_they_cannot_write() {
    assert_eq!(encode_legacy("日本", LegacyEncoding::Tcvn3), None);
    assert_eq!(encode_legacy("日本", LegacyEncoding::Vni), None);
    assert_eq!(encode_legacy("日本", LegacyEncoding::Windows1258), None);
    // ñ is đ in VNI and ủ in TCVN3.
    assert_eq!(encode_legacy("España", LegacyEncoding::Vni), None);
    assert_eq!(encode_legacy("España", LegacyEncoding::Tcvn3), None);
    // Harmless symbols pass.
    assert_eq!(encode_legacy("25°C – “x”", LegacyEncoding::Tcvn3), Some(cp1252_bytes("25°C – “x”")));
    assert_eq!(encode_legacy("25°C – “x”", LegacyEncoding::Vni), Some(cp1252_bytes("25°C – “x”")));
}

// --- detection on bytes ----------------------------------------------

fn long_text() -> String {
    PHRASES.iter().map(|p| p.0).collect::<Vec<_>>().join(". ")
}

#[test]
fn detects_each_encoding_from_bytes() {
    let text = long_text();
    for enc in LegacyEncoding::ALL {
        let bytes = encode_legacy(&text, enc).unwrap();
        assert!(std::str::from_utf8(&bytes).is_err());
        assert_eq!(decode_legacy_bytes(&bytes), Ok((enc, text.clone())), "{enc}");
    }
    for (uni, _, _) in PHRASES {
        for enc in LegacyEncoding::ALL {
            let bytes = encode_legacy(uni, enc).unwrap();
            assert_eq!(decode_legacy_bytes(&bytes), Ok((enc, uni.to_string())), "{enc}");
        }
    }
}

#[test]
fn windows1258_from_encoding_rs_nfd() {
    // What a Windows-1258 file written by a converter from NFD looks like.
    let text = long_text();
    let nfd: String = text.nfd().collect();
    // NFD splits â/ơ/ư too; put those back (1258 has them precomposed).
    let mut prepared = String::new();
    for c in text.chars() {
        match vowel_parts(c) {
            Some((row, tone, up)) if tone != NO_TONE => {
                prepared.push(with_case(VOWELS[row][NO_TONE], up));
                prepared.extend(
                    c.to_string()
                        .nfd()
                        .filter(|m| matches!(m, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}')),
                );
            }
            _ => prepared.push(c),
        }
    }
    assert_ne!(nfd, prepared);
    let (bytes, _, errors) = WINDOWS_1258.encode(&prepared);
    assert!(!errors);
    assert_eq!(decode_legacy_bytes(&bytes), Ok((LegacyEncoding::Windows1258, text)));
}

#[test]
fn not_vietnamese_bytes() {
    let english = "The naïve café’s “résumé” costs 5 €; don’t worry.".to_string();
    let english = WINDOWS_1252.encode(&english).0.into_owned();
    assert_eq!(decode_legacy_bytes(&english), Err(LegacyError::NotVietnamese));
    // UTF-8 Vietnamese is not a legacy encoding.
    let utf8 = long_text().into_bytes();
    assert_eq!(decode_legacy_bytes(&utf8), Err(LegacyError::NotVietnamese));
    assert_eq!(decode_legacy_bytes(b""), Err(LegacyError::NotVietnamese));
    assert_eq!(decode_legacy_bytes(b"plain ascii"), Err(LegacyError::NotVietnamese));
    // Random binary (deterministic xorshift).
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for round in 0..2000 {
        let len = 16 + round % 700;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        assert_eq!(decode_legacy_bytes(&bytes), Err(LegacyError::NotVietnamese), "{bytes:?}");
    }
}

#[test]
fn ambiguous_bytes() {
    // "đi đi" in VNI reads as "ủi ủi" in TCVN3: both are Vietnamese.
    assert_eq!(
        decode_legacy_bytes(b"\xF1i \xF1i"),
        Err(LegacyError::Ambiguous { candidates: vec![LegacyEncoding::Tcvn3, LegacyEncoding::Vni] })
    );
}

#[test]
fn error_messages() {
    assert_eq!(
        LegacyError::Ambiguous { candidates: vec![LegacyEncoding::Tcvn3, LegacyEncoding::Vni] }.to_string(),
        "cannot tell which legacy Vietnamese encoding this is: TCVN3 (ABC) or VNI"
    );
    assert!(LegacyError::NotVietnamese.to_string().contains("Windows-1258"));
    assert_eq!(LegacyEncoding::Tcvn3.to_string(), "TCVN3 (ABC)");
    assert_eq!(LegacyEncoding::Vni.to_string(), "VNI");
    assert_eq!(LegacyEncoding::Windows1258.to_string(), "Windows-1258");
    let e: Box<dyn std::error::Error> = Box::new(LegacyError::NotVietnamese);
    assert!(!e.to_string().is_empty());
}

// --- detection on Unicode text ---------------------------------------

#[test]
fn detects_legacy_fonts_in_unicode() {
    for (uni, tcvn3, vni) in PHRASES {
        assert_eq!(detect_legacy_unicode(tcvn3), Some(LegacyEncoding::Tcvn3), "{tcvn3}");
        assert_eq!(detect_legacy_unicode(vni), Some(LegacyEncoding::Vni), "{vni}");
        let cp1258 = cp1252_text(&encode_legacy(uni, LegacyEncoding::Windows1258).unwrap());
        assert_eq!(detect_legacy_unicode(&cp1258), Some(LegacyEncoding::Windows1258), "{cp1258}");
        assert_eq!(detect_legacy_unicode(uni), None, "{uni}");
    }
    assert_eq!(detect_legacy_unicode("NGHÞ QUYÕT"), Some(LegacyEncoding::Tcvn3));
    assert_eq!(detect_legacy_unicode("NGHÒ QUYEÁT"), Some(LegacyEncoding::Vni));
    // One-word runs made of legacy symbols.
    assert_eq!(detect_legacy_unicode("n¨m"), Some(LegacyEncoding::Tcvn3));
    assert_eq!(detect_legacy_unicode("®¹t"), Some(LegacyEncoding::Tcvn3));
    assert_eq!(detect_legacy_unicode("naêm"), Some(LegacyEncoding::Vni));
}

#[test]
fn leaves_other_text_alone() {
    let samples = [
        "",
        "The quick brown fox jumps over the lazy dog.",
        "The naïve café’s “résumé”, déjà vu, Größe über Straße, où est-il?",
        "Microsoft® Windows© 2024 — 25°C ± 2, ½ cup, §3",
        "España, año, niño, señor, mañana",
        "Tốc độ tăng trưởng kinh tế (GRDP) đạt 6,5%",
        "Sản phẩm Vinamilk® đạt chuẩn, Công ty ABC® là đơn vị hàng đầu",
        "Hà Nội, Đà Nẵng, Thành phố Hồ Chí Minh; vì sao? gì vậy? hòa bình",
        "Xã Ía, xã Ea Tu, huyện Krông Pắc, tỉnh Đắk Lắk",
        "TO\u{302}\u{301}C \u{110}O\u{323}\u{302} to\u{302}\u{301}c",
        "®",
        "µm",
        "x · y",
    ];
    for s in samples {
        assert_eq!(detect_legacy_unicode(s), None, "{s}");
    }
}

#[test]
fn syllable_checker() {
    for w in [
        "nghiêng",
        "quyết",
        "khuya",
        "khuỷu",
        "giữa",
        "gì",
        "rượu",
        "thuở",
        "Đắk",
        "xoong",
        "huỳnh",
        "ĐƯỜNG",
        "yêu",
        "uống",
        "oái",
        "ngoằn",
        "ngoèo",
        "kỹ",
        "quỵ",
        "nghĩa",
    ] {
        assert!(is_vietnamese_syllable(w), "{w}");
    }
    for w in [
        "tèc",
        "ka",
        "ci",
        "ghe\u{301}",
        "ngi",
        "café",
        "naïve",
        "tiéng",
        "ăn\u{301}g",
        "quu",
        "tyên",
        "þ",
        "bẫt",
        "aự",
        "Größe",
        "ñoä",
        "taêng",
        "đ",
    ] {
        assert!(!is_vietnamese_syllable(w), "{w}");
    }
    for (uni, _, _) in PHRASES {
        for w in uni.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_ascii()) {
            assert!(is_vietnamese_syllable(w), "{w}");
        }
    }
    for w in POOL {
        assert!(is_vietnamese_syllable(w), "{w}");
    }
}

// --- property tests --------------------------------------------------

/// Real syllables covering every vowel with every tone.
const POOL: &[&str] = &[
    "ba",
    "bà",
    "bả",
    "bã",
    "bá",
    "bạ",
    "ăn",
    "nằm",
    "chẳng",
    "chẵn",
    "chắc",
    "mặt",
    "năm",
    "ân",
    "tầng",
    "phẩm",
    "dẫn",
    "cấp",
    "bậc",
    "em",
    "kè",
    "kẻ",
    "sẽ",
    "vé",
    "nhẹ",
    "đê",
    "về",
    "thể",
    "diễn",
    "kế",
    "lệ",
    "đêm",
    "đi",
    "chì",
    "chỉ",
    "nghĩa",
    "chính",
    "thị",
    "in",
    "to",
    "hòa",
    "cỏ",
    "rõ",
    "có",
    "học",
    "ông",
    "đồng",
    "tổng",
    "hỗ",
    "tốc",
    "độ",
    "ô",
    "ơn",
    "vờ",
    "cơ",
    "ở",
    "mỡ",
    "lớn",
    "hợp",
    "thu",
    "tù",
    "của",
    "cũng",
    "cú",
    "dụng",
    "ư",
    "từ",
    "sử",
    "những",
    "mức",
    "thực",
    "người",
    "y",
    "kỳ",
    "tỷ",
    "mỹ",
    "ý",
    "kỵ",
    "quỵ",
    "và",
    "tiêu",
    "đạt",
    "phát",
    "triển",
    "kinh",
    "tế",
    "tăng",
    "trưởng",
    "nghị",
    "quyết",
    "hội",
    "nhân",
    "dân",
    "tỉnh",
    "ngân",
    "sách",
    "nhà",
    "nước",
    "trên",
    "địa",
    "bàn",
    "đường",
    "dây",
    "được",
    "huyện",
    "xã",
    "quốc",
    "khuyến",
    "nguyên",
    "giữa",
    "gì",
    "kiểm",
    "ghi",
    "nghiêm",
    "thuế",
    "quyền",
    "yêu",
    "uống",
    "khuya",
    "rượu",
];

fn title_case(w: &str) -> String {
    let mut cs = w.chars();
    cs.next().map(|f| to_upper(f).to_string() + cs.as_str()).unwrap_or_default()
}

const SEPARATORS: &[&str] = &[" ", " ", " ", ", ", ". ", " 12,5% ", " - "];

fn sentence() -> impl Strategy<Value = String> {
    prop::collection::vec((prop::sample::select(POOL), any::<bool>(), prop::sample::select(SEPARATORS)), 8..40)
        .prop_map(|words| {
            let mut s = String::new();
            for (i, (w, cap, sep)) in words.iter().enumerate() {
                if i > 0 {
                    s.push_str(sep);
                }
                s.push_str(&if *cap { title_case(w) } else { w.to_string() });
            }
            s
        })
}

/// Words carrying a tone mark (â, ê, ô alone look the same in
/// Windows-1258 and Latin-1, so they prove nothing).
fn toned_words(s: &str) -> usize {
    s.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().any(|c| vowel_parts(c).is_some_and(|(_, t, _)| t != NO_TONE)))
        .count()
}

/// The text, or its lower-case form if TCVN3 cannot hold its capitals.
fn encodable(text: &str, enc: LegacyEncoding) -> (String, Vec<u8>) {
    match encode_legacy(text, enc) {
        Some(b) => (text.to_string(), b),
        None => {
            let lower = text.to_lowercase();
            let b = encode_legacy(&lower, enc).expect("lower case is encodable");
            (lower, b)
        }
    }
}

proptest! {
    #[test]
    fn roundtrip_through_bytes(text in sentence()) {
        prop_assume!(toned_words(&text) >= 6);
        for enc in LegacyEncoding::ALL {
            let (text, bytes) = encodable(&text, enc);
            prop_assert_eq!(decode_legacy_bytes_as(&bytes, enc), text.clone());
            prop_assert_eq!(decode_legacy_bytes(&bytes), Ok((enc, text)));
        }
    }

    #[test]
    fn roundtrip_through_legacy_unicode(text in sentence()) {
        prop_assume!(toned_words(&text) >= 6);
        prop_assert_eq!(detect_legacy_unicode(&text), None);
        for enc in LegacyEncoding::ALL {
            let (text, bytes) = encodable(&text, enc);
            let legacy = cp1252_text(&bytes);
            prop_assert_eq!(detect_legacy_unicode(&legacy), Some(enc));
            prop_assert_eq!(convert_legacy_unicode(&legacy, enc), text);
        }
    }

    #[test]
    fn never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300), s in ".{0,80}") {
        let _ = decode_legacy_bytes(&bytes);
        for enc in LegacyEncoding::ALL {
            let _ = decode_legacy_bytes_as(&bytes, enc);
            let _ = convert_legacy_unicode(&s, enc);
            let _ = encode_legacy(&s, enc);
        }
        let _ = detect_legacy_unicode(&s);
    }
}

#[test]
fn large_input_is_scored_on_a_sample_and_decoded_whole() {
    let text = long_text();
    let big = vec![text.as_str(); 800].join("\r\n");
    assert!(big.len() > 2 * SAMPLE_BYTES);
    for enc in LegacyEncoding::ALL {
        let bytes = encode_legacy(&big, enc).unwrap();
        assert_eq!(decode_legacy_bytes(&bytes), Ok((enc, big.clone())), "{enc}");
        assert_eq!(detect_legacy_unicode(&cp1252_text(&bytes)), Some(enc), "{enc}");
    }
}

#[test]
fn abbreviations_are_neutral() {
    let mut stats = VnStats::default();
    for w in ["HĐND", "UBND", "ĐBQH", "Hđnd"] {
        stats.add_word(w);
    }
    assert_eq!(stats, VnStats { invalid: 1, ..VnStats::default() });
    let tcvn3 = "NghÞ quyÕt sè 15/2023/NQ-H§ND cña H§ND tØnh";
    assert_eq!(detect_legacy_unicode(tcvn3), Some(LegacyEncoding::Tcvn3));
    assert_eq!(convert_legacy_unicode(tcvn3, LegacyEncoding::Tcvn3), "Nghị quyết số 15/2023/NQ-HĐND của HĐND tỉnh");
}
