import { foldForSearch, likeLiteral } from './text';

describe('foldForSearch', () => {
  test.each([
    // the examples from the directory brief
    ['Nguyễn Văn An', 'nguyen van an'],
    ['ĐẶNG THỊ HỒNG', 'dang thi hong'],
    // the five tones on one vowel: ngang, huyền, sắc, hỏi, ngã, nặng
    ['Ma Mà Má Mả Mã Mạ', 'ma ma ma ma ma ma'],
    // ă, â, ê, ô, ơ, ư with every tone
    ['Ăn Ằn Ắn Ẳn Ẵn Ặn', 'an an an an an an'],
    ['Âu Ầu Ấu Ẩu Ẫu Ậu', 'au au au au au au'],
    ['Ê Ề Ế Ể Ễ Ệ', 'e e e e e e'],
    ['Ô Ồ Ố Ổ Ỗ Ộ', 'o o o o o o'],
    ['Ơ Ờ Ớ Ở Ỡ Ợ', 'o o o o o o'],
    ['Ư Ừ Ứ Ử Ữ Ự', 'u u u u u u'],
    ['Ì Í Ỉ Ĩ Ị', 'i i i i i'],
    ['Ỳ Ý Ỷ Ỹ Ỵ', 'y y y y y'],
    // đ and Đ are letters of their own, not d plus a mark
    ['đ Đ', 'd d'],
    ['Đỗ Đức Độ', 'do duc do'],
    ['Đặng Văn Đức', 'dang van duc'],
    ['Nguyễn Thị Ánh Tuyết', 'nguyen thi anh tuyet'],
    // common full names
    ['Trần Thị Thu Hương', 'tran thi thu huong'],
    ['Lê Quốc Việt', 'le quoc viet'],
    ['Phạm Ngọc Ánh', 'pham ngoc anh'],
    ['Hoàng Minh Tuấn', 'hoang minh tuan'],
    ['Huỳnh Thị Mỹ Duyên', 'huynh thi my duyen'],
    ['Võ Thành Lợi', 'vo thanh loi'],
    ['Bùi Xuân Trường', 'bui xuan truong'],
    ['Dương Văn Khởi', 'duong van khoi'],
    ['Ngô Thị Tuyết Nhung', 'ngo thi tuyet nhung'],
    ['Lý Thường Kiệt', 'ly thuong kiet'],
    ['Trương Mỹ Lan', 'truong my lan'],
    ['Châu Ngọc Hằng', 'chau ngoc hang'],
    ['Thạch Thị Sa Rươne', 'thach thi sa ruone'],
    ['Lâm Ưng Hoà', 'lam ung hoa'],
    ['Kim Thị Sóc Khơ Me', 'kim thi soc kho me'],
    ['Tô Thị Nguyệt Quế', 'to thi nguyet que'],
    ['Vương Đình Huệ', 'vuong dinh hue'],
    ['Quách Tuấn Ẩn', 'quach tuan an'],
    ['Lưu Hữu Phước', 'luu huu phuoc'],
    ['ĐOÀN THỊ HƯƠNG GIANG', 'doan thi huong giang'],
    ['nguyễn thị ngọc trâm', 'nguyen thi ngoc tram'],
    // whitespace: collapsed and trimmed, tabs and newlines too
    ['  Nguyễn   Văn\tAn \n', 'nguyen van an'],
    ['\u00a0Hồ\u00a0Chí\u00a0Minh\u00a0', 'ho chi minh'],
    // empty and already-folded input
    ['', ''],
    ['   ', ''],
    ['nguyen van an', 'nguyen van an'],
  ])('%j → %j', (input, expected) => {
    expect(foldForSearch(input)).toBe(expected);
  });

  test('precomposed (NFC) and decomposed (NFD) input fold the same', () => {
    const name = 'Nguyễn Thị Phượng';
    expect(foldForSearch(name.normalize('NFC'))).toBe('nguyen thi phuong');
    expect(foldForSearch(name.normalize('NFD'))).toBe('nguyen thi phuong');
  });

  test('is idempotent', () => {
    const once = foldForSearch('Đặng Hữu Thắng');
    expect(foldForSearch(once)).toBe(once);
  });
});

describe('likeLiteral', () => {
  test.each([
    ['Sở Tư pháp', 'Sở Tư pháp'],
    ['%', '\\%'],
    ['_', '\\_'],
    ['100% trực tuyến', '100\\% trực tuyến'],
    ['ma_thu_tuc', 'ma\\_thu\\_tuc'],
    ['C:\\tep', 'C:\\\\tep'],
  ])('%j → %j', (text, pattern) => {
    expect(likeLiteral(text)).toBe(pattern);
  });
});
