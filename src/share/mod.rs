//! Live shadowing.
