/** One numbered schema step. Applied once, in its own transaction, and recorded in PRAGMA user_version. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
