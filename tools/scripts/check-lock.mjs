#!/usr/bin/env node
// After `npm install` in CI: the installed versions must be exactly the locked
// ones. Compares the committed lock (git HEAD) with the lock npm left behind.
// The only differences tolerated are optional binaries for other platforms
// (os/cpu/libc that do not match this machine): whether npm lists those
// depends on what the registry mirror holds, not on what gets installed here.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const committed = JSON.parse(execFileSync('git', ['show', 'HEAD:package-lock.json'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
const installed = JSON.parse(readFileSync(process.argv[2] ?? 'package-lock.json', 'utf8'));
// Node's own report says whether this process runs on glibc; otherwise musl.
const libc = process.platform !== 'linux' ? null : process.report.getReport().header.glibcVersionRuntime ? 'glibc' : 'musl';

const matches = (list, value) => !list || list.some((v) => (v.startsWith('!') ? v.slice(1) !== value : v === value));
const otherPlatform = (entry) =>
  entry.optional === true && !(matches(entry.os, process.platform) && matches(entry.cpu, process.arch) && matches(entry.libc, libc));

const problems = [];
const names = new Set([...Object.keys(committed.packages ?? {}), ...Object.keys(installed.packages ?? {})]);
for (const name of names) {
  const a = committed.packages?.[name];
  const b = installed.packages?.[name];
  if (a && b) {
    if (a.version !== b.version) problems.push(`${name || '(root)'}: locked ${a.version}, installed ${b.version}`);
  } else if (!(otherPlatform(a ?? b))) {
    problems.push(`${name}: ${a ? 'in the committed lock but not installed' : 'installed but not in the committed lock'}`);
  }
}
if (problems.length > 0) {
  console.error(`package-lock.json changed during install (commit an updated lock):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`package-lock.json: ${names.size} entries, installed versions match the lock`);
