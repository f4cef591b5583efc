/**
 * An encoder thread: gathers, computes stats for and Parquet-encodes the
 * files of each request, posting every file as soon as it is done.
 */
import { parentPort } from 'node:worker_threads';
import type * as arrow from 'apache-arrow';
import { SinkError } from '../errors.js';
import { deltaToArrowSchema, parseSchemaString } from '../schema/delta-schema.js';
import { unpackColumns } from './column-pack.js';
import { encodeFile } from './encode-file.js';
import type { EncodeRequest, EncodeResponse, WarmRequest } from './encoder-protocol.js';

const port = parentPort;
if (!port) throw new Error('encoder-worker.ts runs as a worker thread');

/** Parsed schemas by JSON; a writer process sees a handful of table schemas. */
const schemas = new Map<string, arrow.Schema>();
function schemaOf(json: string): arrow.Schema {
  let schema = schemas.get(json);
  if (!schema) {
    if (schemas.size >= 32) schemas.delete(schemas.keys().next().value as string);
    schema = deltaToArrowSchema(parseSchemaString(json));
    schemas.set(json, schema);
  }
  return schema;
}

port.on('message', (request: EncodeRequest | WarmRequest) => {
  if ('warm' in request) {
    const ready: EncodeResponse = { id: request.id, ready: true };
    port.postMessage(ready);
    return;
  }
  try {
    const schema = schemaOf(request.schemaJson);
    const columns = unpackColumns(request.packed, schema.fields.map((f) => f.type as arrow.DataType));
    for (const f of request.files) {
      const file = encodeFile(schema, columns, f.rows, { rowGroupSize: request.rowGroupSize, file: f.file });
      const own = file.bytes.byteOffset === 0 && file.bytes.byteLength === file.bytes.buffer.byteLength;
      const bytes = own ? file.bytes : file.bytes.slice();
      const message: EncodeResponse = { id: request.id, index: f.index, file: { ...file, bytes } };
      port.postMessage(message, [bytes.buffer as ArrayBuffer]);
    }
  } catch (error) {
    const e = error instanceof SinkError ? error : undefined;
    const message: EncodeResponse = {
      id: request.id,
      error: { name: e?.name ?? 'SinkError', code: e?.code ?? 'PARQUET_WRITE_FAILED', message: e?.detail ?? (error instanceof Error ? error.message : String(error)), context: e ? { ...e.context } : {} },
    };
    port.postMessage(message);
  }
});
