// SQLite persistence (WAL): an append-only log whose row id is the revision, kine style, plus a
// table of current values so startup reads one row per live object.
import Database from 'better-sqlite3';
import type { KubeObject } from '../apis/meta.js';
import type { StoreBackend } from './cached-store.js';
import type { StoreEntry, StoreEvent, StoreEventType } from './store.js';

const TYPES: StoreEventType[] = ['ADDED', 'MODIFIED', 'DELETED'];

interface LogRow {
  revision: number;
  key: string;
  type: number;
  value: string;
  prev: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS log (
  revision INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  type INTEGER NOT NULL,
  value TEXT NOT NULL,
  prev_revision INTEGER
);
CREATE TABLE IF NOT EXISTS kv (
  key TEXT PRIMARY KEY,
  revision INTEGER NOT NULL,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

export class SqliteBackend implements StoreBackend {
  private readonly db: Database.Database;
  private readonly appendTx: (event: StoreEvent) => void;

  constructor(path: string) {
    this.db = new Database(path);
    // WAL + NORMAL: a committed transaction survives a crash of this process (kill -9); only
    // an OS crash may lose the last transactions, as with etcd's default batching.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    const insertLog = this.db.prepare(
      'INSERT INTO log (revision, key, type, value, prev_revision) VALUES (?, ?, ?, ?, ?)',
    );
    const upsert = this.db.prepare(
      'INSERT INTO kv (key, revision, value) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET revision = excluded.revision, value = excluded.value',
    );
    const remove = this.db.prepare('DELETE FROM kv WHERE key = ?');
    this.appendTx = this.db.transaction((event: StoreEvent) => {
      const value = JSON.stringify(event.object);
      const prevRevision = event.prevObject
        ? Number(event.prevObject.metadata.resourceVersion)
        : null;
      insertLog.run(event.revision, event.key, TYPES.indexOf(event.type), value, prevRevision);
      if (event.type === 'DELETED') {
        remove.run(event.key);
      } else {
        upsert.run(event.key, event.revision, value);
      }
    });
  }

  load(): ReturnType<StoreBackend['load']> {
    const rows = this.db.prepare('SELECT key, revision, value FROM kv').all() as {
      key: string;
      revision: number;
      value: string;
    }[];
    const entries: StoreEntry[] = rows.map((r) => ({
      key: r.key,
      revision: r.revision,
      object: JSON.parse(r.value) as KubeObject,
    }));
    const maxLog = this.db.prepare('SELECT MAX(revision) AS r FROM log').get() as {
      r: number | null;
    };
    const maxKv = this.db.prepare('SELECT MAX(revision) AS r FROM kv').get() as {
      r: number | null;
    };
    const revision = Math.max(maxLog.r ?? 0, maxKv.r ?? 0, this.meta('revision'));
    return { entries, revision, compactedRevision: this.meta('compacted') };
  }

  append(event: StoreEvent): void {
    this.appendTx(event);
  }

  history(prefix: string, fromRevision: number, toRevision: number): StoreEvent[] | undefined {
    if (fromRevision < this.meta('compacted')) {
      return undefined;
    }
    const rows = this.db
      .prepare(
        `SELECT l.revision, l.key, l.type, l.value, p.value AS prev FROM log l
         LEFT JOIN log p ON p.revision = l.prev_revision
         WHERE l.revision > ? AND l.revision <= ? AND l.key >= ? AND l.key < ?
         ORDER BY l.revision`,
      )
      .all(fromRevision, toRevision, prefix, `${prefix}\uffff`) as LogRow[];
    return rows.map((r) => {
      const event: StoreEvent = {
        type: TYPES[r.type] ?? 'MODIFIED',
        key: r.key,
        revision: r.revision,
        object: JSON.parse(r.value) as KubeObject,
      };
      if (r.prev !== null) {
        event.prevObject = JSON.parse(r.prev) as KubeObject;
      }
      return event;
    });
  }

  compact(revision: number): void {
    this.db.transaction(() => {
      const maxLog = this.db.prepare('SELECT MAX(revision) AS r FROM log').get() as {
        r: number | null;
      };
      this.setMeta('revision', Math.max(maxLog.r ?? 0, this.meta('revision')));
      this.db.prepare('DELETE FROM log WHERE revision <= ?').run(revision);
      this.setMeta('compacted', revision);
    })();
  }

  close(): void {
    if (this.db.open) {
      this.db.close();
    }
  }

  private meta(name: string): number {
    const row = this.db.prepare('SELECT value FROM meta WHERE name = ?').get(name) as
      { value: number } | undefined;
    return row?.value ?? 0;
  }

  private setMeta(name: string, value: number): void {
    this.db
      .prepare(
        'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value',
      )
      .run(name, value);
  }
}
