/** snappyjs 0.7 ships no types; only what parquet-int96.ts (and its test writer) use. */
declare module 'snappyjs' {
  export function compress(input: Uint8Array): Uint8Array;
  /** Throws when the data is not valid Snappy or would decompress to more than maxLength bytes. */
  export function uncompress(input: Uint8Array, maxLength?: number): Uint8Array;
  const snappy: { compress: typeof compress; uncompress: typeof uncompress };
  export default snappy;
}
