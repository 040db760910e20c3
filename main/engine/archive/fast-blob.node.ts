/**
 * postal-mime joins the lines of every MIME part through `new Blob(lines).arrayBuffer()`. On Node 20 that Blob
 * path is very slow for many small pieces (it dominated parsing: ~10 MB/s on text mail). FastBlob is a complete
 * Blob (it IS a Blob: subclass) that keeps its parts in memory and joins them with Buffer.concat; slice() and
 * stream() hand over to a real Blob built from the joined bytes, so any other user sees standard behaviour.
 */
const NativeBlob = globalThis.Blob;

function partBytes(p: unknown): Uint8Array {
  if (typeof p === 'string') return Buffer.from(p, 'utf8');
  if (p instanceof ArrayBuffer) return new Uint8Array(p);
  if (ArrayBuffer.isView(p)) return new Uint8Array(p.buffer, p.byteOffset, p.byteLength);
  throw new TypeError('FastBlob: unsupported part');
}

export class FastBlob extends NativeBlob {
  private readonly joined!: Buffer;
  private readonly mime!: string;
  constructor(parts: unknown[] = [], options: BlobPropertyBag = {}) {
    if (parts.some((p) => p instanceof NativeBlob && !(p instanceof FastBlob))) {
      // A real Blob part cannot be read synchronously: such callers (not postal-mime) get a real Blob.
      return new NativeBlob(parts as BlobPart[], options) as FastBlob;
    }
    super([], options);
    this.joined = Buffer.concat(parts.map((p) => (p instanceof FastBlob ? p.joined : partBytes(p))));
    this.mime = (options.type ?? '').toLowerCase();
  }
  override get size(): number {
    return this.joined.length;
  }
  override get type(): string {
    return this.mime;
  }
  override async arrayBuffer(): Promise<ArrayBuffer> {
    const out = new ArrayBuffer(this.joined.length);
    new Uint8Array(out).set(this.joined);
    return out;
  }
  override async text(): Promise<string> {
    return this.joined.toString('utf8');
  }
  override slice(start?: number, end?: number, contentType?: string): Blob {
    return new NativeBlob([this.joined as Uint8Array<ArrayBuffer>]).slice(start, end, contentType);
  }
  override stream(): ReturnType<Blob['stream']> {
    return new NativeBlob([this.joined as Uint8Array<ArrayBuffer>], { type: this.mime }).stream();
  }
}

let depth = 0;

/**
 * Run `fn` with FastBlob as the global Blob (postal-mime looks Blob up globally when it runs). Parses may overlap
 * (several awaits in flight): the native Blob comes back when the last one ends.
 */
export async function withFastBlob<T>(fn: () => Promise<T>): Promise<T> {
  if (depth++ === 0) globalThis.Blob = FastBlob as unknown as typeof Blob;
  try {
    return await fn();
  } finally {
    if (--depth === 0) globalThis.Blob = NativeBlob;
  }
}
