{{ config(materialized='table', tags=['satellite']) }}

-- One row per satellite and UTC minute. Out-of-range thresholds are operating limits
-- (documented in schema.yml), narrower than the silver validation ranges.
with samples as (
    select * from {{ ref('stg_satellite_samples') }}
)

select
    concat_ws('/', satellite, strftime(minute_start at time zone 'UTC', '%Y-%m-%dT%H:%M')) as health_key,
    satellite,
    minute_start,
    count(*) as sample_count,
    min(temp_c) as temp_min_c,
    avg(temp_c) as temp_avg_c,
    max(temp_c) as temp_max_c,
    avg(battery_charge_pct) as battery_avg_pct,
    min(battery_charge_pct) as battery_min_pct,
    arg_max(battery_charge_pct, timestamp_ns) - arg_min(battery_charge_pct, timestamp_ns) as battery_change_pct,
    regr_slope(battery_charge_pct, timestamp_ns / 1e9) * 60 as battery_slope_pct_per_min,
    avg(altitude) as altitude_avg_km,
    min(altitude) as altitude_min_km,
    arg_max(altitude, timestamp_ns) - arg_min(altitude, timestamp_ns) as altitude_change_km,
    avg(sensor1) as sensor1_avg,
    stddev_samp(sensor1) as sensor1_stddev,
    min(sensor1) as sensor1_min,
    max(sensor1) as sensor1_max,
    avg(sensor2) as sensor2_avg,
    stddev_samp(sensor2) as sensor2_stddev,
    min(sensor2) as sensor2_min,
    max(sensor2) as sensor2_max,
    avg(sensor3) as sensor3_avg,
    stddev_samp(sensor3) as sensor3_stddev,
    min(sensor3) as sensor3_min,
    max(sensor3) as sensor3_max,
    min(temp_c) < -40 or max(temp_c) > 85 as temp_out_of_range,
    min(battery_charge_pct) < 20 as battery_low,
    min(altitude) < 200 as altitude_low,
    min(temp_c) < -40 or max(temp_c) > 85 or min(battery_charge_pct) < 20 or min(altitude) < 200 as any_out_of_range
from samples
group by satellite, minute_start
