//! The second factor (TOTP) and login throttling on every backend. A clinician enrols,
//! confirms with a code from the secret (computed with the same library as the server, at
//! fixed times so that no run straddles a step boundary by chance), and from then on the
//! password alone is refused with `SecondFactorRequired`; a wrong code and a replayed code
//! are refused, a later code is accepted, and the factor is turned off with a current
//! code. Five failed logins lock the name for 15 minutes, the right password included;
//! every step is in the audit log.

use ganome_core::{Role, Timestamp};
use ganome_service::second_factor::{totp_code_at, totp_step};
use ganome_service::{Ganome, ServiceError};
use ganome_store::testing;

use crate::support::{Places, ganome, places, user};

const PASSWORD: &str = "a long demo password";

/// A moment `seconds` after the start of the current time step (near the real clock, so
/// the sessions opened are live).
fn at(base: Timestamp, seconds: i64) -> Timestamp {
    Timestamp::from_datetime(base.datetime() + time::Duration::seconds(seconds))
}

fn step_start() -> Timestamp {
    let now = Timestamp::now();
    let start = totp_step(now) * 30;
    Timestamp::from_datetime(time::OffsetDateTime::from_unix_timestamp(start).unwrap())
}

async fn actions(g: &Ganome, username: &str) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = g
        .store()
        .list_audit(1000, None)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.entry.username.as_deref() == Some(username))
        .map(|r| (r.entry.action, r.entry.outcome))
        .collect();
    rows.reverse();
    rows
}

#[tokio::test]
async fn second_factor_story_on_every_backend() {
    for t in testing::all_backends().await {
        let dir = tempfile::tempdir().unwrap();
        let g = ganome(&t, dir.path());
        let p = places(&g).await;
        second_factor_story(&g, &p).await;
        throttling_story(&g, &p).await;
        eprintln!("second factor story passed on {}", t.name);
    }
}

async fn second_factor_story(g: &Ganome, p: &Places) {
    let me = user(g, "totp.clinician", Role::Clinician, &p.coop).await;
    let t0 = step_start();

    // Not enrolled: the password alone logs in.
    let status = g.second_factor_status(&me).await.unwrap();
    assert!(!status.enabled && status.pending.is_none());
    g.login_with_code_at("totp.clinician", PASSWORD, None, at(t0, 1))
        .await
        .unwrap();

    // Enrol: a fresh secret and the URI apps read; still pending, so still password-only.
    let first = g.enrol_second_factor_at(&me, at(t0, 2)).await.unwrap();
    assert!(
        first
            .otpauth_uri
            .starts_with("otpauth://totp/Ganome:totp.clinician?secret="),
        "{}",
        first.otpauth_uri
    );
    assert!(first.otpauth_uri.ends_with("&issuer=Ganome"));
    assert_eq!(first.secret.len(), 32, "160 bits in base32");
    // Enrolling again replaces the pending secret.
    let e = g.enrol_second_factor_at(&me, at(t0, 3)).await.unwrap();
    assert_ne!(e.secret, first.secret);
    let status = g.second_factor_status(&me).await.unwrap();
    assert!(!status.enabled);
    assert_eq!(status.pending.as_ref().unwrap().secret, e.secret);
    g.login_with_code_at("totp.clinician", PASSWORD, None, at(t0, 4))
        .await
        .unwrap();

    // A code of the replaced secret does not confirm; the current secret's does.
    let stale = totp_code_at(&first.secret, at(t0, 5)).unwrap();
    let right = totp_code_at(&e.secret, at(t0, 5)).unwrap();
    if stale != right {
        let refused = g.confirm_second_factor_at(&me, &stale, at(t0, 5)).await;
        assert!(
            matches!(refused, Err(ServiceError::Invalid(_))),
            "{refused:?}"
        );
    }
    g.confirm_second_factor_at(&me, &right, at(t0, 5))
        .await
        .unwrap();
    let status = g.second_factor_status(&me).await.unwrap();
    assert!(status.enabled && status.pending.is_none());
    assert!(matches!(
        g.enrol_second_factor_at(&me, at(t0, 6)).await,
        Err(ServiceError::Conflict(_))
    ));

    // Login: the password alone is refused with a distinct error.
    let r = g
        .login_with_code_at("totp.clinician", PASSWORD, None, at(t0, 31))
        .await;
    assert!(
        matches!(r, Err(ServiceError::SecondFactorRequired)),
        "{r:?}"
    );
    // A wrong password says only "unauthenticated", code or none.
    let next = totp_code_at(&e.secret, at(t0, 31)).unwrap();
    let r = g
        .login_with_code_at("totp.clinician", "wrong", Some(&next), at(t0, 31))
        .await;
    assert!(matches!(r, Err(ServiceError::Unauthenticated)), "{r:?}");
    // A wrong code is refused.
    let wrong = if next == "000000" { "000001" } else { "000000" };
    let r = g
        .login_with_code_at("totp.clinician", PASSWORD, Some(wrong), at(t0, 31))
        .await;
    assert!(matches!(r, Err(ServiceError::Unauthenticated)), "{r:?}");
    // The code used to confirm (step 0) cannot be used again, even within its window.
    let r = g
        .login_with_code_at("totp.clinician", PASSWORD, Some(&right), at(t0, 31))
        .await;
    assert!(matches!(r, Err(ServiceError::Unauthenticated)), "{r:?}");
    // The right code of the next step logs in (spaces as apps show them are fine).
    let spaced = format!("{} {}", &next[..3], &next[3..]);
    let outcome = g
        .login_with_code_at("totp.clinician", PASSWORD, Some(&spaced), at(t0, 31))
        .await
        .unwrap();
    assert_eq!(outcome.actor.username, "totp.clinician");
    g.authenticate_session(&outcome.session_token)
        .await
        .unwrap();
    // The same code again is refused, within its step and the next.
    for s in [32, 61] {
        let r = g
            .login_with_code_at("totp.clinician", PASSWORD, Some(&next), at(t0, s))
            .await;
        assert!(matches!(r, Err(ServiceError::Unauthenticated)), "{r:?}");
    }
    // A code from one step ahead (a fast phone clock) is accepted; then the current step's
    // code is earlier than the accepted one and refused.
    let ahead = totp_code_at(&e.secret, at(t0, 90)).unwrap();
    g.login_with_code_at("totp.clinician", PASSWORD, Some(&ahead), at(t0, 61))
        .await
        .unwrap();
    let current = totp_code_at(&e.secret, at(t0, 61)).unwrap();
    if current != ahead {
        let r = g
            .login_with_code_at("totp.clinician", PASSWORD, Some(&current), at(t0, 62))
            .await;
        assert!(matches!(r, Err(ServiceError::Unauthenticated)), "{r:?}");
    }
    // Two steps behind is too old.
    let old = totp_code_at(&e.secret, at(t0, 91)).unwrap();
    let r = g
        .login_with_code_at("totp.clinician", PASSWORD, Some(&old), at(t0, 160))
        .await;
    assert!(matches!(r, Err(ServiceError::Unauthenticated)), "{r:?}");

    // Turning it off needs a current, unused code.
    let r = g.disable_second_factor_at(&me, &ahead, at(t0, 181)).await;
    assert!(matches!(r, Err(ServiceError::Invalid(_))), "{r:?}");
    let off = totp_code_at(&e.secret, at(t0, 181)).unwrap();
    g.disable_second_factor_at(&me, &off, at(t0, 181))
        .await
        .unwrap();
    assert!(!g.second_factor_status(&me).await.unwrap().enabled);
    g.login_with_code_at("totp.clinician", PASSWORD, None, at(t0, 182))
        .await
        .unwrap();

    // The operator's reset: enrol and confirm again, then reset from the CLI's call.
    let again = g.enrol_second_factor_at(&me, at(t0, 211)).await.unwrap();
    let code = totp_code_at(&again.secret, at(t0, 211)).unwrap();
    g.confirm_second_factor_at(&me, &code, at(t0, 211))
        .await
        .unwrap();
    assert!(matches!(
        g.login_with_code_at("totp.clinician", PASSWORD, None, at(t0, 241))
            .await,
        Err(ServiceError::SecondFactorRequired)
    ));
    assert!(
        g.reset_second_factor_as_operator("totp.clinician")
            .await
            .unwrap()
    );
    assert!(
        !g.reset_second_factor_as_operator("totp.clinician")
            .await
            .unwrap()
    );
    g.login_with_code_at("totp.clinician", PASSWORD, None, at(t0, 242))
        .await
        .unwrap();

    // Everything is in the audit log, in order.
    let log = actions(g, "totp.clinician").await;
    let has = |action: &str, outcome: &str| {
        log.iter()
            .filter(|(a, o)| a == action && o == outcome)
            .count()
    };
    assert_eq!(has("auth.second_factor_enrol", "ok"), 3, "{log:?}");
    assert!(has("auth.second_factor_confirm", "ok") == 2, "{log:?}");
    assert!(has("auth.second_factor_disable", "invalid") == 1, "{log:?}");
    assert!(has("auth.second_factor_disable", "ok") == 1, "{log:?}");
    assert!(has("auth.second_factor_reset", "ok") == 2, "{log:?}");
    assert!(has("auth.login", "second_factor_required") == 2, "{log:?}");
    assert!(has("auth.login", "denied") >= 5, "{log:?}");
    // Enrolment, confirmation and disabling come in that order.
    let first_of = |action: &str| log.iter().position(|(a, _)| a == action).unwrap();
    assert!(first_of("auth.second_factor_enrol") < first_of("auth.second_factor_confirm"));
    assert!(first_of("auth.second_factor_confirm") < first_of("auth.second_factor_disable"));
    assert!(
        g.store()
            .verify_audit_chain()
            .await
            .unwrap()
            .broken
            .is_none()
    );
}

async fn throttling_story(g: &Ganome, p: &Places) {
    user(g, "throttled.user", Role::Clinician, &p.coop).await;
    let t0 = Timestamp::now();
    // Four failures, then the right password still works and forgets them.
    for s in 0..4 {
        let r = g
            .login_with_code_at("throttled.user", "wrong", None, at(t0, s))
            .await;
        assert!(matches!(r, Err(ServiceError::Unauthenticated)));
    }
    g.login_with_code_at("throttled.user", PASSWORD, None, at(t0, 5))
        .await
        .unwrap();
    // Five failures within 15 minutes lock the name.
    for s in 0..5 {
        let r = g
            .login_with_code_at("throttled.user", "wrong", None, at(t0, 10 + s * 60))
            .await;
        assert!(
            matches!(r, Err(ServiceError::Unauthenticated)),
            "{s}: {r:?}"
        );
    }
    let locked_at = at(t0, 10 + 4 * 60);
    // The sixth attempt is refused even with the right password, until 15 minutes after
    // the fifth failure.
    let r = g
        .login_with_code_at("throttled.user", PASSWORD, None, at(locked_at, 1))
        .await;
    let Err(ServiceError::Throttled { until }) = r else {
        panic!("expected throttling, got {r:?}");
    };
    assert_eq!(until, at(locked_at, 15 * 60));
    let r = g
        .login_with_code_at("throttled.user", PASSWORD, None, at(locked_at, 15 * 60 - 1))
        .await;
    assert!(matches!(r, Err(ServiceError::Throttled { .. })), "{r:?}");
    g.login_with_code_at("throttled.user", PASSWORD, None, at(locked_at, 15 * 60))
        .await
        .unwrap();
    // A name that does not exist is throttled the same way (nothing tells them apart).
    for s in 0..5 {
        let r = g
            .login_with_code_at("nobody.here", "x", None, at(t0, s))
            .await;
        assert!(matches!(r, Err(ServiceError::Unauthenticated)));
    }
    let r = g
        .login_with_code_at("nobody.here", "x", None, at(t0, 6))
        .await;
    assert!(matches!(r, Err(ServiceError::Throttled { .. })), "{r:?}");

    let log = actions(g, "throttled.user").await;
    let count = |action: &str, outcome: &str| {
        log.iter()
            .filter(|(a, o)| a == action && o == outcome)
            .count()
    };
    assert_eq!(count("auth.login", "denied"), 9, "{log:?}");
    assert_eq!(count("auth.login_throttle", "locked"), 1, "{log:?}");
    assert_eq!(count("auth.login", "throttled"), 2, "{log:?}");
    assert_eq!(count("auth.login", "ok"), 2, "{log:?}");
}
