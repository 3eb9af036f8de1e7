"""The pages' own words in Vietnamese (the default) and English (`?lang=en`).

Only the interface is translated: the catalogue's content (names, steps, legal basis) and the
services' messages are Vietnamese, as the agencies publish them. A key missing from a language
falls back to Vietnamese, and a key missing altogether shows as itself, so that a test finds it.
"""

from typing import Literal

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")
DEFAULT_LANG: Lang = "vi"

# key: (Vietnamese, English)
STRINGS: dict[str, tuple[str, str]] = {
    "site_name": ("Cổng dịch vụ công trực tuyến", "Online public services portal"),
    "skip_to_content": ("Bỏ qua, đến nội dung chính", "Skip to main content"),
    "nav_label": ("Điều hướng chính", "Main navigation"),
    "nav_search": ("Thủ tục hành chính", "Administrative procedures"),
    "nav_track": ("Tra cứu hồ sơ", "Track a dossier"),
    "language": ("Ngôn ngữ", "Language"),
    "footer_text": (
        "Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh.",
        "The province's system for administrative procedures.",
    ),
    "footer_api": ("Tài liệu API", "API documentation"),
    # home: search
    "home_title": ("Tìm thủ tục hành chính", "Find an administrative procedure"),
    "home_lead": (
        "Gõ tên hoặc mã thủ tục, có dấu hoặc không dấu.",
        "Type the name or code of a procedure, with or without Vietnamese diacritics.",
    ),
    "search_label": ("Tên hoặc mã thủ tục", "Name or code of the procedure"),
    "search_button": ("Tìm kiếm", "Search"),
    "filters": ("Lọc kết quả", "Filter the results"),
    "filter_agency": ("Cơ quan thực hiện", "Agency"),
    "filter_field": ("Lĩnh vực", "Field"),
    "filter_level": ("Mức độ", "Service level"),
    "filter_tier": ("Cấp thực hiện", "Tier"),
    "any": ("Tất cả", "All"),
    "apply_filters": ("Áp dụng", "Apply"),
    "results": ("Kết quả tìm kiếm", "Search results"),
    "results_count": ("{n} thủ tục", "{n} procedures"),
    "no_results": (
        "Không tìm thấy thủ tục phù hợp. Hãy thử ít từ hơn hoặc bỏ bớt bộ lọc.",
        "No procedure matches. Try fewer words or fewer filters.",
    ),
    "offered_by": ("Cơ quan thực hiện", "Offered by"),
    "pagination": ("Phân trang", "Pagination"),
    "previous": ("Trang trước", "Previous page"),
    "next": ("Trang sau", "Next page"),
    "page_of": ("Trang {page}/{pages}", "Page {page} of {pages}"),
    "popular_title": ("Thủ tục được sử dụng nhiều", "Most used procedures"),
    "popular_dossiers": ("{n} hồ sơ", "{n} dossiers"),
    "online_title": ("Dịch vụ công trực tuyến", "Online public services"),
    "level": ("Mức {n}", "Level {n}"),
    "mode_full": ("Trực tuyến toàn trình", "Fully online"),
    "mode_partial": ("Trực tuyến một phần", "Partly online"),
    "mode_none": ("Nộp trực tiếp", "In person only"),
    "tier_province": ("Cấp tỉnh", "Province"),
    "tier_district": ("Cấp huyện", "District"),
    "tier_commune": ("Cấp xã", "Commune"),
    # procedure page
    "procedure_code": ("Mã thủ tục", "Procedure code"),
    "field": ("Lĩnh vực", "Field"),
    "retired": (
        "Thủ tục này đã bãi bỏ; thông tin dưới đây chỉ để tham khảo.",
        "This procedure has been retired; what follows is for reference only.",
    ),
    "submit_online": ("Nộp hồ sơ trực tuyến", "Apply online"),
    "not_online": (
        "Thủ tục này chưa nhận hồ sơ trực tuyến: nộp trực tiếp hoặc qua bưu chính.",
        "This procedure does not take dossiers online yet: apply in person or by post.",
    ),
    "description": ("Mô tả", "Description"),
    "steps": ("Trình tự thực hiện", "Steps"),
    "documents": ("Thành phần hồ sơ", "Documents"),
    "document": ("Giấy tờ", "Document"),
    "optional": ("không bắt buộc", "optional"),
    "required_mark": ("bắt buộc", "required"),
    "originals_copies": ("{o} bản chính, {c} bản sao", "{o} original(s), {c} copy(ies)"),
    "accepted_types": ("Định dạng nhận: {types}", "Accepted: {types}"),
    "max_size": ("tối đa {n} MB", "up to {n} MB"),
    "download_template": ("Tải mẫu đơn, tờ khai", "Download the blank form"),
    "processing_time": ("Thời hạn giải quyết", "Processing time"),
    "fees": ("Phí, lệ phí", "Fees"),
    "free": ("Không mất phí", "Free"),
    "online_discount": ("giảm {amount} khi nộp trực tuyến", "{amount} less online"),
    "per_page": ("mỗi trang", "per page"),
    "per_copy": ("mỗi bản", "per copy"),
    "per_set": ("mỗi bộ", "per set"),
    "applicants": ("Đối tượng thực hiện", "Who may apply"),
    "kind_individual": ("Công dân Việt Nam", "Vietnamese citizens"),
    "kind_organisation": ("Tổ chức", "Organisations"),
    "kind_foreigner": ("Người nước ngoài", "Foreigners"),
    "channels": ("Cách thức thực hiện", "How to apply"),
    "channel_counter": ("Trực tiếp", "In person"),
    "channel_postal": ("Bưu chính", "By post"),
    "channel_online": ("Trực tuyến", "Online"),
    "agencies": ("Cơ quan thực hiện", "Where to apply"),
    "legal_basis": ("Căn cứ pháp lý", "Legal basis"),
    "result": ("Kết quả thực hiện", "Result"),
    "none_listed": ("Chưa cập nhật.", "Not provided yet."),
    # tracking
    "track_title": ("Tra cứu hồ sơ", "Track a dossier"),
    "track_lead": (
        "Nhập mã hồ sơ in trên giấy tiếp nhận, ví dụ 000.00.00.H60-250101-0001.",
        "Type the dossier code printed on the receipt, e.g. 000.00.00.H60-250101-0001.",
    ),
    "track_label": ("Mã hồ sơ", "Dossier code"),
    "track_button": ("Tra cứu", "Look up"),
    "track_required": ("Vui lòng nhập mã hồ sơ.", "Please type a dossier code."),
    "track_not_found": (
        "Không tìm thấy hồ sơ {code}. Hãy kiểm tra lại mã trên giấy tiếp nhận.",
        "No dossier {code}. Check the code on your receipt.",
    ),
    "dossier": ("Hồ sơ", "Dossier"),
    "procedure": ("Thủ tục", "Procedure"),
    "agency": ("Cơ quan tiếp nhận", "Receiving agency"),
    "channel": ("Hình thức nộp", "Submitted"),
    "status": ("Trạng thái", "Status"),
    "submitted_at": ("Ngày nộp", "Submitted on"),
    "received_at": ("Ngày tiếp nhận", "Received on"),
    "due_at": ("Hẹn trả kết quả", "Due"),
    "rescheduled_due_at": ("Hẹn lại", "New appointment"),
    "fee_amount": ("Số tiền phải nộp", "Amount to pay"),
    "finished_at": ("Ngày giải quyết xong", "Finished on"),
    "timeliness": ("Tiến độ", "Timeliness"),
    "on_time": ("Đúng hạn", "On time"),
    "late": ("Trễ hạn", "Late"),
    "overdue": ("Quá hạn", "Overdue"),
    "in_time": ("Trong hạn", "Within the deadline"),
    "not_received": ("Chưa tiếp nhận", "Not received yet"),
    "history": ("Quá trình xử lý", "History"),
    "electronic_result": (
        "Đã có kết quả điện tử: người nộp hồ sơ xem bằng đường dẫn riêng.",
        "An electronic result is available to the applicant through their private link.",
    ),
    "track_another": ("Tra cứu hồ sơ khác", "Track another dossier"),
    # the applicant's page (/ho-so/{code})
    "answers_title": ("Thông tin đã khai", "Your answers"),
    "your_documents": ("Giấy tờ đã nộp", "Documents you handed in"),
    "no_documents": ("Chưa có giấy tờ nào.", "No documents yet."),
    "results_title": ("Kết quả giải quyết", "Result"),
    "no_results_yet": ("Chưa có kết quả điện tử.", "No electronic result yet."),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "supplement_title": ("Bổ sung hồ sơ", "Send the missing documents"),
    "supplement_lead": (
        "Cơ quan giải quyết yêu cầu bổ sung các giấy tờ dưới đây. "
        "Chọn tệp cho từng giấy tờ rồi bấm Gửi.",
        "The agency asks for the documents below. Choose a file for each, then send them.",
    ),
    "supplement_button": ("Gửi hồ sơ bổ sung", "Send the documents"),
    "supplement_sent": (
        "Đã gửi hồ sơ bổ sung. Cơ quan giải quyết tiếp tục xử lý hồ sơ.",
        "The documents were sent. The agency goes on with your dossier.",
    ),
    "withdraw_title": ("Rút hồ sơ", "Withdraw the dossier"),
    "withdraw_lead": (
        "Nếu không còn nhu cầu, bạn có thể đề nghị rút hồ sơ; cơ quan giải quyết sẽ xác nhận.",
        "If you no longer need it, you may ask to withdraw the dossier; the agency confirms.",
    ),
    "withdraw_reason": ("Lý do rút hồ sơ", "Why you withdraw it"),
    "withdraw_button": ("Đề nghị rút hồ sơ", "Ask to withdraw"),
    "withdraw_sent": (
        "Đã gửi đề nghị rút hồ sơ. Cơ quan giải quyết sẽ xem xét và xác nhận.",
        "Your request to withdraw was sent. The agency will review and confirm it.",
    ),
    "private_link_hint": (
        "Trang này chỉ mở được bằng đường dẫn riêng in trên giấy tiếp nhận hồ sơ.",
        "This page opens only with the private link printed on your receipt.",
    ),
    # submission form and receipt
    "submit_title": ("Nộp hồ sơ trực tuyến", "Submit a dossier online"),
    "submit_errors_title": ("Hồ sơ chưa được gửi", "The dossier was not sent"),
    "submit_files_again": (
        "Vì lý do an toàn, các tệp đã chọn không được giữ lại: hãy chọn lại tệp cho từng giấy tờ.",
        "For your safety the files were not kept: choose the file for each document again.",
    ),
    "submit_applicant": ("Người nộp hồ sơ", "Applicant"),
    "submit_kind": ("Bạn nộp hồ sơ với tư cách", "You apply as"),
    "submit_kind_hint": (
        "Chỉ các thông tin của mục đã chọn được gửi đi.",
        "Only the block you chose is sent.",
    ),
    "as_individual": ("Cá nhân", "An individual"),
    "as_organisation": ("Tổ chức", "An organisation"),
    "submit_agency": ("Cơ quan tiếp nhận hồ sơ", "Receiving agency"),
    "submit_choose": ("— Chọn —", "— Choose —"),
    "submit_form": ("Tờ khai", "Form"),
    "submit_documents": ("Thành phần hồ sơ", "Documents"),
    "submit_button": ("Nộp hồ sơ", "Submit the dossier"),
    "receipt_title": ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "Receipt and appointment"),
    "receipt_one_stop": ("Bộ phận Tiếp nhận và Trả kết quả", "One-stop reception desk"),
    "receipt_on_day": ("ngày {day}", "{day}"),
    "receipt_code": ("Mã hồ sơ", "Dossier code"),
    "receipt_desk": ("Bộ phận tiếp nhận và trả kết quả", "Received by the one-stop desk of"),
    "receipt_from": ("Tiếp nhận hồ sơ của", "Dossier received from"),
    "receipt_address": ("Địa chỉ", "Address"),
    "receipt_phone": ("Số điện thoại", "Phone"),
    "receipt_request": ("Nội dung yêu cầu giải quyết", "Request"),
    "receipt_due_expected": (
        "dự kiến; ngày hẹn chính thức được tính khi cơ quan tiếp nhận hồ sơ",
        "expected; the agency sets the appointment when it accepts the dossier",
    ),
    "receipt_documents": ("Thành phần hồ sơ nộp gồm", "Documents submitted"),
    "receipt_number": ("STT", "No."),
    "receipt_document": ("Tên loại giấy tờ", "Document"),
    "receipt_form_of": (
        "Hình thức (bản chính, bản sao hoặc bản chụp)",
        "Form (original, copy or scan)",
    ),
    "receipt_electronic": ("Bản điện tử", "Electronic"),
    "receipt_count": ("Số lượng (tệp)", "Number (files)"),
    "receipt_sets": ("Số lượng hồ sơ: 01 (bộ)", "Number of dossiers: 1 (set)"),
    "receipt_time": (
        "Thời gian giải quyết hồ sơ theo quy định là",
        "Processing time set by the procedure",
    ),
    "receipt_received_at": ("Thời gian nhận hồ sơ", "Received at"),
    "receipt_due": ("Thời gian trả kết quả giải quyết hồ sơ", "Result due at"),
    "receipt_qr": ("Tra cứu tình trạng hồ sơ", "Track the dossier"),
    "receipt_private_title": ("Đường dẫn riêng của bạn", "Your private link"),
    "receipt_private_warning": (
        "Hãy giữ bí mật đường dẫn này: ai có nó đều xem được hồ sơ, bổ sung hoặc rút hồ sơ của "
        "bạn. Đường dẫn chỉ hiện một lần, trên giấy này.",
        "Keep this link secret: anyone who has it can read, supplement or withdraw your "
        "dossier. It is shown only here, once.",
    ),
    "receipt_print": (
        "In giấy này (Ctrl+P) hoặc lưu lại để theo dõi hồ sơ.",
        "Print this page (Ctrl+P) or save it to follow your dossier.",
    ),
    # the dashboard (/thong-ke; app/web/dashboard.py)
    "nav_dashboard": ("Thống kê", "Statistics"),
    "dash_title": (
        "Thống kê giải quyết thủ tục hành chính",
        "Statistics of administrative procedures",
    ),
    "dash_lead": (
        "Số liệu tiếp nhận và giải quyết hồ sơ của tỉnh, theo Bộ chỉ số của Quyết định "
        "766/QĐ-TTg. Mỗi biểu đồ có bảng số liệu và tệp tải về.",
        "Dossiers received and processed in the province, with the indicators of Decision "
        "766/QĐ-TTg. Each chart has a table of its numbers and files to download.",
    ),
    "dash_picker": ("Chọn kỳ và cơ quan", "Choose the period and the agency"),
    "dash_from": ("Từ ngày", "From"),
    "dash_to": ("Đến ngày", "To"),
    "dash_date_hint": (
        "Theo ngày tiếp nhận hồ sơ. Gõ tay thì theo dạng ngày/tháng/năm.",
        "By the date dossiers were received. If you type it: day/month/year.",
    ),
    "dash_agency_all": ("Toàn tỉnh", "The whole province"),
    "dash_show": ("Xem số liệu", "Show"),
    "dash_period_text": ("từ {first} đến {last}", "from {first} to {last}"),
    "dash_showing": ("Kỳ báo cáo: {period}.", "Period: {period}."),
    "dash_polling": (
        "Số liệu tự cập nhật khi thay đổi (kiểm tra mỗi {n} giây).",
        "The numbers update themselves when they change (checked every {n} seconds).",
    ),
    "dash_refreshed": ("Số liệu đã được cập nhật.", "The numbers have been updated."),
    "dash_bad_date": (
        "Ngày không hợp lệ: hãy nhập dạng ngày/tháng/năm.",
        "Not a date: use day/month/year.",
    ),
    "dash_downloads": ("Tải số liệu {what}:", "Download the numbers of {what}:"),
    "dash_empty": ("Không có hồ sơ trong kỳ.", "No dossier in the period."),
    "dash_omitted": (
        "({n} cơ quan không có hồ sơ trong kỳ)",
        "({n} agencies without dossiers in the period)",
    ),
    "dash_online_month": (
        "Tỷ lệ hồ sơ trực tuyến theo tháng",
        "Share of dossiers received online, by month",
    ),
    "dash_online_month_desc": (
        "Tỷ lệ hồ sơ tiếp nhận trực tuyến theo tháng, {period}: cả kỳ {ratio} ({online} trên "
        "{total} hồ sơ). Tháng không có hồ sơ không có điểm.",
        "Share of dossiers received online per month, {period}: {ratio} over the period "
        "({online} of {total} dossiers). Months without dossiers have no point.",
    ),
    "dash_month": ("Tháng", "Month"),
    "dash_online": ("Trực tuyến", "Online"),
    "dash_received": ("Tổng số tiếp nhận", "All received"),
    "dash_ratio": ("Tỷ lệ", "Share"),
    "dash_agency": ("Cơ quan", "Agency"),
    "dash_online_agency": (
        "Tỷ lệ hồ sơ trực tuyến theo cơ quan",
        "Share of dossiers received online, by agency",
    ),
    "dash_online_what": (
        "Tỷ lệ hồ sơ tiếp nhận trực tuyến",
        "The share of dossiers received online",
    ),
    "dash_on_time_agency": (
        "Tỷ lệ hồ sơ giải quyết đúng hạn theo cơ quan",
        "Share of dossiers processed on time, by agency",
    ),
    "dash_in_time": (
        "Đúng hạn (kể cả đang giải quyết chưa đến hạn)",
        "On time (in progress and not yet due included)",
    ),
    "dash_to_process": ("Phải giải quyết", "To process"),
    "dash_on_time_what": (
        "Tỷ lệ hồ sơ giải quyết đúng hạn (chỉ số 2.1)",
        "The share of dossiers processed on time (indicator 2.1)",
    ),
    "dash_by_agency_desc": (
        "{what} của từng cơ quan, {period}, từ cao xuống thấp",
        "{what} for each agency, {period}, highest first",
    ),
    "dash_by_agency_hidden": (
        ": {n} cơ quan cao nhất và {n} cơ quan thấp nhất",
        ": the {n} highest and the {n} lowest",
    ),
    "dash_by_agency_gap": (
        "… {n} cơ quan khác ở giữa (đầy đủ trong tệp CSV và XLSX)",
        "… {n} more agencies in between (all of them in the CSV and XLSX files)",
    ),
    "dash_by_agency_omitted": (
        "; {n} cơ quan không có hồ sơ trong kỳ.",
        "; {n} agencies have no dossier in the period.",
    ),
    "dash_status": ("Hồ sơ theo trạng thái", "Dossiers by status"),
    "dash_status_desc": (
        "Hồ sơ nộp {period} theo trạng thái hiện tại: tổng {total} hồ sơ.",
        "Dossiers submitted {period}, by their current status: {total} in all.",
    ),
    "dash_status_heading": ("Trạng thái", "Status"),
    "dash_count": ("Số lượng", "Count"),
    "dash_total": ("Tổng số", "Total"),
    "dash_catalogue": (
        "Thủ tục theo mức độ và hình thức trực tuyến",
        "Procedures by service level and online mode",
    ),
    "dash_catalogue_desc": (
        "Thủ tục đang áp dụng theo mức độ: tổng {total} thủ tục, {online} cung cấp trực tuyến "
        "(mức độ 3–4), {share}.",
        "Procedures in force by service level: {total} in all, {online} offered online "
        "(levels 3–4), {share}.",
    ),
    "dash_catalogue_online": (
        "Trực tuyến (mức độ 3–4): {online} — {share}",
        "Online (levels 3–4): {online} — {share}",
    ),
    "dash_level": ("Mức độ {n}", "Level {n}"),
    "dash_level_heading": ("Mức độ", "Level"),
    "dash_mode": ("Hình thức trực tuyến", "Online mode"),
    "dash_indicators": (
        "Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ (Quyết định 766/QĐ-TTg)",
        "Indicators for directing, running and assessing the quality of service (Decision "
        "766/QĐ-TTg)",
    ),
    "dash_indicators_title": (
        "Bộ chỉ số theo Quyết định 766/QĐ-TTg",
        "The Decision 766 indicators",
    ),
    "dash_indicators_short": ("bộ chỉ số", "the indicators"),
    "dash_ind_code": ("Mã", "Code"),
    "dash_ind_name": ("Chỉ số", "Indicator"),
    "dash_numerator": ("Tử số", "Numerator"),
    "dash_denominator": ("Mẫu số", "Denominator"),
    "dash_ind_value": ("Giá trị", "Value"),
    "dash_ind_threshold": ("Ngưỡng đạt điểm tối đa", "Threshold for full marks"),
    "dash_ind_points": ("Điểm đạt", "Points"),
    "dash_ind_max_points": ("Điểm tối đa", "Maximum points"),
    "dash_ind_note": ("Ghi chú", "Note"),
    "dash_ind_total": ("Tổng điểm", "Total points"),
    "dash_days": ("{n} ngày", "{n} days"),
    # the officers' pages (/can-bo/)
    "officer_nav_label": ("Điều hướng của cán bộ", "Officers' navigation"),
    "officer_nav_queue": ("Hồ sơ", "Dossiers"),
    "officer_nav_register": ("Tiếp nhận hồ sơ", "Register a dossier"),
    "officer_nav_admin": ("Quản trị", "Administration"),
    "officer_nav_public": ("Cổng dịch vụ công", "Public portal"),
    "officer_sign_out": ("Đăng xuất", "Sign out"),
    "officer_sign_in_title": ("Đăng nhập cán bộ", "Officers' sign-in"),
    "officer_username": ("Tên đăng nhập", "Username"),
    "officer_password": ("Mật khẩu", "Password"),
    "officer_sign_in": ("Đăng nhập", "Sign in"),
    "officer_sign_in_with": ("Đăng nhập bằng {name}", "Sign in with {name}"),
    "officer_signed_out": ("Bạn đã đăng xuất.", "You have signed out."),
    "officer_session_ended": (
        "Phiên làm việc đã kết thúc; vui lòng đăng nhập lại.",
        "Your session has ended; please sign in again.",
    ),
    # the officers' queue (/can-bo/ho-so): this page's words go below this line
    "oq_title": ("Hồ sơ cần giải quyết", "Dossiers to process"),
    "oq_lead_agency": (
        "Hồ sơ tiếp nhận tại {agency} và các cơ quan trực thuộc; hồ sơ có hạn xử lý sớm nhất "
        "ở trên cùng.",
        "Dossiers received by {agency} and the agencies under it; the earliest due first.",
    ),
    "oq_lead_admin": (
        "Hồ sơ của mọi cơ quan; hồ sơ có hạn xử lý sớm nhất ở trên cùng.",
        "Every agency's dossiers; the earliest due first.",
    ),
    "oq_waiting": (
        "{n} hồ sơ trực tuyến mới đang chờ kiểm tra tiếp nhận.",
        "{n} new online dossiers are waiting for their intake check.",
    ),
    "oq_waiting_link": ("Xem các hồ sơ chờ tiếp nhận", "Show the dossiers waiting for intake"),
    "oq_waiting_none": (
        "Không có hồ sơ trực tuyến mới nào chờ tiếp nhận.",
        "No new online dossier is waiting for intake.",
    ),
    "oq_errors_title": ("Bộ lọc chưa hợp lệ", "Some filters are not valid"),
    "oq_filters": ("Lọc hồ sơ", "Filter the dossiers"),
    "oq_q": ("Mã hồ sơ hoặc tên người nộp", "Dossier code or applicant's name"),
    "oq_q_hint": (
        "Một phần của mã hoặc của tên, có dấu hoặc không dấu.",
        "Part of the code or of the name, with or without diacritics.",
    ),
    "oq_status": ("Trạng thái", "Status"),
    "oq_overdue": ("Thời hạn", "Deadline"),
    "oq_overdue_true": ("Quá hạn", "Overdue"),
    "oq_overdue_false": ("Chưa quá hạn", "Not overdue"),
    "oq_procedure": ("Thủ tục", "Procedure"),
    "oq_procedure_hint": ("Mã thủ tục, ví dụ 1.001193.", "The procedure's code, e.g. 1.001193."),
    "oq_channel": ("Hình thức nộp", "Channel"),
    "oq_received_from": ("Tiếp nhận từ ngày", "Received from"),
    "oq_received_to": ("Tiếp nhận đến ngày", "Received until"),
    "oq_date_hint": (
        "Gõ tay thì theo dạng ngày/tháng/năm.",
        "If you type it: day/month/year.",
    ),
    "oq_apply": ("Lọc", "Filter"),
    "oq_clear": ("Bỏ lọc", "Clear the filters"),
    "oq_results": ("Danh sách hồ sơ", "Dossiers"),
    "oq_count": ("{n} hồ sơ", "{n} dossiers"),
    "oq_none": ("Không có hồ sơ nào phù hợp.", "No dossier matches."),
    "oq_csv": ("Tải danh sách (CSV)", "Download the list (CSV)"),
    "oq_csv_capped": (
        "Tệp CSV chỉ gồm {max} hồ sơ đầu tiên của danh sách; hãy lọc bớt để có đủ.",
        "The CSV holds the list's first {max} dossiers; narrow the filters to get them all.",
    ),
    "oq_caption": ("Hồ sơ, trang {page}/{pages}", "Dossiers, page {page} of {pages}"),
    "oq_col_code": ("Mã hồ sơ", "Code"),
    "oq_col_procedure": ("Thủ tục", "Procedure"),
    "oq_col_applicant": ("Người nộp", "Applicant"),
    "oq_col_channel": ("Hình thức nộp", "Channel"),
    "oq_col_status": ("Trạng thái", "Status"),
    "oq_col_received": ("Ngày tiếp nhận", "Received"),
    "oq_col_due": ("Hạn xử lý", "Due"),
    "oq_not_received": ("Chưa tiếp nhận", "Not received yet"),
    "oq_badge_overdue": ("Quá hạn", "Overdue"),
    "oq_badge_due_soon": ("Sắp đến hạn", "Due soon"),
    "oq_badge_intake": (
        "Chờ tiếp nhận quá {n} giờ làm việc",
        "Waiting over {n} working hours for intake",
    ),
    # the officers' a dossier (/can-bo/ho-so/{code}): this page's words go below this line
    "od_version": ("Phiên bản {n}", "Version {n}"),
    "od_channel_online": ("Trực tuyến", "Online"),
    "od_channel_counter": ("Trực tiếp tại Bộ phận Một cửa", "At the one-stop desk"),
    "od_channel_postal": ("Qua bưu chính", "By post"),
    "od_original_due_at": ("Hẹn trả ban đầu (khi tiếp nhận)", "Original appointment (at receipt)"),
    "od_paused": ("Thời hạn giải quyết", "Deadline clock"),
    "od_paused_yes": ("Đang tạm dừng tính thời hạn", "Paused"),
    "od_paused_no": ("Đang tính thời hạn", "Running"),
    "od_paused_none": (
        "Chưa bắt đầu (hồ sơ chưa được tiếp nhận)",
        "Not started (not received yet)",
    ),
    "od_supplement_requests": ("Số lần yêu cầu bổ sung", "Supplement requests"),
    "od_done": ("Đã thực hiện: {action}.", "Done: {action}."),
    "od_refused_title": ("Thao tác chưa được thực hiện", "The action was not carried out"),
    "od_conflict_lead": (
        "Trang dưới đây là tình trạng hiện tại của hồ sơ; thao tác của bạn chưa được áp dụng. "
        "Hãy xem lại rồi thực hiện lại nếu vẫn cần.",
        "Below is the dossier as it stands now; your action was not applied. Check it, then "
        "act again if you still need to.",
    ),
    "od_reload": ("Tải lại trang hồ sơ", "Reload the dossier"),
    "od_actions": ("Thao tác", "Actions"),
    "od_actions_lead": (
        "Các thao tác được phép ở trạng thái hiện tại. Bấm vào một thao tác để mở biểu mẫu.",
        "The actions allowed in the current status. Open one to fill in its form.",
    ),
    "od_no_actions": (
        "Không còn thao tác nào của cán bộ ở trạng thái này.",
        "No officer action is left in this status.",
    ),
    "od_note": ("Ghi chú nội bộ (chỉ cán bộ xem)", "Internal note (officers only)"),
    "od_public_note": (
        "Nội dung gửi người nộp hồ sơ (không bắt buộc)",
        "Message to the applicant (optional)",
    ),
    "od_public_hint": (
        "Nội dung này hiện trong quá trình xử lý công khai của hồ sơ.",
        "This message appears in the dossier's public history.",
    ),
    "od_reason_refuse": ("Lý do từ chối tiếp nhận", "Why the dossier is refused"),
    "od_reason_request_supplement": (
        "Nội dung yêu cầu bổ sung, sửa đổi",
        "What must be supplied or corrected",
    ),
    "od_reason_request_fee": (
        "Khoản phí, lệ phí hoặc thuế phải nộp và cách nộp",
        "Which fee or tax is due, and how to pay it",
    ),
    "od_amount": ("Số tiền phải nộp (đồng)", "Amount to pay (đồng)"),
    "od_amount_hint": (
        "Chỉ gồm chữ số, có thể viết 50.000.",
        "Digits only; 50.000 is fine.",
    ),
    "od_amount_fees": ("Phí, lệ phí của thủ tục:", "The procedure's fees:"),
    "od_reason_complete": ("Tóm tắt kết quả giải quyết", "Summary of the result"),
    "od_reason_stop": ("Lý do dừng xử lý", "Why processing stops"),
    "od_reason_deny_withdrawal": (
        "Lý do không đồng ý cho rút hồ sơ",
        "Why the withdrawal is denied",
    ),
    "od_reason_reschedule": (
        "Lời xin lỗi và lý do chậm trả kết quả",
        "The apology and the reason for the delay",
    ),
    "od_documents_legend": ("Giấy tờ phải bổ sung", "Documents to send again"),
    "od_documents_hint": (
        "Chọn ít nhất một giấy tờ; người nộp hồ sơ chỉ bổ sung được các giấy tờ đã chọn.",
        "Choose at least one; the applicant can send only the documents chosen.",
    ),
    "od_due_at": ("Ngày giờ hẹn trả kết quả mới", "New appointment (date and time)"),
    "od_due_at_hint": (
        "Giờ Việt Nam; hẹn hiện tại: {current}.",
        "Vietnam time; the current appointment: {current}.",
    ),
    "od_results": ("Tệp kết quả giải quyết điện tử", "Electronic result files"),
    "od_results_hint": (
        "Không bắt buộc; có thể chọn nhiều tệp. {types}, {size}.",
        "Optional; you may choose several files. {types}, {size}.",
    ),
    "od_action_accept": ("Tiếp nhận hồ sơ", "Accept the dossier"),
    "od_action_refuse": ("Từ chối tiếp nhận", "Refuse the dossier"),
    "od_action_request_supplement": ("Yêu cầu bổ sung hồ sơ", "Ask for documents"),
    "od_action_start_processing": ("Chuyển xử lý", "Start processing"),
    "od_action_request_fee": (
        "Yêu cầu thực hiện nghĩa vụ tài chính",
        "Ask for the fees or taxes",
    ),
    "od_action_confirm_fee": (
        "Xác nhận đã thực hiện nghĩa vụ tài chính",
        "Confirm the fees are paid",
    ),
    "od_action_complete": ("Hoàn thành xử lý", "Complete the processing"),
    "od_action_return_result": ("Trả kết quả", "Return the result"),
    "od_action_stop": ("Dừng xử lý", "Stop processing"),
    "od_action_confirm_withdrawal": ("Đồng ý cho rút hồ sơ", "Confirm the withdrawal"),
    "od_action_deny_withdrawal": ("Không đồng ý cho rút hồ sơ", "Deny the withdrawal"),
    "od_action_reschedule": (
        "Xin lỗi và hẹn lại ngày trả kết quả",
        "Apologise and set a new appointment",
    ),
    "od_action_submit": ("Nộp hồ sơ trực tuyến", "Submitted online"),
    "od_action_register": ("Tiếp nhận tại quầy hoặc qua bưu chính", "Registered at the desk"),
    "od_action_supplement": ("Người nộp bổ sung hồ sơ", "The applicant sent documents"),
    "od_action_withdraw": ("Người nộp đề nghị rút hồ sơ", "The applicant asked to withdraw"),
    "od_applicant": ("Người nộp hồ sơ", "Applicant"),
    "od_actor_applicant": ("Người nộp hồ sơ", "The applicant"),
    "od_full_name": ("Họ và tên", "Full name"),
    "od_birth_date": ("Ngày sinh", "Date of birth"),
    "od_id_number": ("Số định danh cá nhân", "Personal identification number"),
    "od_passport_number": ("Số hộ chiếu", "Passport number"),
    "od_organisation": ("Tên tổ chức", "Organisation"),
    "od_tax_code": ("Mã số thuế", "Tax code"),
    "od_representative": ("Người đại diện theo pháp luật", "Legal representative"),
    "od_email": ("Thư điện tử", "E-mail"),
    "od_requested": ("Giấy tờ đang yêu cầu bổ sung", "Documents asked for"),
    "od_documents": ("Giấy tờ trong hồ sơ", "Documents"),
    "od_preview": ("Xem trước: {name}", "Preview: {name}"),
    "od_open": ("Mở trong thẻ mới", "Open in a new tab"),
    "od_download": ("Tải về", "Download"),
    "od_no_preview": (
        "Tệp loại này không xem trước được; hãy tải về để mở.",
        "This type of file has no preview; download it to open it.",
    ),
    "od_results_title": ("Kết quả giải quyết điện tử", "Electronic results"),
    "od_history": ("Quá trình xử lý (đầy đủ)", "History (complete)"),
    "od_history_lead": (
        "Mọi thao tác trên hồ sơ, cả ghi chú nội bộ; người nộp và công chúng chỉ thấy nội "
        "dung công khai.",
        "Every move of the dossier, internal notes included; the applicant and the public see "
        "only the public messages.",
    ),
    "od_by": ("Người thực hiện", "By"),
    "od_move": ("{source} → {target}", "{source} → {target}"),
    "od_event_note": ("Ghi chú nội bộ", "Internal note"),
    "od_event_public": ("Nội dung công khai", "Public message"),
    "od_event_documents": ("Giấy tờ yêu cầu bổ sung", "Documents asked for"),
    "od_prints": ("In biểu mẫu (PDF)", "Print the forms (PDF)"),
    "od_print_giay-tiep-nhan": (
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "Receipt and appointment",
    ),
    "od_print_phieu-bo-sung": (
        "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        "Request to supplement the dossier",
    ),
    "od_print_phieu-tu-choi": (
        "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
        "Refusal to accept the dossier",
    ),
    "od_print_phieu-xin-loi": (
        "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
        "Apology and new appointment",
    ),
    "od_print_phieu-kiem-soat": (
        "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        "Processing control sheet",
    ),
    # the officers' registration (/can-bo/tiep-nhan): this page's words go below this line
    "register_title": (
        "Tiếp nhận hồ sơ trực tiếp hoặc qua bưu chính",
        "Register a dossier handed in at the desk or by post",
    ),
    "register_lead": (
        "Chọn thủ tục mà cơ quan của bạn thực hiện, ở mọi mức độ: hồ sơ nộp trực tiếp hoặc "
        "qua bưu chính không chỉ dành cho dịch vụ công trực tuyến.",
        "Choose a procedure your agency offers, at any level: dossiers handed in at the desk "
        "or sent by post are not limited to online services.",
    ),
    "register_search_label": ("Tên hoặc mã thủ tục", "Name or code of the procedure"),
    "register_search_hint": (
        "Gõ tên hoặc mã thủ tục, có dấu hoặc không dấu; để trống để xem tất cả.",
        "Type the name or code, with or without diacritics; leave it empty to list them all.",
    ),
    "register_procedures": ("Thủ tục của cơ quan", "Your agency's procedures"),
    "register_no_procedures": (
        "Không có thủ tục phù hợp trong các thủ tục cơ quan của bạn thực hiện.",
        "None of your agency's procedures matches.",
    ),
    "register_form_title": ("Tiếp nhận hồ sơ", "Register a dossier"),
    "register_another_procedure": ("Chọn thủ tục khác", "Choose another procedure"),
    "register_channel": ("Hình thức nộp hồ sơ", "How the dossier was handed in"),
    "register_channel_counter": (
        "Trực tiếp tại Bộ phận Tiếp nhận và Trả kết quả",
        "In person at the one-stop desk",
    ),
    "register_channel_postal": ("Qua dịch vụ bưu chính", "By post"),
    "register_kind": ("Người nộp hồ sơ là", "The applicant is"),
    "register_kind_hint": (
        "Chỉ các thông tin của mục đã chọn được lưu.",
        "Only the block you chose is kept.",
    ),
    "register_documents_hint": (
        "Quét (scan) giấy tờ người nộp mang đến hoặc gửi qua bưu chính và đính kèm từng tệp. "
        "Thành phần có dấu * là bắt buộc: hồ sơ nộp trực tiếp hay qua bưu chính cũng phải có "
        "bản điện tử của các thành phần này, như hồ sơ trực tuyến, nếu không hệ thống không "
        "tiếp nhận. Thành phần không bắt buộc có thể chỉ nộp bản giấy.",
        "Scan the papers handed in or posted and attach each file. Documents marked * are "
        "required: a desk or postal dossier needs an electronic copy of each of them, as an "
        "online one does, or it is not registered. Optional documents may stay on paper.",
    ),
    "register_button": ("Tiếp nhận hồ sơ", "Register the dossier"),
    "register_errors_title": ("Hồ sơ chưa được tiếp nhận", "The dossier was not registered"),
    "register_files_again": (
        "Các tệp đã chọn không được giữ lại: hãy chọn lại tệp cho từng giấy tờ.",
        "The files were not kept: choose the file for each document again.",
    ),
    "register_scanned": ("Bản điện tử (số hoá)", "Electronic (scanned)"),
    "register_signer_applicant": ("NGƯỜI NỘP HỒ SƠ", "APPLICANT"),
    "register_signer_officer": ("NGƯỜI TIẾP NHẬN HỒ SƠ", "RECEIVING OFFICER"),
    "register_sign_hint": ("(Ký và ghi rõ họ tên)", "(Signature and full name)"),
    "register_hand_over": (
        "Ký, in giấy này và trao cho người nộp hồ sơ: đường dẫn riêng của hồ sơ chỉ hiện ở đây.",
        "Sign and print this receipt for the applicant: the dossier's private link is shown "
        "only here.",
    ),
    "register_another": ("Tiếp nhận hồ sơ khác", "Register another dossier"),
    # the officers' single sign-on: this page's words go below this line
    "sso_state_invalid": (
        "Lượt đăng nhập bằng {name} không hợp lệ hoặc đã hết hạn; vui lòng đăng nhập lại.",
        "This sign-in with {name} is not valid or has expired; please sign in again.",
    ),
    "sso_cancelled": (
        "Bạn đã hủy đăng nhập bằng {name}.",
        "You cancelled signing in with {name}.",
    ),
    "sso_refused": (
        "{name} không xác nhận được việc đăng nhập; vui lòng thử lại.",
        "{name} could not confirm your sign-in; please try again.",
    ),
    "sso_unknown_officer": (
        "Tài khoản {name} của bạn không gắn với tài khoản cán bộ nào đang hoạt động trên hệ "
        "thống này; vui lòng liên hệ quản trị viên.",
        "Your {name} account is not an active officer's account here; please contact your "
        "administrator.",
    ),
    "sso_missing_claims": (
        "{name} không cho biết vai trò hoặc cơ quan của bạn; vui lòng liên hệ quản trị viên.",
        "{name} did not give your role or agency; please contact your administrator.",
    ),
    "sso_unavailable": (
        "Không kết nối được {name}. Vui lòng thử lại sau ít phút, hoặc đăng nhập bằng tên "
        "đăng nhập và mật khẩu.",
        "{name} cannot be reached. Please try again in a few minutes, or sign in with your "
        "username and password.",
    ),
    # the officers' administration (/can-bo/quan-tri): this page's words go below this line
    "admin_title": ("Quản trị hệ thống", "Administration"),
    "admin_sections": ("Các mục quản trị", "Administration sections"),
    "admin_section_officers": ("Tài khoản cán bộ", "Officers' accounts"),
    "admin_section_calendar": ("Lịch làm việc", "Working calendar"),
    "admin_section_catalogue": ("Danh mục thủ tục", "Catalogue of procedures"),
    "admin_section_officers_text": (
        "Tạo tài khoản, đổi vai trò và cơ quan, vô hiệu hóa hoặc kích hoạt lại tài khoản.",
        "Create accounts, change their role and agency, disable or re-enable them.",
    ),
    "admin_section_calendar_text": (
        "Ngày lễ, Tết trong năm và các ngày điều chỉnh: ngày làm bù, ngày nghỉ thêm.",
        "The year's public holidays and the overrides: make-up working days, extra days off.",
    ),
    "admin_section_catalogue_text": (
        "Nhập danh mục từ tệp JSON; sửa mức độ, thời hạn, phí, lệ phí và cơ quan thực hiện "
        "của một thủ tục; ngừng áp dụng thủ tục.",
        "Import the catalogue from a JSON file; edit a procedure's level, processing time, "
        "fees and agencies; retire a procedure.",
    ),
    "admin_refused": ("Chưa lưu được thay đổi", "Nothing was saved"),
    "admin_save": ("Lưu thay đổi", "Save changes"),
    "admin_remove": ("Xóa", "Remove"),
    # accounts
    "admin_officers_title": ("Tài khoản cán bộ", "Officers' accounts"),
    "admin_officers_count": ("{n} tài khoản", "{n} accounts"),
    "admin_full_name": ("Họ và tên", "Full name"),
    "admin_role": ("Vai trò", "Role"),
    "admin_role_officer": ("Cán bộ", "Officer"),
    "admin_role_admin": ("Quản trị viên", "Administrator"),
    "admin_agency": ("Cơ quan", "Agency"),
    "admin_state": ("Trạng thái", "State"),
    "admin_enabled": ("Đang hoạt động", "Enabled"),
    "admin_disabled": ("Đã vô hiệu hóa", "Disabled"),
    "admin_new_officer": ("Tạo tài khoản mới", "New account"),
    "admin_username_hint": (
        "Chữ thường không dấu, chữ số và các dấu . _ @ -, từ 2 đến 100 ký tự.",
        "Lower-case letters without diacritics, digits and . _ @ -, 2 to 100 characters.",
    ),
    "admin_password_hint": (
        "Ít nhất 10 ký tự. Để trống nếu tài khoản chỉ đăng nhập qua hệ thống đăng nhập một "
        "lần (SSO) của tỉnh.",
        "At least 10 characters. Leave it empty for an account that signs in only through "
        "the province's single sign-on.",
    ),
    "admin_create_officer": ("Tạo tài khoản", "Create the account"),
    "admin_officer_title": ("Tài khoản {username}", "Account {username}"),
    "admin_back_to_officers": ("← Danh sách tài khoản", "← All accounts"),
    "admin_change_officer": ("Vai trò và cơ quan", "Role and agency"),
    "admin_self_hint": (
        "Đây là tài khoản của bạn: bạn không thể tự bỏ quyền quản trị.",
        "This is your own account: you cannot take the administrator role from it.",
    ),
    "admin_disable": ("Vô hiệu hóa tài khoản", "Disable the account"),
    "admin_enable": ("Kích hoạt lại tài khoản", "Re-enable the account"),
    "admin_disable_hint": (
        "Tài khoản bị vô hiệu hóa không đăng nhập được nữa; các phiên làm việc đang mở của "
        "tài khoản kết thúc ngay.",
        "A disabled account cannot sign in; its open sessions end at once.",
    ),
    "admin_enable_hint": (
        "Tài khoản được kích hoạt lại có thể đăng nhập như trước.",
        "A re-enabled account can sign in again.",
    ),
    "admin_done_officer_created": ("Đã tạo tài khoản", "The account was created:"),
    "admin_done_officer_saved": ("Đã lưu vai trò và cơ quan.", "Role and agency saved."),
    "admin_done_officer_disabled": (
        "Đã vô hiệu hóa tài khoản; các phiên làm việc của tài khoản đã kết thúc.",
        "The account is disabled; its sessions have ended.",
    ),
    "admin_done_officer_enabled": ("Đã kích hoạt lại tài khoản.", "The account is enabled again."),
    # the working calendar
    "admin_calendar_title": ("Lịch làm việc năm {year}", "Working calendar {year}"),
    "admin_calendar_lead": (
        "Thời hạn giải quyết hồ sơ được tính theo lịch này: thứ Hai đến thứ Sáu, trừ ngày "
        "lễ, Tết; ngày điều chỉnh thay cho quy định của ngày đó.",
        "Deadlines are counted on this calendar: Monday to Friday except public holidays; "
        "an override replaces the rule of its day.",
    ),
    "admin_year": ("Năm", "Year"),
    "admin_show_year": ("Xem", "Show"),
    "admin_year_before": ("← Năm {year}", "← {year}"),
    "admin_year_after": ("Năm {year} →", "{year} →"),
    "admin_calendar_caption": (
        "Ngày nghỉ và ngày làm việc khác thường lệ trong năm {year}",
        "Days off and unusual working days in {year}",
    ),
    "admin_day": ("Ngày", "Day"),
    "admin_day_kind": ("Loại ngày", "Kind"),
    "admin_day_name": ("Tên, ghi chú", "Name or note"),
    "admin_day_source": ("Nguồn", "Source"),
    "admin_kind_holiday": ("Nghỉ lễ, Tết", "Public holiday"),
    "admin_kind_off": ("Ngày nghỉ", "Day off"),
    "admin_kind_working": ("Ngày làm việc", "Working day"),
    "admin_source_rule": ("Theo quy định", "The rules"),
    "admin_source_override": ("Điều chỉnh", "Override"),
    "admin_remove_override_of": ("điều chỉnh ngày {day}", "the override of {day}"),
    "admin_weekday_0": ("Thứ Hai", "Monday"),
    "admin_weekday_1": ("Thứ Ba", "Tuesday"),
    "admin_weekday_2": ("Thứ Tư", "Wednesday"),
    "admin_weekday_3": ("Thứ Năm", "Thursday"),
    "admin_weekday_4": ("Thứ Sáu", "Friday"),
    "admin_weekday_5": ("Thứ Bảy", "Saturday"),
    "admin_weekday_6": ("Chủ nhật", "Sunday"),
    "admin_new_override": ("Thêm hoặc sửa ngày điều chỉnh", "Add or change an override"),
    "admin_override_hint": (
        "Một ngày đã có điều chỉnh thì điều chỉnh mới thay cho điều chỉnh cũ.",
        "A day that has an override gets the new one instead.",
    ),
    "admin_day_hint": ("Ví dụ 22/08/2026.", "For example 22/08/2026."),
    "admin_working_legend": ("Ngày này là", "This day is"),
    "admin_working_true": ("Ngày làm việc (làm bù)", "A working day (make-up day)"),
    "admin_working_false": ("Ngày nghỉ", "A day off"),
    "admin_note": ("Ghi chú", "Note"),
    "admin_note_hint": (
        "Ví dụ: số quyết định của Thủ tướng; tối đa {n} ký tự.",
        "For example the Prime Minister's decision; at most {n} characters.",
    ),
    "admin_save_override": ("Lưu ngày điều chỉnh", "Save the override"),
    "admin_done_override_saved": ("Đã lưu ngày điều chỉnh.", "The override is saved."),
    "admin_done_override_removed": (
        "Đã xóa ngày điều chỉnh; ngày đó theo quy định như thường lệ.",
        "The override is removed; the day follows the rules again.",
    ),
    # the catalogue
    "admin_catalogue_title": ("Danh mục thủ tục", "Catalogue of procedures"),
    "admin_import_title": ("Nhập danh mục từ tệp", "Import from a file"),
    "admin_import_file": ("Tệp danh mục (JSON)", "Catalogue file (JSON)"),
    "admin_import_hint": (
        "Tài liệu gồm cơ quan, lĩnh vực và thủ tục, tối đa {n} MB. Nhập tất cả hoặc không "
        "nhập gì: một bản ghi sai thì không bản ghi nào được ghi.",
        "A document of agencies, fields and procedures, at most {n} MB. All or nothing: one "
        "bad record and nothing is written.",
    ),
    "admin_import_button": ("Nhập danh mục", "Import"),
    "admin_import_report": ("Kết quả nhập danh mục", "The import's report"),
    "admin_import_done": (
        "Đã nhập danh mục: mọi bản ghi của tệp đã được ghi.",
        "The catalogue was imported: every record of the file was written.",
    ),
    "admin_import_section": ("Loại bản ghi", "Records"),
    "admin_import_created": ("Thêm mới", "Created"),
    "admin_import_updated": ("Cập nhật", "Updated"),
    "admin_import_unchanged": ("Không đổi", "Unchanged"),
    "admin_import_agencies": ("Cơ quan", "Agencies"),
    "admin_import_fields": ("Lĩnh vực", "Fields"),
    "admin_import_procedures": ("Thủ tục", "Procedures"),
    "admin_import_warnings": (
        "{n} thủ tục được ghi nhưng hồ sơ thủ tục chưa đầy đủ",
        "{n} procedures written without a complete record",
    ),
    "admin_procedures_title": ("Sửa một thủ tục", "Edit a procedure"),
    "admin_back_to_catalogue": ("← Danh mục thủ tục", "← The catalogue"),
    "admin_public_page": ("Trang công khai của thủ tục", "The procedure's public page"),
    "admin_retired_since": (
        "Thủ tục đã ngừng áp dụng từ ngày {day}.",
        "This procedure was retired on {day}.",
    ),
    "admin_level_hint": (
        "Mức 3 và 4 nhận hồ sơ trực tuyến và cần biểu mẫu; mức 1 và 2 thì không.",
        "Levels 3 and 4 take dossiers online and need a form; levels 1 and 2 do not.",
    ),
    "admin_processing_time": ("Thời hạn giải quyết", "Processing time"),
    "admin_processing_value": ("Số lượng", "Amount"),
    "admin_processing_unit": ("Đơn vị", "Unit"),
    "admin_fees": ("Phí, lệ phí", "Fees"),
    "admin_fees_hint": (
        "Số tiền bằng đồng. Thủ tục miễn phí ghi một khoản 0 đồng. Để trống dòng cuối nếu "
        "không thêm khoản mới.",
        "Amounts in đồng. A free procedure has one line of 0. Leave the last line empty to "
        "add none.",
    ),
    "admin_fee_line": ("Khoản {n}", "Line {n}"),
    "admin_fee_label": ("Tên khoản", "Label"),
    "admin_fee_amount": ("Số tiền (đồng)", "Amount (đồng)"),
    "admin_fee_per": ("Tính theo", "Counted per"),
    "admin_fee_per_none": ("Cố định", "Fixed"),
    "admin_fee_per_page": ("Mỗi trang", "Per page"),
    "admin_fee_per_copy": ("Mỗi bản", "Per copy"),
    "admin_fee_per_set": ("Mỗi bộ", "Per set"),
    "admin_fee_discount": ("Giảm khi nộp trực tuyến (đồng)", "Less online (đồng)"),
    "admin_fee_remove": ("Bỏ khoản này", "Remove this line"),
    "admin_offering_agencies": ("Cơ quan thực hiện", "Offering agencies"),
    "admin_agencies_hint": (
        "Các cơ quan cùng cấp với thủ tục. Cơ quan chọn đầu tiên là cơ quan chính của thủ tục.",
        "Agencies of the procedure's tier. The first one is the procedure's own.",
    ),
    "admin_save_procedure": ("Lưu thủ tục", "Save the procedure"),
    "admin_retire_title": ("Ngừng áp dụng thủ tục", "Retire the procedure"),
    "admin_retire_hint": (
        "Thủ tục ngừng áp dụng không nhận hồ sơ mới và không còn trong kết quả tìm kiếm; hồ "
        "sơ đã nộp giữ nguyên lịch sử.",
        "A retired procedure takes no new dossiers and leaves the search; its dossiers keep "
        "their history.",
    ),
    "admin_retire_button": ("Ngừng áp dụng", "Retire"),
    "admin_done_procedure_saved": ("Đã lưu thủ tục.", "The procedure is saved."),
    "admin_done_procedure_retired": (
        "Thủ tục đã ngừng áp dụng.",
        "The procedure is retired.",
    ),
    # errors
    "error_404_title": ("Không tìm thấy trang", "Page not found"),
    "error_404_text": (
        "Địa chỉ này không có hoặc không còn. Hãy kiểm tra lại đường dẫn.",
        "There is nothing at this address. Check the link.",
    ),
    "error_500_title": ("Lỗi hệ thống", "Something went wrong"),
    "error_500_text": (
        "Hệ thống gặp lỗi khi xử lý yêu cầu. Vui lòng thử lại sau ít phút.",
        "The system failed to answer. Please try again in a few minutes.",
    ),
    "error_title": ("Không thực hiện được yêu cầu", "The request could not be completed"),
    "error_429_text": (
        "Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau {n} giây.",
        "Too many lookups. Please try again in {n} seconds.",
    ),
    "back_home": ("Về trang chủ", "Go to the home page"),
}


# English for names whose Vietnamese comes from the domain's own labels (DossierStatus.label,
# ProcessingUnit.label): the Vietnamese is never written twice.
ENGLISH_NAMES: dict[str, str] = {
    "new": "Newly submitted",
    "accepted": "Accepted",
    "refused": "Refused",
    "processing": "Being processed",
    "supplement_requested": "Documents requested",
    "fee_requested": "Fee requested",
    "withdrawal_requested": "Withdrawal requested",
    "stopped": "Stopped",
    "processed": "Processed",
    "returned": "Result returned",
    "working_days": "working days",
    "working_hours": "working hours",
    "calendar_days": "days",
    "months": "months",
    # the catalogue's online modes, as the statistics label them (reports.CATALOGUE_LABELS)
    "online_mode_none": "Not online (levels 1–2)",
    "online_mode_partial": "Partly online (level 3)",
    "online_mode_full": "Fully online (level 4)",
}


def pick_lang(value: str | None) -> Lang:
    """`en` for English; anything else (nothing, `vi`, a typo) is Vietnamese."""
    return "en" if value == "en" else DEFAULT_LANG


def translate(lang: Lang, key: str, **values: object) -> str:
    """The string `key` in `lang`, with `{name}` placeholders filled from `values`."""
    pair = STRINGS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" and pair[1] else pair[0]
    return text.format(**values) if values else text


def named(lang: Lang, name: str, vietnamese: str) -> str:
    """A domain value's name: the domain's Vietnamese label, or its English name."""
    return ENGLISH_NAMES.get(name, vietnamese) if lang == "en" else vietnamese
