/**
 * A progress bar that only appears when it is worth it: on a TTY, and only
 * once the work has run for longer than `delayMs` (short runs print nothing).
 */
import cliProgress from 'cli-progress';

export interface DelayedProgress {
  update(done: number): void;
  stop(): void;
}

export interface DelayedProgressOptions {
  readonly total: number;
  readonly label: string;
  readonly stream: NodeJS.WriteStream;
  readonly delayMs?: number;
}

export function delayedProgress(options: DelayedProgressOptions): DelayedProgress {
  let done = 0;
  let bar: cliProgress.SingleBar | undefined;
  const timer = options.stream.isTTY
    ? setTimeout(() => {
        bar = new cliProgress.SingleBar(
          { stream: options.stream, format: `${options.label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(options.total, done);
      }, options.delayMs ?? 1000)
    : undefined;
  timer?.unref();
  return {
    update(value: number): void {
      done = value;
      bar?.update(value);
    },
    stop(): void {
      if (timer) clearTimeout(timer);
      bar?.stop();
    },
  };
}
