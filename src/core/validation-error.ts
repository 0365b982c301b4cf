import type { IConstruct } from 'constructs';

/**
 * A construct used in a way it does not support (a prop out of range, a name it cannot take):
 * raised at synth, naming the construct's class and path so the message points at the caller.
 */
export class ValidationError extends Error {
  constructor(scope: IConstruct, message: string) {
    super(`${scope.constructor.name} ${scope.node.path}: ${message}`);
    this.name = 'ValidationError';
  }
}
