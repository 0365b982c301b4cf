/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // With isolatedModules in tsconfig, ts-jest only transpiles; `npm run typecheck` checks types.
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Jest's default leaves a core idle (cores - 1); the suites are CPU-bound synths.
  maxWorkers: '100%',
  globalSetup: '<rootDir>/__tests__/helpers/jest-global-setup.js',
  globalTeardown: '<rootDir>/__tests__/helpers/jest-global-teardown.js',
};
