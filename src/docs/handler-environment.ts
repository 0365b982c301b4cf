import { type ContractVariable, VARIABLES, type VariableSpec } from '../../handler/src/contract';
import { markdownTable } from './generated-section';

function defaultCell(spec: VariableSpec): string {
  if (spec.default === undefined) return 'unset';
  return `\`${String(spec.default)}\``;
}

function rangeCell(spec: VariableSpec): string {
  return spec.min === undefined ? '' : `${spec.min}-${spec.max}`;
}

/**
 * The handler's environment table (handler/README.md), from the contract the handler and the
 * stack both use (handler/src/contract.ts).
 */
export function handlerEnvironmentReference(): string {
  const rows = (Object.keys(VARIABLES) as ContractVariable[]).map((name) => {
    const spec: VariableSpec = VARIABLES[name];
    return [
      `\`${name}\``,
      defaultCell(spec),
      rangeCell(spec),
      [spec.stackManaged ? 'stack' : '', spec.handlerOnly ? 'handler only' : '']
        .filter(Boolean)
        .join(', '),
      spec.doc,
    ];
  });
  return markdownTable(['Variable', 'Default', 'Range', 'Set by / seen by', 'Meaning'], rows);
}
