/** Every schema migration, in order. A database whose user_version is above the last one is refused. */
import type { Migration } from './migration.std.ts';
import { migration001 } from './001-core.node.ts';
import { migration002 } from './002-search.node.ts';
import { migration003 } from './003-placement-order.node.ts';
import { migration004 } from './004-filter-indexes.node.ts';
import { migration005 } from './005-flag-indexes.node.ts';
import { migration006 } from './006-unreadable-and-blob-size.node.ts';
import { migration007 } from './007-visible-text.node.ts';
import { migration008 } from './008-attachment-text.node.ts';
import { migration009 } from './009-threads.node.ts';
import { migration010 } from './010-browse-order.node.ts';

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010];
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
