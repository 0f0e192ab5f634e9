// Two projects: `unit` (pure code beside the source, no services) and `e2e` (real PostgreSQL,
// Redis and SMTP on loopback; each file gets its own database and Redis key prefix).
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] };
// The generated Prisma client imports its siblings as './x.js'; the sources are .ts.
const moduleNameMapper = { '^(\\.{1,2}/.*)\\.js$': '$1' };
const projects = [
    { displayName: 'unit', testEnvironment: 'node', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'], transform, moduleNameMapper },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      transform,
      moduleNameMapper,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      testTimeout: 60000,
    },
    {
      // `npm run test:reliability`: crashes and faults in running campaigns (child processes,
      // a private Redis). Minutes long, so not part of `npm test`; `.ci/run` runs its short form.
      displayName: 'reliability',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/reliability/**/*.reliability-spec.ts'],
      transform,
      moduleNameMapper,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
];
// `npm run test:unit` / `test:e2e` pick one project by name (OTKLIK_TESTS), so paths given after
// `--` still filter files (jest's --selectProjects would swallow them as project names).
const only = process.env.OTKLIK_TESTS;
module.exports = {
  testTimeout: 60000,
  reporters: [
    'default',
    '<rootDir>/test/support/summary-reporter.js',
    // Last, so its closing line is the last of the run.
    ...(only === 'reliability' ? ['<rootDir>/test/support/reliability-reporter.js'] : []),
  ],
  projects: only ? projects.filter((p) => p.displayName === only) : projects.filter((p) => p.displayName !== 'reliability'),
};
