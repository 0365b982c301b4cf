#!/usr/bin/env node
// Adds lockfile entries for platform-specific optional packages that the package registry
// reachable from these machines does not serve (it answers 404 for e.g. darwin or win32 builds
// of @unrs/resolver-binding-*, a dependency of Jest 30). `npm install` then leaves them out of
// package-lock.json and `npm ci` refuses the lockfile as out of sync. Each added entry carries the
// package's os/cpu (read from its name), so npm skips it on other platforms without fetching it.
// Run after any `npm install` that changes package-lock.json: node scripts/complete-lockfile.mjs [lockfile]
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORM_BINDING =
  /-(android|darwin|freebsd|linux|openharmony|win32)-(arm64|arm|x64|ia32|loong64|ppc64|riscv64|s390x)(?:-(gnu|musl|gnueabihf|musleabihf|eabi|msvc))?$/;

const path = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(readFileSync(path, 'utf8'));
const added = [];
for (const [location, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = `node_modules/${name}`;
    if (lock.packages[target]) continue;
    const match = PLATFORM_BINDING.exec(name);
    if (!match) {
      console.error(
        `${path}: ${location} needs optional ${name}@${version}, which is not a platform build: install it properly`,
      );
      process.exit(1);
    }
    const [, os, cpu, abi] = match;
    const libc = abi?.startsWith('musl')
      ? ['musl']
      : abi?.startsWith('gnu')
        ? ['glibc']
        : undefined;
    lock.packages[target] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      os: [os],
      cpu: [cpu],
      ...(libc ? { libc } : {}),
    };
    added.push(`${name}@${version}`);
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a.localeCompare(b),
  ),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `added ${added.length} entries: ${added.join(', ')}` : 'nothing to add');
