import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['main/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'test/**/*.test.ts', 'e2e/**/*.e2e.ts', 'e2e/**/*.test.ts'],
    // Integration tests start real Dovecot servers and spawn the CLI: give them room, but never sleep.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // expect.poll waits for what a server or a browser shows next; its default (1 s) is shorter than one slow step on a
    // loaded 2-core CI machine. A condition never met still fails, after 15 s.
    expect: { poll: { timeout: 15_000 } },
    pool: 'forks',
    maxWorkers: 2,
  },
});
