//! Knowledge base: model, importers, matcher, evidence levels.
