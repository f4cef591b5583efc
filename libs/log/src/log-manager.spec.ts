import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildBatch } from '../test/batches.js';
import { tempDir } from '../test/tmp.js';
import { LogManager } from './log-manager.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('lakestream-manager-'));
});
afterEach(async () => cleanup());

describe('LogManager', () => {
  it('persists topics with their partition count, id and config overrides', async () => {
    const manager = await LogManager.open({ dir, defaults: { flush: {}, segmentBytes: 1 << 20 } });
    const created = await manager.createTopic('sat-data', { partitions: 3, config: { retentionMs: 60_000 } });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.topic).toMatchObject({ name: 'sat-data', partitions: 3, config: { retentionMs: 60_000 } });
    expect(created.topic.effectiveConfig).toMatchObject({ retentionMs: 60_000, segmentBytes: 1 << 20 });
    await manager.createTopic('f1-telemetry', { partitions: 2 });
    await manager.partition('sat-data', 2)?.append(buildBatch({ records: 4 }));
    expect(manager.partition('sat-data', 3)).toBeUndefined();
    expect(manager.partition('nope', 0)).toBeUndefined();
    await manager.close();

    expect((await readdir(join(dir, 'topics'))).sort()).toEqual(['f1-telemetry.json', 'sat-data.json']);
    expect(JSON.parse(await readFile(join(dir, 'topics', 'sat-data.json'), 'utf8'))).toMatchObject({ version: 1, partitions: 3 });

    const again = await LogManager.open({ dir, defaults: { flush: {}, segmentBytes: 2 << 20 } });
    expect(again.listTopics().map((t) => [t.name, t.partitions, t.topicId])).toEqual([
      ['f1-telemetry', 2, expect.any(String)],
      ['sat-data', 3, created.topic.topicId],
    ]);
    // Overrides stay; defaults follow the manager's current options.
    expect(again.describeTopic('sat-data')?.effectiveConfig).toMatchObject({ retentionMs: 60_000, segmentBytes: 2 << 20 });
    expect(again.partition('sat-data', 2)?.logEndOffset).toBe(4);
    expect(again.partitions('f1-telemetry')).toHaveLength(2);
    await again.close();
  });

  it('answers bad creates with Kafka error codes as values', async () => {
    const manager = await LogManager.open({ dir });
    await manager.createTopic('t', { partitions: 1 });
    expect(await manager.createTopic('t', { partitions: 1 })).toMatchObject({ ok: false, code: 'TOPIC_ALREADY_EXISTS' });
    expect(await manager.createTopic('bad/name', { partitions: 1 })).toMatchObject({ ok: false, code: 'INVALID_TOPIC_EXCEPTION' });
    expect(await manager.createTopic('..', { partitions: 1 })).toMatchObject({ ok: false, code: 'INVALID_TOPIC_EXCEPTION' });
    expect(await manager.createTopic('x'.repeat(250), { partitions: 1 })).toMatchObject({ ok: false, code: 'INVALID_TOPIC_EXCEPTION' });
    expect(await manager.createTopic('u', { partitions: 0 })).toMatchObject({ ok: false, code: 'INVALID_PARTITIONS' });
    expect(await manager.createTopic('u', { partitions: 1, config: { segmentBytes: 1 } })).toMatchObject({ ok: false, code: 'INVALID_CONFIG' });
    expect(await manager.deleteTopic('u')).toMatchObject({ ok: false, code: 'UNKNOWN_TOPIC_OR_PARTITION' });
    expect(manager.listTopics().map((t) => t.name)).toEqual(['t']);
    await manager.close();
  });

  it('deletes a topic with its directories, and can re-create it empty with a new id', async () => {
    const manager = await LogManager.open({ dir, defaults: { flush: {} } });
    const first = await manager.createTopic('t', { partitions: 2 });
    await manager.partition('t', 0)?.append(buildBatch({ records: 2 }));
    const deleted = await manager.deleteTopic('t');
    expect(deleted).toEqual({ ok: true, topicId: first.ok ? first.topic.topicId : '' });
    expect((await readdir(dir)).sort()).toEqual(['topics']);
    const second = await manager.createTopic('t', { partitions: 1 });
    expect(second.ok && second.topic.topicId).not.toBe(first.ok && first.topic.topicId);
    expect(manager.partition('t', 0)?.logEndOffset).toBe(0);
    await manager.close();
    await expect(manager.createTopic('z', { partitions: 1 })).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('finishes an interrupted delete on open and refuses corrupt metadata', async () => {
    await mkdir(join(dir, 't-0.abc-delete'), { recursive: true });
    await writeFile(join(dir, 't-0.abc-delete', '00000000000000000000.log'), 'x');
    const manager = await LogManager.open({ dir });
    expect(await readdir(dir)).toEqual(['topics']);
    await manager.close();
    await writeFile(join(dir, 'topics', 'broken.json'), '{"version":1,');
    await expect(LogManager.open({ dir })).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
  });

  it('applies retention across all partitions', async () => {
    let now = 1_000_000;
    const manager = await LogManager.open({ dir, defaults: { flush: {}, segmentBytes: 1024, retentionMs: 10_000 }, now: () => now });
    await manager.createTopic('t', { partitions: 2 });
    for (let i = 0; i < 20; i++) await manager.partition('t', i % 2)?.append(buildBatch({ records: 2, valueBytes: 80, baseTimestamp: now }));
    now += 60_000;
    const summary = await manager.enforceRetention();
    expect(summary.deletedSegments).toBeGreaterThan(0);
    for (const log of manager.partitions('t')) {
      expect(log.segmentCount).toBe(1);
      expect(log.logStartOffset).toBeGreaterThan(0);
    }
    await manager.close();
  });
});
