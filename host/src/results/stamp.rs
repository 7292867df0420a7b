//! Time stamps of a run, as the original writes them (UTC): `MMDD_HHMM` for folders and saved
//! configs, `YYYYMonDD_HHMM` inside trial names.

use std::time::{SystemTime, UNIX_EPOCH};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A point in time broken into calendar fields (UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl Stamp {
    pub fn now() -> Self {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Self::from_unix(secs as i64)
    }

    /// Calendar fields of a Unix time (Howard Hinnant's days-to-civil).
    pub fn from_unix(t: i64) -> Self {
        let days = t.div_euclid(86400);
        let sod = t.rem_euclid(86400);
        let z = days + 719468;
        let era = z.div_euclid(146097);
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Stamp {
            year,
            month,
            day,
            hour: (sod / 3600) as u32,
            minute: (sod % 3600 / 60) as u32,
            second: (sod % 60) as u32,
        }
    }

    /// `MMDD_HHMM`, e.g. `0801_1203`.
    pub fn short(&self) -> String {
        format!(
            "{:02}{:02}_{:02}{:02}",
            self.month, self.day, self.hour, self.minute
        )
    }

    /// `YYYYMonDD_HHMM`, e.g. `2025Aug11_1439`.
    pub fn long(&self) -> String {
        format!(
            "{}{}{:02}_{:02}{:02}",
            self.year,
            MONTHS[(self.month - 1) as usize],
            self.day,
            self.hour,
            self.minute
        )
    }

    /// `Tue Nov 24 07:34:35 2026`-like text for log headers (without the weekday).
    pub fn human(&self) -> String {
        format!(
            "{} {:02} {:02}:{:02}:{:02} {}",
            MONTHS[(self.month - 1) as usize],
            self.day,
            self.hour,
            self.minute,
            self.second,
            self.year
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        // 2025-08-11 14:39:00 UTC
        let s = Stamp::from_unix(1754923140);
        assert_eq!(s.long(), "2025Aug11_1439");
        assert_eq!(s.short(), "0811_1439");
        let s = Stamp::from_unix(951782400); // 2000-02-29 00:00
        assert_eq!((s.year, s.month, s.day), (2000, 2, 29));
        assert_eq!(Stamp::from_unix(0).long(), "1970Jan01_0000");
    }
}
