/** Every schema migration, in order. A database whose user_version is above the last one is refused. */
import type { Migration } from './migration.std.ts';
import { migration001 } from './001-core.node.ts';
import { migration002 } from './002-search.node.ts';

export const MIGRATIONS: readonly Migration[] = [migration001, migration002];
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
