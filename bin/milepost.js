#!/usr/bin/env node
// The `milepost` command. Milepost runs its TypeScript sources directly through tsx, so there is
// no build step between a change and a run (see docs/decisions/0003-run-typescript-with-tsx.md).
import { register } from 'tsx/esm/api';

// Libraries that read it (React's server renderer among them) run their production code unless
// told otherwise: the development builds check more and run several times slower.
process.env.NODE_ENV ??= 'production';
register();
await import('../src/cli/main.ts');
