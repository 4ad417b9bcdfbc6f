import { describeFuzzShard } from './fuzz-suite.ts';

describeFuzzShard(0, 2);
