{{ config(materialized='ephemeral', tags=['quality']) }}

-- Both quarantine tables as one relation, with the source they came from and the
-- 1-minute batch window of the micro-batch that quarantined them (its ingested_at,
-- which is also the validation results' run_at of that batch).
select
    'f1' as source,
    to_timestamp((epoch_us(ingested_at) // 60000000) * 60) as window_start,
    reason_code,
    ingested_at
from {{ source('quality', 'quarantine_f1') }}
union all
select
    'satellite' as source,
    to_timestamp((epoch_us(ingested_at) // 60000000) * 60) as window_start,
    reason_code,
    ingested_at
from {{ source('quality', 'quarantine_satellite') }}
