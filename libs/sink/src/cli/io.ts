/** What the `delta` command talks to: injected so tests run it in process. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Table paths are resolved against this directory. */
  readonly cwd: string;
}
