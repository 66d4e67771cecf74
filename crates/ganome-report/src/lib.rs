//! Findings report model and renderers.
