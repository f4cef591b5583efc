/**
 * F1 simulator throughput, with a same-run baseline: constructing the same
 * number of plain event-sized objects in a trivial loop. Run with
 * `npx nx run sim:bench`. Ratios matter, not absolute numbers.
 */
import { F1Simulator } from '../src/index.js';

const EVENTS = Number(process.argv[2] ?? 5_000_000);
const ROUNDS = 3;
/** Objects land in a ring so neither loop can be optimised away. */
const ring: unknown[] = new Array(1024);

function simulate(): number {
  const started = performance.now();
  let n = 0;
  for (const event of new F1Simulator({ cars: 50, seed: 88 }).events()) {
    ring[n & 1023] = event;
    if (++n === EVENTS) break;
  }
  return performance.now() - started;
}

function baseline(): number {
  const started = performance.now();
  const time = 1_772_982_000_000_000_000n;
  for (let n = 0; n < EVENTS; n++) {
    ring[n & 1023] = {
      type: 'power_unit',
      session_id: 'baseline',
      car_number: n % 50,
      lap: 1,
      event_id: BigInt(n),
      event_time_ns: time,
      rpm: 11_000,
      ers_deploy_kw: n * 0.5,
      ers_harvest_kw: 0,
      ers_store_pct: 50,
      oil_temp_c: 110,
      water_temp_c: 95,
      fuel_kg: 80,
      fuel_flow_kg_h: 100,
    };
  }
  return performance.now() - started;
}

const rate = (ms: number): number => EVENTS / (ms / 1000);
const fmt = (r: number): string => `${(r / 1e6).toFixed(2)} M events/s`;

simulate(); // warm up both
baseline();
const sim: number[] = [];
const base: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  sim.push(rate(simulate()));
  base.push(rate(baseline()));
}
const best = (xs: number[]): number => Math.max(...xs);
console.log(`F1Simulator.events(), 50 cars, ${EVENTS.toLocaleString('en')} events, best of ${ROUNDS}`);
console.log(`  simulator : ${fmt(best(sim))}`);
console.log(`  baseline  : ${fmt(best(base))}  (plain object + BigInt id per event, trivial loop)`);
console.log(`  ratio     : ${(best(sim) / best(base)).toFixed(2)} of baseline`);
