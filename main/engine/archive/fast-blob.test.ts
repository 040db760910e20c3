import { describe, expect, it } from 'vitest';
import { FastBlob, withFastBlob } from './fast-blob.node.ts';

describe('FastBlob', () => {
  it('behaves like a Blob built from the same parts', async () => {
    const parts = [new Uint8Array([104, 105]), '\n', 'é', new Uint8Array([0, 255]).buffer];
    const fast = new FastBlob(parts, { type: 'Text/Plain' });
    const real = new Blob(parts as BlobPart[], { type: 'Text/Plain' });
    expect(fast).toBeInstanceOf(Blob);
    expect(fast.size).toBe(real.size);
    expect(fast.type).toBe(real.type);
    expect(Buffer.from(await fast.arrayBuffer())).toEqual(Buffer.from(await real.arrayBuffer()));
    expect(await fast.text()).toBe(await real.text());
    expect(Buffer.from(await fast.slice(1, 4).arrayBuffer())).toEqual(Buffer.from(await real.slice(1, 4).arrayBuffer()));
    const chunks: Uint8Array[] = [];
    for await (const c of fast.stream() as unknown as AsyncIterable<Uint8Array>) chunks.push(c);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from(await real.arrayBuffer()));
    // a real Blob as a part gives a real Blob
    const mixed = new FastBlob([real, 'x']);
    expect(await mixed.text()).toBe((await real.text()) + 'x');
  });
  it('is the global Blob only while parses run, even when they overlap', async () => {
    const Native = globalThis.Blob;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a = withFastBlob(async () => {
      await gate;
      return globalThis.Blob;
    });
    const b = withFastBlob(async () => globalThis.Blob);
    expect(await b).toBe(FastBlob);
    expect(globalThis.Blob).toBe(FastBlob); // a is still running
    release();
    expect(await a).toBe(FastBlob);
    expect(globalThis.Blob).toBe(Native);
  });
});
