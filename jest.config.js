// The product runs on Node 22 (workflows, functions); on a Node 20 machine the AWS SDK warns about
// its own future releases on every test file, which says nothing about the code under test.
if (Number(process.versions.node.split('.')[0]) < 22) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // The emulator tier has its own command and config (jest.emulator.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/emulator/'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
  testTimeout: 60000,
};
