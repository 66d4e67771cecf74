//! The job queue on every backend: ordering, de-duplication of waiting work, leases taken
//! over when a worker dies, retries then failure, and several workers in several
//! "processes" (separate connection pools) draining one queue without taking a job twice.

use std::collections::HashSet;

use ganome_core::Timestamp;
use ganome_store::{JobState, JobStore, MAX_JOB_ATTEMPTS, SqlStore, testing};

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

#[tokio::test]
async fn jobs_story_on_every_backend() {
    for t in testing::all_backends().await {
        story(&t).await;
        concurrent_workers(&t).await;
        eprintln!("jobs story passed on {}", t.name);
    }
}

async fn story(t: &testing::TestStore) {
    let s = &t.store;
    let t0 = ts("2026-12-06T01:00:00Z");
    let subjects: Vec<String> = ["c1", "c2", "c3"].map(String::from).to_vec();
    assert_eq!(
        s.enqueue_jobs("k", &subjects, "release 2", "u1", t0)
            .await
            .unwrap(),
        3
    );
    // Waiting work is not queued twice; another kind is separate.
    assert_eq!(
        s.enqueue_jobs("k", &["c1".into(), "c4".into()], "release 3", "u1", t0)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        s.enqueue_jobs("other", &["c1".into()], "x", "u1", t0)
            .await
            .unwrap(),
        1
    );
    let counts = s.job_counts("k").await.unwrap();
    assert_eq!((counts.queued, counts.running, counts.done), (4, 0, 0));

    // Oldest first, in the order queued.
    let lease = t0.unix() + 300;
    let a = s.claim_job("w1", t0, lease).await.unwrap().unwrap();
    assert_eq!(
        (a.subject.as_str(), a.state, a.attempts),
        ("c1", JobState::Running, 1)
    );
    assert_eq!(a.detail, "release 2");
    let b = s.claim_job("w1", t0, lease).await.unwrap().unwrap();
    assert_eq!(b.subject, "c2");
    // Done by its worker; another worker's word is ignored.
    assert_eq!(
        s.finish_job(&a.id, "w2", Ok(()), t0).await.unwrap(),
        None,
        "a job is finished only by the worker holding it"
    );
    assert_eq!(
        s.finish_job(&a.id, "w1", Ok(()), t0).await.unwrap(),
        Some(JobState::Done)
    );
    assert_eq!(s.finish_job(&a.id, "w1", Ok(()), t0).await.unwrap(), None);

    // w1 dies holding c2: nobody takes it before the lease passes, then w2 does.
    let c = s.claim_job("w2", t0, lease).await.unwrap().unwrap();
    assert_eq!(c.subject, "c3");
    let d = s.claim_job("w2", t0, lease).await.unwrap().unwrap();
    assert_eq!(d.subject, "c4");
    let e = s.claim_job("w2", t0, lease).await.unwrap().unwrap();
    assert_eq!(e.kind, "other");
    assert!(s.claim_job("w2", t0, lease).await.unwrap().is_none());
    let later = Timestamp::from_datetime(t0.datetime() + time::Duration::seconds(301));
    let taken = s
        .claim_job("w2", later, later.unix() + 300)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((taken.subject.as_str(), taken.attempts), ("c2", 2));
    assert_eq!(taken.worker.as_deref(), Some("w2"));
    assert_eq!(
        s.finish_job(&b.id, "w1", Ok(()), later).await.unwrap(),
        None,
        "the dead worker's late answer is ignored"
    );
    assert_eq!(
        s.finish_job(&taken.id, "w2", Ok(()), later).await.unwrap(),
        Some(JobState::Done)
    );

    // Errors: queued again until the last attempt, then failed with the error kept.
    let mut job = c;
    for attempt in 1..=MAX_JOB_ATTEMPTS {
        let state = s
            .finish_job(&job.id, "w2", Err(format!("boom {attempt}")), later)
            .await
            .unwrap();
        if attempt < MAX_JOB_ATTEMPTS {
            assert_eq!(state, Some(JobState::Queued));
            job = s
                .claim_job("w2", later, later.unix() + 300)
                .await
                .unwrap()
                .unwrap();
            assert_eq!((job.subject.as_str(), job.attempts), ("c3", attempt + 1));
            assert_eq!(
                job.error.as_deref(),
                Some(format!("boom {attempt}").as_str())
            );
        } else {
            assert_eq!(state, Some(JobState::Failed));
        }
    }
    let failed = s.failed_jobs("k", 10).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].subject, "c3");
    assert_eq!(failed[0].error.as_deref(), Some("boom 3"));
    assert_eq!(failed[0].finished_at, Some(later));
    // Failed work can be queued again by a later request.
    assert_eq!(
        s.enqueue_jobs("k", &["c3".into()], "release 4", "u1", later)
            .await
            .unwrap(),
        1
    );
    let counts = s.job_counts("k").await.unwrap();
    assert_eq!(
        (counts.queued, counts.running, counts.done, counts.failed),
        (1, 1, 2, 1),
        "c3 queued again, c4 still running, c1 and c2 done, the old c3 failed"
    );
}

/// Two processes with two workers each drain 200 jobs: every job is done exactly once.
async fn concurrent_workers(t: &testing::TestStore) {
    let subjects: Vec<String> = (0..200).map(|i| format!("case-{i:03}")).collect();
    let now = Timestamp::now();
    t.store
        .enqueue_jobs("bulk", &subjects, "", "u1", now)
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for process in 0..2 {
        let store = SqlStore::connect(&t.url).await.unwrap();
        for w in 0..2 {
            let store = store.clone();
            let name = format!("p{process}w{w}");
            tasks.push(tokio::spawn(async move {
                let mut got = Vec::new();
                loop {
                    let now = Timestamp::now();
                    let Some(job) = store.claim_job(&name, now, now.unix() + 300).await.unwrap()
                    else {
                        break;
                    };
                    if job.kind != "bulk" {
                        // Left over from the story above: put it aside as done.
                        store.finish_job(&job.id, &name, Ok(()), now).await.unwrap();
                        continue;
                    }
                    assert_eq!(
                        store.finish_job(&job.id, &name, Ok(()), now).await.unwrap(),
                        Some(JobState::Done)
                    );
                    got.push(job.subject);
                }
                got
            }));
        }
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    let unique: HashSet<&String> = all.iter().collect();
    assert_eq!(all.len(), 200, "no job taken twice");
    assert_eq!(unique.len(), 200, "every job taken");
    assert_eq!(t.store.job_counts("bulk").await.unwrap().done, 200);
}
