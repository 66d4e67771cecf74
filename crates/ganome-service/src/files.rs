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

/// One file of a laboratory's upload.
#[derive(Debug, Clone)]
pub struct IncomingFile {
    /// File name as sent (no folders).
    pub filename: String,
    /// Media type as sent (empty: `application/octet-stream`).
    pub media_type: String,
    /// Content.
    pub content: Bytes,
}

/// What an upload stored, and the findings version it issued, if any.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ResultsUpload {
    /// The stored files, in the order sent.
    pub files: Vec<ResultFile>,
    /// The findings version issued from the case's files, when the engine issued one.
    pub findings: Option<ganome_store::FindingsVersion>,
}

impl Ganome {
    /// Stores a result file for a case ordered from the actor's lab (see
    /// [`Ganome::upload_results`]).
    pub async fn upload_result_file(
        &self,
        actor: &Actor,
        case_id: &str,
        filename: &str,
        media_type: &str,
        content: Bytes,
    ) -> Result<ResultFile, ServiceError> {
        let up = self
            .upload_results(
                actor,
                case_id,
                vec![IncomingFile {
                    filename: filename.to_owned(),
                    media_type: media_type.to_owned(),
                    content,
                }],
            )
            .await?;
        up.files
            .into_iter()
            .next()
            .ok_or_else(|| ServiceError::invalid("files", "no file was stored"))
    }

    /// Stores a laboratory's result files for a case ordered from it, all or none: every
    /// file is checked (and every file of a kind Ganome reads is parsed) before anything is
    /// stored, and the rows are written in one transaction. A case awaiting results
    /// (`specimen_shipped`) moves to `results_received`; then the data center's engine
    /// issues one findings version from all of the case's files.
    pub async fn upload_results(
        &self,
        actor: &Actor,
        case_id: &str,
        files: Vec<IncomingFile>,
    ) -> Result<ResultsUpload, ServiceError> {
        let result = self.upload_results_inner(actor, case_id, files).await;
        let ids = result.as_ref().ok().map(|u| {
            u.files
                .iter()
                .map(|f| f.id.clone())
                .collect::<Vec<_>>()
                .join(",")
        });
        let mut entry = actor.audit("file.upload", "result_file", ids.as_deref());
        entry.detail = Some(match &result {
            Ok(u) => format!(
                "case {case_id}: {} file(s){}",
                u.files.len(),
                u.findings
                    .as_ref()
                    .map(|f| format!("; findings v{} {}", f.version, f.report_id))
                    .unwrap_or_default()
            ),
            Err(_) => format!("case {case_id}"),
        });
        self.audited(entry, result).await
    }

    async fn upload_results_inner(
        &self,
        actor: &Actor,
        case_id: &str,
        files: Vec<IncomingFile>,
    ) -> Result<ResultsUpload, ServiceError> {
        let case = self.load_case_for_read(actor, case_id).await?;
        if !access::may_upload_results(actor, &case) {
            return Err(ServiceError::Forbidden(
                "results are uploaded by the lab the case was ordered from".into(),
            ));
        }
        let many = files.len() > 1;
        let at = |i: usize, f: &str| {
            if many {
                format!("files[{i}].{f}")
            } else {
                f.to_owned()
            }
        };
        let mut errors = ganome_core::ValidationErrors::new();
        errors.check(!files.is_empty(), "files", "send at least one file");
        for (i, f) in files.iter().enumerate() {
            let name = f.filename.as_str();
            errors.check(
                !name.is_empty()
                    && name.len() <= 255
                    && !name.contains(['/', '\\', '\0'])
                    && name != ".."
                    && name != ".",
                &at(i, "filename"),
                "must be a plain file name (no folders), at most 255 bytes",
            );
            errors.check(
                files[..i].iter().all(|g| g.filename != f.filename),
                &at(i, "filename"),
                "sent twice in one upload",
            );
            errors.check(
                !f.content.is_empty(),
                &at(i, "content"),
                "the file is empty",
            );
            errors.check(
                f.content.len() <= self.config.max_upload_bytes,
                &at(i, "content"),
                format!(
                    "larger than the limit of {} bytes",
                    self.config.max_upload_bytes
                ),
            );
            // A file of a kind Ganome reads must parse before anything is stored.
            if let Err(message) = crate::findings::check_result_file(name, &f.content) {
                errors.add(
                    at(i, "content"),
                    format!("{message} (nothing was stored; correct the file and upload again)"),
                );
            }
        }
        errors.into_result()?;
        let now = Timestamp::now();
        let mut records = Vec::with_capacity(files.len());
        for f in files {
            let id = new_id();
            let key = format!("cases/{case_id}/{id}");
            let stored = match self.blobs.put(&key, f.content).await {
                Ok(s) => s,
                Err(e) => {
                    self.forget_blobs(&records).await;
                    return Err(e.into());
                }
            };
            records.push(NewResultFile {
                file: ResultFile {
                    id,
                    case_id: case_id.to_owned(),
                    filename: f.filename,
                    media_type: if f.media_type.is_empty() {
                        "application/octet-stream".to_owned()
                    } else {
                        f.media_type
                    },
                    size_bytes: stored.size as i64,
                    sha256: stored.sha256,
                    uploaded_by: actor.user_id.clone(),
                    uploaded_at: now,
                },
                storage_key: key,
            });
        }
        if let Err(e) = self.store.insert_result_files(&records).await {
            // Nothing partial is kept: remove the content whose rows failed.
            self.forget_blobs(&records).await;
            return Err(e.into());
        }
        let names = records
            .iter()
            .map(|r| r.file.filename.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let case = if case.state == CaseState::SpecimenShipped {
            let req = TransitionRequest {
                to: CaseState::ResultsReceived,
                at: Some(now.max(case.updated_at)),
                note: Some(format!("result files {names}")),
            };
            self.transition_checked(actor, &case, req).await?
        } else {
            case
        };
        // The data center's engine issues findings as soon as results are in; a later
        // upload (copy numbers after the VCF, say) issues a new version.
        let findings = match self
            .issue_findings_for(&case, &format!("result files {names}"), &actor.user_id)
            .await
        {
            Ok(v) => v,
            Err(e) => {
                // The files are kept (results were received); the data center re-issues.
                tracing::error!(case = %case.id, error = %e, "findings could not be issued");
                None
            }
        };
        Ok(ResultsUpload {
            files: records.into_iter().map(|r| r.file).collect(),
            findings,
        })
    }

    async fn forget_blobs(&self, records: &[NewResultFile]) {
        for r in records {
            let _ = self.blobs.delete(&r.storage_key).await;
        }
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

    /// Checks the audit chain (operator or auditor).
    pub async fn verify_audit(&self) -> Result<ganome_store::ChainReport, ServiceError> {
        Ok(self.store.verify_audit_chain().await?)
    }
}
