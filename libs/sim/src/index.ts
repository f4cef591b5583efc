/**
 * @lakestream/sim: deterministic telemetry simulators. Satellite samples as
 * CSV files (the seed's generator) and their reader; Formula 1 cars on a
 * track through a race weekend.
 */
export { InvalidSimOptionsError, OutputExistsError, OutputWriteError, SatelliteCsvError, SimError } from './errors.js';
export type { SimErrorCode, SimErrorContext } from './errors.js';
export { Prng } from './random/prng.js';

export {
  generateSatelliteRows,
  SATELLITE_COLUMN_RANGES,
  SATELLITE_DEFAULTS,
  satelliteFileName,
  satelliteName,
} from './satellite/generate.js';
export type { SatelliteColumn, SatelliteGeneratorOptions, SatelliteRow } from './satellite/generate.js';
export { formatSatelliteCsv, SATELLITE_CSV_HEADER } from './satellite/format.js';
export { writeSatelliteSamples } from './satellite/write.js';
export type { WriteSatelliteSamplesOptions, WriteSatelliteSamplesResult } from './satellite/write.js';
export { csvRowErrorToError, parseSatelliteCsv, parseSatelliteCsvChunks, SatelliteCsvParser } from './satellite/parse.js';
export type { CsvRowError, CsvRowErrorCode, SatelliteCsvParseResult } from './satellite/parse.js';

export { DEFAULT_TRACK, Track } from './f1/track.js';
export type { DrsZone, TrackCorner, TrackDefinition } from './f1/track.js';
export { buildF1Session, buildF1Weekend, DEFAULT_WEEKEND_DATE, F1_SESSION_DURATION_S } from './f1/session.js';
export type { F1SessionType, F1WeekendOptions } from './f1/session.js';
export { F1_DEFAULTS, F1_TICK_HZ, F1Simulator } from './f1/simulator.js';
export type { F1SimulatorOptions } from './f1/simulator.js';
export { simulateF1 } from './f1/pacing.js';
export type { F1Pacing, SimulateF1Options } from './f1/pacing.js';
