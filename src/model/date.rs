//! Dates as a school writes them: a day (`2024-03-13`) or only a month
//! (`2024-09`, "September 2024"), and intervals such as "12 months".
//! One parser and one way of writing a date out, for every page.

use chrono::{Datelike, Months, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PolicyDate {
    pub year: i32,
    pub month: u32,
    /// `None` when only the month is known.
    pub day: Option<u32>,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl PolicyDate {
    /// Parses `YYYY-MM-DD` or `YYYY-MM`. The error says what is wrong in
    /// words a non-programmer can act on.
    pub fn parse(text: &str) -> Result<PolicyDate, String> {
        let text = text.trim();
        let parts: Vec<&str> = text.split('-').collect();
        let number = |part: &str, width: usize| -> Option<u32> {
            (part.len() == width && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse().ok())
                .flatten()
        };
        let shape = || {
            format!("`{text}` is not a date: write YYYY-MM-DD (2024-03-13) or YYYY-MM (2024-09)")
        };
        let (year, month) = match parts.as_slice() {
            [y, m] | [y, m, _] => (
                number(y, 4).ok_or_else(shape)?,
                number(m, 2).ok_or_else(shape)?,
            ),
            _ => return Err(shape()),
        };
        if !(1..=12).contains(&month) {
            return Err(format!("`{text}` is not a date: there is no month {month}"));
        }
        let day = match parts.get(2) {
            None => None,
            Some(d) => {
                let day = number(d, 2).ok_or_else(shape)?;
                if NaiveDate::from_ymd_opt(year as i32, month, day).is_none() {
                    return Err(format!(
                        "`{text}` is not a date: {} {year} has no day {day}",
                        MONTHS[month as usize - 1]
                    ));
                }
                Some(day)
            }
        };
        Ok(PolicyDate {
            year: year as i32,
            month,
            day,
        })
    }

    pub fn from_naive(date: NaiveDate) -> PolicyDate {
        PolicyDate {
            year: date.year(),
            month: date.month(),
            day: Some(date.day()),
        }
    }

    /// "13 March 2024", or "September 2024" when only the month is known.
    pub fn long(&self) -> String {
        let month = MONTHS[self.month as usize - 1];
        match self.day {
            Some(day) => format!("{day} {month} {}", self.year),
            None => format!("{month} {}", self.year),
        }
    }

    /// The machine-readable form, for `<time datetime>` and JSON.
    pub fn iso(&self) -> String {
        match self.day {
            Some(day) => format!("{:04}-{:02}-{day:02}", self.year, self.month),
            None => format!("{:04}-{:02}", self.year, self.month),
        }
    }

    /// The last day this date covers: the day itself, or the month's last day.
    /// Something due "September 2024" is overdue from 1 October 2024.
    pub fn last_day(&self) -> NaiveDate {
        let first = NaiveDate::from_ymd_opt(self.year, self.month, 1)
            .expect("PolicyDate holds a valid year and month");
        match self.day {
            Some(day) => first.with_day(day).expect("PolicyDate holds a valid day"),
            None => first
                .checked_add_months(Months::new(1))
                .and_then(|next| next.pred_opt())
                .unwrap_or(NaiveDate::MAX),
        }
    }

    /// This date moved on by an interval, keeping month-only dates
    /// month-only; `None` past the last date the calendar can hold.
    pub fn after(&self, interval: Interval) -> Option<PolicyDate> {
        let base = NaiveDate::from_ymd_opt(self.year, self.month, self.day.unwrap_or(1))
            .expect("PolicyDate holds a valid date");
        let moved = match interval {
            Interval::Months(n) => base.checked_add_months(Months::new(n))?,
            Interval::Weeks(n) => base.checked_add_days(chrono::Days::new(u64::from(n) * 7))?,
        };
        Some(PolicyDate {
            day: self.day.map(|_| moved.day()),
            ..PolicyDate::from_naive(moved)
        })
    }
}

/// How often a recurring check falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    Months(u32),
    Weeks(u32),
}

impl Interval {
    /// The longest interval a check may have: ten years. Anything longer
    /// is a typing mistake, and would take dates past what a calendar holds.
    pub const MAX_YEARS: u32 = 10;

    /// Parses "12 months", "1 month", "6 weeks", "1 year", "2 years".
    pub fn parse(text: &str) -> Result<Interval, String> {
        let mut words = text.split_whitespace();
        let (Some(count), Some(unit), None) = (words.next(), words.next(), words.next()) else {
            return Err(format!(
                "`{}` is not an interval: write, for example, `12 months` or `6 weeks`",
                crate::prose::shorten(text)
            ));
        };
        let (unit, per_year) = match unit.trim_end_matches('s') {
            "month" => (Interval::Months as fn(u32) -> Interval, 12),
            "year" => (Interval::Months as fn(u32) -> Interval, 1),
            "week" => (Interval::Weeks as fn(u32) -> Interval, 52),
            _ => {
                return Err(format!(
                    "`{}` is not an interval: the unit must be weeks, months or years",
                    crate::prose::shorten(text)
                ));
            }
        };
        let longest = Interval::MAX_YEARS * per_year;
        let too_long = || {
            format!(
                "`{}` is too long an interval: a check falls due at least once every {} years ({longest} {})",
                crate::prose::shorten(text),
                Interval::MAX_YEARS,
                words_for(per_year),
            )
        };
        if !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit()) {
            match count.parse::<u32>() {
                Ok(0) => {}
                Ok(n) if n <= longest => {
                    // Years are counted in months; `n * 12` cannot overflow
                    // since `n` is at most MAX_YEARS here.
                    return Ok(unit(if per_year == 1 { n * 12 } else { n }));
                }
                _ => return Err(too_long()),
            }
        }
        Err(format!(
            "`{}` is not an interval: the number must be a whole number above 0",
            crate::prose::shorten(text)
        ))
    }

    /// "every 12 months", "every year", "every 6 weeks".
    pub fn describe(&self) -> String {
        match *self {
            Interval::Months(12) => "every year".into(),
            Interval::Months(n) if n % 12 == 0 => format!("every {} years", n / 12),
            Interval::Months(1) => "every month".into(),
            Interval::Months(n) => format!("every {n} months"),
            Interval::Weeks(1) => "every week".into(),
            Interval::Weeks(n) => format!("every {n} weeks"),
        }
    }
}

/// The unit's name for an interval counted `per_year` times a year.
fn words_for(per_year: u32) -> &'static str {
    match per_year {
        12 => "months",
        52 => "weeks",
        _ => "years",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_days_and_months_in_full() {
        assert_eq!(
            PolicyDate::parse("2024-03-13").unwrap().long(),
            "13 March 2024"
        );
        assert_eq!(
            PolicyDate::parse("2024-09").unwrap().long(),
            "September 2024"
        );
    }

    #[test]
    fn rejects_days_that_do_not_exist() {
        let error = PolicyDate::parse("2024-02-30").unwrap_err();
        assert!(error.contains("February 2024 has no day 30"), "{error}");
        assert!(PolicyDate::parse("2023-02-29").is_err());
        assert!(PolicyDate::parse("2024-02-29").is_ok());
        assert!(PolicyDate::parse("2024-13").is_err());
        assert!(PolicyDate::parse("13/03/2024").is_err());
        assert!(PolicyDate::parse("2024-3-1").is_err());
    }

    #[test]
    fn a_month_is_due_by_its_last_day() {
        let date = PolicyDate::parse("2024-02").unwrap();
        assert_eq!(
            date.last_day(),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
    }

    #[test]
    fn intervals_move_dates_on() {
        let done = PolicyDate::parse("2023-09").unwrap();
        assert_eq!(
            done.after(Interval::parse("12 months").unwrap())
                .unwrap()
                .long(),
            "September 2024"
        );
        let day = PolicyDate::parse("2024-01-31").unwrap();
        assert_eq!(
            day.after(Interval::parse("1 month").unwrap())
                .unwrap()
                .iso(),
            "2024-02-29"
        );
        assert_eq!(Interval::parse("1 year").unwrap(), Interval::Months(12));
        assert!(Interval::parse("yearly").is_err());
        assert!(Interval::parse("0 weeks").is_err());
    }

    #[test]
    fn absurd_intervals_are_refused_not_overflowed() {
        assert_eq!(Interval::parse("10 years").unwrap(), Interval::Months(120));
        assert_eq!(Interval::parse("520 weeks").unwrap(), Interval::Weeks(520));
        for text in [
            "11 years",
            "999999 years",
            "4000000000 months",
            "99999999 weeks",
            "99999999999999999999 months",
        ] {
            let error = Interval::parse(text).unwrap_err();
            assert!(error.contains("too long an interval"), "{text}: {error}");
        }
        let last = PolicyDate::parse("9999-12-31").unwrap();
        assert_eq!(
            last.after(Interval::parse("10 years").unwrap())
                .unwrap()
                .iso(),
            "10009-12-31"
        );
    }
}
