/** Vietnamese common strings (the default language). Each screen adds its own file beside this one. */
export default {
  app: {
    title: 'Trung tâm điều hành đô thị',
    subtitle: 'citydeck',
  },
  connection: {
    connecting: 'Đang kết nối...',
    connected: 'Trực tuyến',
    reconnecting: 'Đang kết nối lại...',
    offline: 'Mất kết nối',
    lastUpdate: 'Cập nhật lúc {time}',
  },
  map: {
    label: 'Bản đồ phường, xã của {city}',
    wards: 'Phường, xã',
  },
  language: { vi: 'Tiếng Việt', en: 'English', switch: 'Ngôn ngữ' },
  errors: {
    cityLoad: 'Không tải được dữ liệu thành phố: {message}. Kiểm tra máy chủ citydeck rồi tải lại trang.',
  },
  /** A trend's last point while its day (month) is not over. */
  chart: { partialDay: 'hôm nay (chưa hết ngày)', partialMonth: 'tháng này (chưa hết tháng)' },
  sample: {
    small: 'Mẫu nhỏ (dưới {min}): {part}/{whole}, chưa tính tỷ lệ',
  },
}
