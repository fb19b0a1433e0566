/** The part of a D1 database the migrations use; `S` is its prepared statement. */
export interface MigratableDatabase<S> {
  prepare(query: string): S;
  batch(statements: S[]): Promise<unknown>;
}

/** Applies the *.sql migrations in `dir`, in name order, to a fresh D1 database. */
export function applyMigrations<S>(db: MigratableDatabase<S>, dir: string): Promise<void>;
