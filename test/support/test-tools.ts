import { homedir } from 'node:os';
import { join } from 'node:path';

/** Test tools built or installed once per machine (FerretDB, Schemathesis), kept between runs and clean checkouts. */
export const TEST_TOOLS = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'after-sales-test-tools');
