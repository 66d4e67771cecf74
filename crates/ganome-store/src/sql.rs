//! [`SqlStore`]: the one [`Store`] implementation, over sqlx's `Any` driver with portable SQL
//! (`$n` placeholders, `ON CONFLICT`, text times and ids) so SQLite and PostgreSQL share code
//! and migrations.

use std::sync::Arc;

use async_trait::async_trait;
use ganome_core::{CaseState, ConsentItems, Prefecture, Timestamp};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, FromRow, Row};
use time::Date;
use tokio::sync::{Mutex, MutexGuard};

use crate::audit::verify_rows;
use crate::error::parse_col;
use crate::{
    AuditEntry, AuditFilter, AuditRecord, Case, CaseEvent, CaseFilter, CaseScope, ChainReport,
    Consent, Designation, Facility, FacilityLink, GENESIS_HASH, NewCase, NewConsent, NewFacility,
    NewPatient, NewResultFile, NewUser, Patient, ResultFile, Store, StoreError, User, chain_hash,
};

mod alerts;
mod clinical;
mod facts;
mod findings;
mod indicators;
mod jobs;
mod research;
mod second_factor;
mod secrets;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Which database a [`SqlStore`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite (the default).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// The store over SQLite or PostgreSQL.
#[derive(Clone)]
pub struct SqlStore {
    pool: AnyPool,
    backend: Backend,
    /// SQLite allows one writer at a time; serialising writes in-process avoids
    /// `SQLITE_BUSY` on read-then-write transactions. PostgreSQL needs no such lock.
    write_lock: Option<Arc<Mutex<()>>>,
    /// The master key that seals secrets, once [`SqlStore::unlock`] has checked it (shared
    /// by clones, swapped by a rotation).
    secrets: Arc<std::sync::RwLock<Option<Arc<crate::secrets::SecretBox>>>>,
}

impl std::fmt::Debug for SqlStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlStore")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

fn date_text(d: Date) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day]");
    d.format(&f).unwrap_or_default()
}

fn parse_date_col(table: &'static str, text: &str) -> Result<Date, StoreError> {
    ganome_core::parse_date(text).map_err(|message| StoreError::Corrupt { table, message })
}

fn parse_time_col(table: &'static str, text: &str) -> Result<Timestamp, StoreError> {
    Timestamp::parse(text).map_err(|message| StoreError::Corrupt { table, message })
}

fn opt_time(table: &'static str, text: Option<String>) -> Result<Option<Timestamp>, StoreError> {
    text.map(|t| parse_time_col(table, &t)).transpose()
}

impl SqlStore {
    /// Connects to `sqlite://PATH?mode=rwc` or `postgres://…`.
    pub async fn connect(url: &str) -> Result<SqlStore, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::Config(format!(
                "unsupported database URL '{url}': use sqlite://FILE?mode=rwc or postgres://…"
            )));
        };
        let options = match backend {
            Backend::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(8)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            conn.execute("PRAGMA journal_mode = WAL").await?;
                            conn.execute("PRAGMA busy_timeout = 10000").await?;
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                            conn.execute("PRAGMA synchronous = NORMAL").await?;
                            // Aggregates (national indicators) sort and group in temporary
                            // b-trees and revisit index pages: keep both in memory.
                            conn.execute("PRAGMA temp_store = MEMORY").await?;
                            conn.execute("PRAGMA cache_size = -32768").await?;
                            Ok(())
                        })
                    })
            }
            Backend::Postgres => AnyPoolOptions::new().max_connections(16),
        };
        let pool = options.connect(url).await?;
        let write_lock = (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(())));
        Ok(SqlStore {
            pool,
            backend,
            write_lock,
            secrets: Arc::default(),
        })
    }

    /// The database in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool, for tools that need raw SQL (tests, benchmarks).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    async fn write(&self) -> Option<MutexGuard<'_, ()>> {
        match &self.write_lock {
            Some(lock) => Some(lock.lock().await),
            None => None,
        }
    }

    async fn designations_and_links(
        &self,
        facility_id: Option<&str>,
    ) -> Result<(Vec<(String, Designation)>, Vec<(String, FacilityLink)>), StoreError> {
        let (dsql, lsql) = match facility_id {
            Some(_) => (
                "SELECT facility_id, valid_from, valid_until FROM facility_designations \
                 WHERE facility_id = $1 ORDER BY valid_from",
                "SELECT cooperative_id, parent_id, valid_from, valid_until, source FROM facility_links \
                 WHERE cooperative_id = $1 ORDER BY valid_from",
            ),
            None => (
                "SELECT facility_id, valid_from, valid_until FROM facility_designations \
                 ORDER BY facility_id, valid_from",
                "SELECT cooperative_id, parent_id, valid_from, valid_until, source FROM facility_links \
                 ORDER BY cooperative_id, valid_from",
            ),
        };
        let mut dq = sqlx::query(dsql);
        let mut lq = sqlx::query(lsql);
        if let Some(id) = facility_id {
            dq = dq.bind(id.to_owned());
            lq = lq.bind(id.to_owned());
        }
        let mut designations = Vec::new();
        for row in dq.fetch_all(&self.pool).await? {
            let until: Option<String> = row.try_get("valid_until")?;
            designations.push((
                row.try_get("facility_id")?,
                Designation {
                    valid_from: parse_date_col(
                        "facility_designations",
                        &row.try_get::<String, _>("valid_from")?,
                    )?,
                    valid_until: until
                        .map(|u| parse_date_col("facility_designations", &u))
                        .transpose()?,
                },
            ));
        }
        let mut links = Vec::new();
        for row in lq.fetch_all(&self.pool).await? {
            let until: Option<String> = row.try_get("valid_until")?;
            links.push((
                row.try_get("cooperative_id")?,
                FacilityLink {
                    parent_id: row.try_get("parent_id")?,
                    valid_from: parse_date_col(
                        "facility_links",
                        &row.try_get::<String, _>("valid_from")?,
                    )?,
                    valid_until: until
                        .map(|u| parse_date_col("facility_links", &u))
                        .transpose()?,
                    source: row.try_get("source")?,
                },
            ));
        }
        Ok((designations, links))
    }
}

#[derive(FromRow)]
struct FacilityRow {
    id: String,
    kind: String,
    name_ja: String,
    name_en: Option<String>,
    prefecture_code: String,
    may_host_panel: i64,
}

impl FacilityRow {
    fn into_facility(self) -> Result<Facility, StoreError> {
        let prefecture_ja = Prefecture::by_code(&self.prefecture_code)
            .map(|p| p.name_ja.to_owned())
            .unwrap_or_default();
        Ok(Facility {
            kind: parse_col("facilities", &self.kind)?,
            id: self.id,
            name_ja: self.name_ja,
            name_en: self.name_en,
            prefecture_code: self.prefecture_code,
            prefecture_ja,
            may_host_panel: self.may_host_panel != 0,
            designations: Vec::new(),
            links: Vec::new(),
        })
    }
}

const USER_COLS: &str =
    "id, username, display_name, password_hash, role, facility_id, created_at, disabled";

#[derive(FromRow)]
struct UserRow {
    id: String,
    username: String,
    display_name: String,
    password_hash: Option<String>,
    role: String,
    facility_id: String,
    created_at: String,
    disabled: i64,
}

impl UserRow {
    fn into_user(self) -> Result<(User, Option<String>), StoreError> {
        Ok((
            User {
                role: parse_col("users", &self.role)?,
                created_at: parse_time_col("users", &self.created_at)?,
                id: self.id,
                username: self.username,
                display_name: self.display_name,
                facility_id: self.facility_id,
                disabled: self.disabled != 0,
            },
            self.password_hash,
        ))
    }
}

const PATIENT_COLS: &str = "id, facility_id, pseudonym, sex, birth_year, birth_month, created_at";

#[derive(FromRow)]
struct PatientRow {
    id: String,
    facility_id: String,
    pseudonym: String,
    sex: String,
    birth_year: i64,
    birth_month: i64,
    created_at: String,
}

impl PatientRow {
    fn into_patient(self) -> Result<Patient, StoreError> {
        Ok(Patient {
            sex: parse_col("patients", &self.sex)?,
            created_at: parse_time_col("patients", &self.created_at)?,
            id: self.id,
            facility_id: self.facility_id,
            pseudonym: self.pseudonym,
            birth_year: self.birth_year,
            birth_month: self.birth_month,
        })
    }
}

const CONSENT_COLS: &str = "id, patient_id, form_version, method, registration, secondary_use_academia, \
    secondary_use_industry, overseas_transfer, recontact, germline_disclosure, given_at, withdrawn_at, recorded_by";

#[derive(FromRow)]
struct ConsentRow {
    id: String,
    patient_id: String,
    form_version: String,
    method: String,
    registration: i64,
    secondary_use_academia: i64,
    secondary_use_industry: i64,
    overseas_transfer: i64,
    recontact: i64,
    germline_disclosure: String,
    given_at: String,
    withdrawn_at: Option<String>,
    recorded_by: String,
}

impl ConsentRow {
    fn into_consent(self) -> Result<Consent, StoreError> {
        Ok(Consent {
            method: parse_col("consents", &self.method)?,
            items: ConsentItems {
                registration: self.registration != 0,
                secondary_use_academia: self.secondary_use_academia != 0,
                secondary_use_industry: self.secondary_use_industry != 0,
                overseas_transfer: self.overseas_transfer != 0,
                recontact: self.recontact != 0,
                germline_disclosure: parse_col("consents", &self.germline_disclosure)?,
            },
            given_at: parse_time_col("consents", &self.given_at)?,
            withdrawn_at: opt_time("consents", self.withdrawn_at)?,
            id: self.id,
            patient_id: self.patient_id,
            form_version: self.form_version,
            recorded_by: self.recorded_by,
        })
    }
}

const CASE_COLS: &str = "id, case_number, patient_id, ordering_facility_id, panel_facility_id, \
    lab_facility_id, test_product, specimen_type, specimen_site, specimen_collected_on, tumor_content_pct, \
    oncotree_code, stage, ecog_ps, state, registered_at, updated_at";

#[derive(FromRow)]
struct CaseRow {
    id: String,
    case_number: String,
    patient_id: String,
    ordering_facility_id: String,
    panel_facility_id: String,
    lab_facility_id: String,
    test_product: String,
    specimen_type: String,
    specimen_site: Option<String>,
    specimen_collected_on: Option<String>,
    tumor_content_pct: Option<f64>,
    oncotree_code: String,
    stage: Option<String>,
    ecog_ps: Option<i64>,
    state: String,
    registered_at: String,
    updated_at: String,
}

impl CaseRow {
    fn into_case(self) -> Result<Case, StoreError> {
        Ok(Case {
            test_product: parse_col("cases", &self.test_product)?,
            specimen_type: parse_col("cases", &self.specimen_type)?,
            specimen_collected_on: self
                .specimen_collected_on
                .map(|d| parse_date_col("cases", &d))
                .transpose()?,
            state: parse_col("cases", &self.state)?,
            registered_at: parse_time_col("cases", &self.registered_at)?,
            updated_at: parse_time_col("cases", &self.updated_at)?,
            id: self.id,
            case_number: self.case_number,
            patient_id: self.patient_id,
            ordering_facility_id: self.ordering_facility_id,
            panel_facility_id: self.panel_facility_id,
            lab_facility_id: self.lab_facility_id,
            specimen_site: self.specimen_site,
            tumor_content_pct: self.tumor_content_pct,
            oncotree_code: self.oncotree_code,
            stage: self.stage,
            ecog_ps: self.ecog_ps,
        })
    }
}

const FILE_COLS: &str =
    "id, case_id, filename, media_type, size_bytes, sha256, storage_key, uploaded_by, uploaded_at";

#[derive(FromRow)]
struct FileRow {
    id: String,
    case_id: String,
    filename: String,
    media_type: String,
    size_bytes: i64,
    sha256: String,
    storage_key: String,
    uploaded_by: String,
    uploaded_at: String,
}

impl FileRow {
    fn into_file(self) -> Result<(ResultFile, String), StoreError> {
        Ok((
            ResultFile {
                uploaded_at: parse_time_col("result_files", &self.uploaded_at)?,
                id: self.id,
                case_id: self.case_id,
                filename: self.filename,
                media_type: self.media_type,
                size_bytes: self.size_bytes,
                sha256: self.sha256,
                uploaded_by: self.uploaded_by,
            },
            self.storage_key,
        ))
    }
}

const AUDIT_COLS: &str = "seq, at, user_id, username, role, facility_id, action, entity_type, \
    entity_id, outcome, detail, prev_hash, hash";

fn audit_from_row(row: &AnyRow) -> Result<AuditRecord, StoreError> {
    Ok(AuditRecord {
        seq: row.try_get("seq")?,
        entry: AuditEntry {
            at: parse_time_col("audit_log", &row.try_get::<String, _>("at")?)?,
            user_id: row.try_get("user_id")?,
            username: row.try_get("username")?,
            role: row.try_get("role")?,
            facility_id: row.try_get("facility_id")?,
            action: row.try_get("action")?,
            entity_type: row.try_get("entity_type")?,
            entity_id: row.try_get("entity_id")?,
            outcome: row.try_get("outcome")?,
            detail: row.try_get("detail")?,
        },
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

#[async_trait]
impl Store for SqlStore {
    async fn migrate(&self) -> Result<(), StoreError> {
        let _w = self.write().await;
        let applied = || async {
            sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM _sqlx_migrations")
                .fetch_one(&self.pool)
                .await
                .map_or(0, |(n,)| n)
        };
        let before = applied().await;
        MIGRATOR.run(&self.pool).await?;
        if applied().await == before {
            return Ok(());
        }
        // A migration ran: cases written before the indicator facts existed (or before
        // their table was rebuilt) get theirs now. Every later write keeps them.
        let mut tx = self.pool.begin().await?;
        facts::advance_clock(&mut tx).await?;
        sqlx::query(&facts::missing_sql(self.backend))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        findings::backfill_beacon_rows(self).await?;
        Ok(())
    }

    async fn upsert_facility(&self, f: &NewFacility) -> Result<(), StoreError> {
        let _w = self.write().await;
        sqlx::query(
            "INSERT INTO facilities (id, kind, name_ja, name_en, prefecture_code, may_host_panel, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name_ja = excluded.name_ja, \
             name_en = excluded.name_en, prefecture_code = excluded.prefecture_code, \
             may_host_panel = excluded.may_host_panel",
        )
        .bind(f.id.clone())
        .bind(f.kind.as_str())
        .bind(f.name_ja.clone())
        .bind(f.name_en.clone())
        .bind(f.prefecture_code.clone())
        .bind(i64::from(f.may_host_panel))
        .bind(Timestamp::now().to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn add_designation(
        &self,
        facility_id: &str,
        valid_from: Date,
        valid_until: Option<Date>,
    ) -> Result<(), StoreError> {
        let _w = self.write().await;
        sqlx::query(
            "INSERT INTO facility_designations (facility_id, valid_from, valid_until) VALUES ($1, $2, $3) \
             ON CONFLICT (facility_id, valid_from) DO UPDATE SET valid_until = excluded.valid_until",
        )
        .bind(facility_id.to_owned())
        .bind(date_text(valid_from))
        .bind(valid_until.map(date_text))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn add_facility_link(
        &self,
        cooperative_id: &str,
        parent_id: &str,
        valid_from: Date,
        source: &str,
    ) -> Result<(), StoreError> {
        let _w = self.write().await;
        let mut tx = self.pool.begin().await?;
        // A cooperative hospital is linked to exactly one hospital at a time: close the
        // link in force before opening the new one.
        let day_before = valid_from.previous_day().unwrap_or(valid_from);
        sqlx::query(
            "UPDATE facility_links SET valid_until = $1 \
             WHERE cooperative_id = $2 AND valid_until IS NULL AND valid_from < $3",
        )
        .bind(date_text(day_before))
        .bind(cooperative_id.to_owned())
        .bind(date_text(valid_from))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO facility_links (cooperative_id, parent_id, valid_from, valid_until, source) \
             VALUES ($1, $2, $3, NULL, $4) \
             ON CONFLICT (cooperative_id, valid_from) DO UPDATE SET parent_id = excluded.parent_id, \
             source = excluded.source",
        )
        .bind(cooperative_id.to_owned())
        .bind(parent_id.to_owned())
        .bind(date_text(valid_from))
        .bind(source.to_owned())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn list_facilities(&self) -> Result<Vec<Facility>, StoreError> {
        let rows: Vec<FacilityRow> = sqlx::query_as(
            "SELECT id, kind, name_ja, name_en, prefecture_code, may_host_panel FROM facilities ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut facilities: Vec<Facility> = rows
            .into_iter()
            .map(FacilityRow::into_facility)
            .collect::<Result<_, _>>()?;
        let (designations, links) = self.designations_and_links(None).await?;
        let index: std::collections::HashMap<String, usize> = facilities
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id.clone(), i))
            .collect();
        for (id, d) in designations {
            if let Some(&i) = index.get(&id) {
                facilities[i].designations.push(d);
            }
        }
        for (id, l) in links {
            if let Some(&i) = index.get(&id) {
                facilities[i].links.push(l);
            }
        }
        Ok(facilities)
    }

    async fn get_facility(&self, id: &str) -> Result<Option<Facility>, StoreError> {
        let row: Option<FacilityRow> = sqlx::query_as(
            "SELECT id, kind, name_ja, name_en, prefecture_code, may_host_panel FROM facilities WHERE id = $1",
        )
        .bind(id.to_owned())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let mut facility = row.into_facility()?;
        let (designations, links) = self.designations_and_links(Some(id)).await?;
        facility.designations = designations.into_iter().map(|(_, d)| d).collect();
        facility.links = links.into_iter().map(|(_, l)| l).collect();
        Ok(Some(facility))
    }

    async fn facility_secret(&self, facility_id: &str) -> Result<Vec<u8>, StoreError> {
        const T: &str = "facility_secrets";
        let secrets = self.secret_box()?;
        let read = |pool: AnyPool, id: String| async move {
            let row: Option<(String,)> =
                sqlx::query_as("SELECT secret_hex FROM facility_secrets WHERE facility_id = $1")
                    .bind(id)
                    .fetch_optional(&pool)
                    .await?;
            Ok::<_, StoreError>(row.map(|(h,)| h))
        };
        let sealed = match read(self.pool.clone(), facility_id.to_owned()).await? {
            Some(h) => h,
            None => {
                let _w = self.write().await;
                let fresh: [u8; 32] = rand_bytes();
                let value = secrets.seal(T, facility_id, hex::encode(fresh).as_bytes())?;
                sqlx::query(
                    "INSERT INTO facility_secrets (facility_id, secret_hex) VALUES ($1, $2) \
                     ON CONFLICT (facility_id) DO NOTHING",
                )
                .bind(facility_id.to_owned())
                .bind(value)
                .execute(&self.pool)
                .await?;
                read(self.pool.clone(), facility_id.to_owned())
                    .await?
                    .ok_or_else(|| StoreError::Conflict(format!("no facility '{facility_id}'")))?
            }
        };
        let hex_secret = secrets.open_text(T, facility_id, &sealed)?;
        hex::decode(&hex_secret).map_err(|e| StoreError::Corrupt {
            table: T,
            message: e.to_string(),
        })
    }

    async fn insert_user(&self, u: &NewUser) -> Result<User, StoreError> {
        let _w = self.write().await;
        let result = sqlx::query(
            "INSERT INTO users (id, username, display_name, password_hash, role, facility_id, created_at, disabled) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(u.id.clone())
        .bind(u.username.clone())
        .bind(u.display_name.clone())
        .bind(u.password_hash.clone())
        .bind(u.role.as_str())
        .bind(u.facility_id.clone())
        .bind(u.created_at.to_string())
        .bind(0_i64)
        .execute(&self.pool)
        .await;
        match result {
            Ok(_) => {}
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(StoreError::Conflict(format!(
                    "user name '{}' is taken",
                    u.username
                )));
            }
            Err(e) => return Err(e.into()),
        }
        Ok(User {
            id: u.id.clone(),
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role: u.role,
            facility_id: u.facility_id.clone(),
            created_at: u.created_at,
            disabled: false,
        })
    }

    async fn get_user_by_username(
        &self,
        username: &str,
    ) -> Result<Option<(User, Option<String>)>, StoreError> {
        let row: Option<UserRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLS} FROM users WHERE username = $1"
        ))
        .bind(username.to_owned())
        .fetch_optional(&self.pool)
        .await?;
        row.map(UserRow::into_user).transpose()
    }

    async fn get_user(&self, id: &str) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> =
            sqlx::query_as(&format!("SELECT {USER_COLS} FROM users WHERE id = $1"))
                .bind(id.to_owned())
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(UserRow::into_user).transpose()?.map(|(u, _)| u))
    }

    async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        let rows: Vec<UserRow> =
            sqlx::query_as(&format!("SELECT {USER_COLS} FROM users ORDER BY username"))
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .map(|r| r.into_user().map(|(u, _)| u))
            .collect()
    }

    async fn insert_session(
        &self,
        token_hash: &str,
        user_id: &str,
        created_at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        let _w = self.write().await;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash.to_owned())
        .bind(user_id.to_owned())
        .bind(created_at.to_string())
        .bind(expires_at.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn session_user(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> = sqlx::query_as(&format!(
            "SELECT {} FROM users u JOIN sessions s ON s.user_id = u.id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = $3",
            USER_COLS
                .split(", ")
                .map(|c| format!("u.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .bind(token_hash.to_owned())
        .bind(now.to_string())
        .bind(0_i64)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(UserRow::into_user).transpose()?.map(|(u, _)| u))
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        let _w = self.write().await;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash.to_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn insert_api_token(
        &self,
        token_hash: &str,
        user_id: &str,
        label: &str,
        created_at: Timestamp,
    ) -> Result<(), StoreError> {
        let _w = self.write().await;
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, user_id, label, created_at, revoked_at) \
             VALUES ($1, $2, $3, $4, NULL)",
        )
        .bind(token_hash.to_owned())
        .bind(user_id.to_owned())
        .bind(label.to_owned())
        .bind(created_at.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn api_token_user(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> = sqlx::query_as(&format!(
            "SELECT {} FROM users u JOIN api_tokens t ON t.user_id = u.id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled = $2",
            USER_COLS
                .split(", ")
                .map(|c| format!("u.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .bind(token_hash.to_owned())
        .bind(0_i64)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(UserRow::into_user).transpose()?.map(|(u, _)| u))
    }

    async fn insert_patient(
        &self,
        new: &NewPatient,
        idempotency_key: Option<&str>,
    ) -> Result<Patient, StoreError> {
        let _w = self.write().await;
        let p = &new.patient;
        if let Some(key) = idempotency_key
            && let Some(id) = idempotent_entity(&self.pool, &new.created_by, key, "patient").await?
        {
            return self
                .get_patient(&id)
                .await?
                .ok_or_else(|| StoreError::Corrupt {
                    table: "idempotency_keys",
                    message: format!("patient {id} is missing"),
                });
        }
        let mut tx = self.pool.begin().await?;
        let inserted = write_patient(&mut tx, p, &new.created_by).await;
        match inserted {
            Ok(_) => {}
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(StoreError::Conflict(
                    "a patient with this record number is already registered at this facility"
                        .to_owned(),
                ));
            }
            Err(e) => return Err(e.into()),
        }
        if let Some(key) = idempotency_key {
            record_idempotency(&mut tx, &new.created_by, key, "patient", &p.id).await?;
        }
        tx.commit().await?;
        Ok(p.clone())
    }

    async fn get_patient(&self, id: &str) -> Result<Option<Patient>, StoreError> {
        let row: Option<PatientRow> = sqlx::query_as(&format!(
            "SELECT {PATIENT_COLS} FROM patients WHERE id = $1"
        ))
        .bind(id.to_owned())
        .fetch_optional(&self.pool)
        .await?;
        row.map(PatientRow::into_patient).transpose()
    }

    async fn find_patient(
        &self,
        facility_id: &str,
        pseudonym: &str,
    ) -> Result<Option<Patient>, StoreError> {
        let row: Option<PatientRow> = sqlx::query_as(&format!(
            "SELECT {PATIENT_COLS} FROM patients WHERE facility_id = $1 AND pseudonym = $2"
        ))
        .bind(facility_id.to_owned())
        .bind(pseudonym.to_owned())
        .fetch_optional(&self.pool)
        .await?;
        row.map(PatientRow::into_patient).transpose()
    }

    async fn list_patients(
        &self,
        facility_id: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Patient>, StoreError> {
        let limit = limit.clamp(1, 10_000);
        let rows: Vec<PatientRow> =
            match facility_id {
                Some(f) => {
                    sqlx::query_as(&format!(
                        "SELECT {PATIENT_COLS} FROM patients WHERE facility_id = $1 \
                 ORDER BY created_at DESC, id LIMIT {limit}"
                    ))
                    .bind(f.to_owned())
                    .fetch_all(&self.pool)
                    .await?
                }
                None => sqlx::query_as(&format!(
                    "SELECT {PATIENT_COLS} FROM patients ORDER BY created_at DESC, id LIMIT {limit}"
                ))
                .fetch_all(&self.pool)
                .await?,
            };
        rows.into_iter().map(PatientRow::into_patient).collect()
    }

    async fn insert_consent(&self, new: &NewConsent) -> Result<Consent, StoreError> {
        let _w = self.write().await;
        let c = &new.consent;
        let mut tx = self.pool.begin().await?;
        facts::advance_clock(&mut tx).await?;
        write_consent(&mut tx, c).await?;
        tx.commit().await?;
        Ok(c.clone())
    }

    async fn get_consent(&self, id: &str) -> Result<Option<Consent>, StoreError> {
        let row: Option<ConsentRow> = sqlx::query_as(&format!(
            "SELECT {CONSENT_COLS} FROM consents WHERE id = $1"
        ))
        .bind(id.to_owned())
        .fetch_optional(&self.pool)
        .await?;
        row.map(ConsentRow::into_consent).transpose()
    }

    async fn list_consents(&self, patient_id: &str) -> Result<Vec<Consent>, StoreError> {
        let rows: Vec<ConsentRow> = sqlx::query_as(&format!(
            "SELECT {CONSENT_COLS} FROM consents WHERE patient_id = $1 ORDER BY given_at, id"
        ))
        .bind(patient_id.to_owned())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(ConsentRow::into_consent).collect()
    }

    async fn withdraw_consent(
        &self,
        id: &str,
        at: Timestamp,
        by_user: &str,
    ) -> Result<Consent, StoreError> {
        {
            let _w = self.write().await;
            let mut tx = self.pool.begin().await?;
            facts::advance_clock(&mut tx).await?;
            let done = sqlx::query(&format!(
                "UPDATE consents SET withdrawn_at = $1, withdrawn_by = $2, facts_seq = {} \
                 WHERE id = $3 AND withdrawn_at IS NULL",
                facts::CLOCK
            ))
            .bind(at.to_string())
            .bind(by_user.to_owned())
            .bind(id.to_owned())
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(format!(
                    "consent {id} does not exist or is already withdrawn"
                )));
            }
            tx.commit().await?;
        }
        self.get_consent(id)
            .await?
            .ok_or_else(|| StoreError::Conflict(format!("consent {id} vanished")))
    }

    async fn insert_case(&self, new: &NewCase) -> Result<(Case, bool), StoreError> {
        let _w = self.write().await;
        if let Some(key) = new.idempotency_key.as_deref()
            && let Some(id) = idempotent_entity(&self.pool, &new.created_by, key, "case").await?
        {
            let case = self
                .get_case(&id)
                .await?
                .ok_or_else(|| StoreError::Corrupt {
                    table: "idempotency_keys",
                    message: format!("case {id} is missing"),
                })?;
            return Ok((case, false));
        }
        let year = new.case.registered_at.date().year();
        // Case numbers are sequential per year; on PostgreSQL two concurrent registrations
        // may pick the same number, and the unique constraint makes one retry.
        for _attempt in 0..5 {
            let mut case = new.case.clone();
            let mut tx = self.pool.begin().await?;
            let (count,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM cases WHERE case_number LIKE $1")
                    .bind(format!("GNM-{year}-%"))
                    .fetch_one(&mut *tx)
                    .await?;
            case.case_number = format!("GNM-{year}-{:06}", count + 1);
            let inserted = write_case(&mut tx, &case, &new.created_by).await;
            match inserted {
                Ok(_) => {}
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    tx.rollback().await?;
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
            sqlx::query(
                "INSERT INTO case_events (case_id, seq, state, at, by_user, note) VALUES ($1, 1, $2, $3, $4, NULL)",
            )
            .bind(case.id.clone())
            .bind(case.state.as_str())
            .bind(case.registered_at.to_string())
            .bind(new.created_by.clone())
            .execute(&mut *tx)
            .await?;
            if let Some(key) = new.idempotency_key.as_deref() {
                record_idempotency(&mut tx, &new.created_by, key, "case", &case.id).await?;
            }
            facts::refresh_case(&mut tx, self.backend, &case.id).await?;
            tx.commit().await?;
            return Ok((case, true));
        }
        Err(StoreError::Conflict(
            "could not allocate a case number; try again".to_owned(),
        ))
    }

    async fn get_case(&self, id: &str) -> Result<Option<Case>, StoreError> {
        let row: Option<CaseRow> =
            sqlx::query_as(&format!("SELECT {CASE_COLS} FROM cases WHERE id = $1"))
                .bind(id.to_owned())
                .fetch_optional(&self.pool)
                .await?;
        row.map(CaseRow::into_case).transpose()
    }

    async fn list_cases(&self, filter: &CaseFilter) -> Result<Vec<Case>, StoreError> {
        let mut clauses: Vec<String> = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        let mut push = |clause: &str, values: &[&str]| {
            let mut c = clause.to_owned();
            for v in values {
                binds.push((*v).to_owned());
                c = c.replacen('?', &format!("${}", binds.len()), 1);
            }
            clauses.push(c);
        };
        match &filter.scope {
            CaseScope::All => {}
            CaseScope::OrderedBy(f) => push("ordering_facility_id = ?", &[f]),
            CaseScope::OrderedByOrPanel(f) => push(
                "(ordering_facility_id = ? OR panel_facility_id = ?)",
                &[f, f],
            ),
            CaseScope::Lab(f) => push("lab_facility_id = ?", &[f]),
        }
        if let Some(s) = filter.state {
            push("state = ?", &[s.as_str()]);
        }
        if let Some(f) = &filter.ordering_facility_id {
            push("ordering_facility_id = ?", &[f]);
        }
        if let Some(code) = &filter.oncotree_code {
            push("oncotree_code = ?", &[code]);
        }
        if let Some(p) = &filter.patient_id {
            push("patient_id = ?", &[p]);
        }
        let from = filter.registered_from.map(|t| t.to_string());
        if let Some(t) = &from {
            push("registered_at >= ?", &[t]);
        }
        let before = filter.registered_before.map(|t| t.to_string());
        if let Some(t) = &before {
            push("registered_at < ?", &[t]);
        }
        let where_sql = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        let sql = format!(
            "SELECT {CASE_COLS} FROM cases {where_sql} ORDER BY registered_at DESC, id LIMIT {} OFFSET {}",
            filter.limit.clamp(1, 10_000),
            filter.offset.max(0)
        );
        let mut q = sqlx::query_as::<_, CaseRow>(&sql);
        for b in binds {
            q = q.bind(b);
        }
        q.fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(CaseRow::into_case)
            .collect()
    }

    async fn transition_case(
        &self,
        case_id: &str,
        from: CaseState,
        to: CaseState,
        at: Timestamp,
        by_user: &str,
        note: Option<&str>,
    ) -> Result<Case, StoreError> {
        {
            let _w = self.write().await;
            let mut tx = self.pool.begin().await?;
            move_case(&mut tx, self.backend, case_id, from, to, at, by_user, note).await?;
            tx.commit().await?;
        }
        self.get_case(case_id)
            .await?
            .ok_or_else(|| StoreError::Conflict(format!("case {case_id} vanished")))
    }

    async fn case_events(&self, case_id: &str) -> Result<Vec<CaseEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, state, at, by_user, note FROM case_events WHERE case_id = $1 ORDER BY seq",
        )
        .bind(case_id.to_owned())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(CaseEvent {
                    seq: row.try_get("seq")?,
                    state: parse_col("case_events", &row.try_get::<String, _>("state")?)?,
                    at: parse_time_col("case_events", &row.try_get::<String, _>("at")?)?,
                    by_user: row.try_get("by_user")?,
                    note: row.try_get("note")?,
                })
            })
            .collect()
    }

    async fn count_cases_registered_in(&self, year: i32) -> Result<i64, StoreError> {
        let (count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM cases WHERE case_number LIKE $1")
                .bind(format!("GNM-{year}-%"))
                .fetch_one(&self.pool)
                .await?;
        Ok(count)
    }

    async fn insert_result_files(&self, files: &[NewResultFile]) -> Result<(), StoreError> {
        let _w = self.write().await;
        let mut tx = self.pool.begin().await?;
        for new in files {
            let f = &new.file;
            sqlx::query(&format!(
                "INSERT INTO result_files ({FILE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
            ))
            .bind(f.id.clone())
            .bind(f.case_id.clone())
            .bind(f.filename.clone())
            .bind(f.media_type.clone())
            .bind(f.size_bytes)
            .bind(f.sha256.clone())
            .bind(new.storage_key.clone())
            .bind(f.uploaded_by.clone())
            .bind(f.uploaded_at.to_string())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn get_result_file(&self, id: &str) -> Result<Option<(ResultFile, String)>, StoreError> {
        let row: Option<FileRow> = sqlx::query_as(&format!(
            "SELECT {FILE_COLS} FROM result_files WHERE id = $1"
        ))
        .bind(id.to_owned())
        .fetch_optional(&self.pool)
        .await?;
        row.map(FileRow::into_file).transpose()
    }

    async fn list_result_files(&self, case_id: &str) -> Result<Vec<ResultFile>, StoreError> {
        let rows: Vec<FileRow> = sqlx::query_as(&format!(
            "SELECT {FILE_COLS} FROM result_files WHERE case_id = $1 ORDER BY uploaded_at, filename, id"
        ))
        .bind(case_id.to_owned())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| r.into_file().map(|(f, _)| f))
            .collect()
    }

    async fn append_audit(&self, e: &AuditEntry) -> Result<i64, StoreError> {
        let _w = self.write().await;
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            // Serialise appends across server instances so the chain stays linear.
            sqlx::query("LOCK TABLE audit_log IN EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await?;
        }
        let last: Option<(i64, String)> =
            sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut *tx)
                .await?;
        let (seq, prev) = match last {
            Some((seq, hash)) => (seq + 1, hash),
            None => (1, GENESIS_HASH.to_owned()),
        };
        let hash = chain_hash(seq, e, &prev);
        sqlx::query(&format!(
            "INSERT INTO audit_log ({AUDIT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        ))
        .bind(seq)
        .bind(e.at.to_string())
        .bind(e.user_id.clone())
        .bind(e.username.clone())
        .bind(e.role.clone())
        .bind(e.facility_id.clone())
        .bind(e.action.clone())
        .bind(e.entity_type.clone())
        .bind(e.entity_id.clone())
        .bind(e.outcome.clone())
        .bind(e.detail.clone())
        .bind(prev)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(seq)
    }

    async fn search_audit(
        &self,
        filter: &AuditFilter,
        limit: i64,
        before_seq: Option<i64>,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        let limit = limit.clamp(1, 10_000);
        let mut clauses = vec!["seq < $1".to_owned()];
        let mut texts: Vec<String> = Vec::new();
        let mut text = |clause: &str, value: String| {
            texts.push(value);
            clauses.push(clause.replace('?', &format!("${}", texts.len() + 1)));
        };
        if let Some(v) = &filter.username {
            text("username = ?", v.clone());
        }
        if let Some(v) = &filter.action_prefix {
            // A prefix match without LIKE's wildcards (an action may contain `_`).
            text("SUBSTR(action, 1, LENGTH(?)) = ?", v.clone());
        }
        if let Some(v) = &filter.entity_id {
            text("entity_id = ?", v.clone());
        }
        if let Some(v) = &filter.outcome {
            text("outcome = ?", v.clone());
        }
        if let Some(t) = filter.from {
            text("at >= ?", t.to_string());
        }
        if let Some(t) = filter.until {
            text("at < ?", t.to_string());
        }
        let sql = format!(
            "SELECT {AUDIT_COLS} FROM audit_log WHERE {} ORDER BY seq DESC LIMIT {limit}",
            clauses.join(" AND ")
        );
        let mut q = sqlx::query(&sql).bind(before_seq.unwrap_or(i64::MAX));
        for v in texts {
            q = q.bind(v);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(audit_from_row).collect()
    }

    async fn verify_audit_chain(&self) -> Result<ChainReport, StoreError> {
        use futures::TryStreamExt;
        let sql = format!("SELECT {AUDIT_COLS} FROM audit_log ORDER BY seq");
        let mut rows = sqlx::query(&sql).fetch(&self.pool);
        let mut records = Vec::new();
        while let Some(row) = rows.try_next().await? {
            records.push(audit_from_row(&row)?);
        }
        Ok(verify_rows(records))
    }
}

/// Moves a case from `from` to `to` inside a transaction, appends its event and recomputes
/// its indicator facts; `Conflict` if the case is no longer in `from`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn move_case(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    backend: Backend,
    case_id: &str,
    from: CaseState,
    to: CaseState,
    at: Timestamp,
    by_user: &str,
    note: Option<&str>,
) -> Result<(), StoreError> {
    let updated =
        sqlx::query("UPDATE cases SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4")
            .bind(to.as_str())
            .bind(at.to_string())
            .bind(case_id.to_owned())
            .bind(from.as_str())
            .execute(&mut **tx)
            .await?;
    if updated.rows_affected() != 1 {
        return Err(StoreError::Conflict(format!(
            "case {case_id} is no longer in state {from}"
        )));
    }
    let (next,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(seq), 0) + 1 FROM case_events WHERE case_id = $1")
            .bind(case_id.to_owned())
            .fetch_one(&mut **tx)
            .await?;
    sqlx::query(
        "INSERT INTO case_events (case_id, seq, state, at, by_user, note) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(case_id.to_owned())
    .bind(next)
    .bind(to.as_str())
    .bind(at.to_string())
    .bind(by_user.to_owned())
    .bind(note.map(str::to_owned))
    .execute(&mut **tx)
    .await?;
    facts::refresh_case(tx, backend, case_id).await?;
    Ok(())
}

async fn idempotent_entity(
    pool: &AnyPool,
    user_id: &str,
    key: &str,
    entity_type: &str,
) -> Result<Option<String>, StoreError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT entity_type, entity_id FROM idempotency_keys WHERE user_id = $1 AND key = $2",
    )
    .bind(user_id.to_owned())
    .bind(key.to_owned())
    .fetch_optional(pool)
    .await?;
    match row {
        None => Ok(None),
        Some((t, id)) if t == entity_type => Ok(Some(id)),
        Some((t, _)) => Err(StoreError::Conflict(format!(
            "Idempotency-Key '{key}' was already used for a {t} registration"
        ))),
    }
}

async fn record_idempotency(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: &str,
    key: &str,
    entity_type: &str,
    entity_id: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO idempotency_keys (user_id, key, entity_type, entity_id, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user_id.to_owned())
    .bind(key.to_owned())
    .bind(entity_type.to_owned())
    .bind(entity_id.to_owned())
    .bind(Timestamp::now().to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn rand_bytes() -> [u8; 32] {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

/// Seconds since the Unix epoch of an RFC 3339 text expression (NULL stays NULL).
pub(crate) fn epoch_sql(backend: Backend, t: &str) -> String {
    match backend {
        Backend::Sqlite => format!("CAST(strftime('%s', {t}) AS BIGINT)"),
        Backend::Postgres => {
            format!("CAST(EXTRACT(EPOCH FROM CAST({t} AS TIMESTAMPTZ)) AS BIGINT)")
        }
    }
}

/// Writes a patient row (the workflow and the bulk loader share it).
pub(crate) async fn write_patient(
    conn: &mut sqlx::AnyConnection,
    p: &Patient,
    created_by: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO patients (id, facility_id, pseudonym, sex, birth_year, birth_month, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(p.id.clone())
    .bind(p.facility_id.clone())
    .bind(p.pseudonym.clone())
    .bind(p.sex.as_str())
    .bind(p.birth_year)
    .bind(p.birth_month)
    .bind(p.created_at.to_string())
    .bind(created_by.to_owned())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Writes a consent row, stamped with the facts clock (the caller has advanced it in the
/// same transaction).
pub(crate) async fn write_consent(
    conn: &mut sqlx::AnyConnection,
    c: &Consent,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO consents ({CONSENT_COLS}, facts_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, {})",
        facts::CLOCK
    ))
    .bind(c.id.clone())
    .bind(c.patient_id.clone())
    .bind(c.form_version.clone())
    .bind(c.method.as_str())
    .bind(i64::from(c.items.registration))
    .bind(i64::from(c.items.secondary_use_academia))
    .bind(i64::from(c.items.secondary_use_industry))
    .bind(i64::from(c.items.overseas_transfer))
    .bind(i64::from(c.items.recontact))
    .bind(c.items.germline_disclosure.as_str())
    .bind(c.given_at.to_string())
    .bind(c.withdrawn_at.map(|t| t.to_string()))
    .bind(c.recorded_by.clone())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Writes a case row (its events are written on their own).
pub(crate) async fn write_case(
    conn: &mut sqlx::AnyConnection,
    case: &Case,
    created_by: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO cases ({CASE_COLS}, created_by) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
    ))
    .bind(case.id.clone())
    .bind(case.case_number.clone())
    .bind(case.patient_id.clone())
    .bind(case.ordering_facility_id.clone())
    .bind(case.panel_facility_id.clone())
    .bind(case.lab_facility_id.clone())
    .bind(case.test_product.as_str())
    .bind(case.specimen_type.as_str())
    .bind(case.specimen_site.clone())
    .bind(case.specimen_collected_on.map(date_text))
    .bind(case.tumor_content_pct)
    .bind(case.oncotree_code.clone())
    .bind(case.stage.clone())
    .bind(case.ecog_ps)
    .bind(case.state.as_str())
    .bind(case.registered_at.to_string())
    .bind(case.updated_at.to_string())
    .bind(created_by.to_owned())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
