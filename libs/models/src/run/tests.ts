/**
 * Data tests as SQL whose rows are failures (dbt's convention): the generic
 * `unique`, `not_null`, `accepted_values`, `relationships`,
 * `accepted_range`, `unique_combination_of_columns` (any with a `where`
 * argument), and singular tests (their rendered SQL). Pure given the project.
 */
import { RunError } from '../errors.js';
import type { Project, TestNode } from '../project/types.js';
import { quoteString } from '../engine/sql.js';
import { compileNode, modelRelation, sourceRelation } from './compile.js';

/** The relation behind a model or source unique id (an ephemeral model as a subquery). */
export function relationOf(project: Project, uniqueId: string): string {
  const source = project.sources.get(uniqueId);
  if (source) return sourceRelation(source.source, source.name);
  const model = project.models.get(uniqueId);
  if (!model) throw new RunError('SQL_FAILED', `test target ${uniqueId} is not a model or source of the project`, { node: uniqueId });
  if (model.config.materialized === 'ephemeral') return `(${compileNode(project, model, modelRelation(model.name))})`;
  return modelRelation(model.name);
}

function literal(value: unknown, quote: boolean): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return quote ? quoteString(String(value)) : String(value);
}

/** The failing-rows SQL of a test. */
export function compileTest(project: Project, test: TestNode): string {
  if (!test.generic) {
    if (test.raw === undefined && test.template === undefined) throw new RunError('SQL_FAILED', 'singular test without SQL', { node: test.uniqueId, file: test.file });
    return compileNode(project, { ...(test.template ? { template: test.template } : {}), ...(test.raw === undefined ? {} : { raw: test.raw }), file: test.file }, test.name);
  }
  const ctx = { node: test.uniqueId, file: test.file };
  if (!test.attachedTo) throw new RunError('SQL_FAILED', 'generic test not attached to a model or source', ctx);
  const args = test.generic.args;
  const where = typeof args['where'] === 'string' ? args['where'] : undefined;
  const base = relationOf(project, test.attachedTo);
  const model = where === undefined ? base : `(SELECT * FROM ${base} WHERE ${where})`;
  const column = test.column ?? (typeof args['column_name'] === 'string' ? args['column_name'] : undefined);
  const col = (): string => {
    if (column === undefined) throw new RunError('SQL_FAILED', `${test.generic?.name ?? 'test'} needs a column`, ctx);
    return column;
  };
  switch (test.generic.name) {
    case 'not_null':
      return `SELECT * FROM ${model} AS t WHERE ${col()} IS NULL`;
    case 'unique':
      return `SELECT ${col()} AS unique_field, count(*) AS n_records FROM ${model} AS t WHERE ${col()} IS NOT NULL GROUP BY ${col()} HAVING count(*) > 1`;
    case 'accepted_values': {
      const values = Array.isArray(args['values']) ? (args['values'] as unknown[]) : [];
      const quote = args['quote'] !== false;
      if (values.length === 0) throw new RunError('SQL_FAILED', 'accepted_values needs values', ctx);
      return `SELECT ${col()} AS value_field, count(*) AS n_records FROM ${model} AS t WHERE ${col()} IS NOT NULL AND ${col()} NOT IN (${values.map((v) => literal(v, quote)).join(', ')}) GROUP BY ${col()}`;
    }
    case 'relationships': {
      const to = typeof args['to'] === 'string' ? args['to'] : undefined;
      const field = typeof args['field'] === 'string' ? args['field'] : undefined;
      if (to === undefined || field === undefined) throw new RunError('SQL_FAILED', 'relationships needs to and field', ctx);
      return `SELECT child.${col()} AS from_field FROM ${model} AS child LEFT JOIN ${relationOf(project, to)} AS parent ON child.${col()} = parent.${field} WHERE child.${col()} IS NOT NULL AND parent.${field} IS NULL`;
    }
    case 'accepted_range': {
      const inclusive = args['inclusive'] !== false;
      const conds: string[] = [];
      if (args['min_value'] !== undefined) conds.push(`${col()} ${inclusive ? '>=' : '>'} ${literal(args['min_value'], false)}`);
      if (args['max_value'] !== undefined) conds.push(`${col()} ${inclusive ? '<=' : '<'} ${literal(args['max_value'], false)}`);
      if (conds.length === 0) throw new RunError('SQL_FAILED', 'accepted_range needs min_value or max_value', ctx);
      return `SELECT * FROM ${model} AS t WHERE NOT (${conds.join(' AND ')})`;
    }
    case 'unique_combination_of_columns': {
      const cols = Array.isArray(args['combination_of_columns']) ? (args['combination_of_columns'] as unknown[]).map(String) : [];
      if (cols.length === 0) throw new RunError('SQL_FAILED', 'unique_combination_of_columns needs combination_of_columns', ctx);
      return `SELECT ${cols.join(', ')}, count(*) AS n_records FROM ${model} AS t GROUP BY ${cols.join(', ')} HAVING count(*) > 1`;
    }
  }
}

/** Audit table path (relative to the Delta root) where `store_failures` keeps a test's failing rows. */
export function auditTablePath(test: TestNode): string {
  return `gold/dbt_test__audit/${test.name}`;
}

