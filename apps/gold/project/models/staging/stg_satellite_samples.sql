{{ config(materialized='ephemeral', tags=['satellite']) }}

-- Silver satellite samples, with the 1-minute bucket each falls in (UTC, from the
-- nanosecond timestamp, so independent of the session time zone).
select
    satellite,
    timestamp_ns,
    event_time,
    to_timestamp((timestamp_ns // 60000000000) * 60) as minute_start,
    temp_c,
    battery_charge_pct,
    altitude,
    sensor1,
    sensor2,
    sensor3,
    ingested_at
from {{ source('silver', 'satellite_samples') }}
