//! Patient attributes kept by the data center (never the hospital record number).

use crate::text_enum::text_enum;

text_enum! {
    /// Sex as recorded for the test (性別).
    pub enum Sex ("sex") {
        /// 男性.
        Male = ("male", "男性"),
        /// 女性.
        Female = ("female", "女性"),
        /// その他.
        Other = ("other", "その他"),
        /// 不明.
        Unknown = ("unknown", "不明"),
    }
}
