// CongoDB (@push.rocks/smartmongo 2.2.0) returns ObjectIds and Dates from `distinct` as strings:
// it uses its comparison key both to deduplicate and as the returned value. LibreChat's access
// control code runs AclEntry.distinct('resourceId') and feeds the ids to an aggregate $match
// (no mongoose casting), which then matches nothing, so shared agents and prompts vanish.
// This keeps the original BSON values and deduplicates by the comparison key.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const MARK = '/* e2e: distinct keeps BSON values */';
const BEFORE = /const values = new Set\(\);([\s\S]*?)return Array\.from\(values\);/;

export function patchCongoDistinct(pkgDir) {
  const file = path.join(pkgDir, 'dist_ts', 'congodb', 'engine', 'QueryEngine.js');
  const src = readFileSync(file, 'utf8');
  if (src.includes(MARK)) return;
  const m = BEFORE.exec(src);
  if (!m || !m[1].includes('values.add(this.toComparable(')) {
    throw new Error(
      `${file}: distinct() is not the code this patch was written for (smartmongo 2.2.0)`,
    );
  }
  const body = m[1].replace(/values\.add\(this\.toComparable\((\w+)\)\)/g, (_all, v) => {
    return `{ const k = this.toComparable(${v}); if (!values.has(k)) values.set(k, ${v}); }`;
  });
  const patched = `${MARK} const values = new Map();${body}return Array.from(values.values());`;
  writeFileSync(file, src.replace(BEFORE, patched));
}
