-- The minute's mean lies between its min and max, for every measured field.
{{ config(severity='warn') }}
select health_key
from {{ ref('satellite_health') }}
where temp_avg_c not between temp_min_c - 1e-9 and temp_max_c + 1e-9
   or sensor1_avg not between sensor1_min - 1e-9 and sensor1_max + 1e-9
   or sensor2_avg not between sensor2_min - 1e-9 and sensor2_max + 1e-9
   or sensor3_avg not between sensor3_min - 1e-9 and sensor3_max + 1e-9
