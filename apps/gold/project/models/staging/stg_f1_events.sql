{{ config(materialized='ephemeral', tags=['f1']) }}

-- Silver F1 events with the columns the gold F1 models read. One row per event;
-- payload columns are null on rows of other event types.
select
    session_id,
    car_number,
    lap,
    event_id,
    event_time_ns,
    event_time,
    event_type,
    session_type,
    track,
    session_date,
    -- position
    speed_kph,
    sector,
    -- dynamics
    throttle_pct,
    brake_pct,
    gear,
    -- power_unit
    rpm,
    ers_deploy_kw,
    ers_harvest_kw,
    -- tire
    corner,
    compound,
    pressure_psi,
    surface_temp_c,
    -- aerodynamics
    drs_open,
    -- system
    code as system_code,
    severity as system_severity,
    ingested_at
from {{ source('silver', 'telemetry_enriched') }}
