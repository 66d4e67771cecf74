//! Service story tests, run on SQLite always and on PostgreSQL when
//! `GANOME_TEST_POSTGRES_URL` is set.

mod clinical;
mod indicators;
mod story;
