//! Scenario files: the format ([`schema`]), where each value sits in the source
//! ([`spans`]), reading a file into a [`schema::Scenario`] ([`load`]) with its
//! step ids resolved ([`step_ids`]), and checking it against itself and the
//! engine ([`validate`]).

pub mod highlight;
pub(crate) mod lex;
pub mod lint;
pub mod load;
pub mod migrate;
pub mod reference;
pub mod schema;
pub mod spans;
pub mod step_ids;
pub mod validate;
