//! The not-after date a sender gives (`--expires 30d`, `2026-12-31`), as
//! seconds since 1970 (UTC) for `SealOptions::expires`.

use crate::{Error, ErrorKind, Result};

/// The moment `when` names, counted from `now` (seconds since 1970, UTC):
/// a duration (`90m`, `12h`, `30d`, `2w`) from now, or a day
/// (`YYYY-MM-DD`), meaning the end of that day in UTC.
///
/// # Errors
///
/// [`ErrorKind::InvalidInput`], saying what is wrong, for a value that is
/// neither, is zero, or is not after `now`.
pub fn parse_expiry(when: &str, now: i64) -> Result<i64> {
    let when = when.trim();
    let bad = || {
        Error::new(
            ErrorKind::InvalidInput,
            format!(
                "--expires {when:?} is neither a duration (90m, 12h, 30d, 2w) nor a day \
                 (YYYY-MM-DD)"
            ),
        )
    };
    let at = if let Some((year, month, day)) = parse_day(when) {
        // The end of that day: not after the first second of the next one.
        days_from_civil(year, month, day)
            .checked_add(1)
            .and_then(|days| days.checked_mul(86_400))
            .ok_or_else(bad)?
    } else {
        let split = when.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        let (number, unit) = when.split_at(split);
        let number: i64 = number.parse().map_err(|_| bad())?;
        let unit_seconds = match unit {
            "m" => 60,
            "h" => 3_600,
            "d" => 86_400,
            "w" => 7 * 86_400,
            _ => return Err(bad()),
        };
        if number == 0 {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!("--expires {when:?} would expire at once"),
            ));
        }
        number
            .checked_mul(unit_seconds)
            .and_then(|seconds| now.checked_add(seconds))
            .ok_or_else(bad)?
    };
    if at <= now {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("--expires {when:?} is already past"),
        ));
    }
    Ok(at)
}

/// `YYYY-MM-DD` with a day that exists.
fn parse_day(text: &str) -> Option<(i64, u32, u32)> {
    let mut parts = text.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return None;
    }
    let (year, month, day): (i64, u32, u32) =
        (year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    is_real_day(year, month, day).then_some((year, month, day))
}

/// Whether `year-month-day` is a day of the proleptic Gregorian calendar.
pub(crate) fn is_real_day(year: i64, month: u32, day: u32) -> bool {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_000_000; // 2026-11-18T08:26:40Z

    #[test]
    fn durations_and_days() {
        assert_eq!(parse_expiry("30d", NOW).ok(), Some(NOW + 30 * 86_400));
        assert_eq!(parse_expiry("12h", NOW).ok(), Some(NOW + 12 * 3_600));
        assert_eq!(parse_expiry("2w", NOW).ok(), Some(NOW + 14 * 86_400));
        assert_eq!(parse_expiry("90m", NOW).ok(), Some(NOW + 90 * 60));
        // The end of 2026-12-31: 2027-01-01T00:00:00Z.
        assert_eq!(parse_expiry("2026-12-31", NOW).ok(), Some(1_798_761_600));
        assert_eq!(parse_expiry("2028-02-29", NOW).ok(), Some(1_835_481_600));
    }

    #[test]
    fn nonsense_and_the_past_are_refused() {
        for bad in [
            "",
            "30",
            "d",
            "30x",
            "0d",
            "-3d",
            "2026-02-30",
            "2027-13-01",
            "1999-01-01",
        ] {
            let err = parse_expiry(bad, NOW).expect_err(bad);
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{bad:?}");
        }
        assert!(parse_expiry("99999999999999999w", NOW).is_err());
    }
}
