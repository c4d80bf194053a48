// SQLite persistence (WAL): an append-only log whose row id is the revision, kine style, plus an
// index of the live revision per key, so each value is written once and startup reads one row per
// live object.
import Database from 'better-sqlite3';
import type { KubeObject } from '../apis/meta.js';
import type { StoreBackend } from './cached-store.js';
import type { StoreEntry, StoreEvent, StoreEventType } from './store.js';

const TYPES: StoreEventType[] = ['ADDED', 'MODIFIED', 'DELETED'];
const CHECKPOINT_MS = 1000;

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
  revision INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS kv_revision ON kv (revision);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

export class SqliteBackend implements StoreBackend {
  private readonly db: Database.Database;
  private readonly appendTx: (event: StoreEvent) => void;
  private readonly checkpointTimer: NodeJS.Timeout;

  constructor(path: string) {
    this.db = new Database(path);
    // WAL + NORMAL: a committed transaction survives a crash of this process (kill -9); an OS
    // crash or power loss may lose the newest transactions (etcd fsyncs each write; we trade that
    // for write latency on one machine, see docs/adr/0001-store-layout.md).
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // Checkpoints run from a timer between requests instead of inside whichever write crosses
    // the threshold (a 7 ms stall every ~150 writes otherwise).
    this.db.pragma('wal_autocheckpoint = 0');
    this.checkpointTimer = setInterval(
      () => this.db.pragma('wal_checkpoint(PASSIVE)'),
      CHECKPOINT_MS,
    );
    this.checkpointTimer.unref();
    this.db.exec(SCHEMA);
    const insertLog = this.db.prepare(
      'INSERT INTO log (revision, key, type, value, prev_revision) VALUES (?, ?, ?, ?, ?)',
    );
    const upsert = this.db.prepare(
      'INSERT INTO kv (key, revision) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET revision = excluded.revision',
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
        upsert.run(event.key, event.revision);
      }
    });
  }

  load(): ReturnType<StoreBackend['load']> {
    const rows = this.db
      .prepare(
        'SELECT kv.key, kv.revision, log.value FROM kv JOIN log ON log.revision = kv.revision',
      )
      .all() as {
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
      // Live objects' newest rows stay: they are where kv points for the current value.
      this.db
        .prepare(
          'DELETE FROM log WHERE revision <= ? AND revision NOT IN (SELECT revision FROM kv)',
        )
        .run(revision);
      this.setMeta('compacted', revision);
    })();
  }

  close(): void {
    clearInterval(this.checkpointTimer);
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
