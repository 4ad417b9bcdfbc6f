import { describeFuzzShard } from './fuzz-suite.ts';

describeFuzzShard(1, 2);
