{{ config(materialized='incremental', unique_key=['session_id', 'car_number', 'lap'], partition_by=['session_date'], lookback_column='lap', lookback=2, tags=['f1']) }}

-- One row per (session, car, lap). Definitions of every column are in marts/schema.yml.
-- Intervals are in event time (event_time_ns), attributed to the lap of the sample that
-- starts them; order within a car is (event_time_ns, event_id).
with events as (
    select * from {{ ref('stg_f1_events') }}
),

{% if is_incremental() %}
-- Laps whose numbers can change with new rows: every lap with a new row, and the lap
-- before the first of them (its lap time, last ERS/DRS interval and the first gear
-- shift of the next lap depend on the next lap's first events). new_rows() is exactly
-- the rows of the silver files committed since the last run (by Delta version, so a
-- micro-batch committed late is not missed); the merge on unique_key makes
-- re-processing those laps idempotent. Reading starts one lap earlier still (window
-- functions see the previous sample): lookback=2 laps before the first new one, which
-- lets the run skip a car's older silver files by their lap statistics.
recompute_from as (
    select session_id, car_number, min(lap) - 1 as first_lap
    from {{ new_rows('stg_f1_events') }}
    group by session_id, car_number
),
scoped as (
    -- one lap more than recomputed, so window functions see the previous sample
    select e.*
    from events as e
    join recompute_from as r using (session_id, car_number)
    where e.lap >= r.first_lap - 1
),
{% else %}
scoped as (
    select * from events
),
{% endif %}

lap_keys as (
    select
        session_id,
        car_number,
        lap,
        any_value(session_date) as session_date,
        any_value(session_type) as session_type,
        any_value(track) as track,
        count(*) as event_count,
        max(ingested_at) as last_ingested_at
    from scoped
    group by session_id, car_number, lap
),

positions as (
    select session_id, car_number, lap, event_time_ns, speed_kph, sector
    from scoped
    where event_type = 'position'
),

position_laps as (
    select
        session_id,
        car_number,
        lap,
        min(event_time_ns) as lap_start_ns,
        min(event_time_ns) filter (where sector = 2) as sector2_start_ns,
        min(event_time_ns) filter (where sector = 3) as sector3_start_ns,
        avg(speed_kph) as avg_speed_kph,
        max(speed_kph) as top_speed_kph
    from positions
    group by session_id, car_number, lap
),

lap_times as (
    select
        *,
        -- the next lap's start, only when the next lap observed is lap + 1
        case
            when lead(lap) over w = lap + 1 then lead(lap_start_ns) over w
        end as next_lap_start_ns
    from position_laps
    window w as (partition by session_id, car_number order by lap)
),

dynamics as (
    select
        session_id,
        car_number,
        lap,
        throttle_pct,
        brake_pct,
        gear,
        lag(gear) over (partition by session_id, car_number order by event_time_ns, event_id) as previous_gear
    from scoped
    where event_type = 'dynamics'
),

dynamics_laps as (
    select
        session_id,
        car_number,
        lap,
        avg(throttle_pct) as avg_throttle_pct,
        100.0 * avg(case when throttle_pct >= 99 then 1 else 0 end) as full_throttle_pct,
        avg(brake_pct) as avg_brake_pct,
        100.0 * avg(case when brake_pct > 0 then 1 else 0 end) as braking_pct,
        count(*) filter (where previous_gear is not null and gear <> previous_gear) as gear_shifts
    from dynamics
    group by session_id, car_number, lap
),

power_unit as (
    select
        session_id,
        car_number,
        lap,
        rpm,
        ers_deploy_kw,
        ers_harvest_kw,
        (lead(event_time_ns) over (partition by session_id, car_number order by event_time_ns, event_id) - event_time_ns) / 1e9 as hold_s
    from scoped
    where event_type = 'power_unit'
),

power_laps as (
    select
        session_id,
        car_number,
        lap,
        max(rpm) as max_rpm,
        -- kW × s = kJ: each sample's power held until the car's next power_unit sample
        coalesce(sum(ers_deploy_kw * hold_s), 0) as ers_deployed_kj,
        coalesce(sum(ers_harvest_kw * hold_s), 0) as ers_harvested_kj
    from power_unit
    group by session_id, car_number, lap
),

tyre_laps as (
    select
        session_id,
        car_number,
        lap,
        arg_max(compound, event_time_ns) as tyre_compound,
        avg(surface_temp_c) filter (where corner = 'FL') as tyre_temp_avg_fl,
        avg(surface_temp_c) filter (where corner = 'FR') as tyre_temp_avg_fr,
        avg(surface_temp_c) filter (where corner = 'RL') as tyre_temp_avg_rl,
        avg(surface_temp_c) filter (where corner = 'RR') as tyre_temp_avg_rr,
        max(surface_temp_c) filter (where corner = 'FL') as tyre_temp_max_fl,
        max(surface_temp_c) filter (where corner = 'FR') as tyre_temp_max_fr,
        max(surface_temp_c) filter (where corner = 'RL') as tyre_temp_max_rl,
        max(surface_temp_c) filter (where corner = 'RR') as tyre_temp_max_rr,
        avg(pressure_psi) filter (where corner = 'FL') as tyre_pressure_avg_fl,
        avg(pressure_psi) filter (where corner = 'FR') as tyre_pressure_avg_fr,
        avg(pressure_psi) filter (where corner = 'RL') as tyre_pressure_avg_rl,
        avg(pressure_psi) filter (where corner = 'RR') as tyre_pressure_avg_rr,
        max(pressure_psi) filter (where corner = 'FL') as tyre_pressure_max_fl,
        max(pressure_psi) filter (where corner = 'FR') as tyre_pressure_max_fr,
        max(pressure_psi) filter (where corner = 'RL') as tyre_pressure_max_rl,
        max(pressure_psi) filter (where corner = 'RR') as tyre_pressure_max_rr
    from scoped
    where event_type = 'tire'
    group by session_id, car_number, lap
),

aero as (
    select
        session_id,
        car_number,
        lap,
        drs_open,
        (lead(event_time_ns) over (partition by session_id, car_number order by event_time_ns, event_id) - event_time_ns) / 1e9 as hold_s
    from scoped
    where event_type = 'aerodynamics'
),

aero_laps as (
    select
        session_id,
        car_number,
        lap,
        coalesce(sum(hold_s) filter (where drs_open), 0) as drs_open_s
    from aero
    group by session_id, car_number, lap
),

system_laps as (
    select
        session_id,
        car_number,
        lap,
        count(*) filter (where system_severity = 'WARNING') as warning_count,
        count(*) filter (where system_severity in ('ERROR', 'CRITICAL')) as error_count
    from scoped
    where event_type = 'system'
    group by session_id, car_number, lap
),

metrics as (
    select
        concat_ws('/', k.session_id, k.car_number, k.lap) as lap_key,
        k.session_id,
        k.car_number,
        k.lap,
        k.session_date,
        k.session_type,
        k.track,
        to_timestamp(t.lap_start_ns / 1e9) as lap_start,
        (t.next_lap_start_ns - t.lap_start_ns) / 1e9 as lap_time_s,
        (t.sector2_start_ns - t.lap_start_ns) / 1e9 as sector1_s,
        (t.sector3_start_ns - t.sector2_start_ns) / 1e9 as sector2_s,
        (t.next_lap_start_ns - t.sector3_start_ns) / 1e9 as sector3_s,
        t.avg_speed_kph,
        t.top_speed_kph,
        d.avg_throttle_pct,
        d.full_throttle_pct,
        d.avg_brake_pct,
        d.braking_pct,
        p.max_rpm,
        p.ers_deployed_kj,
        p.ers_harvested_kj,
        y.tyre_compound,
        y.tyre_temp_avg_fl,
        y.tyre_temp_avg_fr,
        y.tyre_temp_avg_rl,
        y.tyre_temp_avg_rr,
        y.tyre_temp_max_fl,
        y.tyre_temp_max_fr,
        y.tyre_temp_max_rl,
        y.tyre_temp_max_rr,
        y.tyre_pressure_avg_fl,
        y.tyre_pressure_avg_fr,
        y.tyre_pressure_avg_rl,
        y.tyre_pressure_avg_rr,
        y.tyre_pressure_max_fl,
        y.tyre_pressure_max_fr,
        y.tyre_pressure_max_rl,
        y.tyre_pressure_max_rr,
        a.drs_open_s,
        coalesce(d.gear_shifts, 0) as gear_shifts,
        coalesce(s.warning_count, 0) as warning_count,
        coalesce(s.error_count, 0) as error_count,
        k.event_count,
        k.last_ingested_at
    from lap_keys as k
    left join lap_times as t using (session_id, car_number, lap)
    left join dynamics_laps as d using (session_id, car_number, lap)
    left join power_laps as p using (session_id, car_number, lap)
    left join tyre_laps as y using (session_id, car_number, lap)
    left join aero_laps as a using (session_id, car_number, lap)
    left join system_laps as s using (session_id, car_number, lap)
)

select m.*
from metrics as m
{% if is_incremental() %}
join recompute_from as r using (session_id, car_number)
where m.lap >= r.first_lap
{% endif %}
