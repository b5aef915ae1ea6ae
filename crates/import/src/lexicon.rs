//! Words of the genre: units, counted nouns, comparator words, milestone
//! verbs. Kept as data so that a new province's wording is a one-line change.

/// Units after a number, in their canonical spelling. Matched case-insensitively,
/// longest first. The second element is the canonical form.
pub const UNITS: &[(&str, &str)] = &[
    ("%", "%"),
    ("‰", "‰"),
    ("phần trăm", "%"),
    ("điểm phần trăm", "%"),
    ("điểm %", "%"),
    ("nghìn tỷ đồng", "nghìn tỷ đồng"),
    ("ngàn tỷ đồng", "nghìn tỷ đồng"),
    ("tỷ đồng", "tỷ đồng"),
    ("tỉ đồng", "tỷ đồng"),
    ("triệu đồng/người/năm", "triệu đồng/người/năm"),
    ("triệu đồng/người", "triệu đồng/người"),
    ("triệu đồng/ha", "triệu đồng/ha"),
    ("triệu đồng", "triệu đồng"),
    ("nghìn đồng", "nghìn đồng"),
    ("tỷ usd", "tỷ USD"),
    ("tỷ đô la mỹ", "tỷ USD"),
    ("triệu usd", "triệu USD"),
    ("triệu đô la mỹ", "triệu USD"),
    ("nghìn usd", "nghìn USD"),
    ("usd/người", "USD/người"),
    ("usd", "USD"),
    ("giường bệnh/vạn dân", "giường bệnh/vạn dân"),
    ("giường bệnh/1 vạn dân", "giường bệnh/vạn dân"),
    ("giường bệnh trên vạn dân", "giường bệnh/vạn dân"),
    ("giường bệnh trên 1 vạn dân", "giường bệnh/vạn dân"),
    ("giường/vạn dân", "giường bệnh/vạn dân"),
    ("bác sĩ/vạn dân", "bác sĩ/vạn dân"),
    ("bác sĩ/1 vạn dân", "bác sĩ/vạn dân"),
    ("bác sĩ trên vạn dân", "bác sĩ/vạn dân"),
    ("bác sĩ trên 1 vạn dân", "bác sĩ/vạn dân"),
    ("dược sĩ/vạn dân", "dược sĩ/vạn dân"),
    ("điều dưỡng/vạn dân", "điều dưỡng/vạn dân"),
    ("thuê bao/100 dân", "thuê bao/100 dân"),
    ("m2 sàn/người", "m² sàn/người"),
    ("m²/người", "m²/người"),
    ("m2/người", "m²/người"),
    ("kwh/người", "kWh/người"),
    ("ha", "ha"),
    ("héc-ta", "ha"),
    ("hecta", "ha"),
    ("km", "km"),
    ("m2", "m²"),
    ("m²", "m²"),
    ("m3", "m³"),
    ("m³", "m³"),
    ("triệu tấn", "triệu tấn"),
    ("nghìn tấn", "nghìn tấn"),
    ("tấn", "tấn"),
    ("mw", "MW"),
    ("mwp", "MWp"),
    ("kv", "kV"),
    ("mva", "MVA"),
    ("triệu kwh", "triệu kWh"),
    ("kwh", "kWh"),
    ("triệu lượt khách", "triệu lượt khách"),
    ("nghìn lượt khách", "nghìn lượt khách"),
    ("lượt khách", "lượt khách"),
    ("triệu lượt", "triệu lượt"),
    ("nghìn lượt", "nghìn lượt"),
    ("lượt người", "lượt người"),
    ("lượt", "lượt"),
    ("triệu người", "triệu người"),
    ("nghìn người", "nghìn người"),
    ("nghìn lao động", "nghìn lao động"),
    ("điểm", "điểm"),
];

/// Nouns after a number that make it part of a name, not a figure:
/// "trẻ em dưới 5 tuổi", "kỷ niệm 65 năm", "nhiệm kỳ 5 năm".
pub const ATTRIBUTE_NOUNS: &[&str] = &["tuổi", "năm", "tháng", "ngày", "giờ", "lần thứ", "sao", "tầng", "làn xe"];

/// Counted nouns (đơn vị đếm): the unit is the noun itself, lower-cased.
/// Longest match wins, so "liên hiệp hợp tác xã" beats "hợp tác xã".
pub const COUNTED_NOUNS: &[&str] = &[
    "liên hiệp hợp tác xã",
    "hợp tác xã",
    "tổ hợp tác",
    "doanh nghiệp",
    "hộ kinh doanh",
    "lao động",
    "người",
    "hộ dân",
    "hộ gia đình",
    "hộ",
    "xã",
    "phường",
    "thị trấn",
    "thị xã",
    "thành phố",
    "huyện",
    "thôn",
    "ấp",
    "bản",
    "khu phố",
    "trường học",
    "trường",
    "trạm y tế",
    "giường bệnh",
    "bác sĩ",
    "sản phẩm",
    "dự án",
    "công trình",
    "cụm công nghiệp",
    "khu công nghiệp",
    "di tích",
    "làng nghề",
    "căn hộ",
    "căn",
    "nhà",
    "cơ sở",
    "tiêu chí",
    "học sinh",
    "sinh viên",
    "thủ tục",
    "nhiệm vụ",
    "đề tài",
    "mô hình",
    "chợ",
    "cây",
    "con",
    "tàu",
    "giường",
];

/// Words that end a counted noun phrase: what follows is the measure's
/// qualifier, not its unit.
pub const STOP_WORDS: &[&str] = &[
    "đạt", "trở", "với", "trong", "và", "trên", "dưới", "so", "có", "được", "của", "cho", "tại", "từ", "theo", "để",
    "là", "thì", "mới", "đi", "về", "ở", "gồm", "hoặc",
];

/// Words before a number and the comparator they set. Longest match first;
/// matched on folded text (no tones, lower case) at the end of the words
/// before the number.
pub const COMPARATOR_WORDS: &[(&str, Cmp)] = &[
    ("khong thap hon", Cmp::AtLeast),
    ("khong duoi", Cmp::AtLeast),
    ("it nhat", Cmp::AtLeast),
    ("toi thieu", Cmp::AtLeast),
    ("tu", Cmp::From),
    ("khong vuot qua", Cmp::AtMost),
    ("khong qua", Cmp::AtMost),
    ("khong cao hon", Cmp::AtMost),
    ("toi da", Cmp::AtMost),
    ("con duoi", Cmp::Below),
    ("xuong duoi", Cmp::Below),
    ("thap hon", Cmp::Below),
    ("duoi", Cmp::Below),
    ("vuot", Cmp::Above),
    ("hon", Cmp::Above),
    ("tren", Cmp::Above),
    ("xap xi", Cmp::About),
    ("khoang", Cmp::About),
    ("xuong con", Cmp::AtMost),
    ("con", Cmp::AtMost),
    ("bang", Cmp::Equal),
];

/// A comparator word before the number, as read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    AtLeast,
    AtMost,
    Below,
    Above,
    About,
    Equal,
    /// `từ X đến Y`: a range follows.
    From,
}

/// Names of measures where less is better: a bare figure is a ceiling.
pub const LOWER_IS_BETTER: &[&str] = &[
    "ngheo",
    "ty le that nghiep",
    "thieu viec lam",
    "suy dinh duong",
    "tu vong",
    "ty suat chet",
    "lam phat",
    "no xau",
    "bo hoc",
    "o nhiem",
    "tai nan",
    "toi pham",
    "thieu viec lam",
    "sinh con thu ba",
    "chenh lech",
    "mat can bang",
];

/// Milestone verbs of key tasks, longest first, as written.
pub const ACTIONS: &[&str] = &[
    "hoàn thành cơ bản",
    "cơ bản hoàn thành",
    "khẩn trương thi công",
    "đưa vào khai thác thương mại",
    "đưa vào khai thác",
    "đưa vào sử dụng",
    "đưa vào vận hành",
    "đưa vào hoạt động",
    "hoàn thành đóng điện",
    "thực hiện thủ tục đầu tư",
    "hoàn thành thủ tục",
    "đẩy nhanh tiến độ",
    "tập trung triển khai",
    "triển khai thực hiện",
    "triển khai xây dựng",
    "tổng kết",
    "thu hút đầu tư",
    "xúc tiến đầu tư",
    "hoàn thành thủ tục đầu tư",
    "thành lập mới",
    "khởi công",
    "khánh thành",
    "hòa lưới",
    "thông xe",
    "hoàn thành",
    "thi công",
    "nâng cấp",
    "mở rộng",
    "phê duyệt",
    "triển khai",
    "đầu tư",
    "xây dựng",
    "thành lập",
    "ban hành",
    "nghiên cứu",
    "tổ chức",
    "thực hiện",
    "lập",
    "điều chỉnh",
    "sắp xếp",
    "đấu giá",
    "thu hút",
    "xúc tiến",
    "hỗ trợ",
    "phát triển",
    "tiết kiệm",
    "chuyển đổi",
    "đẩy mạnh",
    "tăng cường",
    "hoàn thiện",
];

/// Nouns that head the name of a project or programme: a task names one
/// when one of these is followed by a proper name.
pub const PROJECT_NOUNS: &[&str] = &[
    "dự án",
    "công trình",
    "cầu",
    "đường",
    "tuyến",
    "nhà máy",
    "cụm công nghiệp",
    "khu công nghiệp",
    "khu kinh tế",
    "khu đô thị",
    "bệnh viện",
    "trạm biến áp",
    "đường dây",
    "cảng",
    "sân bay",
    "hồ",
    "kênh",
    "đê",
    "kè",
    "trường",
    "trung tâm",
    "khu di tích",
    "khu lưu niệm",
    "hệ thống",
    "đề án",
    "chương trình",
    "kế hoạch",
    "quy hoạch",
    "đồ án",
    "phương án",
    "nhà máy điện",
    "khu xử lý",
    "chợ",
    "phường",
    "thị trấn",
    "thị xã",
    "khu du lịch",
    "đèo",
    "hầm",
    "cao tốc",
    "quốc lộ",
    "tỉnh lộ",
    "đường tỉnh",
    "bến cảng",
    "khu nhà ở",
    "nhà ở xã hội",
    "khu tái định cư",
];

/// Matches `entry` (lower case, single spaces) at the start of `text`,
/// ignoring case and treating any run of whitespace (a line break from a
/// copied web page) as one space. Returns the bytes of `text` matched.
pub fn match_words(text: &str, entry: &str) -> Option<usize> {
    let mut t = text.char_indices().peekable();
    for e in entry.chars() {
        if e == ' ' {
            let mut any = false;
            while let Some(&(_, c)) = t.peek() {
                if c.is_whitespace() {
                    any = true;
                    t.next();
                } else {
                    break;
                }
            }
            if !any {
                return None;
            }
        } else {
            let (_, c) = t.next()?;
            if !c.to_lowercase().eq(e.to_lowercase()) {
                return None;
            }
        }
    }
    Some(t.peek().map_or(text.len(), |&(i, _)| i))
}

/// Longest entry of `list` that `text` starts with at a word boundary;
/// returns the entry and the bytes of `text` matched.
pub fn longest_prefix<'a>(text: &str, list: &[&'a str]) -> Option<(&'a str, usize)> {
    list.iter()
        .filter_map(|&entry| match_words(text, entry).filter(|&n| at_word_end(text, n)).map(|n| (entry, n)))
        .max_by_key(|(entry, _)| entry.len())
}

pub fn at_word_end(s: &str, at: usize) -> bool {
    s[at..].chars().next().is_none_or(|c| !c.is_alphanumeric())
}
