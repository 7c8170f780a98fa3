import { existsSync } from 'node:fs';
import { FERRETDB_VERSION, ferretdbBinary, ferretdbBinaryPath } from './ferretdb';

/**
 * Before any worker starts: FerretDB is built here, once, when this machine has none yet, so that two workers that
 * both need it never build it side by side. A suite that finds no binary afterwards says why it is skipped.
 */
export default function globalSetup(): void {
  if (existsSync(ferretdbBinaryPath)) return;
  process.stdout.write(`\nBuilding FerretDB ${FERRETDB_VERSION} for the MongoDB adapter's suites (once per machine)...\n`);
  const found = ferretdbBinary();
  process.stdout.write('skip' in found ? `FerretDB could not be built: ${found.skip}\n` : `FerretDB built: ${found.binary}\n`);
}
