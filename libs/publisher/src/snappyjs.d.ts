/** snappyjs 0.7 ships no types; only what codec/snappy.ts uses. */
declare module 'snappyjs' {
  export function compress(input: Buffer): Buffer;
  export function uncompress(input: Buffer, maxLength?: number): Buffer;
  const snappy: { compress: typeof compress; uncompress: typeof uncompress };
  export default snappy;
}
