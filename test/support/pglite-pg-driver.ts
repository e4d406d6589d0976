/**
 * TypeORM's postgres driver on PGlite: the source of a `pg`-shaped module (TypeORM's `driver`
 * option) over one in-memory PGlite, inlined into a harness script that runs in the project.
 * (gen_random_uuid() is built in; TypeORM's CREATE EXTENSION for it fails and only warns.) TypeORM uses of `pg` only `new Pool()`, `pool.connect(cb)`, `pool.end(cb)` and
 * `client.query(text, values)` (promise or callback); PGlite answers those with one connection,
 * so TypeORM's work runs as the harness runs it, one step after another.
 */
export function pglitePgDriverSource(): string {
  return `import { PGlite } from '@electric-sql/pglite'

function pglitePgDriver(): unknown {
  const db = new PGlite()
  type Callback = (error: unknown, result?: unknown) => void
  const client = {
    query(text: string, values?: unknown, callback?: Callback): unknown {
      const done = typeof values === 'function' ? (values as Callback) : callback
      const result = db.query(text, Array.isArray(values) ? values : []).then((answer) => ({
        rows: answer.rows,
        rowCount: answer.rowCount ?? answer.affectedRows ?? answer.rows.length,
        command: answer.command ?? '',
        fields: answer.fields,
      }))
      if (!done) return result
      result.then((answer) => done(null, answer), (error: unknown) => done(error))
      return undefined
    },
    on: () => client,
    removeListener: () => client,
  }
  class Pool {
    on(): Pool {
      return this
    }
    connect(done: (error: unknown, connection?: unknown, release?: () => void) => void): void {
      done(null, client, () => undefined)
    }
    end(done?: (error?: unknown) => void): void {
      db.close().then(() => done?.(), (error: unknown) => done?.(error))
    }
  }
  return { Pool }
}
`;
}
