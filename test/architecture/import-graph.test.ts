/**
 * The whole import graph of main/ and shared/, type-only imports included (lint's no-cycle skips those because they
 * vanish at run time, but a circle of types still ties two files together): it has no cycle, and every engine part
 * is in the layer table that lint enforces, so a new folder cannot escape the rules.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ENGINE_LAYERS } from '../../scripts/lint/layers.mjs';

const repo = path.resolve(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|tsx)$/.test(e) && !/\.test\.tsx?$/.test(e)) out.push(p);
  }
  return out;
}

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of [...sources(path.join(repo, 'main')), ...sources(path.join(repo, 'shared'))]) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles.map((f) => f.fileName).filter((s) => s.startsWith('.')).map((s) => path.resolve(path.dirname(file), s));
    graph.set(file, targets);
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the list of files around it (relative to the repository). */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const t of graph.get(f) ?? []) {
      if (state.get(t) === 'open') found.push(stack.slice(stack.indexOf(t)).map((x) => path.relative(repo, x)));
      else if (!state.has(t) && graph.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return found;
}

describe('the import graph', () => {
  it('finds a planted cycle (the check can fail)', () => {
    const g = new Map([['/a', ['/b']], ['/b', ['/c']], ['/c', ['/a']], ['/d', ['/a']]]);
    expect(cycles(g)).toHaveLength(1);
  });

  it('has no cycle in main/ and shared/, type-only imports included', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(100);
    expect(cycles(graph)).toEqual([]);
  });

  it('every engine part is in the layer table that lint enforces', () => {
    const parts = readdirSync(path.join(repo, 'main', 'engine')).filter((e) => statSync(path.join(repo, 'main', 'engine', e)).isDirectory());
    expect(parts.sort()).toEqual(Object.keys(ENGINE_LAYERS).sort());
  });
});
