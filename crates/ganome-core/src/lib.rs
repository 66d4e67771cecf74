//! Ganome core domain vocabulary.
