import { z } from 'zod';

/**
 * Delta log actions, with the field names of PROTOCOL.md exactly. The zod
 * schemas validate what we read (commit files and checkpoints); optional
 * fields a writer may leave out or write as `null` are `nullish`.
 */
const stringMap = z.record(z.string(), z.string().nullable());

export const protocolSchema = z.object({
  minReaderVersion: z.number().int(),
  minWriterVersion: z.number().int(),
  readerFeatures: z.array(z.string()).nullish(),
  writerFeatures: z.array(z.string()).nullish(),
});

export const metadataSchema = z.object({
  id: z.string(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  format: z.object({ provider: z.string(), options: stringMap.nullish() }),
  schemaString: z.string(),
  partitionColumns: z.array(z.string()),
  configuration: stringMap.nullish(),
  createdTime: z.number().nullish(),
});

const deletionVectorSchema = z.object({
  storageType: z.string(),
  pathOrInlineDv: z.string(),
  offset: z.number().nullish(),
  sizeInBytes: z.number(),
  cardinality: z.number(),
});

export const addSchema = z.object({
  path: z.string(),
  partitionValues: stringMap,
  size: z.number(),
  modificationTime: z.number(),
  dataChange: z.boolean(),
  stats: z.string().nullish(),
  tags: stringMap.nullish(),
  deletionVector: deletionVectorSchema.nullish(),
  baseRowId: z.number().nullish(),
  defaultRowCommitVersion: z.number().nullish(),
  clusteringProvider: z.string().nullish(),
});

export const removeSchema = z.object({
  path: z.string(),
  deletionTimestamp: z.number().nullish(),
  dataChange: z.boolean(),
  extendedFileMetadata: z.boolean().nullish(),
  partitionValues: stringMap.nullish(),
  size: z.number().nullish(),
  stats: z.string().nullish(),
  tags: stringMap.nullish(),
  deletionVector: deletionVectorSchema.nullish(),
  baseRowId: z.number().nullish(),
  defaultRowCommitVersion: z.number().nullish(),
});

export const txnSchema = z.object({
  appId: z.string(),
  version: z.number(),
  lastUpdated: z.number().nullish(),
});

/**
 * Provenance is free-form (PROTOCOL.md: "any valid JSON object"); only
 * `timestamp` matters to readers (time travel). A field of an unexpected
 * type is dropped rather than failing the commit, and a commitInfo that is
 * not an object reads as empty.
 */
export const commitInfoSchema = z
  .looseObject({
    timestamp: z.number().nullish().catch(undefined),
    operation: z.string().nullish().catch(undefined),
    operationParameters: z.record(z.string(), z.unknown()).nullish().catch(undefined),
  })
  .catch({});

export type ProtocolAction = z.infer<typeof protocolSchema>;
export type MetadataAction = z.infer<typeof metadataSchema>;
export type AddAction = z.infer<typeof addSchema>;
export type RemoveAction = z.infer<typeof removeSchema>;
export type TxnAction = z.infer<typeof txnSchema>;
export type CommitInfoAction = z.infer<typeof commitInfoSchema>;

/** One line of a commit file: exactly one key naming the action. */
export type Action =
  | { readonly protocol: ProtocolAction }
  | { readonly metaData: MetadataAction }
  | { readonly add: AddAction }
  | { readonly remove: RemoveAction }
  | { readonly txn: TxnAction }
  | { readonly commitInfo: CommitInfoAction };

export const actionSchemas = {
  protocol: protocolSchema,
  metaData: metadataSchema,
  add: addSchema,
  remove: removeSchema,
  txn: txnSchema,
  commitInfo: commitInfoSchema,
} as const;

export type ActionKind = keyof typeof actionSchemas;
