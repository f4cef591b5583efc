-- Sector times are consecutive slices of the lap: they add up to the lap time (to the microsecond).
select lap_key, lap_time_s, sector1_s, sector2_s, sector3_s
from {{ ref('lap_metrics') }}
where lap_time_s is not null
  and abs(sector1_s + sector2_s + sector3_s - lap_time_s) > 1e-6
