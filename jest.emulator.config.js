/**
 * The emulator tier (`npm run test:emulator`): the synthesized stacks applied, and the deployed
 * function zips run, against moto on loopback. Its own config so `npm test` never starts it.
 */
// The product runs on Node 22 (workflows, functions); on a Node 20 machine the AWS SDK warns about
// its own future releases on every test file, which says nothing about the code under test.
if (Number(process.versions.node.split('.')[0]) < 22) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__/emulator'],
  testMatch: ['**/*.emulator.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 600000,
  maxWorkers: 2,
};
