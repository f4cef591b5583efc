/** Logical table → catalog table spec, per source (the consumer's table names). */
import { quarantineTable, TABLES, type TableSpec } from '@lakestream/schema';
import type { LogicalTable } from './types.js';

export const LOGICAL_TABLES: Readonly<Record<'f1' | 'satellite', Readonly<Record<LogicalTable, TableSpec>>>> = {
  f1: { bronze: TABLES.f1Bronze, silver: TABLES.f1Silver, quarantine: quarantineTable('f1'), validation: TABLES.validationResults },
  satellite: { bronze: TABLES.satelliteRaw, silver: TABLES.satelliteSilver, quarantine: quarantineTable('satellite'), validation: TABLES.validationResults },
};
