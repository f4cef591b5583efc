/** What a source reports when it ends. */
export interface SourceResult {
  /** completed: input exhausted; limit: --max-events reached; stopped: signal, --duration. */
  readonly reason: 'completed' | 'limit' | 'stopped';
  /** Events read from the input (CSV rows, simulator events) and submitted. */
  readonly rows: number;
  /** CSV rows skipped as invalid. */
  readonly badRows: number;
}
