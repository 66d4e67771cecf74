//! Result files: stored as received, with their SHA-256, size and media type. Files of a kind
//! the variant engine reads (VCF, copy number, fusions, biomarkers) must parse first, and
//! their arrival issues the case's findings (see `findings`).

use bytes::Bytes;
use ganome_core::{CaseState, Timestamp};
use ganome_store::{NewResultFile, ResultFile};

use crate::ids::new_id;
use crate::{Actor, Ganome, ServiceError, TransitionRequest, access};

/// A file's record and content.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    /// The record.
    pub file: ResultFile,
    /// The content.
    pub content: Bytes,
}

impl Ganome {
    /// Stores a result file for a case ordered from the actor's lab. When the case awaits
    /// results (`specimen_shipped`), it moves to `results_received`.
    pub async fn upload_result_file(
        &self,
        actor: &Actor,
        case_id: &str,
        filename: &str,
        media_type: &str,
        content: Bytes,
    ) -> Result<ResultFile, ServiceError> {
        let result = async {
            let case = self.load_case_for_read(actor, case_id).await?;
            if !access::may_upload_results(actor, &case) {
                return Err(ServiceError::Forbidden(
                    "results are uploaded by the lab the case was ordered from".into(),
                ));
            }
            let mut errors = ganome_core::ValidationErrors::new();
            errors.check(
                !filename.is_empty()
                    && filename.len() <= 255
                    && !filename.contains(['/', '\\', '\0'])
                    && filename != ".."
                    && filename != ".",
                "filename",
                "must be a plain file name (no folders), at most 255 bytes",
            );
            errors.check(!content.is_empty(), "content", "the file is empty");
            errors.check(
                content.len() <= self.config.max_upload_bytes,
                "content",
                format!(
                    "larger than the limit of {} bytes",
                    self.config.max_upload_bytes
                ),
            );
            errors.into_result()?;
            // A file of a kind Ganome reads must parse before anything is stored.
            crate::findings::validate_result_file(filename, &content)?;
            let id = new_id();
            let key = format!("cases/{case_id}/{id}");
            let stored = self.blobs.put(&key, content).await?;
            let file = ResultFile {
                id,
                case_id: case_id.to_owned(),
                filename: filename.to_owned(),
                media_type: if media_type.is_empty() {
                    "application/octet-stream".to_owned()
                } else {
                    media_type.to_owned()
                },
                size_bytes: stored.size as i64,
                sha256: stored.sha256,
                uploaded_by: actor.user_id.clone(),
                uploaded_at: Timestamp::now(),
            };
            let record = NewResultFile {
                file,
                storage_key: key.clone(),
            };
            let saved = match self.store.insert_result_file(&record).await {
                Ok(f) => f,
                Err(e) => {
                    // Nothing partial is kept: remove the content whose row failed.
                    let _ = self.blobs.delete(&key).await;
                    return Err(e.into());
                }
            };
            let case = if case.state == CaseState::SpecimenShipped {
                let req = TransitionRequest {
                    to: CaseState::ResultsReceived,
                    at: Some(saved.uploaded_at.max(case.updated_at)),
                    note: Some(format!("result file {}", saved.filename)),
                };
                self.transition_checked(actor, &case, req).await?
            } else {
                case
            };
            // The data center's engine issues findings as soon as results are in; a later
            // file (copy numbers after the VCF, say) issues a new version.
            if let Err(e) = self
                .issue_findings_for(
                    &case,
                    &format!("result file {}", saved.filename),
                    &actor.user_id,
                )
                .await
            {
                // The file is kept (results were received); the data center re-issues.
                tracing::error!(case = %case.id, error = %e, "findings could not be issued");
            }
            Ok(saved)
        }
        .await;
        let id = result.as_ref().ok().map(|f| f.id.clone());
        let mut entry = actor.audit("file.upload", "result_file", id.as_deref());
        entry.detail = Some(format!("case {case_id}"));
        self.audited(entry, result).await
    }

    /// A result file's record and content, if its case is within the actor's scope.
    pub async fn download_result_file(
        &self,
        actor: &Actor,
        file_id: &str,
    ) -> Result<UploadedFile, ServiceError> {
        let result = async {
            let (file, key) = self
                .store
                .get_result_file(file_id)
                .await?
                .ok_or_else(|| ServiceError::NotFound(format!("result file {file_id}")))?;
            self.load_case_for_read(actor, &file.case_id).await?;
            let content = self.blobs.get(&key).await?;
            Ok(UploadedFile { file, content })
        }
        .await;
        self.audit_result(actor, "file.download", "result_file", Some(file_id), result)
            .await
    }

    /// A case's result files.
    pub async fn list_result_files(
        &self,
        actor: &Actor,
        case_id: &str,
    ) -> Result<Vec<ResultFile>, ServiceError> {
        let result = async {
            self.load_case_for_read(actor, case_id).await?;
            Ok(self.store.list_result_files(case_id).await?)
        }
        .await;
        self.audit_result(actor, "file.list", "case", Some(case_id), result)
            .await
    }

    /// The newest audit rows (auditors and administrators).
    pub async fn list_audit(
        &self,
        actor: &Actor,
        limit: i64,
        before_seq: Option<i64>,
    ) -> Result<Vec<ganome_store::AuditRecord>, ServiceError> {
        let result = async {
            if !access::may_audit(actor) {
                return Err(ServiceError::Forbidden(
                    "only auditors read the audit trail".into(),
                ));
            }
            Ok(self.store.list_audit(limit, before_seq).await?)
        }
        .await;
        self.audit_result(actor, "audit.read", "audit_log", None, result)
            .await
    }

    /// Checks the audit chain (operator or auditor).
    pub async fn verify_audit(&self) -> Result<ganome_store::ChainReport, ServiceError> {
        Ok(self.store.verify_audit_chain().await?)
    }
}
