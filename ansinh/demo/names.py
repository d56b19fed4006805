"""Vietnamese name parts with rough frequencies, for synthetic people.

Surname shares follow the commonly cited distribution (Nguyễn about 38%, Trần 11%, Lê 9.5%,
Phạm 7%, Hoàng/Huỳnh 5%, …); Huỳnh and Võ are the southern forms of Hoàng and Vũ. Middle
names mark sex the way most families still use them (Văn, Thị), with the modern ones (Minh,
Ngọc, Thanh, Đức, …) shared or leaning one way. Written from general knowledge, not copied.
"""

SURNAMES: list[tuple[str, float]] = [
    ("Nguyễn", 38.0),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Hoàng", 3.0),
    ("Huỳnh", 2.1),
    ("Phan", 4.5),
    ("Vũ", 2.2),
    ("Võ", 1.7),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Đinh", 0.7),
    ("Trương", 0.7),
    ("Lương", 0.5),
    ("Đào", 0.5),
    ("Cao", 0.4),
    ("Mai", 0.4),
    ("Tạ", 0.3),
    ("Hà", 0.5),
    ("Lâm", 0.4),
    ("Trịnh", 0.4),
    ("Quách", 0.2),
    ("Thái", 0.2),
    ("Châu", 0.2),
    ("Lò", 0.15),
]

# Middle names (tên đệm), with weights, per sex. Some are two words ("Thị Thu").
MIDDLE_MALE: list[tuple[str, float]] = [
    ("Văn", 40.0),
    ("Đức", 8.0),
    ("Minh", 9.0),
    ("Quốc", 5.0),
    ("Thanh", 4.0),
    ("Hữu", 5.0),
    ("Công", 4.0),
    ("Xuân", 3.0),
    ("Đình", 4.0),
    ("Ngọc", 2.0),
    ("Quang", 4.0),
    ("Trọng", 3.0),
    ("Anh", 2.0),
    ("Gia", 2.0),
    ("Văn Minh", 1.0),
]
MIDDLE_FEMALE: list[tuple[str, float]] = [
    ("Thị", 48.0),
    ("Ngọc", 8.0),
    ("Thanh", 5.0),
    ("Minh", 3.0),
    ("Thu", 5.0),
    ("Kim", 4.0),
    ("Hồng", 4.0),
    ("Phương", 3.0),
    ("Bảo", 2.0),
    ("Mỹ", 2.0),
    ("Thị Thu", 4.0),
    ("Thị Ngọc", 3.0),
    ("Thị Kim", 2.0),
    ("Khánh", 2.0),
]

GIVEN_MALE: list[str] = [
    "An", "Anh", "Bảo", "Bình", "Cường", "Chiến", "Công", "Dũng", "Duy", "Dương", "Đạt", "Điệp",
    "Định", "Đông", "Đức", "Giang", "Hải", "Hào", "Hiếu", "Hiển", "Hòa", "Hoàng", "Hùng", "Huy",
    "Hưng", "Khang", "Khánh", "Khoa", "Kiên", "Lâm", "Lộc", "Long", "Luân", "Mạnh", "Minh", "Nam",
    "Nghĩa", "Nhân", "Phát", "Phong", "Phúc", "Quang", "Quân", "Quý", "Sơn", "Tài", "Tâm", "Tân",
    "Thái", "Thành", "Thắng", "Thịnh", "Tiến", "Toàn", "Trí", "Trung", "Trường", "Tuấn", "Tùng",
    "Vinh", "Việt", "Vũ", "Sáu", "Bảy", "Tám", "Tư", "Hậu", "Lợi", "Thuận", "Khải",
]
GIVEN_FEMALE: list[str] = [
    "An", "Anh", "Ánh", "Bích", "Chi", "Cúc", "Diệp", "Dung", "Duyên", "Giang", "Hà", "Hạnh",
    "Hằng", "Hiền", "Hoa", "Hòa", "Hồng", "Huệ", "Hương", "Huyền", "Khánh", "Lan", "Liên", "Linh",
    "Loan", "Lụa", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Phượng", "Quỳnh",
    "Sen", "Tâm", "Thảo", "Thơm", "Thu", "Thủy", "Thúy", "Trang", "Trâm", "Tuyết", "Uyên", "Vân",
    "Vy", "Xuân", "Yến", "Nở", "Tươi", "Hoài", "Gấm", "Đào", "Lý", "Mận", "Nhàn", "Thắm",
]

MINORITY_ETHNICITIES: list[tuple[str, float]] = [
    ("Tày", 18.0),
    ("Thái", 17.0),
    ("Mường", 14.0),
    ("Mông", 12.0),
    ("Khmer", 12.0),
    ("Dao", 8.0),
    ("Nùng", 9.0),
    ("Gia Rai", 4.0),
    ("Ê Đê", 3.0),
    ("Ba Na", 2.0),
    ("Xơ Đăng", 1.0),
]

BANKS = [
    "Ngân hàng Nông nghiệp và Phát triển Nông thôn (Agribank)",
    "Ngân hàng Chính sách xã hội",
    "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam (BIDV)",
    "Ngân hàng TMCP Công Thương Việt Nam (VietinBank)",
    "Ngân hàng TMCP Ngoại thương Việt Nam (Vietcombank)",
    "Ngân hàng TMCP Bưu điện Liên Việt (LPBank)",
]

VILLAGE_WORDS = [
    "Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Tân", "Phú", "An", "Hòa", "Bình",
    "Thịnh", "Mỹ", "Lộc", "Phúc", "Cầu", "Đình", "Chùa", "Chợ", "Bãi", "Gò", "Khe", "Suối",
]
