//! Service story tests, run on SQLite always and on PostgreSQL when
//! `GANOME_TEST_POSTGRES_URL` is set.

mod alerts;
mod clinical;
mod findings;
mod indicators;
mod jobs;
mod research;
mod second_factor;
mod secrets;
mod story;
mod support;
mod web_queries;
