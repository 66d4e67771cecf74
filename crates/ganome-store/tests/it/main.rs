//! Store story tests: one story per backend (SQLite always; PostgreSQL when
//! `GANOME_TEST_POSTGRES_URL` is set).

mod jobs;
mod second_factor;
mod story;
