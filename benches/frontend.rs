//! The whole text front end (clean → sentences → normalize → syllables) on a 5 KB article.
//!
//! `cargo bench --bench frontend`. The article is composed for this benchmark in the style of
//! a Vietnamese news story, with the token kinds real news has (dates, money, units, acronyms,
//! foreign names, phone numbers).

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

const PARAGRAPH: &str = "Sáng 12/3/2024, UBND TP.HCM tổ chức hội nghị tổng kết công tác năm 2023 \
và triển khai nhiệm vụ quý II/2024. Theo báo cáo, tổng thu ngân sách đạt 482.500 tỷ đồng, \
tăng 5,2% so với cùng kỳ; vốn đầu tư nước ngoài (FDI) đạt hơn 4,1 tỷ USD. Thành phố đã hoàn \
thành 120 km đường giao thông, xây mới 35 trường THPT và THCS với tổng diện tích 1.250 m2 mỗi \
trường. Nhiệt độ trung bình mùa hè lên tới 36°C, lượng mưa 1.800-2.000 mm mỗi năm. Lúc 19h30 \
cùng ngày, ông Nguyễn Văn An, Phó Chủ tịch HĐND, cho biết kế hoạch giai đoạn 2021-2025 cần \
khoảng 1/3 ngân sách. Người dân có thể gọi đường dây nóng 0912 345 678 hoặc gửi thư tới \
ban.tiepdan@hochiminhcity.gov.vn để phản ánh. Các doanh nghiệp như Samsung, Google và Facebook \
cũng tham gia chương trình chuyển đổi số với thời lượng 23:15:40 giờ phát sóng trực tuyến. \
Hội nghị Trung ương khóa XIII nhấn mạnh vai trò của CSGT và lực lượng VĐV trẻ tại SEA Games. ";

fn article() -> String {
    let mut text = String::new();
    while text.len() < 5 * 1024 {
        text.push_str(PARAGRAPH);
        text.push_str("\n\n");
    }
    text
}

fn bench(c: &mut Criterion) {
    let text = article();
    let mut group = c.benchmark_group("frontend");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("analyze_5kb_article", |b| {
        b.iter(|| loa::text::analyze(black_box(&text)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
