//! The built-in detectors: numbers whose format carries its own check, so
//! that a match is very likely the real thing and an invalid one (a typo,
//! an order number of the same length) is not taken for it.
//!
//! | name | what | check |
//! |---|---|---|
//! | `us-ssn` | US Social Security number, `123-45-6789` or `123 45 6789` | area not 000, 666 or 900–999; group not 00; serial not 0000; not a number published as an example |
//! | `payment-card` | a card number of 13 to 19 digits, grouped or not | the Luhn check, and an issuer prefix of a card network with that length |
//! | `iban` | International Bank Account Number, grouped or not | the country's length and the ISO 13616 checksum (mod 97 = 1) |
//! | `nhs-number` | UK NHS number, `943 476 5919` | the modulus 11 check digit |
//! | `us-mbi` | US Medicare Beneficiary Identifier, `1EG4-TE5-MK73` | the character class of each of its 11 positions |

use std::sync::LazyLock;

use regex::Regex;

/// A built-in detector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detector {
    /// US Social Security number.
    UsSsn,
    /// Payment card number.
    PaymentCard,
    /// International Bank Account Number.
    Iban,
    /// UK NHS number.
    NhsNumber,
    /// US Medicare Beneficiary Identifier.
    UsMbi,
}

impl Detector {
    /// Every detector.
    pub const ALL: [Detector; 5] = [
        Detector::UsSsn,
        Detector::PaymentCard,
        Detector::Iban,
        Detector::NhsNumber,
        Detector::UsMbi,
    ];

    /// Its name in a policy and in the audit log.
    pub fn name(self) -> &'static str {
        match self {
            Detector::UsSsn => "us-ssn",
            Detector::PaymentCard => "payment-card",
            Detector::Iban => "iban",
            Detector::NhsNumber => "nhs-number",
            Detector::UsMbi => "us-mbi",
        }
    }

    /// The detector called `name`.
    pub fn from_name(name: &str) -> Option<Detector> {
        Detector::ALL.into_iter().find(|d| d.name() == name)
    }

    /// Whether `text` holds a valid one.
    pub fn finds(self, text: &str) -> bool {
        match self {
            Detector::UsSsn => SSN.captures_iter(text).any(|c| {
                let group = |i| c.get(i).map_or("", |m| m.as_str());
                is_valid_ssn(group(1), group(2), group(3))
            }),
            Detector::PaymentCard => CARD
                .find_iter(text)
                .any(|m| is_valid_card(&digits(m.as_str()))),
            Detector::Iban => IBAN.find_iter(text).any(|m| is_valid_iban(m.as_str())),
            Detector::NhsNumber => NHS
                .find_iter(text)
                .any(|m| is_valid_nhs_number(&digits(m.as_str()))),
            Detector::UsMbi => MBI.is_match(text),
        }
    }
}

/// The patterns: fixed, so they are compiled once and cannot fail.
#[allow(clippy::expect_used)]
fn compiled(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a built-in detector's pattern compiles")
}

static SSN: LazyLock<Regex> = LazyLock::new(|| compiled(r"\b(\d{3})[- ](\d{2})[- ](\d{4})\b"));
static CARD: LazyLock<Regex> = LazyLock::new(|| compiled(r"\b(?:\d[ -]?){12,18}\d\b"));
static IBAN: LazyLock<Regex> =
    LazyLock::new(|| compiled(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,32}\b"));
static NHS: LazyLock<Regex> = LazyLock::new(|| compiled(r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b"));
/// C A AN N - A AN N - A A N N, where A is a letter but S, L, O, I, B, Z.
static MBI: LazyLock<Regex> = LazyLock::new(|| {
    let a = "[AC-HJKMNP-RT-Y]";
    let an = "[AC-HJKMNP-RT-Y0-9]";
    compiled(&format!(r"\b[1-9]{a}{an}\d-?{a}{an}\d-?{a}{a}\d\d\b"))
});

/// The digits of `text`.
fn digits(text: &str) -> Vec<u8> {
    text.bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect()
}

fn is_valid_ssn(area: &str, group: &str, serial: &str) -> bool {
    let area: u32 = area.parse().unwrap_or(0);
    // Numbers printed as examples (a wallet insert, an IRS leaflet).
    const EXAMPLES: [&str; 2] = ["078-05-1120", "219-09-9999"];
    let whole = format!("{area:03}-{group}-{serial}");
    area != 0
        && area != 666
        && area < 900
        && group != "00"
        && serial != "0000"
        && !EXAMPLES.contains(&whole.as_str())
}

/// The Luhn check, and a prefix a card network issues at this length.
fn is_valid_card(digits: &[u8]) -> bool {
    let len = digits.len();
    if !(13..=19).contains(&len) || !luhn(digits) {
        return false;
    }
    let prefix = |n: usize| {
        digits[..n]
            .iter()
            .fold(0u32, |acc, &d| acc * 10 + u32::from(d))
    };
    let (p1, p2, p3, p4) = (prefix(1), prefix(2), prefix(3), prefix(4));
    match p1 {
        4 => matches!(len, 13 | 16 | 19),              // Visa
        5 => (51..=55).contains(&p2) && len == 16,     // Mastercard
        2 => (2221..=2720).contains(&p4) && len == 16, // Mastercard
        3 => {
            (matches!(p2, 34 | 37) && len == 15)                           // American Express
                || ((3528..=3589).contains(&p4) && len >= 16)              // JCB
                || ((matches!(p2, 36 | 38 | 39) || (300..=305).contains(&p3)) && len >= 14) // Diners
        }
        6 => (p4 == 6011 || p2 == 65 || (644..=649).contains(&p3) || p2 == 62) && len >= 16, // Discover, UnionPay
        _ => false,
    }
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Each country's IBAN length (SWIFT's IBAN registry).
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NL", 18),
    ("NO", 15),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("SA", 24),
    ("SC", 31),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
];

/// The country's length (the match may run on into the next word: only
/// that many characters count) and the mod-97 checksum.
fn is_valid_iban(text: &str) -> bool {
    let compact: Vec<u8> = text.bytes().filter(|b| *b != b' ').collect();
    let Some(country) = compact.get(..2) else {
        return false;
    };
    let Some(&(_, len)) = IBAN_LENGTHS
        .iter()
        .find(|(code, _)| code.as_bytes() == country)
    else {
        return false;
    };
    let Some(iban) = compact.get(..len) else {
        return false;
    };
    // The country and check digits move to the end; letters count as
    // 10..35; the whole, as a number, is 1 modulo 97.
    let rearranged = iban[4..].iter().chain(&iban[..4]);
    let mut remainder = 0u32;
    for &b in rearranged {
        let value = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            b'A'..=b'Z' => u32::from(b - b'A') + 10,
            _ => return false,
        };
        remainder = if value >= 10 {
            (remainder * 100 + value) % 97
        } else {
            (remainder * 10 + value) % 97
        };
    }
    remainder == 1
}

/// The modulus 11 check: weights 10 to 2 on the first nine digits; the
/// check digit is 11 less the remainder (11 is 0, 10 is never valid).
fn is_valid_nhs_number(digits: &[u8]) -> bool {
    if digits.len() != 10 || digits.iter().all(|&d| d == digits[0]) {
        return false;
    }
    let sum: u32 = digits[..9]
        .iter()
        .zip((2..=10u32).rev())
        .map(|(&d, weight)| u32::from(d) * weight)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        check => check,
    };
    u32::from(digits[9]) == check
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(detector: Detector, text: &str) -> bool {
        detector.finds(text)
    }

    #[test]
    fn social_security_numbers() {
        assert!(finds(Detector::UsSsn, "SSN: 123-45-6789."));
        assert!(finds(Detector::UsSsn, "ssn 536 22 1234"));
        for invalid in [
            "000-12-3456",
            "666-12-3456",
            "900-12-3456",
            "123-00-4567",
            "123-45-0000",
            "078-05-1120",
            "1234-56-7890",
            "123456789",
        ] {
            assert!(!finds(Detector::UsSsn, invalid), "{invalid}");
        }
    }

    #[test]
    fn payment_cards_with_the_luhn_check() {
        for valid in [
            "4111 1111 1111 1111",
            "Card 4111-1111-1111-1111 exp 12/28",
            "5500 0000 0000 0004",
            "2223000048400011",
            "3782 822463 10005",
            "6011111111111117",
            "3530111333300000",
        ] {
            assert!(finds(Detector::PaymentCard, valid), "{valid}");
        }
        for invalid in [
            "4111 1111 1111 1112", // Luhn fails
            "1234 5678 9012 3456", // no network
            "order 9111111111111111",
            "5500 0000 0000 004", // too short for Mastercard
            "tel 0044 20 7946 0958",
        ] {
            assert!(!finds(Detector::PaymentCard, invalid), "{invalid}");
        }
    }

    #[test]
    fn ibans_with_their_checksum() {
        for valid in [
            "DE89 3704 0044 0532 0130 00",
            "IBAN: GB82WEST12345698765432, BIC WESTGB2L",
            "FR14 2004 1010 0505 0001 3M02 606 EUR",
            "NL91ABNA0417164300",
        ] {
            assert!(finds(Detector::Iban, valid), "{valid}");
        }
        for invalid in [
            "DE89 3704 0044 0532 0130 01", // checksum
            "GB82WEST1234569876543",       // one short
            "ZZ82WEST12345698765432",      // no such country
        ] {
            assert!(!finds(Detector::Iban, invalid), "{invalid}");
        }
    }

    #[test]
    fn nhs_numbers_with_their_check_digit() {
        assert!(finds(Detector::NhsNumber, "NHS No. 943 476 5919"));
        assert!(finds(Detector::NhsNumber, "9434765919"));
        assert!(finds(Detector::NhsNumber, "943-476-5919"));
        assert!(!finds(Detector::NhsNumber, "943 476 5918"));
        assert!(!finds(Detector::NhsNumber, "111 111 1111"));
        // A check digit of 10 makes the number invalid whatever follows.
        assert!(!is_valid_nhs_number(&digits("1000000010")));
        assert!(!is_valid_nhs_number(&digits("1000000011")));
    }

    #[test]
    fn medicare_beneficiary_identifiers() {
        assert!(finds(Detector::UsMbi, "MBI 1EG4-TE5-MK73"));
        assert!(finds(Detector::UsMbi, "1EG4TE5MK73"));
        for invalid in [
            "0EG4-TE5-MK73",
            "1SG4-TE5-MK73",
            "1EG4-TE5-MK7",
            "1eg4-te5-mk73",
        ] {
            assert!(!finds(Detector::UsMbi, invalid), "{invalid}");
        }
    }

    #[test]
    fn names_round_trip() {
        for detector in Detector::ALL {
            assert_eq!(Detector::from_name(detector.name()), Some(detector));
        }
        assert_eq!(Detector::from_name("credit-card"), None);
    }
}
