-- Per window: passed never exceeds validated, and the per-reason counts add up to the quarantined total.
{{ config(severity='error') }}
select window_key
from {{ ref('pipeline_quality') }}
where events_passed > events_validated
   or quarantined <> quarantined_truncated + quarantined_bad_magic + quarantined_unknown_schema
      + quarantined_invalid_buffer + quarantined_invalid_event + quarantined_expectation_failed
      + quarantined_duplicate + quarantined_unknown_session + quarantined_other
