/**
 * The emulator tier (`npm run test:emulator`): the synthesized stacks applied, and the deployed
 * function zips run, against moto on loopback. Its own config so `npm test` never starts it.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__/emulator'],
  testMatch: ['**/*.emulator.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 600000,
  maxWorkers: 2,
};
