/**
 * Overlapping appends for streaming writers. Each `append` starts encoding
 * and storing its files at once (at most `depth` writes between start and
 * commit), while commits land strictly in call order, each on the version
 * its predecessor made: while one micro-batch commits, the next ones
 * encode. After a failure every later write of the pipeline is discarded
 * (files deleted, `PIPELINE_ABORTED`), so the committed txn versions never
 * skip one: a consumer restarts from the last committed version.
 */
import type { Table } from 'apache-arrow';
import type { z } from 'zod';
import { SinkError } from '../errors.js';
import type { AddAction, MetadataAction } from '../log/actions.js';
import type { Snapshot } from '../log/snapshot.js';
import type { WriteResult } from './delta-table.js';
import type { AppendOptions, appendOptionsSchema } from './options.js';

export type ValidAppendOptions = z.infer<typeof appendOptionsSchema>;

/** An append whose files are stored, waiting for its commit. */
export interface PreparedAppend {
  readonly options: ValidAppendOptions;
  /** The snapshot the files were prepared against. */
  readonly base: Snapshot;
  readonly metadataAction: MetadataAction | undefined;
  readonly adds: readonly AddAction[];
  readonly rows: number;
}

export interface PipelineOptions {
  /** Writes in flight between the start of their encoding and their commit (default 3). */
  readonly depth?: number;
}

type Skipped = Extract<WriteResult, { skipped: true }>;

/** The table's halves of an append. */
export interface PipelineSteps {
  prepare(data: Table, options: AppendOptions): Promise<PreparedAppend | Skipped>;
  commit(prepared: PreparedAppend): Promise<WriteResult>;
  discard(prepared: PreparedAppend): Promise<void>;
}

export class AppendPipeline {
  private readonly depth: number;
  /** Settles when the last write handed in has committed or failed. */
  private tail: Promise<void> = Promise.resolve();
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private failure: unknown;

  constructor(
    private readonly steps: PipelineSteps,
    options: PipelineOptions = {},
  ) {
    const depth = options.depth ?? 3;
    if (!Number.isInteger(depth) || depth < 1) throw new SinkError('INVALID_OPTIONS', `pipeline depth must be a positive integer, got ${depth}`, { option: 'depth' });
    this.depth = depth;
  }

  /** The error that stopped the pipeline, if any. */
  get failed(): unknown {
    return this.failure;
  }

  /** Resolves with this write's result once it (and every write before it) is committed. */
  append(data: Table, options: AppendOptions = {}): Promise<WriteResult> {
    const before = this.tail;
    const result = this.run(data, options, before);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Waits for every write handed in so far; throws the error that stopped the pipeline, if one did. */
  async flush(): Promise<void> {
    await this.tail;
    if (this.failure !== undefined) throw this.failure;
  }

  private async run(data: Table, options: AppendOptions, before: Promise<void>): Promise<WriteResult> {
    if (this.failure !== undefined) {
      // Settle after the writes before this one, so flush() covers their cleanup too.
      await before;
      throw aborted(this.failure);
    }
    await this.acquire();
    try {
      let prepared: PreparedAppend | Skipped | undefined;
      // Nothing to encode when an earlier write has failed already.
      if (this.failure === undefined) {
        try {
          prepared = await this.steps.prepare(data, options);
        } finally {
          // Outcomes are reported in call order, failures included.
          await before;
        }
      } else {
        await before;
      }
      if (this.failure !== undefined || prepared === undefined) {
        if (prepared && !('skipped' in prepared)) await this.steps.discard(prepared);
        throw aborted(this.failure);
      }
      if ('skipped' in prepared) return prepared;
      return await this.steps.commit(prepared);
    } catch (error) {
      this.failure ??= error ?? new Error('append failed');
      throw error;
    } finally {
      this.release();
    }
  }

  private async acquire(): Promise<void> {
    if (this.active < this.depth) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

function aborted(cause: unknown): SinkError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new SinkError('PIPELINE_ABORTED', `not committed: an earlier write of this pipeline failed (${why})`, {}, { cause });
}
