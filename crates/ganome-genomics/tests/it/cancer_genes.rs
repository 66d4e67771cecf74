//! Placeholder module replaced below.
