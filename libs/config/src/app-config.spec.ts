import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '#shared-kernel';
import { loadConfig } from './app-config';

describe('configuration', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cfg-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to the embedded store in the data directory with a generated, private secret', () => {
    const config = loadConfig({ DATA_DIR: dir });
    expect(config.eventStore).toEqual({ engine: 'sqlite', file: join(dir, 'events.db'), durability: 'full' });
    expect(config.port).toBe(3000);
    expect(config.businessTimeZone).toBe('Asia/Shanghai');
    expect(config.authTokenSecretSource).toBe('generated');
    expect(statSync(join(dir, 'auth-secret')).mode & 0o777).toBe(0o600);
    const again = loadConfig({ DATA_DIR: dir });
    expect(again.authTokenSecret).toBe(config.authTokenSecret);
    expect(again.authTokenSecretSource).toBe('data-dir');
    expect(readFileSync(join(dir, 'auth-secret'), 'utf8').trim()).toBe(config.authTokenSecret);
  });

  it('switches to KurrentDB with EVENTSTORE_URL and then requires a shared secret', () => {
    expect(() => loadConfig({ DATA_DIR: dir, EVENTSTORE_URL: 'kurrentdb://localhost:2113?tls=false' })).toThrow('AUTH_TOKEN_SECRET is required');
    const config = loadConfig({ DATA_DIR: dir, EVENTSTORE_URL: 'kurrentdb://localhost:2113?tls=false', AUTH_TOKEN_SECRET: 'a-shared-secret-for-every-instance-0123456789' });
    expect(config.eventStore).toEqual({ engine: 'kurrentdb', url: 'kurrentdb://localhost:2113?tls=false' });
  });

  it('acknowledges an embedded append once it is on disk unless EVENTSTORE_DURABILITY=normal says otherwise', () => {
    expect(loadConfig({ DATA_DIR: dir }).eventStore).toStrictEqual({ engine: 'sqlite', file: join(dir, 'events.db'), durability: 'full' });
    expect(loadConfig({ DATA_DIR: dir, EVENTSTORE_DURABILITY: 'normal' }).eventStore).toStrictEqual({ engine: 'sqlite', file: join(dir, 'events.db'), durability: 'normal' });
    expect(() => loadConfig({ DATA_DIR: dir, EVENTSTORE_DURABILITY: 'off' })).toThrow('EVENTSTORE_DURABILITY must be full or normal');
  });

  it('keeps read models in SQLite with the projections in a process of their own by default; MongoDB leaves them to the projector', () => {
    const embedded = loadConfig({ DATA_DIR: dir });
    expect(embedded.readStore).toEqual({ engine: 'sqlite', file: join(dir, 'read-models.db') });
    expect(embedded.projections).toBe('process');
    expect(loadConfig({ DATA_DIR: dir, PROJECTIONS: 'inline' }).projections).toBe('inline');
    expect(() => loadConfig({ DATA_DIR: dir, PROJECTIONS: 'thread' })).toThrow('PROJECTIONS must be process, inline or off');
    expect(embedded.rulesSource).toBe('defaults');
    const production = loadConfig({ DATA_DIR: dir, MONGODB_URL: 'mongodb://localhost:27017/?replicaSet=rs0' });
    expect(production.readStore).toEqual({ engine: 'mongodb', url: 'mongodb://localhost:27017/?replicaSet=rs0' });
    expect(production.projections).toBe('off');
    expect(loadConfig({ DATA_DIR: dir, MONGODB_URL: 'mongodb://m', PROJECTIONS: 'inline' }).projections).toBe('inline');
  });

  it('refuses a weak AUTH_TOKEN_SECRET, or a weak secret in the data directory, naming it', () => {
    expect(() => loadConfig({ DATA_DIR: dir, AUTH_TOKEN_SECRET: ' '.repeat(32) })).toThrow('AUTH_TOKEN_SECRET must mix at least 12 different characters');
    expect(() => loadConfig({ DATA_DIR: dir, AUTH_TOKEN_SECRET: 'a'.repeat(40) })).toThrow('AUTH_TOKEN_SECRET must mix at least 12 different characters');
    writeFileSync(join(dir, 'auth-secret'), `${'b'.repeat(40)}\n`);
    expect(() => loadConfig({ DATA_DIR: dir })).toThrow(`The secret in ${join(dir, 'auth-secret')} must mix at least 12 different characters`);
  });

  it('stops rather than make a new secret when the secret file is gone but the event log is there', () => {
    writeFileSync(join(dir, 'events.db'), 'SQLite format 3');
    let error: unknown;
    try {
      loadConfig({ DATA_DIR: dir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe(
      `${join(dir, 'auth-secret')} is missing, but ${join(dir, 'events.db')} holds an event log: tokens issued before were signed with the missing secret. ` +
        `Restore the file, or set AUTH_TOKEN_SECRET; to start with a new secret on purpose (every earlier token stops working), ` +
        `create it: openssl rand -base64 32 > ${join(dir, 'auth-secret')} && chmod 600 ${join(dir, 'auth-secret')}`,
    );
    expect(existsSync(join(dir, 'auth-secret'))).toBe(false);
    // An explicit secret is used as it is.
    expect(loadConfig({ DATA_DIR: dir, AUTH_TOKEN_SECRET: 'a-shared-secret-for-every-instance-0123456789' }).authTokenSecretSource).toBe('environment');
  });

  it('lets rebuilds build in memory up to 64 MB by default, or another budget, or never', () => {
    expect(loadConfig({ DATA_DIR: dir }).rebuildMemoryMb).toBe(64);
    expect(loadConfig({ DATA_DIR: dir, REBUILD_MEMORY_MB: '512' }).rebuildMemoryMb).toBe(512);
    expect(loadConfig({ DATA_DIR: dir, REBUILD_MEMORY_MB: '0' }).rebuildMemoryMb).toBe(0);
    expect(() => loadConfig({ DATA_DIR: dir, REBUILD_MEMORY_MB: 'lots' })).toThrow('REBUILD_MEMORY_MB must be a whole number');
    expect(() => loadConfig({ DATA_DIR: dir, REBUILD_MEMORY_MB: '-1' })).toThrow('REBUILD_MEMORY_MB must not be less than 0');
  });

  it('runs one rebuild at a time in a thread by default, or as many as asked, or none in a thread', () => {
    expect(loadConfig({ DATA_DIR: dir }).rebuildThreads).toBe(1);
    expect(loadConfig({ DATA_DIR: dir, REBUILD_THREADS: '4' }).rebuildThreads).toBe(4);
    expect(loadConfig({ DATA_DIR: dir, REBUILD_THREADS: '0' }).rebuildThreads).toBe(0);
    expect(() => loadConfig({ DATA_DIR: dir, REBUILD_THREADS: 'many' })).toThrow('REBUILD_THREADS must be a whole number');
    expect(() => loadConfig({ DATA_DIR: dir, REBUILD_THREADS: '-1' })).toThrow('REBUILD_THREADS must be 0 (rebuild in the process itself) or more');
    expect(() => loadConfig({ DATA_DIR: dir, REBUILD_THREADS: '17' })).toThrow('REBUILD_THREADS must be at most 16');
  });

  it('reads rule overrides from RULES_FILE and refuses a file with a wrong value, naming it', () => {
    const file = join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify({ dailyTargets: { phoneCalls: 12 } }));
    expect(loadConfig({ DATA_DIR: dir, RULES_FILE: file }).rules.dailyTargets).toEqual({ customersServed: 5, phoneCalls: 12 });
    writeFileSync(file, JSON.stringify({ workload: { monthlyThreshold: -5 } }));
    expect(() => loadConfig({ DATA_DIR: dir, RULES_FILE: file })).toThrow('rules.workload.monthlyThreshold must not be negative');
    writeFileSync(file, '{ not json');
    expect(() => loadConfig({ DATA_DIR: dir, RULES_FILE: file })).toThrow('cannot be read as JSON');
  });

  it('reads a rules file saved with a byte-order mark, and lists every wrong value in it at once', () => {
    const file = join(dir, 'rules.json');
    writeFileSync(file, `\uFEFF${JSON.stringify({ dailyTargets: { phoneCalls: 12 } })}`);
    expect(loadConfig({ DATA_DIR: dir, RULES_FILE: file }).rules.dailyTargets.phoneCalls).toBe(12);
    writeFileSync(file, `\uFEFF${JSON.stringify({ workload: { monthlyThreshold: -5 }, dailyTargets: { phoneCalls: 'x' }, churn: { cap: 1.5 } })}`);
    let error: unknown;
    try {
      loadConfig({ DATA_DIR: dir, RULES_FILE: file });
    } catch (e) {
      error = e;
    }
    expect((error as Error).message.split('\n').slice(1)).toStrictEqual([
      `  - RULES_FILE ${file}: rules.dailyTargets.phoneCalls must be a number`,
      `  - RULES_FILE ${file}: rules.workload.monthlyThreshold must not be negative`,
      `  - RULES_FILE ${file}: rules.churn.cap must be a whole number`,
    ]);
  });

  it('lists every problem at once and refuses to start', () => {
    let error: unknown;
    try {
      loadConfig({ DATA_DIR: dir, PORT: 'eighty', EVENTSTORE_URL: 'http://x', AUTH_TOKEN_SECRET: 'short', BUSINESS_TIME_ZONE: 'Mars/Olympus' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    expect(message).toContain('PORT');
    expect(message).toContain('EVENTSTORE_URL must start with kurrentdb://, kurrent://, kdb:// or esdb://');
    expect(message).toContain('AUTH_TOKEN_SECRET must be at least 32');
    expect(message).toContain('Mars/Olympus');
  });
});
