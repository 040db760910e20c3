/*
 * The archive schema this program was written for: PRAGMA user_version after the last migration in
 * main/engine/archive/migrations/index.node.ts. Any other version is handed to Node (which migrates, or refuses a
 * newer archive in plain words). test/native-schema.test.ts fails when a migration is added and this is not updated.
 */
#ifndef ARCHE_SCHEMA_H
#define ARCHE_SCHEMA_H
#define ARCHE_SCHEMA_VERSION 10
#endif
