import { UnsupportedProtocolError, type SinkErrorContext } from '../errors.js';
import type { ProtocolAction } from './actions.js';

/**
 * Which protocols this lib can read and write. Natively: reader 1, writer 2
 * (append-only, invariants are not enforced because we never write them);
 * tables with `timestamp_ntz` columns are written at reader 3 / writer 7
 * with the `timestampNtz` feature (see protocol-features.ts).
 * Reader 3 / writer 7 are table-feature protocols; we accept them only when
 * every listed feature is one that does not change how files are read (or,
 * for writing, that we honour trivially).
 */
const READ_SAFE_READER_FEATURES: ReadonlySet<string> = new Set(['timestampNtz', 'vacuumProtocolCheck']);
/** Writer features we honour: appendOnly (overwrite refused), invariants (never written), timestampNtz (written as such, with its protocol). */
const WRITE_SAFE_WRITER_FEATURES: ReadonlySet<string> = new Set(['appendOnly', 'invariants', 'timestampNtz']);
/** Writer features that only matter to writers; readers may ignore them. */
const READER_IGNORABLE_WRITER_FEATURES: ReadonlySet<string> = new Set([
  'appendOnly', 'invariants', 'checkConstraints', 'generatedColumns', 'changeDataFeed', 'identityColumns',
  'domainMetadata', 'rowTracking', 'clustering', 'inCommitTimestamp', 'allowColumnDefaults', 'icebergCompatV1', 'icebergCompatV2',
  'timestampNtz', 'vacuumProtocolCheck',
]);

const EXPLAIN: Record<string, string> = {
  deletionVectors: 'rows deleted through deletion vectors would be read back',
  columnMapping: 'physical column names differ from the schema',
  v2Checkpoint: 'v2 checkpoints (sidecars) are not implemented',
  typeWidening: 'files may hold narrower types than the schema',
  variantType: 'variant columns are not implemented',
};

export function checkReadable(protocol: ProtocolAction, ctx: SinkErrorContext): void {
  const { minReaderVersion: r } = protocol;
  if (r === 1 || r === 2) {
    // Reader 2 means column mapping; it is only safe when the mode is none, checked by the caller via configuration.
    return;
  }
  if (r !== 3) throw new UnsupportedProtocolError(`minReaderVersion ${r} is not supported (this lib reads 1-3)`, ctx);
  const unknown = (protocol.readerFeatures ?? []).filter((f) => !READ_SAFE_READER_FEATURES.has(f));
  if (unknown.length > 0) throw new UnsupportedProtocolError(`reader features not supported: ${describe(unknown)}`, ctx);
  const writerOnly = (protocol.writerFeatures ?? []).filter((f) => !READER_IGNORABLE_WRITER_FEATURES.has(f) && !READ_SAFE_READER_FEATURES.has(f));
  if (writerOnly.length > 0) throw new UnsupportedProtocolError(`features not supported for reading: ${describe(writerOnly)}`, ctx);
}

export function checkWritable(protocol: ProtocolAction, ctx: SinkErrorContext): void {
  checkReadable(protocol, ctx);
  const { minWriterVersion: w } = protocol;
  if (w <= 2) return;
  if (w !== 7) throw new UnsupportedProtocolError(`minWriterVersion ${w} is not supported for writing (this lib writes 1, 2 and 7 with known features)`, ctx);
  const unknown = (protocol.writerFeatures ?? []).filter((f) => !WRITE_SAFE_WRITER_FEATURES.has(f));
  if (unknown.length > 0) throw new UnsupportedProtocolError(`writer features not supported: ${describe(unknown)}`, ctx);
}

/** Reader version 2 is column mapping; only mode `none` reads like version 1. */
export function checkColumnMapping(protocol: ProtocolAction, configuration: Readonly<Record<string, string | null>>, ctx: SinkErrorContext): void {
  const mode = configuration['delta.columnMapping.mode'] ?? 'none';
  if (protocol.minReaderVersion >= 2 && mode !== 'none') {
    throw new UnsupportedProtocolError(`columnMapping (mode ${mode}): ${EXPLAIN['columnMapping']}`, ctx);
  }
}

function describe(features: readonly string[]): string {
  return features.map((f) => (EXPLAIN[f] ? `${f} (${EXPLAIN[f]})` : f)).join(', ');
}
