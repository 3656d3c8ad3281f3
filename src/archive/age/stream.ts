import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { IntegrityError } from '../../core/errors.ts';
import { AgeKeyError, type Identity, type Recipient, type Stanza } from './keys.ts';
import { b64decode, b64encode, constantTimeEqual, hkdf } from './primitives.ts';

const INTRO = 'age-encryption.org/v1\n';
const CHUNK = 64 * 1024;
const TAG = 16;
const SEALED_CHUNK = CHUNK + TAG;
const NONCE_SIZE = 16;
/** No legitimate header comes near this; a reader gives up instead of buffering more. */
const MAX_HEADER = 1024 * 1024;

/** What the age stages throw, so the engine can name the option or call it altered data. */
export class NoIdentityMatchError extends Error {}

const HINT_DAMAGED =
  'the stored copy is damaged or was altered: restore from another destination or another backup';

function altered(message: string): IntegrityError {
  return new IntegrityError(message, { hint: HINT_DAMAGED });
}

function encodeStanza(s: Stanza): string {
  let out = `-> ${[s.type, ...s.args].join(' ')}\n`;
  const b = b64encode(s.body);
  for (let i = 0; i <= b.length; i += 64) out += `${b.slice(i, i + 64)}\n`;
  // A body whose base64 fills whole lines ends with an empty line.
  return out;
}

function headerMac(fileKey: Buffer, headerUpToDashes: Buffer): Buffer {
  return createHmac('sha256', hkdf(fileKey, Buffer.alloc(0), 'header'))
    .update(headerUpToDashes)
    .digest();
}

/** Encodes an age v1 header for a file key; returns the bytes including the MAC line. */
export async function encodeHeader(fileKey: Buffer, recipients: Recipient[]): Promise<Buffer> {
  if (recipients.length === 0) throw new AgeKeyError('no recipients');
  let text = INTRO;
  for (const r of recipients) for (const s of await r.wrap(fileKey)) text += encodeStanza(s);
  text += '---';
  const upTo = Buffer.from(text, 'latin1');
  return Buffer.concat([upTo, Buffer.from(` ${b64encode(headerMac(fileKey, upTo))}\n`, 'latin1')]);
}

const ARG = /^[\x21-\x7e]+$/;

/** Parses a header's text (through the MAC line); throws IntegrityError on malformed input. */
export function parseHeader(bytes: Buffer): { stanzas: Stanza[]; macInput: Buffer; mac: Buffer } {
  const text = bytes.toString('latin1');
  if (!text.startsWith(INTRO)) {
    throw new IntegrityError('the archive is not an age v1 encrypted file', {
      hint: 'the backup is not encrypted as its index says, or its object was replaced',
    });
  }
  const lines = text.slice(INTRO.length).split('\n');
  // The text ends with "\n", so the split leaves one empty string at the end.
  if (lines.pop() !== '') throw altered('the age header is malformed');
  const stanzas: Stanza[] = [];
  let i = 0;
  for (;;) {
    const line = lines[i++];
    if (line === undefined) throw altered('the age header is malformed');
    if (line.startsWith('--- ')) {
      if (i !== lines.length) throw altered('the age header is malformed');
      const mac = b64decodeOr(line.slice(4), 'the age header MAC is malformed');
      if (mac.length !== 32) throw altered('the age header MAC is malformed');
      const macInput = Buffer.from(text.slice(0, text.length - 1 - line.length + 3), 'latin1');
      return { stanzas, macInput, mac };
    }
    if (!line.startsWith('-> ')) throw altered('the age header is malformed');
    const parts = line.slice(3).split(' ');
    if (parts.some((p) => !ARG.test(p))) throw altered('an age header stanza is malformed');
    let body = '';
    for (;;) {
      const b = lines[i++];
      if (b === undefined || b.length > 64) throw altered('an age stanza body is malformed');
      body += b;
      if (b.length < 64) break;
    }
    stanzas.push({
      type: parts[0]!,
      args: parts.slice(1),
      body: b64decodeOr(body, 'an age stanza body is not valid base64'),
    });
  }
}

function b64decodeOr(s: string, message: string): Buffer {
  try {
    return b64decode(s);
  } catch {
    throw altered(message);
  }
}

function payloadNonce(counter: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  // 11-byte big-endian counter; 2^53 chunks of 64 KiB is far beyond any archive.
  n.writeUIntBE(Math.floor(counter / 2 ** 32), 3, 4);
  n.writeUInt32BE(counter >>> 0, 7);
  n[11] = last ? 1 : 0;
  return n;
}

/**
 * Encrypts to the age v1 format: header (a stanza per recipient, HMAC), a 16-byte nonce, then
 * the payload in 64 KiB STREAM chunks (ChaCha20-Poly1305). Holds one chunk in memory.
 */
export class AgeEncryptStream extends Transform {
  readonly #recipients: Recipient[];
  readonly #buf = Buffer.allocUnsafe(CHUNK);
  #fill = 0;
  #counter = 0;
  #key: Buffer | undefined;
  #started: Promise<void> | undefined;

  constructor(recipients: Recipient[]) {
    super();
    if (recipients.length === 0) throw new AgeKeyError('no recipients');
    this.#recipients = recipients;
  }

  #start(): Promise<void> {
    this.#started ??= (async () => {
      const fileKey = randomBytes(16);
      const header = await encodeHeader(fileKey, this.#recipients);
      const nonce = randomBytes(NONCE_SIZE);
      this.#key = hkdf(fileKey, nonce, 'payload');
      this.push(header);
      this.push(nonce);
    })();
    return this.#started;
  }

  /** Seals one chunk and pushes it as one buffer (a 16-byte push of its own would reach a
   * file or socket as a write of its own). */
  #seal(plaintext: Buffer, last: boolean): void {
    const c = createCipheriv('chacha20-poly1305', this.#key!, payloadNonce(this.#counter++, last), {
      authTagLength: TAG,
    });
    const out = c.update(plaintext);
    c.final();
    this.push(Buffer.concat([out, c.getAuthTag()]));
  }

  override _transform(data: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#start().then(() => {
      let off = 0;
      while (off < data.length) {
        // A full chunk is sealed only once more data exists: the last chunk carries the flag.
        if (this.#fill === CHUNK) {
          this.#seal(this.#buf, false);
          this.#fill = 0;
        }
        // Whole chunks straight from the input while more input follows them.
        while (this.#fill === 0 && data.length - off > CHUNK) {
          this.#seal(data.subarray(off, off + CHUNK), false);
          off += CHUNK;
        }
        const n = Math.min(CHUNK - this.#fill, data.length - off);
        data.copy(this.#buf, this.#fill, off, off + n);
        this.#fill += n;
        off += n;
      }
      cb();
    }, cb);
  }

  override _flush(cb: TransformCallback): void {
    this.#start().then(() => {
      this.#seal(this.#buf.subarray(0, this.#fill), true);
      cb();
    }, cb);
  }
}

export interface DecryptOptions {
  /** The error for a header none of the identities opens (names the option to fix). */
  noMatch?: () => Error;
}

/**
 * Decrypts the age v1 format as it streams: the header is parsed and its MAC checked before any
 * payload byte is passed on; each 64 KiB chunk is authenticated before its plaintext leaves.
 * A truncated or altered payload fails with an IntegrityError.
 */
export class AgeDecryptStream extends Transform {
  readonly #identities: Identity[];
  readonly #noMatch: () => Error;
  #header: Buffer[] | undefined = [];
  #pending: Buffer[] = [];
  #pendingLen = 0;
  #key: Buffer | undefined;
  #nonceNeeded = true;
  #counter = 0;

  constructor(identities: Identity[], options: DecryptOptions = {}) {
    super();
    this.#identities = identities;
    this.#noMatch =
      options.noMatch ??
      (() => new NoIdentityMatchError('no identity given matches a recipient of this file'));
  }

  override _transform(data: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.#header) {
      this.#header.push(data);
      const all = Buffer.concat(this.#header);
      const end = headerEnd(all);
      if (end === -1) {
        if (all.length > MAX_HEADER) return cb(altered('the age header is too long or malformed'));
        this.#header = [all];
        return cb();
      }
      this.#header = undefined;
      this.#openHeader(all.subarray(0, end)).then(() => {
        this.#take(all.subarray(end), cb);
      }, cb);
      return;
    }
    this.#take(data, cb);
  }

  async #openHeader(bytes: Buffer): Promise<void> {
    const { stanzas, macInput, mac } = parseHeader(bytes);
    let fileKey: Buffer | undefined;
    for (const id of this.#identities) {
      fileKey = await id.unwrap(stanzas);
      if (fileKey) break;
    }
    if (!fileKey) throw this.#noMatch();
    if (!constantTimeEqual(headerMac(fileKey, macInput), mac))
      throw altered('the age header was altered: its MAC does not match');
    this.#key = fileKey;
  }

  #take(data: Buffer, cb: TransformCallback): void {
    try {
      if (data.length > 0) {
        this.#pending.push(data);
        this.#pendingLen += data.length;
      }
      if (this.#nonceNeeded) {
        if (this.#pendingLen < NONCE_SIZE) return cb();
        const all = this.#joinPending();
        this.#key = hkdf(this.#key!, all.subarray(0, NONCE_SIZE), 'payload');
        this.#nonceNeeded = false;
        this.#pending = [all.subarray(NONCE_SIZE)];
        this.#pendingLen = all.length - NONCE_SIZE;
      }
      // Keep at least one whole sealed chunk back: only the end of the input tells which is last.
      while (this.#pendingLen > SEALED_CHUNK) {
        const all = this.#joinPending();
        this.push(this.#open(all.subarray(0, SEALED_CHUNK), false));
        this.#pending = [all.subarray(SEALED_CHUNK)];
        this.#pendingLen = all.length - SEALED_CHUNK;
      }
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  #joinPending(): Buffer {
    return this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending);
  }

  #open(sealed: Buffer, last: boolean): Buffer {
    const n = this.#counter;
    const d = createDecipheriv('chacha20-poly1305', this.#key!, payloadNonce(n, last), {
      authTagLength: TAG,
    });
    d.setAuthTag(sealed.subarray(sealed.length - TAG));
    const out = d.update(sealed.subarray(0, sealed.length - TAG));
    try {
      d.final();
    } catch {
      if (last && sealed.length === SEALED_CHUNK && this.#tryOpen(sealed, n, false)) {
        throw altered(
          `the encrypted archive is truncated: it ends after chunk ${n + 1}, which is not its last`,
        );
      }
      throw altered(`the encrypted archive was altered: chunk ${n + 1} does not authenticate`);
    }
    this.#counter++;
    return out;
  }

  #tryOpen(sealed: Buffer, n: number, last: boolean): boolean {
    const d = createDecipheriv('chacha20-poly1305', this.#key!, payloadNonce(n, last), {
      authTagLength: TAG,
    });
    d.setAuthTag(sealed.subarray(sealed.length - TAG));
    d.update(sealed.subarray(0, sealed.length - TAG));
    try {
      d.final();
      return true;
    } catch {
      return false;
    }
  }

  override _flush(cb: TransformCallback): void {
    try {
      if (this.#header) throw altered('the encrypted archive is truncated inside its age header');
      if (this.#nonceNeeded) throw altered('the encrypted archive is truncated before its payload');
      const rest = this.#joinPending();
      if (rest.length < TAG)
        throw altered('the encrypted archive is truncated: its last chunk is incomplete');
      if (rest.length === TAG && this.#counter > 0)
        throw altered('the encrypted archive ends with an empty chunk, which age does not allow');
      this.push(this.#open(rest, true));
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }
}

/** Offset just past the header's MAC line, or -1 while it is incomplete. */
function headerEnd(buf: Buffer): number {
  const i = buf.indexOf('\n--- ', 0, 'latin1');
  if (i === -1) return -1;
  const nl = buf.indexOf(0x0a, i + 5);
  return nl === -1 ? -1 : nl + 1;
}
