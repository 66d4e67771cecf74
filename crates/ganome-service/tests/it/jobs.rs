//! Re-interpretation as background jobs, with several Ganome processes over one store (two
//! service instances sharing the database and file storage, as two servers would): the
//! publisher only queues; a server started on the earlier release follows the store's
//! current release when it takes a job, issues the new version and raises the alert; an
//! instance without a findings engine leaves the work to one that has it.

use bytes::Bytes;
use ganome_core::Role;
use ganome_service::AlertListQuery;
use ganome_store::testing;

use crate::alerts::{before_first_line, engine};
use crate::findings::{shipped_case, shipped_release};
use crate::support::{Places, ganome, places, user};

const EGFR_VCF: &[u8] = include_bytes!("../../../../testdata/report/egfr_l858r.grch38.vcf");

#[tokio::test]
async fn jobs_across_instances_on_every_backend() {
    for t in testing::all_backends().await {
        let dir = tempfile::tempdir().unwrap();
        // The server, started while the early release was current.
        let server = ganome(&t, dir.path());
        let early = before_first_line();
        server.set_annotation_engine(engine(early.clone()));
        server
            .register_knowledge_release(&early, "operator")
            .await
            .unwrap();
        let Places { coop, lab, dc, .. } = places(&server).await;
        let clinician = user(&server, "dr.coop", Role::Clinician, &coop).await;
        let lab_user = user(&server, "lab.bot", Role::Lab, &lab).await;
        let curator = user(&server, "dc.curator", Role::Curator, &dc).await;
        let luad = shipped_case(&server, &clinician, &lab, "MRN-J1", "LUAD").await;
        server
            .upload_result_file(
                &lab_user,
                &luad,
                "egfr.vcf",
                "text/vcf",
                Bytes::from_static(EGFR_VCF),
            )
            .await
            .unwrap();
        assert_eq!(
            server.list_findings(&clinician, &luad).await.unwrap().len(),
            1
        );

        // The operator's process publishes the shipped release without waiting.
        let operator = ganome(&t, dir.path());
        operator.set_annotation_engine(engine(early.clone()));
        let (record, queued) = operator
            .queue_knowledge_release(&curator, shipped_release().clone())
            .await
            .unwrap();
        assert!(record.is_current);
        assert_eq!(queued, 1, "one case has findings");
        let (counts, _) = operator.reinterpretation_jobs().await.unwrap();
        assert_eq!((counts.queued, counts.done), (1, 0));
        assert_eq!(
            server.list_findings(&clinician, &luad).await.unwrap().len(),
            1,
            "queuing issues nothing by itself"
        );

        // An instance without a findings engine does not take the work.
        let bare = ganome(&t, dir.path());
        assert!(bare.run_next_job("bare").await.unwrap().is_none());

        // The server's worker takes it, follows the current release, and raises the alert.
        let run = server.run_next_job("server").await.unwrap().unwrap();
        assert_eq!(run.job.subject, luad);
        assert!(run.issued && run.error.is_none(), "{run:?}");
        let engine_release = server.annotation_engine().unwrap().release().label();
        assert_eq!(engine_release, shipped_release().label());
        let versions = server.list_findings(&clinician, &luad).await.unwrap();
        assert_eq!(versions.len(), 2);
        assert_eq!(
            versions[1].knowledge_release,
            shipped_release().label(),
            "the new version names the release current in the store"
        );
        let alerts = server
            .list_alerts(&clinician, &AlertListQuery::default())
            .await
            .unwrap();
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].options[0].drug, "osimertinib");
        assert!(server.run_next_job("server").await.unwrap().is_none());
        let (counts, failed) = operator.reinterpretation_jobs().await.unwrap();
        assert_eq!((counts.queued, counts.running, counts.done), (0, 0, 1));
        assert!(failed.is_empty());

        // Back to the early release, published and drained by the operator's process:
        // a new version, no alert (an option got weaker).
        let (_, issued) = operator
            .publish_knowledge_release(&curator, early.clone())
            .await
            .unwrap();
        assert_eq!(issued, 1);
        assert_eq!(
            server.list_findings(&clinician, &luad).await.unwrap().len(),
            3
        );
        assert_eq!(
            server
                .list_alerts(&clinician, &AlertListQuery::default())
                .await
                .unwrap()
                .len(),
            1
        );
        eprintln!("instances jobs story passed on {}", t.name);
    }
}
