/**
 * Composition root: validated config in; connect the publisher, wire a
 * source through the encoding pipeline, stop on limit / duration / signal,
 * flush, report. Returns the exit code.
 */
import { writeFile } from 'node:fs/promises';
import { Encoder } from '@lakestream/codec';
import { BatchingPublisher, BrokerUnreachableError, IdempotenceUnavailableError, isPublisherError, publishAcked, type PublisherError } from '@lakestream/publisher';
import type { F1Event, F1Session, SatelliteSample } from '@lakestream/schema';
import type { CsvRowError } from '@lakestream/sim';
import type { ProducerConfig } from './cli.js';
import { nowNs } from './clock.js';
import { BadRowError, ProducerError } from './errors.js';
import { F1_FAULTS, FaultInjector, SATELLITE_FAULTS, type FaultMark } from './faults/injector.js';
import { FaultingIntake } from './faults/intake.js';
import { FaultPlanner, SOURCE_FAULT_KINDS } from './faults/plan.js';
import { EventPipeline, type EventEncoding, type MessageSink } from './pipeline.js';
import { sessionRecord, SESSIONS_TOPIC_CONFIG, simulatedSession } from './sources/f1-session.js';
import { runF1Source } from './sources/f1-source.js';
import type { SatelliteFile } from './sources/satellite-protocol.js';
import { listSatelliteFiles, runSatelliteSource } from './sources/satellite-source.js';
import type { SourceResult } from './sources/source.js';
import { formatSummary, summaryJson } from './summary.js';

export interface RunIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Aborted with a reason ("SIGTERM") to stop the run gracefully. */
  readonly signal: AbortSignal;
}

/** Bad rows printed one by one; after that only counted (the summary has the total). */
const BAD_ROWS_SHOWN = 20;
const PUBLISH_ERRORS_SHOWN = 10;
const PROGRESS_EVERY_MS = 5_000;

export async function run(config: ProducerConfig, io: RunIo): Promise<number> {
  // Check the input before the broker, so a missing directory is reported at once.
  let files: SatelliteFile[] = [];
  try {
    if (config.source === 'satellite') files = await listSatelliteFiles(config.samplesDir);
  } catch (error) {
    return fail(io, error);
  }

  const kafkaOptions = { brokers: config.brokers, clientId: config.clientId, idempotent: config.idempotent, logLevel: config.kafkaLogLevel };
  // F1: the session context first, acknowledged, so no event of the session is sent before it.
  let session: F1Session | undefined;
  const startTimeNs = config.startTimeNs ?? nowNs();
  if (config.source === 'f1') {
    session = simulatedSession({ cars: config.cars, seed: config.seed, startTimeNs });
    try {
      const published = await publishAcked({ ...kafkaOptions, topic: config.sessionsTopic }, [sessionRecord(session)], { configEntries: SESSIONS_TOPIC_CONFIG });
      const where = published.acks[0] ? ` [${published.acks[0].partition}] @${published.acks[0].baseOffset ?? '?'}` : '';
      io.err(`session ${session.session_id} published to ${config.sessionsTopic}${where} (topic ${published.topic}${published.detail ? `: ${published.detail}` : ''})\n`);
    } catch (error) {
      return fail(io, error);
    }
  }

  let publishErrors = 0;
  let publisher: BatchingPublisher;
  try {
    publisher = await BatchingPublisher.connect(
      {
        brokers: config.brokers,
        clientId: config.clientId,
        topic: config.topic,
        compression: config.compression,
        lingerMs: config.lingerMs,
        maxBatchMessages: config.batchSize,
        maxInFlight: config.maxInFlight,
        idempotent: config.idempotent,
        logLevel: config.kafkaLogLevel,
      },
      {
        onError: (error: PublisherError) => {
          publishErrors += 1;
          if (publishErrors <= PUBLISH_ERRORS_SHOWN) io.err(`error: ${error.message}\n`);
        },
      },
    );
  } catch (error) {
    return fail(io, error);
  }

  const stop = new AbortController();
  const onOuterAbort = () => stop.abort(io.signal.reason);
  if (io.signal.aborted) onOuterAbort();
  io.signal.addEventListener('abort', onOuterAbort);
  const durationTimer = config.durationMs === undefined ? undefined : setTimeout(() => stop.abort('--duration'), config.durationMs);

  const encoder = new Encoder();
  const sink: MessageSink = publisher;
  const planner = new FaultPlanner(config.faultRate, config.seed, SOURCE_FAULT_KINDS[config.source]);
  const satelliteFaults = new FaultInjector(planner, SATELLITE_FAULTS);
  const f1Faults = new FaultInjector(planner, F1_FAULTS);
  const faults = config.source === 'f1' ? f1Faults : satelliteFaults;
  const pipelineOptions = { framing: config.framing, rate: config.rate, maxEvents: config.maxEvents, signal: stop.signal };
  let badRows = 0;
  const onBadRow = (row: CsvRowError) => {
    badRows += 1;
    if (config.strict) throw new BadRowError(`bad row ${row.message} (--strict)`, { file: row.file, line: row.line });
    if (badRows <= BAD_ROWS_SHOWN) io.err(`warning: skipped bad row ${row.message}\n`);
    else if (badRows === BAD_ROWS_SHOWN + 1) io.err('warning: more bad rows skipped; the summary has the count\n');
  };

  io.err(`publishing ${describeSource(config, files.length)} to ${config.topic} at ${config.brokers.join(',')}\n`);
  const started = performance.now();
  let events = 0;
  let messages = 0;
  // A progress line every few seconds on stderr, so a long run shows events flowing.
  let live: { readonly events: number } | undefined;
  let lastProgress = { at: started, events: 0 };
  const progress = setInterval(() => {
    const now = performance.now();
    const count = live?.events ?? 0;
    const rate = ((count - lastProgress.events) * 1000) / Math.max(1, now - lastProgress.at);
    const stats = publisher.stats();
    io.err(`progress: ${count} events, ${stats.messages} messages acknowledged, ${Math.round(rate)} events/s, ${stats.errors} errors\n`);
    lastProgress = { at: now, events: count };
  }, PROGRESS_EVERY_MS);
  progress.unref();
  let failure: unknown;
  let result: SourceResult | undefined;
  try {
    if (config.source === 'satellite') {
      const encoding: EventEncoding<SatelliteSample> = { single: (e) => encoder.encodeSatelliteSample(e), frame: (es) => encoder.encodeSatelliteFrame(es) };
      const pipeline = new EventPipeline<SatelliteSample, FaultMark>(sink, encoding, { ...pipelineOptions, finishMessage: satelliteFaults.finishMessage });
      live = pipeline;
      try {
        result = await runSatelliteSource({ files, sleep: config.sleep, seed: config.seed, pipeline: new FaultingIntake(pipeline, satelliteFaults), signal: stop.signal, onBadRow });
      } finally {
        events = pipeline.events;
        await pipeline.finish().catch((e: unknown) => (failure ??= e));
        messages = pipeline.messages;
      }
    } else {
      const encoding: EventEncoding<F1Event> = { single: (e) => encoder.encodeF1Event(e), frame: (es) => encoder.encodeF1Frame(es) };
      const pipeline = new EventPipeline<F1Event, FaultMark>(sink, encoding, { ...pipelineOptions, finishMessage: f1Faults.finishMessage });
      live = pipeline;
      try {
        result = await runF1Source({ cars: config.cars, seed: config.seed, startTimeNs, pacing: config.sleep ? 'realtime' : 'asap', pipeline: new FaultingIntake(pipeline, f1Faults), signal: stop.signal });
      } finally {
        events = pipeline.events;
        await pipeline.finish().catch((e: unknown) => (failure ??= e));
        messages = pipeline.messages;
      }
    }
  } catch (error) {
    failure = error;
  } finally {
    clearTimeout(durationTimer);
    clearInterval(progress);
    io.signal.removeEventListener('abort', onOuterAbort);
  }

  await publisher.close();
  failure ??= publisher.failure;
  const stats = publisher.stats();
  const summary = {
    source: config.source,
    topic: config.topic,
    ended: endedBecause(result, stop.signal, failure),
    sourceEvents: planner.events,
    events,
    messages,
    badRows: result?.badRows ?? badRows,
    publisher: stats,
    elapsedMs: performance.now() - started,
    faults: faults.report(),
  };
  io.out(formatSummary(summary));
  let summaryWritten = true;
  if (config.summaryJson !== undefined) {
    const json = summaryJson(summary, { seed: config.seed, framing: config.framing !== undefined, sessionsTopic: session ? config.sessionsTopic : undefined, sessions: session ? [session.session_id] : [] });
    try {
      await writeFile(config.summaryJson, `${JSON.stringify(json, null, 2)}\n`);
    } catch (error) {
      io.err(`error: cannot write --summary-json ${config.summaryJson}: ${(error as Error).message}\n`);
      summaryWritten = false;
    }
  }
  if (failure !== undefined) return fail(io, failure);
  return stats.failedMessages > 0 || !summaryWritten ? 1 : 0;
}

function describeSource(config: ProducerConfig, files: number): string {
  if (config.source === 'f1') return `F1 telemetry of ${config.cars} cars (seed ${config.seed}, ${config.sleep ? 'real time' : 'as fast as possible'})`;
  const pacing = config.sleep ? `sleeping ${config.sleep.minMs}-${config.sleep.maxMs} ms between events of each satellite` : 'without sleeps';
  return `satellite samples from ${files} CSVs in ${config.samplesDir} (${pacing})`;
}

function endedBecause(result: SourceResult | undefined, signal: AbortSignal, failure: unknown): string {
  if (failure !== undefined) return 'failed';
  if (signal.aborted) return `stopped by ${String(signal.reason)}`;
  if (result?.reason === 'limit') return '--max-events reached';
  return 'input exhausted';
}

const HINT_NO_BROKER = [
  '  Nothing answers there. Start lakestream\'s embedded Kafka-protocol broker (Node only, data in data/broker):',
  '    npx nx run broker:serve            # listens on 127.0.0.1:9092',
  '  or run `npm start`, which starts it and this producer together;',
  '  or point --brokers / KAFKA_BROKERS at a running Apache Kafka.',
].join('\n');

/** Prints a failure with what to do about it; returns its exit code. */
function fail(io: RunIo, error: unknown): number {
  if (error instanceof BrokerUnreachableError) {
    io.err(`error: ${error.message}\n${HINT_NO_BROKER}\n`);
    return 1;
  }
  if (error instanceof IdempotenceUnavailableError) {
    io.err(`error: ${error.message}\n  Rerun with --no-idempotent to publish with acks=all but without producer ids.\n`);
    return 1;
  }
  if (error instanceof ProducerError) {
    io.err(`error: ${error.message}\n`);
    return error.exitCode;
  }
  if (isPublisherError(error)) {
    io.err(`error: ${error.message}\n`);
    return 1;
  }
  // Anything else is a bug: show the stack.
  io.err(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}
