{{ config(materialized='table', tags=['quality']) }}

-- One row per 1-minute batch window and source: what was validated, what passed, what
-- was quarantined and why, and the expectations' pass rates in that window.
with validated as (
    select
        to_timestamp((epoch_us(run_at) // 60000000) * 60) as window_start,
        source,
        count(distinct batch_id) as batches,
        sum(row_count) as events_validated,
        sum(passed_rows) as events_passed,
        count(*) filter (where not success) as failed_suite_runs
    from {{ source('quality', 'validation_results') }}
    group by all
),

quarantined as (
    select
        window_start,
        source,
        count(*) as quarantined,
        count(*) filter (where reason_code = 'TRUNCATED') as quarantined_truncated,
        count(*) filter (where reason_code = 'BAD_MAGIC') as quarantined_bad_magic,
        count(*) filter (where reason_code = 'UNKNOWN_SCHEMA') as quarantined_unknown_schema,
        count(*) filter (where reason_code = 'INVALID_BUFFER') as quarantined_invalid_buffer,
        count(*) filter (where reason_code = 'INVALID_EVENT') as quarantined_invalid_event,
        count(*) filter (where reason_code = 'EXPECTATION_FAILED') as quarantined_expectation_failed,
        count(*) filter (where reason_code = 'DUPLICATE') as quarantined_duplicate,
        count(*) filter (where reason_code = 'UNKNOWN_SESSION') as quarantined_unknown_session,
        count(*) filter (where reason_code not in (
            'TRUNCATED', 'BAD_MAGIC', 'UNKNOWN_SCHEMA', 'INVALID_BUFFER', 'INVALID_EVENT',
            'EXPECTATION_FAILED', 'DUPLICATE', 'UNKNOWN_SESSION'
        )) as quarantined_other
    from {{ ref('int_quarantine_events') }}
    group by window_start, source
),

expectations as (
    select
        window_start,
        source,
        count(*) as expectations,
        count(*) filter (where failed_runs > 0) as expectations_failed,
        min(pass_rate_pct) as min_expectation_pass_rate_pct,
        to_json(map(
            list(suite_name || ': ' || expectation order by suite_name, expectation),
            list(pass_rate_pct order by suite_name, expectation)
        ))::varchar as expectation_pass_rates_json
    from {{ ref('pipeline_expectations') }}
    group by window_start, source
),

windows as (
    select window_start, source from validated
    union
    select window_start, source from quarantined
)

select
    concat_ws('/', w.source, strftime(w.window_start at time zone 'UTC', '%Y-%m-%dT%H:%M')) as window_key,
    w.window_start,
    w.source,
    coalesce(v.batches, 0) as batches,
    coalesce(v.events_validated, 0) as events_validated,
    coalesce(v.events_passed, 0) as events_passed,
    case when v.events_validated > 0 then 100.0 * v.events_passed / v.events_validated end as pass_rate_pct,
    coalesce(v.failed_suite_runs, 0) as failed_suite_runs,
    coalesce(q.quarantined, 0) as quarantined,
    coalesce(q.quarantined_truncated, 0) as quarantined_truncated,
    coalesce(q.quarantined_bad_magic, 0) as quarantined_bad_magic,
    coalesce(q.quarantined_unknown_schema, 0) as quarantined_unknown_schema,
    coalesce(q.quarantined_invalid_buffer, 0) as quarantined_invalid_buffer,
    coalesce(q.quarantined_invalid_event, 0) as quarantined_invalid_event,
    coalesce(q.quarantined_expectation_failed, 0) as quarantined_expectation_failed,
    coalesce(q.quarantined_duplicate, 0) as quarantined_duplicate,
    coalesce(q.quarantined_unknown_session, 0) as quarantined_unknown_session,
    coalesce(q.quarantined_other, 0) as quarantined_other,
    coalesce(e.expectations, 0) as expectations,
    coalesce(e.expectations_failed, 0) as expectations_failed,
    e.min_expectation_pass_rate_pct,
    coalesce(e.expectation_pass_rates_json, '{}') as expectation_pass_rates_json
from windows as w
left join validated as v using (window_start, source)
left join quarantined as q using (window_start, source)
left join expectations as e using (window_start, source)
