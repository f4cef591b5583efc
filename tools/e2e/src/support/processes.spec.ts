import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kcatConsume, requireTool, type AppProcess } from '@lakestream/testing';
import { CONSUMER_MAIN, restartable, runProducer, spawnConsumer, spawnProducer, startKafka, uniqueName, type KafkaUnderTest } from './processes.js';

const hasKcat = requireTool('kcat', ['-V']);

/** The harness itself, on the built broker and producer apps (nx run e2e:test builds them first). */
describe.skipIf(!hasKcat)('e2e process harness', () => {
  let kafka: KafkaUnderTest;
  beforeAll(async () => {
    kafka = await startKafka();
  });
  afterAll(async () => kafka?.stop());

  it('runs the producer against the Kafka under test; records survive a kill -9 + restart of the embedded broker', async () => {
    const topic = uniqueName('harness-f1');
    const producer = await runProducer(kafka.bootstrap, ['--source', 'f1', '--cars', '3', '--max-events', '60', '--no-sleep', '--topic', topic, '--sessions-topic', uniqueName('harness-sessions')]);
    expect(producer.stdout()).toMatch(/events\s+60/);
    const before = await kcatConsume({ bootstrap: kafka.bootstrap, topic });
    expect(before).toHaveLength(60);
    if (!kafka.restartable) return console.warn('[skip] KAFKA_BROKERS set: the broker restart part needs the embedded broker');
    const oldPid = kafka.broker()?.app.pid;
    await kafka.restart();
    expect(kafka.broker()?.app.pid).not.toBe(oldPid);
    const after = await kcatConsume({ bootstrap: kafka.bootstrap, topic });
    expect(after.map((r) => `${r.partition}/${r.offset}`).sort()).toEqual(before.map((r) => `${r.partition}/${r.offset}`).sort());
  });

  it('KAFKA_BROKERS selects an external cluster: no broker process, not restartable', async () => {
    const external = await startKafka({ env: { KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092' } });
    expect(external.bootstrap).toBe('kafka-1:9092,kafka-2:9092');
    expect(external.restartable).toBe(false);
    expect(external.broker()).toBeUndefined();
    await expect(external.restart()).rejects.toThrow(/cannot restart/);
    await external.stop();
  });

  it('a restartable process keeps every earlier run for the failure message', async () => {
    const r = restartable(() => helpRun(kafka.bootstrap));
    expect((await r.current().waitForExit(30_000)).code).toBe(0);
    await r.kill9AndRestart();
    expect((await r.current().waitForExit(30_000)).code).toBe(0);
    expect(r.current().stdout()).toMatch(/--brokers/);
    expect(r.history).toHaveLength(1);
    expect(r.describe()).toContain('#1 ');
  });
});

/** The consumer app once built, else the producer (both print --help and exit 0). */
function helpRun(bootstrap: string): AppProcess {
  return existsSync(CONSUMER_MAIN) ? spawnConsumer(bootstrap, ['--help']) : spawnProducer(bootstrap, ['--help']);
}
