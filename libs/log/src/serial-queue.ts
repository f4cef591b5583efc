/**
 * Runs async tasks one after another (a promise chain). A partition's
 * appends, rolls, retention and truncation go through one queue, so each
 * sees the state the previous one left; a failed task does not stop the
 * ones after it.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
