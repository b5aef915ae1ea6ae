//! Vietnamese by default, English on request: the words of the interface
//! (not the plan's own text, which is the resolution's) in both languages.
//! The table is keyed by the Vietnamese text, so a template reads in
//! Vietnamese and a missing entry shows Vietnamese, never a blank.

use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Self::Vi => "vi",
            Self::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "vi" => Some(Self::Vi),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The interface text in this language.
    pub fn t<'a>(self, vi: &'a str) -> Cow<'a, str> {
        if self == Self::Vi {
            return Cow::Borrowed(vi);
        }
        match TABLE.binary_search_by(|(k, _)| (*k).cmp(vi)) {
            Ok(i) => Cow::Borrowed(TABLE[i].1),
            Err(_) => period_en(vi).map_or(Cow::Borrowed(vi), Cow::Owned),
        }
    }
}

/// A period's Vietnamese name in English: "Tháng 9/2025" → "September 2025".
fn period_en(vi: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    if let Some(rest) = vi.strip_prefix("Tháng ") {
        let (m, y) = rest.split_once('/')?;
        let m: usize = m.parse().ok()?;
        return Some(format!("{} {y}", MONTHS.get(m.checked_sub(1)?)?));
    }
    if let Some(rest) = vi.strip_prefix("Quý ") {
        let (q, y) = rest.split_once('/')?;
        let q = match q {
            "I" => 1,
            "II" => 2,
            "III" => 3,
            "IV" => 4,
            _ => return None,
        };
        return Some(format!("Q{q} {y}"));
    }
    if let Some(y) = vi.strip_prefix("6 tháng đầu năm ") {
        return Some(format!("First half of {y}"));
    }
    if let Some(y) = vi.strip_prefix("9 tháng năm ") {
        return Some(format!("Nine months of {y}"));
    }
    vi.strip_prefix("Năm ").map(|y| format!("Year {y}"))
}

/// Vietnamese → English, sorted by the Vietnamese (binary search).
static TABLE: &[(&str, &str)] = &[
    ("% KH", "% plan"),
    ("% cùng kỳ", "% of last year"),
    ("% kế hoạch", "% of plan"),
    (". Để trống ô không có số liệu.", ". Leave a field empty when there is no figure."),
    ("Ban đầu", "Original"),
    ("Ban đầu (theo nghị quyết)", "As adopted (original)"),
    (
        "Biểu mẫu tải lên không hợp lệ hoặc tệp quá lớn (tối đa 10 MB).",
        "The upload form is not valid or the file is too large (at most 10 MB).",
    ),
    ("Biểu nhập số liệu (Excel)", "Data-entry template (Excel)"),
    ("Biểu đã điền (.xlsx)", "Filled-in template (.xlsx)"),
    ("Báo cáo", "Reports"),
    ("Báo cáo (DOCX)", "Report (DOCX)"),
    ("Báo cáo (PDF)", "Report (PDF)"),
    ("Báo cáo tiến độ", "Report progress"),
    ("Báo cáo tiến độ nhiệm vụ", "Task progress reported"),
    (
        "Báo cáo tình hình thực hiện kế hoạch theo kỳ: phụ lục chỉ tiêu (XLSX), báo cáo theo Nghị định 30/2020/NĐ-CP (DOCX) và bản PDF. Biểu nhập số liệu Excel để điền ngoại tuyến rồi tải lên.",
        "Reports on the plan by period: the appendix of targets (XLSX), the report laid out per Decree 30/2020/NĐ-CP (DOCX) and its PDF. Excel data-entry templates to fill in offline and upload.",
    ),
    ("Bản đọc", "What was read"),
    ("Bỏ qua, tới nội dung chính", "Skip to the main content"),
    ("Chi tiết", "Detail"),
    ("Chính thức", "Official"),
    ("Chưa có báo cáo", "Not reported"),
    ("Chưa có số liệu", "No data"),
    ("Chưa có số liệu.", "No figures yet."),
    ("Chưa có ý kiến.", "No comments yet."),
    ("Chưa có.", "None yet."),
    ("Chưa nhập", "Not entered"),
    ("Chưa triển khai", "Not started"),
    ("Chậm tiến độ", "Delayed"),
    (
        "Chỉ số liệu đã được duyệt mới được dùng để đánh giá, lập báo cáo và công khai.",
        "Only approved figures are used for verdicts, reports and the public portal.",
    ),
    ("Chỉ tiêu", "Measure"),
    ("Chỉ tiêu hiện hành", "Current target"),
    ("Chỉ tiêu qua các quyết định", "The target through its decisions"),
    ("Chỉ tiêu áp dụng", "Targets"),
    ("Chỉ tiêu đặt ra", "Target set"),
    ("Chỉ tiêu đọc được", "Measures read"),
    ("Chỉ tiêu:", "Target:"),
    ("Chọn tệp nghị quyết (.docx hoặc .txt).", "Choose the resolution file (.docx or .txt)."),
    ("Chờ duyệt", "Waiting for approval"),
    ("Chờ duyệt:", "Awaiting approval:"),
    ("Chủ trì", "Lead"),
    ("Các bản đã đọc", "Resolutions read"),
    (
        "Các số liệu sau đã lưu nhưng không đưa được vào tính toán. Chỉ tiêu liên quan được đánh giá như chưa có số liệu này cho đến khi nhập phiên bản mới:",
        "These stored figures could not be taken into the calculations. The measures they belong to are judged as if they were missing until a new version is entered:",
    ),
    ("Cách so sánh", "Comparator"),
    ("Cán bộ báo cáo", "Reporter"),
    ("Cán bộ kế hoạch", "Planner"),
    ("Có nguy cơ không đạt", "At risk"),
    ("Công khai", "Public"),
    ("Công khai kết quả thực hiện kế hoạch", "Plan results, public"),
    ("Căn cứ đánh giá", "Basis"),
    ("Cơ quan", "Agency"),
    ("Cơ quan chủ trì", "Lead agency"),
    ("Cải cách hành chính", "Administrative reform"),
    ("Cảnh báo", "Warning"),
    ("Cần xem", "To review"),
    ("Cận dưới", "Low"),
    ("Cận trên", "High"),
    ("Cập nhật danh sách cơ quan", "Agencies updated"),
    ("Cập nhật đơn vị hành chính", "Administrative units updated"),
    ("Diễn biến trong năm", "The year so far"),
    ("Duyệt", "Approve"),
    ("Duyệt số liệu", "Approvals"),
    (
        "Dành cho cán bộ theo dõi kế hoạch. Người dân xem số liệu tại",
        "For the officials who follow the plan. The public reads the figures on the",
    ),
    ("Dòng", "Line"),
    ("Dừng thực hiện", "Cancelled"),
    ("Dữ liệu gửi lên không hợp lệ", "The data sent is not valid"),
    ("Ghi chú", "Note"),
    ("Ghi chú:", "Note:"),
    ("Ghi nhận", "Record"),
    ("Ghi nhận từ dòng lệnh", "Recorded from the command line"),
    ("Giao", "Assign"),
    ("Giá trị", "Value"),
    (
        "Giá trị của kỳ này (không nhập mức tăng, giảm): mức thay đổi so với năm trước được tính tự động.",
        "This period's value (not the rise or fall): the change from last year is worked out.",
    ),
    ("Gửi bởi", "Sent by"),
    ("Gửi duyệt", "Submit"),
    ("Gửi duyệt số liệu", "Figures submitted for approval"),
    ("Gửi ý kiến", "Send comment"),
    ("Hai lần nhập mật khẩu mới không giống nhau.", "The two new passwords differ."),
    ("Hiện hành", "Current"),
    ("Hoàn thành", "Done"),
    (
        "Hệ thống đang đọc một nghị quyết khác. Vui lòng thử lại sau ít phút; chưa có gì được lưu.",
        "Another resolution is being read. Please try again in a few minutes; nothing was saved.",
    ),
    ("Khóa tài khoản", "Account disabled"),
    ("Không có mục nào.", "No entries."),
    ("Không có số liệu chờ duyệt.", "Nothing is waiting for approval."),
    ("Không có số liệu nào.", "No figures."),
    (
        "Không nhận được tệp (quá lớn, tối đa 10 MB, hoặc bị ngắt).",
        "The file did not arrive (too large, at most 10 MB, or cut off).",
    ),
    ("Không tìm thấy", "Not found"),
    ("Không đạt", "Not achieved"),
    (
        "Không đọc xong tệp trong 20 giây (tệp quá lớn hoặc quá phức tạp). Hãy tách văn bản hoặc lưu lại dưới dạng .docx đơn giản; chưa có gì được lưu.",
        "The file could not be read within 20 seconds (too large or too complex). Split the text or save it again as a plain .docx; nothing was saved.",
    ),
    ("Không đổi được mật khẩu. Vui lòng thử lại.", "The password could not be changed. Please try again."),
    ("Kinh tế", "Economy"),
    ("Kiểm tra", "Checks"),
    ("Kế hoạch", "Plan"),
    ("Kết quả thực hiện kế hoạch năm", "Plan results for"),
    ("Kết quả, khó khăn", "Results, difficulties"),
    ("Kỳ", "Period"),
    ("Kỳ báo cáo", "Reporting period"),
    ("Loại", "Kind"),
    ("Loại số liệu", "Kind of figure"),
    ("Lãnh đạo duyệt", "Approver"),
    ("Lý do mở khóa", "Reason to unlock"),
    ("Lĩnh vực", "Sector"),
    ("Lưu kế hoạch", "Plan saved"),
    ("Lưu nháp", "Save draft"),
    ("Lưu nháp số liệu", "Figures saved as a draft"),
    ("Lưu số liệu", "Figures saved"),
    ("Lưu và kiểm tra", "Save and check"),
    ("Lưu điều chỉnh", "Save the revision"),
    ("Lần", "Version"),
    ("Lỗi", "Error"),
    ("Minh họa", "Illustrative"),
    ("Mã", "Key"),
    ("Môi trường", "Environment"),
    ("Mật khẩu", "Password"),
    (
        "Mật khẩu của bạn do người khác đặt (mật khẩu dùng một lần). Hãy đặt mật khẩu riêng trước khi tiếp tục.",
        "Your password was set by someone else (a one-time password). Choose your own before you go on.",
    ),
    ("Mật khẩu hiện tại", "Current password"),
    ("Mật khẩu hiện tại không đúng.", "The current password is wrong."),
    ("Mật khẩu mới (ít nhất 10 ký tự)", "New password (at least 10 characters)"),
    ("Mật khẩu mới phải khác mật khẩu hiện tại.", "The new password must differ from the current one."),
    ("Mật khẩu mới quá dài: tối đa 256 ký tự.", "The new password is too long: at most 256 characters."),
    ("Mật khẩu mới quá ngắn: cần ít nhất 10 ký tự.", "The new password is too short: at least 10 characters."),
    (
        "Mọi thay đổi được ghi cùng giao dịch với chính thay đổi đó; chỉ đọc.",
        "Every change is written in the same transaction as the change itself; read-only.",
    ),
    ("Mốc tiến độ: mỗi dòng “tên | hạn | ngày đạt”", "Milestones: one per line, “name | due | reached”"),
    ("Mở", "Open"),
    ("Mở khóa", "Unlock"),
    ("Mở khóa số liệu", "Figures unlocked"),
    ("Mở khóa đăng nhập", "Sign-in unlocked"),
    ("Mở lại tài khoản", "Account enabled"),
    ("Mục được yêu cầu không có trong hệ thống.", "What was asked for is not in the system."),
    ("Mức đạt được đến cuối kỳ, không âm.", "The level at the end of the period, not negative."),
    ("Nghị quyết", "Resolution"),
    ("Nguồn", "Source"),
    ("Ngày", "Date"),
    ("Người", "Who"),
    ("Người nhập", "Entered by"),
    ("Người tải", "Uploaded by"),
    ("Người, thời điểm", "Who, when"),
    ("Nhiệm vụ", "Tasks"),
    ("Nhiệm vụ trọng tâm", "Key tasks"),
    ("Nhiệm vụ, công trình trọng tâm", "Key tasks and projects"),
    ("Nháp", "Draft"),
    ("Nhóm", "Group"),
    ("Nhập lại mật khẩu mới", "New password again"),
    ("Nhập số liệu", "Data entry"),
    ("Nhập số theo cách viết Việt Nam", "Type figures the Vietnamese way"),
    ("Nhật ký", "Audit log"),
    ("Nhật ký thay đổi", "Audit log"),
    ("Niêm phong nhật ký", "Audit log sealed"),
    ("Năm nay", "This year"),
    ("Năm trước", "Last year"),
    ("Phân công chỉ tiêu", "Measure assigned"),
    ("Phê duyệt số liệu", "Figures approved"),
    ("Phụ lục chỉ tiêu (XLSX)", "Appendix of targets (XLSX)"),
    ("Quyết định", "Decision"),
    ("Quá hạn", "Overdue"),
    ("Quản lý kế hoạch", "Plan administration"),
    ("Quản lý kế hoạch năm", "Plan administration,"),
    ("Quản trị", "Administrator"),
    ("Quốc phòng - an ninh", "Defence and security"),
    ("Rà soát:", "Review:"),
    ("So với chỉ tiêu", "Against the targets"),
    ("Sơ bộ", "Preliminary"),
    ("Số", "No."),
    ("Số chỉ tiêu theo đánh giá", "Measures by status"),
    ("Số liệu", "Figures"),
    ("Số liệu bất thường:", "Unusual figure:"),
    (
        "Số liệu các đơn vị gửi lên chờ duyệt; đã duyệt thì khóa, chỉ mở lại khi lãnh đạo mở khóa (ghi nhật ký).",
        "Figures the agencies submitted, waiting for approval; once approved they are locked, and only an approver can unlock them (logged).",
    ),
    (
        "Số liệu của kỳ này; được so với cùng kỳ năm trước.",
        "This period's figure; it is compared with the same period last year.",
    ),
    (
        "Số liệu kỳ này đang chờ duyệt: không sửa được cho đến khi lãnh đạo duyệt hoặc trả lại.",
        "This period's figures are awaiting approval: they cannot be changed until an approver approves or returns them.",
    ),
    (
        "Số liệu kỳ này đã được duyệt và khóa. Muốn sửa, đề nghị lãnh đạo mở khóa.",
        "The figures of this period are approved and locked. To change them, ask an approver to unlock them.",
    ),
    ("Số liệu và các lần điều chỉnh", "Figures and their revisions"),
    (
        "Số liệu vừa được người khác thay đổi, hoặc kỳ báo cáo đã khóa. Vui lòng tải lại trang và xem lại.",
        "The figures were just changed by someone else, or the period is locked. Reload the page and look again.",
    ),
    ("Số liệu đã thay đổi", "The figures changed"),
    ("Số lượng, số nguyên không âm.", "A count: a whole number, not negative."),
    (
        "Số phát sinh trong kỳ (không cộng dồn các kỳ trước), không âm.",
        "The amount of this period alone (not added to earlier periods), not negative.",
    ),
    ("Số đơn vị đã đạt đến cuối kỳ.", "How many units had reached it by the end of the period."),
    ("Sửa bản nháp", "Draft corrected"),
    ("Sửa và xác nhận", "Correct and confirm"),
    ("Thao tác", "Action"),
    ("Theo Nghị quyết", "Resolution"),
    ("Theo dõi kế hoạch phát triển kinh tế - xã hội", "Following the socio-economic development plan"),
    (
        "Theo nhóm của nghị quyết; quá hạn khi chưa hoàn thành mà đã qua thời hạn. Cơ quan chủ trì báo cáo tiến độ.",
        "By the resolution's groups; overdue when not done by its deadline. The lead agency reports progress.",
    ),
    ("Thêm ý kiến", "Comment added"),
    ("Thời hạn:", "Deadline:"),
    ("Thời điểm", "When"),
    ("Thực hiện", "Actual"),
    ("Tiến độ (%", "Progress (%"),
    (
        "Tiến độ đạt được đến cuối kỳ (%), từ 0 đến 100.",
        "Progress reached by the end of the period (%), from 0 to 100.",
    ),
    ("Trang công khai", "Public portal"),
    ("Trạng thái", "State"),
    ("Trả lại", "Return"),
    ("Trả lại số liệu", "Figures returned"),
    ("Tên đăng nhập", "User name"),
    ("Tìm", "Search"),
    ("Tình trạng", "Status"),
    ("Tạo tài khoản", "Account created"),
    ("Tải CSV", "Download CSV"),
    ("Tải biểu nhập", "Download the template"),
    ("Tải báo cáo", "Download a report"),
    (
        "Tải lên nghị quyết của HĐND về kế hoạch phát triển kinh tế - xã hội (.docx, .txt; cả văn bản gõ bằng TCVN3, VNI). Hệ thống đọc ra các chỉ tiêu và nhiệm vụ để rà soát bên cạnh văn bản gốc, sửa rồi xác nhận.",
        "Upload the People's Council resolution on the socio-economic development plan (.docx, .txt; text typed in TCVN3 or VNI too). The targets and tasks it reads are shown beside the source text to review, correct and confirm.",
    ),
    ("Tải lên và gửi duyệt", "Upload and submit for approval"),
    ("Tải lên và nhập", "Upload and import"),
    ("Tải lên, lưu nháp", "Upload as a draft"),
    ("Tất cả", "All"),
    ("Tệp", "File"),
    ("Tệp kế hoạch", "Plan file"),
    (
        "Tệp kế hoạch (TOML): mỗi mục có câu gốc ở dòng chú thích phía trên. Sửa tên, số, đơn vị, cách so sánh; lưu để kiểm tra lại; xác nhận khi không còn lỗi.",
        "The plan file (TOML): each item has its source sentence in the comment above it. Correct names, figures, units, comparators; save to check again; confirm when no error is left.",
    ),
    ("Tệp nghị quyết", "Resolution file"),
    (
        "Tốc độ tăng so với cùng kỳ năm trước (%), ví dụ 6,5 hoặc -1,2.",
        "Growth on the same period last year (%), e.g. 6.5 or -1.2.",
    ),
    ("Tổng quan", "Overview"),
    ("Tỷ lệ đạt được (%), từ 0 đến 100.", "The rate reached (%), from 0 to 100."),
    (
        "Tỷ số của kỳ này, không âm (ví dụ số giường bệnh trên một vạn dân).",
        "This period's ratio, not negative (e.g. hospital beds per 10,000 people).",
    ),
    ("Tỷ trọng trong cơ cấu (%), từ 0 đến 100.", "Share of the structure (%), from 0 to 100."),
    ("Văn bản gốc", "Source text"),
    ("Văn bản nghị quyết", "Text of the resolution"),
    ("Văn bản quyết định", "Deciding document"),
    ("Văn hóa - xã hội", "Culture and society"),
    ("Vượt", "Exceeded"),
    ("Về trang tổng quan", "Back to the overview"),
    ("Vị trí", "Breadcrumb"),
    ("Xem", "Show"),
    ("Xu hướng", "Trend"),
    ("Xác nhận kế hoạch", "Confirm the plan"),
    ("Xác nhận kế hoạch từ bản nháp", "Draft confirmed as a plan"),
    ("ban đầu", "original targets"),
    ("bỏ lọc đánh giá", "clear the status filter"),
    ("chưa dùng để đánh giá", "not used in verdicts yet"),
    ("chỉ gồm số liệu đã được duyệt, ghi nhận hoặc công bố", "approved, recorded or published figures only"),
    ("chỉ tiêu", "measures"),
    ("chỉ tiêu,", "measures,"),
    ("chủ trì:", "lead:"),
    ("danh sách đơn vị đạt", "checklist of units"),
    ("dòng", "line"),
    ("hiện hành", "current targets"),
    ("hoặc dấu chấm thập phân", "or with a decimal point"),
    ("hạn", "due"),
    (
        "kehoach · số liệu trình bày theo cách viết Việt Nam (1.850,5; 31/12/2025",
        "kehoach · figures written the Vietnamese way (1.850,5; 31/12/2025",
    ),
    ("không tính", "not counted"),
    ("không để xảy ra", "none allowed"),
    ("lũy kế với chỉ tiêu dòng chảy", "running total for flows"),
    ("lần", "version"),
    ("lỗi,", "errors,"),
    ("mức thay đổi", "change"),
    ("mức đạt", "level"),
    ("ngày đạt", "on"),
    ("nhiệm vụ", "tasks"),
    ("nhập số liệu", "enter the figure of"),
    ("năm", "year"),
    ("phiên bản", "versions"),
    ("so với chỉ tiêu", "against the"),
    ("số liệu của", "figures of"),
    ("số lượng", "count"),
    ("thời hạn hoàn thành", "deadline"),
    ("trang công khai", "public portal"),
    ("trạng thái:", "state:"),
    ("tính theo công thức", "computed by the formula"),
    ("tốc độ tăng", "growth rate"),
    ("tỷ số", "ratio"),
    ("tỷ trọng", "share"),
    ("xu hướng", "direction"),
    ("Ý kiến", "Comment"),
    ("Ý kiến giám sát", "Supervisors' comments"),
    ("Ý kiến mới", "New comment"),
    ("Đang triển khai", "In progress"),
    ("Điều chỉnh chỉ tiêu", "Target revised"),
    (
        "Điều chỉnh chỉ tiêu theo quyết định mới (giữ mọi phiên bản) và giao cơ quan chủ trì.",
        "Revise a target by a later decision (every version is kept) and assign lead agencies.",
    ),
    ("Điều chỉnh, giao việc", "Revise, assign"),
    ("Điều hướng chính", "Main navigation"),
    ("Đánh giá", "Assessment"),
    ("Đã có số liệu gốc để so sánh:", "The base to compare with is in:"),
    ("Đã công bố", "Published"),
    ("Đã duyệt", "Approved"),
    ("Đã ghi nhận", "Recorded"),
    ("Đã gửi số liệu để lãnh đạo duyệt.", "Figures sent for approval."),
    ("Đã lưu nháp.", "Draft saved."),
    ("Đã xử lý và đang nhập", "Decided and in progress"),
    ("Đã điều chỉnh (hiện hành)", "As revised (current)"),
    ("Đăng nhập", "Log in"),
    ("Đăng nhập không thành công", "Failed sign-in"),
    ("Đăng xuất", "Log out"),
    ("Đơn vị", "Unit"),
    ("Đơn vị báo cáo phần việc (chọn nhiều", "Units reporting their part (choose several"),
    ("Đơn vị chưa được giao chỉ tiêu nào.", "No measure is assigned to this agency yet."),
    ("Đơn vị nhập", "Entered by an agency"),
    ("Đại biểu giám sát", "Supervisor"),
    ("Đạt", "Achieved"),
    ("Để đánh giá cần số liệu gốc của", "To be judged it needs the base figure of"),
    ("Đọc nghị quyết", "Read a resolution"),
    ("Đọc nghị quyết mới", "Read a new resolution"),
    ("Đọc nghị quyết thành bản nháp", "Resolution read into a draft"),
    ("Đối tượng", "Subject"),
    ("Đổi mật khẩu", "Change password"),
    ("điểm cần xem", "points to review"),
    ("đã xác nhận thành kế hoạch", "confirmed as plan"),
    ("đã đạt", "reached"),
    ("đơn vị báo cáo", "reporting units"),
    ("đơn vị đã báo cáo", "units have reported"),
    ("đạt", "reached"),
    ("Ước cả năm", "Year forecast"),
    ("Ước tính", "Estimate"),
    ("Ước đạt", "On track"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_periods_translate() {
        assert!(TABLE.windows(2).all(|w| w[0].0 < w[1].0), "sorted, no duplicates");
        assert_eq!(Lang::En.t("Tổng quan"), "Overview");
        assert_eq!(Lang::Vi.t("Tổng quan"), "Tổng quan");
        assert_eq!(Lang::En.t("Có nguy cơ không đạt"), "At risk");
        assert_eq!(Lang::En.t("Tháng 9/2025"), "September 2025");
        assert_eq!(Lang::En.t("Quý III/2025"), "Q3 2025");
        assert_eq!(Lang::En.t("6 tháng đầu năm 2025"), "First half of 2025");
        assert_eq!(Lang::En.t("Năm 2025"), "Year 2025");
        assert_eq!(Lang::En.t("Bến Tre"), "Bến Tre", "what is not interface text stays");
    }

    /// Every literal a template puts through `t(…)` has its English: a
    /// missing entry would show Vietnamese on an English page.
    #[test]
    fn every_interface_string_of_the_templates_has_its_english() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let literal = regex::Regex::new(r#"\bt\("((?:[^"\\]|\\.)*)"\)"#).unwrap();
        let mut missing = Vec::new();
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for m in literal.captures_iter(&text) {
                seen += 1;
                let vi = &m[1];
                if TABLE.binary_search_by(|(k, _)| (*k).cmp(vi)).is_err() {
                    missing.push(format!("{}: {vi}", path.file_name().unwrap().to_string_lossy()));
                }
            }
        }
        assert!(seen > 100, "the templates were read ({seen} strings)");
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "no English for:\n{}", missing.join("\n"));
    }
}
