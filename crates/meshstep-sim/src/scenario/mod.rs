//! Scenario files: the format ([`schema`]), where each value sits in the source
//! ([`spans`]), reading a file into a [`schema::Scenario`] ([`load`]) and
//! checking it against itself and the engine ([`validate`]).

pub(crate) mod lex;
pub mod lint;
pub mod load;
pub mod migrate;
pub mod schema;
pub mod spans;
pub mod validate;
