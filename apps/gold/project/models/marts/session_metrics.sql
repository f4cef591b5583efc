{{ config(materialized='table', partition_by=['session_date'], tags=['f1']) }}

-- One row per (session, car), from lap_metrics. Timed laps are laps >= 1 with a lap
-- time (lap 0 is the out-lap; the last lap observed has no lap time yet).
with laps as (
    select * from {{ ref('lap_metrics') }}
),

per_car as (
    select
        session_id,
        car_number,
        any_value(session_date) as session_date,
        any_value(session_type) as session_type,
        any_value(track) as track,
        count(lap_time_s) filter (where lap >= 1) as laps,
        min(lap_time_s) filter (where lap >= 1) as best_lap_s,
        avg(lap_time_s) filter (where lap >= 1) as avg_lap_s,
        stddev_samp(lap_time_s) filter (where lap >= 1) as lap_time_stddev_s,
        max(top_speed_kph) as top_speed_kph,
        sum(warning_count) as warning_count,
        sum(error_count) as error_count
    from laps
    group by session_id, car_number
)

select
    concat_ws('/', session_id, car_number) as session_car_key,
    session_id,
    car_number,
    session_date,
    session_type,
    track,
    laps,
    best_lap_s,
    avg_lap_s,
    lap_time_stddev_s,
    top_speed_kph,
    -- 1 = fastest best lap of the session; ties share a position; no timed lap → null
    case
        when best_lap_s is not null
            then rank() over (partition by session_id order by best_lap_s)
    end as position_by_best_lap,
    best_lap_s - min(best_lap_s) over (partition by session_id) as gap_to_best_s,
    warning_count,
    error_count
from per_car
