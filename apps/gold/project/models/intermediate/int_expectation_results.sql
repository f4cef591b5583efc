{{ config(materialized='ephemeral', tags=['quality']) }}

-- One row per (micro-batch, suite, expectation), unnested from the stored result JSON
-- of quality/validation_results (libs/quality's validationResultSchema, format 1).
with results as (
    select
        source,
        batch_id,
        run_at,
        suite_name,
        unnest(
            from_json(
                json_extract(result_json, '$.results'),
                '[{"name": "VARCHAR", "type": "VARCHAR", "severity": "VARCHAR", "success": "BOOLEAN", "evaluated": "BIGINT", "unexpected": "BIGINT", "missing": "BIGINT", "error": "VARCHAR"}]'
            )
        ) as r
    from {{ source('quality', 'validation_results') }}
    where result_json is not null
)
select
    source,
    batch_id,
    run_at,
    to_timestamp((epoch_us(run_at) // 60000000) * 60) as window_start,
    suite_name,
    r.name as expectation,
    r.type as expectation_type,
    r.severity as severity,
    -- An expectation that could not be evaluated failed (its `error` says why).
    r.success and r.error is null as success,
    r.evaluated as evaluated,
    r.unexpected as unexpected,
    r.missing as missing,
    r.error as error
from results
