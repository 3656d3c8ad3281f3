/**
 * Reads a mysqldump / mariadb-dump SQL stream as it passes and records what it holds: the
 * tables it creates, the rows its INSERT statements carry, and whether it ends with the
 * `-- Dump completed` trailer the dump tools write only after a full, successful run. Counting
 * from the dump itself gives row counts that match the snapshot exactly, whatever was written
 * to the server meanwhile.
 */

const INSERT_RE = /^INSERT INTO `((?:[^`]|``)+)` VALUES\s*$/;
const CREATE_RE = /^CREATE TABLE `((?:[^`]|``)+)` \($/;
const TRAILER_RE = /\n-- Dump completed(?: on [^\n]*)?\s*$/;
const MAX_PREFIX = 4096;

const NL = 0x0a;
const QUOTE = 0x27;
const BACKSLASH = 0x5c;
const OPEN = 0x28;
const CLOSE = 0x29;
const SEMI = 0x3b;

export class SqlDumpScan {
  /** Tables in the order the dump creates them, with the rows it inserts. */
  readonly rows = new Map<string, number>();
  bytes = 0;
  private prefix: number[] = [];
  /** 'line': reading the start of a line; 'skip': rest of a line we do not care about; 'values': inside an INSERT. */
  private mode: 'line' | 'skip' | 'values' = 'line';
  private table = '';
  private depth = 0;
  private inQuote = false;
  private escape = false;
  private tail = Buffer.alloc(0);

  update(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.tail = Buffer.concat([
      this.tail,
      chunk.subarray(Math.max(0, chunk.length - 256)),
    ]).subarray(-256);
    for (let i = 0; i < chunk.length; i++) {
      if (this.mode === 'values') {
        i = this.values(chunk, i);
        if (i >= chunk.length) break;
        continue;
      }
      if (this.mode === 'skip') {
        const nl = chunk.indexOf(NL, i);
        if (nl < 0) break;
        i = nl;
        this.mode = 'line';
        continue;
      }
      const b = chunk[i]!;
      // 'line': collect the start of the line; decide at '(' (one-line INSERTs) or at its end.
      if (b === NL || (b === OPEN && this.prefix.length > 0 && this.prefix[0] === 0x49) /* I */) {
        const line = Buffer.from(this.prefix).toString('utf8');
        this.prefix = [];
        const insert = INSERT_RE.exec(line.trimEnd());
        if (insert) {
          this.table = insert[1]!.replace(/``/g, '`');
          if (!this.rows.has(this.table)) this.rows.set(this.table, 0);
          this.mode = 'values';
          this.depth = 0;
          this.inQuote = false;
          this.escape = false;
          if (b === OPEN) i--; // let values mode count this row
          continue;
        }
        const create = b === NL ? CREATE_RE.exec(line) : null;
        if (create) {
          const name = create[1]!.replace(/``/g, '`');
          if (!this.rows.has(name)) this.rows.set(name, 0);
        }
        this.mode = b === NL ? 'line' : 'skip';
        continue;
      }
      if (this.prefix.length < MAX_PREFIX) this.prefix.push(b);
      else {
        this.prefix = [];
        this.mode = 'skip';
      }
    }
  }

  /** The hot loop, on locals: returns the index of the ';' that ends the INSERT, or chunk.length. */
  private values(chunk: Buffer, from: number): number {
    let depth = this.depth;
    let inQuote = this.inQuote;
    let escape = this.escape;
    let rows = 0;
    let i = from;
    const n = chunk.length;
    for (; i < n; i++) {
      const b = chunk[i]!;
      if (inQuote) {
        if (escape) escape = false;
        else if (b === BACKSLASH) escape = true;
        else if (b === QUOTE) inQuote = false;
      } else if (b === QUOTE) inQuote = true;
      else if (b === OPEN) {
        if (depth === 0) rows++;
        depth++;
      } else if (b === CLOSE) depth--;
      else if (b === SEMI && depth === 0) {
        this.mode = 'skip';
        break;
      }
    }
    this.depth = depth;
    this.inQuote = inQuote;
    this.escape = escape;
    if (rows) this.rows.set(this.table, (this.rows.get(this.table) ?? 0) + rows);
    return i;
  }

  /** True when the stream ends with the dump tool's completion trailer. */
  get complete(): boolean {
    return TRAILER_RE.test(this.tail.toString('latin1'));
  }
}
