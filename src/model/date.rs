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
            None => first + Months::new(1) - chrono::Days::new(1),
        }
    }

    /// This date moved on by an interval, keeping month-only dates month-only.
    pub fn after(&self, interval: Interval) -> PolicyDate {
        let base = NaiveDate::from_ymd_opt(self.year, self.month, self.day.unwrap_or(1))
            .expect("PolicyDate holds a valid date");
        let moved = match interval {
            Interval::Months(n) => base + Months::new(n),
            Interval::Weeks(n) => base + chrono::Days::new(u64::from(n) * 7),
        };
        PolicyDate {
            day: self.day.map(|_| moved.day()),
            ..PolicyDate::from_naive(moved)
        }
    }
}

/// How often a recurring check falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    Months(u32),
    Weeks(u32),
}

impl Interval {
    /// Parses "12 months", "1 month", "6 weeks", "1 year", "2 years".
    pub fn parse(text: &str) -> Result<Interval, String> {
        let mut words = text.split_whitespace();
        let (Some(count), Some(unit), None) = (words.next(), words.next(), words.next()) else {
            return Err(format!(
                "`{text}` is not an interval: write, for example, `12 months` or `6 weeks`"
            ));
        };
        let count: u32 = match count.parse() {
            Ok(n) if n > 0 => n,
            _ => {
                return Err(format!(
                    "`{text}` is not an interval: the number must be a whole number above 0"
                ));
            }
        };
        match unit.trim_end_matches('s') {
            "month" => Ok(Interval::Months(count)),
            "year" => Ok(Interval::Months(count * 12)),
            "week" => Ok(Interval::Weeks(count)),
            _ => Err(format!(
                "`{text}` is not an interval: the unit must be weeks, months or years"
            )),
        }
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
            done.after(Interval::parse("12 months").unwrap()).long(),
            "September 2024"
        );
        let day = PolicyDate::parse("2024-01-31").unwrap();
        assert_eq!(
            day.after(Interval::parse("1 month").unwrap()).iso(),
            "2024-02-29"
        );
        assert_eq!(Interval::parse("1 year").unwrap(), Interval::Months(12));
        assert!(Interval::parse("yearly").is_err());
        assert!(Interval::parse("0 weeks").is_err());
    }
}
