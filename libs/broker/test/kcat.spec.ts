/**
 * librdkafka 2.0.2 (kcat 1.7.1) against the broker: metadata (-L), a produce
 * then consume round trip with checksums (-P, -C -e), offsets by timestamp
 * (-Q) and a balanced consumer group of two members (-G).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { requireTool } from '@lakestream/testing';
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaFor, startTestBroker, waitFor, type TestBroker } from './support/broker.js';
import { kcat } from './support/kcat.js';

const hasKcat = requireTool('kcat', ['-V']);

let t: TestBroker;
let b: string;
beforeAll(async () => {
  t = await startTestBroker();
  b = t.broker.bootstrap;
});
afterAll(() => t.cleanup());

const sha256 = (lines: readonly string[]): string => createHash('sha256').update([...lines].sort().join('\n')).digest('hex');

describe.skipIf(!hasKcat)('kcat (librdkafka 2.0.2)', () => {
  it('-L lists this broker and the topics', async () => {
    const kafka = kafkaFor(b);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'listed', numPartitions: 3 }] });
    await admin.disconnect();
    const r = await kcat(['-b', b, '-L', '-J']);
    expect(r.code).toBe(0);
    const meta = JSON.parse(r.stdout) as { brokers: { id: number; name: string }[]; topics: { topic: string; partitions: { partition: number; leader: number }[] }[] };
    expect(meta.brokers).toEqual([{ id: 1, name: b }]);
    const listed = meta.topics.find((x) => x.topic === 'listed');
    expect(listed?.partitions.map((p) => [p.partition, p.leader])).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
  });

  it('-P (snappy; gzip idempotent) then -C -e returns every message, per-key order intact, same checksum', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `key${i % 37}:value-${String(i).padStart(5, '0')}`);
    // The second half through librdkafka's idempotent producer (InitProducerId v4, sequence numbers).
    for (const [codec, part, extra] of [
      ['snappy', lines.slice(0, 1500), []],
      ['gzip', lines.slice(1500), ['-X', 'enable.idempotence=true']],
    ] as const) {
      const p = await kcat(['-b', b, '-P', '-t', 'kc-roundtrip', '-K:', '-z', codec, ...extra], { input: `${part.join('\n')}\n` });
      expect(p.code, p.stderr).toBe(0);
    }
    const c = await kcat(['-b', b, '-C', '-t', 'kc-roundtrip', '-o', 'beginning', '-e', '-q', '-f', '%k:%s\\n']);
    expect(c.code, c.stderr).toBe(0);
    const got = c.stdout.trimEnd().split('\n');
    expect(got).toHaveLength(lines.length);
    expect(sha256(got)).toBe(sha256(lines));
    const perKey = (ls: readonly string[]) => {
      const m = new Map<string, string[]>();
      for (const l of ls) {
        const [k = '', v = ''] = l.split(':');
        m.set(k, [...(m.get(k) ?? []), v]);
      }
      return m;
    };
    expect(perKey(got)).toEqual(perKey(lines));
  });

  it('-Q finds offsets by timestamp', async () => {
    const kafka = kafkaFor(b);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const base = Date.now() - 100_000;
    // Two batches of five records each, one second apart per record.
    for (const start of [0, 5]) {
      await producer.send({ topic: 'kc-times', messages: Array.from({ length: 5 }, (_, j) => ({ partition: 0, value: `m${start + j}`, timestamp: String(base + (start + j) * 1000) })) });
    }
    await producer.disconnect();
    const q = async (ts: number) => (await kcat(['-b', b, '-Q', '-t', `kc-times:0:${ts}`])).stdout.trim();
    expect(await q(base)).toBe('kc-times [0] offset 0');
    expect(await q(base + 2500)).toBe('kc-times [0] offset 3'); // inside the first batch: the exact record
    expect(await q(base + 7000)).toBe('kc-times [0] offset 7');
    expect(await q(Date.now() + 60_000)).toBe('kc-times [0] offset -1');
  });

  it('-G: two members of a balanced group split the partitions and consume everything once', async () => {
    const members: ChildProcess[] = [];
    const out = ['', ''];
    const err = ['', ''];
    const group = ['-b', b, '-G', 'kc-group', 'kc-grouped', '-q', '-u', '-f', '%p:%s\\n', '-X', 'auto.offset.reset=earliest', '-X', 'heartbeat.interval.ms=300', '-X', 'session.timeout.ms=6000'];
    const admin = kafkaFor(b).admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'kc-grouped', numPartitions: 6 }] });
      for (const i of [0, 1]) {
        const child = spawn('kcat', group, { stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout?.setEncoding('utf8').on('data', (d: string) => (out[i] += d));
        child.stderr?.setEncoding('utf8').on('data', (d: string) => (err[i] += d));
        members.push(child);
      }
      await waitFor(
        async () => {
          const g = (await admin.describeGroups(['kc-group'])).groups[0];
          return g?.state === 'Stable' && g.members.length === 2 && g.members.every((m) => m.memberAssignment.length > 12);
        },
        30_000,
        'a stable group of two with assignments',
      );
      const lines = Array.from({ length: 600 }, (_, i) => `k${i}:g${i}`);
      expect((await kcat(['-b', b, '-P', '-t', 'kc-grouped', '-K:'], { input: `${lines.join('\n')}\n` })).code).toBe(0);
      const received = () => out.join('').split('\n').filter(Boolean);
      await waitFor(() => received().length >= lines.length, 30_000, 'both members to consume everything');
      const partitionsOf = (s: string) => new Set(s.split('\n').filter(Boolean).map((l) => l.split(':')[0]));
      expect(partitionsOf(out[0] ?? '').size).toBe(3);
      expect(partitionsOf(out[1] ?? '').size).toBe(3);
      expect(received().map((l) => l.split(':')[1]).sort()).toEqual(lines.map((l) => l.split(':')[1]).sort());
      for (const m of members) m.kill('SIGINT'); // kcat commits and leaves on SIGINT
      await Promise.all(members.map((m) => new Promise((r) => (m.exitCode !== null ? r(m.exitCode) : m.on('exit', r)))));
      const committed = await admin.fetchOffsets({ groupId: 'kc-group', topics: ['kc-grouped'] });
      expect(committed[0]?.partitions.reduce((n, p) => n + Number(p.offset), 0)).toBe(lines.length);
    } finally {
      for (const m of members) if (m.exitCode === null) m.kill('SIGKILL');
      await admin.disconnect();
    }
  });
});
