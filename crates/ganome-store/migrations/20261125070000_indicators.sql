-- National indicators read case events by state and time (tests per month are the
-- `specimen_shipped` events in a period) and reviews by case; these indexes keep the
-- aggregate queries to range scans on both databases.

CREATE INDEX case_events_state_at ON case_events(state, at, case_id);
CREATE INDEX case_reviews_case ON case_reviews(case_id, signed_off_at);
CREATE INDEX treatments_recommendation ON treatments(case_id, recommendation_id, started_on);
CREATE INDEX panel_meetings_held_on ON panel_meetings(held_on, panel_facility_id);
-- Covering indexes for the per-case lookups of tested cases: the case's facility, patient
-- and diagnosis; its events by state; the consent in force.
CREATE INDEX cases_indicators ON cases(id, ordering_facility_id, panel_facility_id, patient_id, oncotree_code);
CREATE INDEX case_events_case_state ON case_events(case_id, state, at);
CREATE INDEX consents_in_force ON consents(patient_id, given_at, registration, secondary_use_academia, secondary_use_industry, withdrawn_at);
