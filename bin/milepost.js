#!/usr/bin/env node
// The `milepost` command. Milepost runs its TypeScript sources directly through tsx, so there is
// no build step between a change and a run (see docs/decisions/0003-run-typescript-with-tsx.md).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
