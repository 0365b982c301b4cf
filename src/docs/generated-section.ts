/**
 * Parts of the docs written by code (configuration reference, guardrail table): each sits between
 * `<!-- generated:<name> -->` and `<!-- /generated:<name> -->` in its file, so the prose around it
 * stays hand-written and a test can tell when the generated part is out of date.
 */
export function replaceGeneratedSection(text: string, name: string, content: string): string {
  const start = `<!-- generated:${name} -->`;
  const end = `<!-- /generated:${name} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) {
    throw new Error(`no generated section "${name}": expected the markers ${start} and ${end}`);
  }
  return `${text.slice(0, from + start.length)}\n${content.trimEnd()}\n${text.slice(to)}`;
}

/** A Markdown table; `|` inside a cell is escaped so it cannot split the row. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]) {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
