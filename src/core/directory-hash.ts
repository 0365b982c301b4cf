import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface DirectoryWalkOptions {
  /**
   * Entries to leave out, by path relative to the root (`/`-separated). A skipped directory is
   * not entered.
   */
  readonly skip?: (path: string, isDirectory: boolean) => boolean;
  /** Narrows the walked files to those that count (e.g. what a `.dockerignore` lets through). */
  readonly filter?: (paths: string[]) => string[];
}

/**
 * The files and symlinks under `root` (symlinks are listed, never followed), as `/`-separated
 * paths relative to it, in a stable order (each directory's entries by name), then filtered.
 */
export function directoryFiles(root: string, options: DirectoryWalkOptions = {}): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const entry of entries) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      const isDirectory = entry.isDirectory();
      if (options.skip?.(path, isDirectory)) continue;
      if (isDirectory) walk(join(dir, entry.name), path);
      else if (entry.isFile() || entry.isSymbolicLink()) out.push(path);
    }
  };
  walk(root, '');
  return options.filter ? options.filter(out) : out;
}

export interface DirectoryHashOptions extends DirectoryWalkOptions {
  /** Named values that are part of what the hash stands for (base image, platform). */
  readonly inputs?: Readonly<Record<string, string>>;
}

/**
 * sha256 of a directory's content: each counted file's path and sha256 (a symlink's path and
 * target), in path order, then the named inputs in name order. Equal for equal content wherever
 * the directory lives; file times and modes do not count.
 */
export function directoryHash(root: string, options: DirectoryHashOptions = {}): string {
  const files = directoryFiles(root, options).sort();
  const hash = createHash('sha256');
  for (const file of files) {
    const path = join(root, ...file.split('/'));
    if (lstatSync(path).isSymbolicLink()) {
      hash.update(`link\0${file}\0${readlinkSync(path)}\n`);
    } else {
      const content = createHash('sha256').update(readFileSync(path)).digest('hex');
      hash.update(`file\0${file}\0${content}\n`);
    }
  }
  const inputs = options.inputs ?? {};
  for (const key of Object.keys(inputs).sort()) {
    hash.update(`input\0${key}\0${inputs[key]}\n`);
  }
  return hash.digest('hex');
}
