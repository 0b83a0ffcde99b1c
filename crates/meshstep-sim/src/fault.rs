//! Faults a learner can inject to ask "what if". The type is part of the
//! lesson format ([`crate::scenario::schema::Fault`]); what each does to the
//! world is the engine's (`engine::faults`).

pub use crate::scenario::schema::fault::{Fault, ParseFaultError};
