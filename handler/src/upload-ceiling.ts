// Merges the upload ceiling into librechat.yaml, so that LibreChat's client refuses files that
// could not fit into one Lambda invocation ("File size exceeds 4 MB") instead of the upload
// failing before LibreChat sees it. Values are MiB, as LibreChat reads them
// (packages/data-provider/src/file-config.ts, mbToBytes). Lower values stay.
import { isMap, isSeq, parseDocument } from 'yaml';

/** Bytes in one MiB, the unit of the upload ceiling. */
export const MIB = 1024 * 1024;

// Built-in entries override `default` in LibreChat's merged file config, so each gets its own.
export const BUILT_IN_FILE_ENDPOINTS = [
  'default',
  'agents',
  'anthropic',
  'assistants',
  'azureAssistants',
];

export interface CeilingResult {
  text: string;
  /** YAML paths whose value was set or lowered, e.g. fileConfig.endpoints.agents.fileSizeLimit. */
  capped: string[];
  /** Why nothing was changed, when the file could not be handled. */
  skipped?: string;
}

export function applyUploadCeiling(text: string, limitMb: number): CeilingResult {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    return { text, capped: [], skipped: `not valid YAML: ${doc.errors[0].message}` };
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    return { text, capped: [], skipped: 'the top level is not a mapping' };
  }
  const fileConfig = doc.get('fileConfig');
  if (fileConfig !== undefined && fileConfig !== null && !isMap(fileConfig)) {
    return { text, capped: [], skipped: 'fileConfig is not a mapping' };
  }
  const endpoints = doc.getIn(['fileConfig', 'endpoints']);
  if (endpoints !== undefined && endpoints !== null && !isMap(endpoints)) {
    return { text, capped: [], skipped: 'fileConfig.endpoints is not a mapping' };
  }

  const names = new Set(BUILT_IN_FILE_ENDPOINTS);
  const custom = doc.getIn(['endpoints', 'custom']);
  if (isSeq(custom)) {
    for (const item of custom.items) {
      const name = isMap(item) ? item.get('name') : undefined;
      if (typeof name === 'string' && name !== '') names.add(name);
    }
  }
  if (isMap(endpoints)) {
    for (const pair of endpoints.items) {
      const key = (pair.key as { value?: unknown } | null)?.value ?? pair.key;
      if (typeof key === 'string') names.add(key);
    }
  }

  const capped: string[] = [];
  const cap = (path: string[]): void => {
    const current: unknown = doc.getIn(path);
    if (typeof current === 'number' && current >= 0 && current <= limitMb) return;
    doc.setIn(path, limitMb);
    capped.push(path.join('.'));
  };
  cap(['fileConfig', 'serverFileSizeLimit']);
  for (const name of names) {
    const entry: unknown = doc.getIn(['fileConfig', 'endpoints', name]);
    if (entry !== undefined && entry !== null && !isMap(entry)) continue;
    // A disabled endpoint takes no files at all.
    if (isMap(entry) && entry.get('disabled') === true) continue;
    cap(['fileConfig', 'endpoints', name, 'fileSizeLimit']);
  }
  return { text: capped.length > 0 ? doc.toString() : text, capped };
}
