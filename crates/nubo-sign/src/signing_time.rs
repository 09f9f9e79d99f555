//! The SigV4 timestamp `YYYYMMDDTHHMMSSZ`: parsed from `NUBO_SIGNING_TIME` / `--signing-time`, and
//! formatted for the string to sign.

use std::time::SystemTime;

use time::format_description::FormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::SignError;

const STAMP: &[FormatItem<'static>] = format_description!("[year][month][day]T[hour][minute][second]Z");
const DATE: &[FormatItem<'static>] = format_description!("[year][month][day]");

/// Parses `YYYYMMDDTHHMMSSZ` (UTC), the format of `NUBO_SIGNING_TIME`, into a signing clock.
pub fn signing_time_from_env(value: &str) -> Result<SystemTime, SignError> {
    let invalid = || SignError::InvalidSigningTime { value: value.to_owned() };
    // The format description accepts a sign and more digits in the year; SigV4 has exactly 16 ASCII characters.
    if value.len() != 16 || !value.is_ascii() {
        return Err(invalid());
    }
    let parsed = PrimitiveDateTime::parse(value, STAMP).map_err(|_| invalid())?;
    Ok(parsed.assume_utc().into())
}

/// `YYYYMMDDTHHMMSSZ` and `YYYYMMDD` of `time`, in UTC, truncated to the second.
pub(crate) fn format_stamp_and_date(time: SystemTime) -> (String, String) {
    let utc = OffsetDateTime::from(time);
    // Both descriptions only hold numeric fields, which always format for a valid OffsetDateTime.
    let stamp = utc.format(STAMP).unwrap_or_default();
    let date = utc.format(DATE).unwrap_or_default();
    (stamp, date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn parses_the_suite_time() {
        let t = signing_time_from_env("20150830T123600Z").unwrap();
        assert_eq!(t, UNIX_EPOCH + Duration::from_secs(1_440_938_160));
        assert_eq!(format_stamp_and_date(t), ("20150830T123600Z".into(), "20150830".into()));
    }

    #[test]
    fn rejects_other_shapes() {
        for bad in [
            "",
            "20150830T123600",
            "20150830 123600Z",
            "2015-08-30T12:36:00Z",
            "20151330T123600Z",
            "20150230T123600Z",
            "20150830T246000Z",
            "+0150830T123600Z",
            "20150830T123600Z ",
            "２0150830T123600Z",
        ] {
            let err = signing_time_from_env(bad).unwrap_err();
            assert!(matches!(err, SignError::InvalidSigningTime { .. }), "{bad:?}");
            assert!(err.to_string().contains("YYYYMMDDTHHMMSSZ"));
        }
    }

    #[test]
    fn formatting_truncates_subseconds() {
        let t = UNIX_EPOCH + Duration::from_millis(1_440_938_160_999);
        assert_eq!(format_stamp_and_date(t).0, "20150830T123600Z");
    }
}
