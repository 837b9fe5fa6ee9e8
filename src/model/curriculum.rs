//! The curriculum as a revision records it: the framework its units are
//! matched against (strands and age bands, from strands.yaml) and what each
//! year group is taught (curriculum.yaml).

/// A curriculum framework: Education for a Connected World unless the
/// school's strands.yaml names another.
#[derive(Debug, Clone)]
pub struct Framework {
    pub name: String,
    pub url: Option<String>,
    pub strands: Vec<Strand>,
    pub bands: Vec<AgeBand>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strand {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
}

/// An age band of the framework and the year groups it spans; year ids a
/// school does not teach are kept, and ignored by coverage.
#[derive(Debug, Clone)]
pub struct AgeBand {
    pub id: String,
    pub name: String,
    pub years: Vec<String>,
}

impl Framework {
    pub fn strand(&self, id: &str) -> Option<&Strand> {
        self.strands.iter().find(|s| s.id == id)
    }
}

/// What is taught, year group by year group, in the school's order.
#[derive(Debug, Clone)]
pub struct Curriculum {
    pub years: Vec<YearGroup>,
}

impl Curriculum {
    pub fn year(&self, id: &str) -> Option<&YearGroup> {
        self.years.iter().find(|y| y.id == id)
    }
}

#[derive(Debug, Clone)]
pub struct YearGroup {
    pub id: String,
    pub name: String,
    pub summary: Option<String>,
    pub units: Vec<Unit>,
}

/// A unit of teaching: a scheme's lessons, a PSHE topic, an assembly, a
/// national day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub name: String,
    pub provider: String,
    pub term: Term,
    /// Strand ids, at least one.
    pub strands: Vec<String>,
    /// References to the framework's statements, as the school writes them.
    pub statements: Vec<String>,
    pub url: Option<String>,
    /// What children learn, in a sentence for parents.
    pub summary: Option<String>,
}

/// When in the school year a unit is taught. The order is the year's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Term {
    Autumn,
    Autumn1,
    Autumn2,
    Spring,
    Spring1,
    Spring2,
    Summer,
    Summer1,
    Summer2,
    AllYear,
}

impl Term {
    pub const ALL: [Term; 10] = [
        Term::Autumn,
        Term::Autumn1,
        Term::Autumn2,
        Term::Spring,
        Term::Spring1,
        Term::Spring2,
        Term::Summer,
        Term::Summer1,
        Term::Summer2,
        Term::AllYear,
    ];

    /// "Autumn 1", as schools write it.
    pub fn name(self) -> &'static str {
        match self {
            Term::Autumn => "Autumn",
            Term::Autumn1 => "Autumn 1",
            Term::Autumn2 => "Autumn 2",
            Term::Spring => "Spring",
            Term::Spring1 => "Spring 1",
            Term::Spring2 => "Spring 2",
            Term::Summer => "Summer",
            Term::Summer1 => "Summer 1",
            Term::Summer2 => "Summer 2",
            Term::AllYear => "All year",
        }
    }

    /// Reads a term as written in curriculum.yaml, ignoring case and extra
    /// spaces ("autumn  1", "All Year").
    pub fn parse(text: &str) -> Option<Term> {
        let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
        let wanted = words.join(" ");
        Term::ALL
            .into_iter()
            .find(|term| term.name().to_lowercase() == wanted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_read_as_schools_write_them() {
        assert_eq!(Term::parse("Autumn 1"), Some(Term::Autumn1));
        assert_eq!(Term::parse(" spring  2 "), Some(Term::Spring2));
        assert_eq!(Term::parse("All Year"), Some(Term::AllYear));
        assert_eq!(Term::parse("Autumn1"), None);
        assert_eq!(Term::parse("Michaelmas"), None);
        assert!(Term::Autumn2 < Term::Spring1 && Term::Summer2 < Term::AllYear);
    }
}
