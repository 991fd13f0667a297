//! How the studio names an input image by its place, "Image 2" ("图片 2"): the way
//! instructions refer to images, so every message, card and notice says it alike.

use crate::i18n::{Locale, td_string};
use crate::locale::format::count;

/// The image at 0-based `index`: "Image 1", "Image 2", ...
pub fn image_label(locale: Locale, index: usize) -> String {
    let number = count(locale, index.saturating_add(1) as f64);
    td_string!(locale, images.label, number).to_string()
}

/// The images at 0-based `indices`, in the order given: "Image 2, Image 5".
pub fn image_labels(locale: Locale, indices: &[usize]) -> String {
    let separator = td_string!(locale, images.separator).to_string();
    indices
        .iter()
        .map(|&index| image_label(locale, index))
        .collect::<Vec<_>>()
        .join(&separator)
}

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn images_are_named_by_their_place_from_one() {
        assert_eq!(image_label(Locale::en, 0), "Image 1");
        assert_eq!(image_label(Locale::zh_CN, 13), "图片 14");
        assert_eq!(image_labels(Locale::en, &[1, 4]), "Image 2, Image 5");
        assert_eq!(image_labels(Locale::zh_CN, &[0, 2]), "图片 1、图片 3");
        assert_eq!(image_labels(Locale::en, &[]), "");
    }
}
