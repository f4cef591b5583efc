-- A car's best lap cannot be slower than its average lap, nor its top speed below any lap's.
select s.session_car_key, s.best_lap_s, s.avg_lap_s
from {{ ref('session_metrics') }} as s
where s.best_lap_s > s.avg_lap_s + 1e-9
   or s.top_speed_kph < (
        select max(l.top_speed_kph) from {{ ref('lap_metrics') }} as l
        where l.session_id = s.session_id and l.car_number = s.car_number
      )
