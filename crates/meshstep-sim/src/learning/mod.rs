//! The learning layer's rules, as plain functions: grading quiz and practice
//! answers against the engine, "predict, then reveal" questions, practice
//! records (a shown solution is not a solved question), scores, and the
//! progress file format, and what a packaged lesson reports to a learning
//! platform.

pub mod generate;
pub mod grading;
pub mod lms;
pub mod pattern;
pub mod practice;
pub mod progress;
