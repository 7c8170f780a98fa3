import { ReadStoreUnavailableError } from '../read-store.port';
import { MongoReadStore } from './mongo-read-store';
import { databaseFromUrl, describeConnectionError, hasUrlOption, isUnavailableError, redactMongoUrl } from './mongo-url';

describe('MongoDB connection strings and errors', () => {
  it('masks the password and secret-looking options, keeping the user and hosts', () => {
    expect(redactMongoUrl('mongodb://app:s3cr%40t@db1:27017,db2:27017/after_sales?replicaSet=rs0')).toBe(
      'mongodb://app:***@db1:27017,db2:27017/after_sales?replicaSet=rs0',
    );
    expect(redactMongoUrl('mongodb+srv://app:p@ss@cluster0.example.net/?retryWrites=true')).toBe('mongodb+srv://app:***@cluster0.example.net/?retryWrites=true');
    expect(redactMongoUrl('mongodb://localhost:27017/?tlsCertificateKeyFilePassword=hunter2&appName=x')).toBe(
      'mongodb://localhost:27017/?tlsCertificateKeyFilePassword=***&appName=x',
    );
    expect(redactMongoUrl('mongodb://app@localhost/')).toBe('mongodb://app@localhost/');
    expect(redactMongoUrl('mongodb://localhost:27017/?replicaSet=rs0')).toBe('mongodb://localhost:27017/?replicaSet=rs0');
    expect(redactMongoUrl('postgres://u:p@h/db')).toBe('<not a mongodb:// URL>');
  });

  it('reads the database from the URL path', () => {
    expect(databaseFromUrl('mongodb://mongodb:27017/after_sales?replicaSet=rs0')).toBe('after_sales');
    expect(databaseFromUrl('mongodb://u:p%2Fq@h1,h2/reports')).toBe('reports');
    expect(databaseFromUrl('mongodb://localhost:27017/?replicaSet=rs0')).toBeUndefined();
    expect(databaseFromUrl('mongodb://localhost:27017')).toBeUndefined();
    expect(databaseFromUrl('mongodb+srv://u:p@cluster0.example.net/my%20db')).toBe('my db');
  });

  it('finds connection options in the query, case-insensitively', () => {
    expect(hasUrlOption('mongodb://h/?serverselectiontimeoutms=300', 'serverSelectionTimeoutMS')).toBe(true);
    expect(hasUrlOption('mongodb://h/?replicaSet=rs0', 'serverSelectionTimeoutMS')).toBe(false);
    expect(hasUrlOption('mongodb://h/db', 'serverSelectionTimeoutMS')).toBe(false);
  });

  it('recognises errors that mean the server cannot be reached', () => {
    for (const name of ['MongoServerSelectionError', 'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoTopologyClosedError']) {
      expect(isUnavailableError(Object.assign(new Error('x'), { name }))).toBe(true);
    }
    expect(isUnavailableError(Object.assign(new Error('x'), { name: 'MongoServerError', code: 11000 }))).toBe(false);
    expect(isUnavailableError(undefined)).toBe(false);
  });

  it('says where, why and what to check, without the password', () => {
    const selection = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { name: 'MongoServerSelectionError' });
    const message = describeConnectionError(selection, 'mongodb://app:hunter2@127.0.0.1:27017/?replicaSet=rs0');
    expect(message).toContain('mongodb://app:***@127.0.0.1:27017/?replicaSet=rs0');
    expect(message).toContain('MongoServerSelectionError: connect ECONNREFUSED 127.0.0.1:27017');
    expect(message).toContain('docker compose up -d mongodb');
    expect(message).not.toContain('hunter2');
    const auth = Object.assign(new Error('Authentication failed for hunter2'), { name: 'MongoServerError', code: 18 });
    const authMessage = describeConnectionError(auth, 'mongodb://app:hunter2@h/db');
    expect(authMessage).toContain('Check the user name, password and authSource');
    expect(authMessage).not.toContain('hunter2');
  });

  it('reports a closed port as ReadStoreUnavailableError after the selection timeout (real driver, no server)', async () => {
    const started = Date.now();
    const attempt = MongoReadStore.connect({ url: 'mongodb://app:hunter2@127.0.0.1:1/?serverSelectionTimeoutMS=300' });
    const error = await attempt.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ReadStoreUnavailableError);
    const unavailable = error as ReadStoreUnavailableError;
    expect(unavailable.code).toBe('READ_STORE_UNAVAILABLE');
    expect(unavailable.message).toMatch(/^MongoDB read-model store unavailable at mongodb:\/\/app:\*\*\*@127\.0\.0\.1:1\/\?serverSelectionTimeoutMS=300 \(MongoServerSelectionError: connect ECONNREFUSED 127\.0\.0\.1:1\)/);
    expect(unavailable.message).not.toContain('hunter2');
    expect((unavailable.cause as Error).name).toBe('MongoServerSelectionError');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('gives up a start after its start timeout, though its operations would wait longer for a server', async () => {
    const started = Date.now();
    const error = await MongoReadStore.connect({ url: 'mongodb://127.0.0.1:1/', startTimeoutMS: 300 }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ReadStoreUnavailableError);
    expect((error as Error).message).toMatch(/^MongoDB read-model store unavailable at mongodb:\/\/127\.0\.0\.1:1\/ \(Error: no answer within 300 ms\)/);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
