// Lint: typescript-eslint's strict, type-aware rules on the whole tree; Prettier owns formatting
// (eslint-config-prettier, last, turns off the rules it would fight with).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdktf.out/', '.build/', '.scratch/', 'coverage/', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Numbers and booleans print as expected in messages; objects, undefined and null do not.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Tests and the emulator harness read synthesized Terraform JSON, Terraform's own JSON output and
    // SDK mock call arguments: untyped documents by nature. A wrong path there fails the assertion, so
    // `any` and non-null assertions are allowed in them, and only in them.
    files: ['__tests__/**/*.ts', 'emulator/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The decision code (functions/shared) runs in the functions, the simulator, the stacks and the
    // scripts. Lambda-only code (functions/runtime, each function's entry folder, Powertools) must
    // not reach into it, so the direction of imports shows which is which.
    files: ['functions/shared/**/*.ts', 'stacks/**/*.ts', 'config/**/*.ts', 'scripts/**/*.ts', 'simulator/**/*.ts', 'guardrails/**/*.ts', 'main.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/runtime/*'], message: 'functions/runtime is Lambda-only: decision code, stacks and scripts must not import it.' },
            {
              group: ['**/functions/respond/*', '**/functions/route/*', '**/functions/escalate/*', '**/functions/quarantine-user/*'],
              message: 'a function entry folder is Lambda-only.',
            },
            { group: ['@aws-lambda-powertools/*'], message: 'Powertools is the Lambda runtime: use the Log port (functions/shared/log.ts).' },
          ],
        },
      ],
    },
  },
  prettier,
);
