/**
 * Producer ids for InitProducerId, unique across restarts (kill -9
 * included): ids are handed out from blocks, and a block's end is made
 * durable before its first id is used, so a restarted broker starts past
 * every id it may have given out. Kafka does the same with blocks in
 * ZooKeeper/KRaft.
 */
import { BrokerError } from '../errors.js';
import { readJsonFile, statePath, writeJsonFileAtomic } from './files.js';

export const PRODUCER_IDS_FILE = 'producer-ids.json';
const BLOCK_SIZE = 1000;

export class ProducerIdAllocator {
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly path: string,
    private nextId: number,
    private blockEnd: number,
  ) {}

  static async open(dataDir: string): Promise<ProducerIdAllocator> {
    const path = statePath(dataDir, PRODUCER_IDS_FILE);
    const raw = await readJsonFile(path);
    let start = 0;
    if (raw !== undefined) {
      const value = (raw as { nextBlockStart?: unknown }).nextBlockStart;
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
        throw new BrokerError('STORAGE_ERROR', 'producer id state is unreadable', { path });
      }
      start = value;
    }
    return new ProducerIdAllocator(path, start, start);
  }

  /** The next unused producer id. */
  next(): Promise<number> {
    const result = this.chain.then(async () => {
      if (this.nextId >= this.blockEnd) {
        const end = this.blockEnd + BLOCK_SIZE;
        await writeJsonFileAtomic(this.path, { version: 1, nextBlockStart: end });
        this.blockEnd = end;
      }
      return this.nextId++;
    });
    this.chain = result.catch(() => undefined);
    return result;
  }
}
