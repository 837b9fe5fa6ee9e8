//! Links: which addresses a policy may contain, and the offline check that
//! every internal link and `#fragment` in the rendered site resolves.

pub mod external;
pub mod internal;
