{{ config(materialized='table', tags=['quality']) }}

-- Pass rate of each expectation per 1-minute batch window and source.
select
    concat_ws('/', source, strftime(window_start at time zone 'UTC', '%Y-%m-%dT%H:%M'), suite_name, expectation) as expectation_key,
    window_start,
    source,
    suite_name,
    expectation,
    any_value(expectation_type) as expectation_type,
    any_value(severity) as severity,
    count(*) as runs,
    count(*) filter (where not success) as failed_runs,
    sum(evaluated) as evaluated,
    sum(unexpected) as unexpected,
    sum(missing) as missing,
    case
        when count(*) filter (where error is not null) > 0 then 0.0
        when sum(evaluated) > 0 then 100.0 * (sum(evaluated) - sum(unexpected)) / sum(evaluated)
    end as pass_rate_pct
from {{ ref('int_expectation_results') }}
group by window_start, source, suite_name, expectation
