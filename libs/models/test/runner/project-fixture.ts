/** A small gold project on disk over the laps fixture tables (see delta-fixtures.ts). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const LAPS_PROJECT: Record<string, string> = {
  'gold_project.yml': 'name: runner_test\nmodel-paths: [models]\ntest-paths: [tests]\n',
  'models/sources.yml': `version: 2
sources:
  - name: silver
    loaded_at_field: ts
    freshness:
      warn_after: {count: 1, period: hour}
      error_after: {count: 1, period: day}
    tables:
      - name: laps
        meta:
          delta_path: silver/laps
`,
  'models/stg_laps.sql': `{{ config(materialized='ephemeral') }}
select session_date, car, lap, lap_ms as lap_time_ms, speed, driver from {{ source('silver', 'laps') }}
`,
  'models/lap_metrics.sql': `{{ config(materialized='incremental', unique_key=['car', 'lap'], partition_by=['session_date']) }}
-- the newest row per key wins (silver may correct a lap)
select session_date, car, lap, lap_ms as lap_time_ms, speed as top_speed, driver
from {{ source('silver', 'laps') }}
{% if is_incremental() %}
where lap_ms is not null
{% endif %}
qualify row_number() over (partition by car, lap order by ts desc) = 1
`,
  'models/car_best.sql': `{{ config(materialized='table') }}
select car, min(lap_time_ms) as best_lap_ms, count(*) as laps, max(top_speed) as top_speed
from {{ ref('lap_metrics') }}
group by car
`,
  'models/fast_laps.sql': `{{ config(materialized='view') }}
select l.* from {{ ref('stg_laps') }} as l join {{ ref('car_best') }} as b on l.car = b.car and l.lap_time_ms = b.best_lap_ms
`,
  'models/schema.yml': `version: 2
models:
  - name: lap_metrics
    description: One row per car and lap.
    columns:
      - name: lap_time_ms
        description: Lap time in ms.
        tests:
          - not_null
          - accepted_range:
              min_value: 0
              inclusive: false
      - name: driver
        tests:
          - not_null:
              config:
                severity: warn
    tests:
      - unique_combination_of_columns:
          combination_of_columns: [car, lap]
  - name: car_best
    columns:
      - name: car
        tests:
          - unique
          - relationships:
              to: ref('lap_metrics')
              field: car
          - accepted_values:
              values: [16, 44]
              quote: false
              config:
                store_failures: true
`,
  'tests/no_slow_best.sql': `select * from {{ ref('car_best') }} where best_lap_ms > 100000
`,
};

export function writeProject(dir: string, files: Record<string, string> = LAPS_PROJECT): string {
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}
