//! What an edit costs: the most images a request can produce (1, or its set's maximum,
//! times a batch's edits), and, with a price per output image set by the hosting page,
//! the most that can cost. The page's setting, never a link's (see `embed::options`).

use seedream_contract::SequentialMode;
use seedream_contract::sequential::effective_max_outputs;

use crate::i18n::{Locale, td_string};
use crate::locale::format::{count, number};

/// A price per output image, and its currency when the page names one.
#[derive(Clone, Debug, PartialEq)]
pub struct Price {
    pub per_image: f64,
    pub currency: Option<String>,
}

impl Price {
    /// The price the page set, if it set one.
    pub fn of(per_image: Option<f64>, currency: Option<String>) -> Option<Price> {
        Some(Price {
            per_image: per_image?,
            currency,
        })
    }

    /// What `images` output images cost, written for `locale` ("USD 0.105").
    pub fn of_images(&self, locale: Locale, images: usize) -> String {
        money(
            locale,
            self.per_image * images as f64,
            self.currency.as_deref(),
        )
    }
}

/// The page's price, provided to the form, the edits and the settings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PriceSetting(pub Option<Price>);

/// The most images `edits` requests of this shape can produce.
pub fn max_outputs(mode: SequentialMode, max_images: u8, inputs: usize, edits: usize) -> usize {
    effective_max_outputs(mode, Some(max_images), inputs).saturating_mul(edits)
}

/// "Up to 3 images", and with a price "Up to 3 images · at most USD 0.105".
pub fn cost_line(locale: Locale, outputs: usize, price: Option<&Price>) -> String {
    let images = match outputs {
        1 => td_string!(locale, form.cost.one_image).to_string(),
        n => {
            let count = count(locale, n as f64);
            td_string!(locale, form.cost.images, count).to_string()
        }
    };
    match price {
        Some(price) => {
            let cost = price.of_images(locale, outputs);
            td_string!(locale, form.cost.with_price, images, cost).to_string()
        }
        None => images,
    }
}

/// `amount` of `currency`: cents, or a tenth of them below one unit (a price per image
/// is often a few cents).
pub fn money(locale: Locale, amount: f64, currency: Option<&str>) -> String {
    let digits = if amount > 0.0 && amount < 1.0 { 3 } else { 2 };
    let amount = number(locale, amount, digits);
    match currency {
        Some(currency) => format!("{currency} {amount}"),
        None => amount,
    }
}

// Natively only: `cargo xtask test` runs the app's unit tests outside a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_most_images_and_what_they_cost() {
        // One edit without a set: 1 image. A set of up to 4 from 2 inputs: 4. Ten such
        // edits of a batch: 40. A set's maximum beyond what the inputs leave room for
        // is the contract's: 14 inputs leave 1.
        assert_eq!(max_outputs(SequentialMode::Disabled, 4, 2, 1), 1);
        assert_eq!(max_outputs(SequentialMode::Auto, 4, 2, 1), 4);
        assert_eq!(max_outputs(SequentialMode::Auto, 4, 2, 10), 40);
        assert_eq!(max_outputs(SequentialMode::Auto, 15, 14, 1), 1);
        let price = Price {
            per_image: 0.035,
            currency: Some("USD".to_owned()),
        };
        assert_eq!(price.of_images(Locale::en, 3), "USD 0.105");
        assert_eq!(price.of_images(Locale::en, 40), "USD 1.40");
        assert_eq!(cost_line(Locale::en, 1, None), "Up to 1 image");
        assert_eq!(
            cost_line(Locale::en, 3, Some(&price)),
            "Up to 3 images · at most USD 0.105"
        );
        assert_eq!(money(Locale::en, 0.0, None), "0.00");
        assert_eq!(Price::of(None, Some("USD".to_owned())), None);
    }
}
