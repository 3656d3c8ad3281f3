export const id = 314;
export const ids = [314,91];
export const modules = {

/***/ 96513:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Rk: () => (/* reexport */ AgeDecryptStream),
  TB: () => (/* reexport */ AgeEncryptStream),
  Z5: () => (/* reexport */ keys/* AgeKeyError */.Z5),
  Dt: () => (/* reexport */ NoIdentityMatchError),
  UB: () => (/* reexport */ keys/* ScryptIdentity */.UB),
  NA: () => (/* reexport */ keys/* ScryptRecipient */.NA),
  iA: () => (/* reexport */ keys/* WrongPassphraseError */.iA),
  go: () => (/* reexport */ keys/* parseIdentities */.go),
  q: () => (/* reexport */ keys/* parseRecipients */.q)
});

// UNUSED EXPORTS: SshIdentity, X25519Identity, X25519Recipient, parseRecipient, sshFingerprint

// EXTERNAL MODULE: ./build/src/archive/age/keys.js + 1 modules
var keys = __webpack_require__(31247);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: ./build/src/core/errors.js
var errors = __webpack_require__(43026);
// EXTERNAL MODULE: ./build/src/archive/age/primitives.js
var primitives = __webpack_require__(55952);
;// CONCATENATED MODULE: ./build/src/archive/age/stream.js





const INTRO = 'age-encryption.org/v1\n';
const CHUNK = 64 * 1024;
const TAG = 16;
const SEALED_CHUNK = CHUNK + TAG;
const NONCE_SIZE = 16;
/** No legitimate header comes near this; a reader gives up instead of buffering more. */
const MAX_HEADER = 1024 * 1024;
/** What the age stages throw, so the engine can name the option or call it altered data. */
class NoIdentityMatchError extends Error {
}
const HINT_DAMAGED = 'the stored copy is damaged or was altered: restore from another destination or another backup';
function altered(message) {
    return new errors/* IntegrityError */.cs(message, { hint: HINT_DAMAGED });
}
function encodeStanza(s) {
    let out = `-> ${[s.type, ...s.args].join(' ')}\n`;
    const b = (0,primitives/* b64encode */.Hb)(s.body);
    for (let i = 0; i <= b.length; i += 64)
        out += `${b.slice(i, i + 64)}\n`;
    // A body whose base64 fills whole lines ends with an empty line.
    return out;
}
function headerMac(fileKey, headerUpToDashes) {
    return (0,external_node_crypto_.createHmac)('sha256', (0,primitives/* hkdf */.sM)(fileKey, Buffer.alloc(0), 'header'))
        .update(headerUpToDashes)
        .digest();
}
/** Encodes an age v1 header for a file key; returns the bytes including the MAC line. */
async function encodeHeader(fileKey, recipients) {
    if (recipients.length === 0)
        throw new keys/* AgeKeyError */.Z5('no recipients');
    let text = INTRO;
    for (const r of recipients)
        for (const s of await r.wrap(fileKey))
            text += encodeStanza(s);
    text += '---';
    const upTo = Buffer.from(text, 'latin1');
    return Buffer.concat([upTo, Buffer.from(` ${(0,primitives/* b64encode */.Hb)(headerMac(fileKey, upTo))}\n`, 'latin1')]);
}
const ARG = /^[\x21-\x7e]+$/;
/** Parses a header's text (through the MAC line); throws IntegrityError on malformed input. */
function parseHeader(bytes) {
    const text = bytes.toString('latin1');
    if (!text.startsWith(INTRO)) {
        throw new errors/* IntegrityError */.cs('the archive is not an age v1 encrypted file', {
            hint: 'the backup is not encrypted as its index says, or its object was replaced',
        });
    }
    const lines = text.slice(INTRO.length).split('\n');
    // The text ends with "\n", so the split leaves one empty string at the end.
    if (lines.pop() !== '')
        throw altered('the age header is malformed');
    const stanzas = [];
    let i = 0;
    for (;;) {
        const line = lines[i++];
        if (line === undefined)
            throw altered('the age header is malformed');
        if (line.startsWith('--- ')) {
            if (i !== lines.length)
                throw altered('the age header is malformed');
            const mac = b64decodeOr(line.slice(4), 'the age header MAC is malformed');
            if (mac.length !== 32)
                throw altered('the age header MAC is malformed');
            const macInput = Buffer.from(text.slice(0, text.length - 1 - line.length + 3), 'latin1');
            return { stanzas, macInput, mac };
        }
        if (!line.startsWith('-> '))
            throw altered('the age header is malformed');
        const parts = line.slice(3).split(' ');
        if (parts.some((p) => !ARG.test(p)))
            throw altered('an age header stanza is malformed');
        let body = '';
        for (;;) {
            const b = lines[i++];
            if (b === undefined || b.length > 64)
                throw altered('an age stanza body is malformed');
            body += b;
            if (b.length < 64)
                break;
        }
        stanzas.push({
            type: parts[0],
            args: parts.slice(1),
            body: b64decodeOr(body, 'an age stanza body is not valid base64'),
        });
    }
}
function b64decodeOr(s, message) {
    try {
        return (0,primitives/* b64decode */.V_)(s);
    }
    catch {
        throw altered(message);
    }
}
function payloadNonce(counter, last) {
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
class AgeEncryptStream extends external_node_stream_.Transform {
    #recipients;
    #buf = Buffer.allocUnsafe(CHUNK);
    #fill = 0;
    #counter = 0;
    #key;
    #started;
    constructor(recipients) {
        super();
        if (recipients.length === 0)
            throw new keys/* AgeKeyError */.Z5('no recipients');
        this.#recipients = recipients;
    }
    #start() {
        this.#started ??= (async () => {
            const fileKey = (0,external_node_crypto_.randomBytes)(16);
            const header = await encodeHeader(fileKey, this.#recipients);
            const nonce = (0,external_node_crypto_.randomBytes)(NONCE_SIZE);
            this.#key = (0,primitives/* hkdf */.sM)(fileKey, nonce, 'payload');
            this.push(header);
            this.push(nonce);
        })();
        return this.#started;
    }
    /** Seals one chunk and pushes it as one buffer (a 16-byte push of its own would reach a
     * file or socket as a write of its own). */
    #seal(plaintext, last) {
        const c = (0,external_node_crypto_.createCipheriv)('chacha20-poly1305', this.#key, payloadNonce(this.#counter++, last), {
            authTagLength: TAG,
        });
        const out = c.update(plaintext);
        c.final();
        this.push(Buffer.concat([out, c.getAuthTag()]));
    }
    _transform(data, _enc, cb) {
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
    _flush(cb) {
        this.#start().then(() => {
            this.#seal(this.#buf.subarray(0, this.#fill), true);
            cb();
        }, cb);
    }
}
/**
 * Decrypts the age v1 format as it streams: the header is parsed and its MAC checked before any
 * payload byte is passed on; each 64 KiB chunk is authenticated before its plaintext leaves.
 * A truncated or altered payload fails with an IntegrityError.
 */
class AgeDecryptStream extends external_node_stream_.Transform {
    #identities;
    #noMatch;
    #header = [];
    #pending = [];
    #pendingLen = 0;
    #key;
    #nonceNeeded = true;
    #counter = 0;
    constructor(identities, options = {}) {
        super();
        this.#identities = identities;
        this.#noMatch =
            options.noMatch ??
                (() => new NoIdentityMatchError('no identity given matches a recipient of this file'));
    }
    _transform(data, _enc, cb) {
        if (this.#header) {
            this.#header.push(data);
            const all = Buffer.concat(this.#header);
            const end = headerEnd(all);
            if (end === -1) {
                if (all.length > MAX_HEADER)
                    return cb(altered('the age header is too long or malformed'));
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
    async #openHeader(bytes) {
        const { stanzas, macInput, mac } = parseHeader(bytes);
        let fileKey;
        for (const id of this.#identities) {
            fileKey = await id.unwrap(stanzas);
            if (fileKey)
                break;
        }
        if (!fileKey)
            throw this.#noMatch();
        if (!(0,primitives/* constantTimeEqual */.SK)(headerMac(fileKey, macInput), mac))
            throw altered('the age header was altered: its MAC does not match');
        this.#key = fileKey;
    }
    #take(data, cb) {
        try {
            if (data.length > 0) {
                this.#pending.push(data);
                this.#pendingLen += data.length;
            }
            if (this.#nonceNeeded) {
                if (this.#pendingLen < NONCE_SIZE)
                    return cb();
                const all = this.#joinPending();
                this.#key = (0,primitives/* hkdf */.sM)(this.#key, all.subarray(0, NONCE_SIZE), 'payload');
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
        }
        catch (err) {
            cb(err);
        }
    }
    #joinPending() {
        return this.#pending.length === 1 ? this.#pending[0] : Buffer.concat(this.#pending);
    }
    #open(sealed, last) {
        const n = this.#counter;
        const d = (0,external_node_crypto_.createDecipheriv)('chacha20-poly1305', this.#key, payloadNonce(n, last), {
            authTagLength: TAG,
        });
        d.setAuthTag(sealed.subarray(sealed.length - TAG));
        const out = d.update(sealed.subarray(0, sealed.length - TAG));
        try {
            d.final();
        }
        catch {
            if (last && sealed.length === SEALED_CHUNK && this.#tryOpen(sealed, n, false)) {
                throw altered(`the encrypted archive is truncated: it ends after chunk ${n + 1}, which is not its last`);
            }
            throw altered(`the encrypted archive was altered: chunk ${n + 1} does not authenticate`);
        }
        this.#counter++;
        return out;
    }
    #tryOpen(sealed, n, last) {
        const d = (0,external_node_crypto_.createDecipheriv)('chacha20-poly1305', this.#key, payloadNonce(n, last), {
            authTagLength: TAG,
        });
        d.setAuthTag(sealed.subarray(sealed.length - TAG));
        d.update(sealed.subarray(0, sealed.length - TAG));
        try {
            d.final();
            return true;
        }
        catch {
            return false;
        }
    }
    _flush(cb) {
        try {
            if (this.#header)
                throw altered('the encrypted archive is truncated inside its age header');
            if (this.#nonceNeeded)
                throw altered('the encrypted archive is truncated before its payload');
            const rest = this.#joinPending();
            if (rest.length < TAG)
                throw altered('the encrypted archive is truncated: its last chunk is incomplete');
            if (rest.length === TAG && this.#counter > 0)
                throw altered('the encrypted archive ends with an empty chunk, which age does not allow');
            this.push(this.#open(rest, true));
            cb();
        }
        catch (err) {
            cb(err);
        }
    }
}
/** Offset just past the header's MAC line, or -1 while it is incomplete. */
function headerEnd(buf) {
    const i = buf.indexOf('\n--- ', 0, 'latin1');
    if (i === -1)
        return -1;
    const nl = buf.indexOf(0x0a, i + 5);
    return nl === -1 ? -1 : nl + 1;
}

;// CONCATENATED MODULE: ./build/src/archive/age/index.js




/***/ }),

/***/ 31247:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Z5: () => (/* binding */ AgeKeyError),
  UB: () => (/* binding */ ScryptIdentity),
  NA: () => (/* binding */ ScryptRecipient),
  iA: () => (/* binding */ WrongPassphraseError),
  go: () => (/* binding */ parseIdentities),
  q: () => (/* binding */ parseRecipients),
  dN: () => (/* binding */ sshFingerprint)
});

// UNUSED EXPORTS: MAX_SCRYPT_WORK_FACTOR, SCRYPT_WORK_FACTOR, SshEd25519Recipient, SshIdentity, SshRsaRecipient, X25519Identity, X25519Recipient, parseRecipient

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./build/src/archive/age/bech32.js
/**
 * Bech32 (BIP 173) as age uses it for `age1…` recipients and `AGE-SECRET-KEY-1…` identities:
 * the plain Bech32 checksum (not Bech32m) and no 90-character limit.
 */
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
function polymod(values) {
    let chk = 1;
    for (const v of values) {
        const top = chk >>> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ v;
        for (let i = 0; i < 5; i++)
            if ((top >>> i) & 1)
                chk ^= GENERATOR[i];
    }
    return chk >>> 0;
}
function hrpExpand(hrp) {
    const out = [];
    for (const c of hrp)
        out.push(c.charCodeAt(0) >> 5);
    out.push(0);
    for (const c of hrp)
        out.push(c.charCodeAt(0) & 31);
    return out;
}
function convertBits(data, from, to, pad) {
    let acc = 0;
    let bits = 0;
    const out = [];
    const max = (1 << to) - 1;
    for (const v of data) {
        if (v >> from !== 0)
            throw new Error('bech32: invalid data');
        acc = (acc << from) | v;
        bits += from;
        while (bits >= to) {
            bits -= to;
            out.push((acc >> bits) & max);
        }
        acc &= (1 << bits) - 1;
    }
    if (pad) {
        if (bits > 0)
            out.push((acc << (to - bits)) & max);
    }
    else if (bits >= from || ((acc << (to - bits)) & max) !== 0) {
        throw new Error('bech32: invalid padding');
    }
    return out;
}
/** Encodes lowercase; callers upper-case secret keys themselves. */
function bech32Encode(hrp, data) {
    const words = convertBits(data, 8, 5, true);
    const values = [...hrpExpand(hrp), ...words, 0, 0, 0, 0, 0, 0];
    const mod = polymod(values) ^ 1;
    let out = `${hrp}1`;
    for (const w of words)
        out += CHARSET[w];
    for (let i = 0; i < 6; i++)
        out += CHARSET[(mod >> (5 * (5 - i))) & 31];
    return out;
}
/** Decodes a Bech32 string (all lower or all upper case); throws on any error. */
function bech32Decode(s) {
    if (s !== s.toLowerCase() && s !== s.toUpperCase())
        throw new Error('bech32: mixed case');
    const lower = s.toLowerCase();
    const sep = lower.lastIndexOf('1');
    if (sep < 1 || sep + 7 > lower.length)
        throw new Error('bech32: malformed');
    const hrp = lower.slice(0, sep);
    for (const c of hrp) {
        const code = c.charCodeAt(0);
        if (code < 33 || code > 126)
            throw new Error('bech32: invalid prefix');
    }
    const values = [];
    for (const c of lower.slice(sep + 1)) {
        const v = CHARSET.indexOf(c);
        if (v === -1)
            throw new Error('bech32: invalid character');
        values.push(v);
    }
    if (polymod([...hrpExpand(hrp), ...values]) !== 1)
        throw new Error('bech32: bad checksum');
    return { hrp, data: Buffer.from(convertBits(values.slice(0, -6), 5, 8, false)) };
}

// EXTERNAL MODULE: ./build/src/archive/age/primitives.js
var primitives = __webpack_require__(55952);
// EXTERNAL MODULE: ./build/src/archive/age/ssh.js
var ssh = __webpack_require__(81502);
;// CONCATENATED MODULE: ./build/src/archive/age/keys.js




const X25519_LABEL = 'age-encryption.org/v1/X25519';
const ED25519_LABEL = 'age-encryption.org/v1/ssh-ed25519';
const RSA_LABEL = 'age-encryption.org/v1/ssh-rsa';
const SCRYPT_LABEL = 'age-encryption.org/v1/scrypt';
const FILE_KEY_SIZE = 16;
const WRAPPED_SIZE = FILE_KEY_SIZE + 16;
class AgeKeyError extends Error {
}
/** Raised when the header's scrypt stanza does not open with the passphrase given. */
class WrongPassphraseError extends Error {
}
function openWrapped(key, body) {
    if (body.length !== WRAPPED_SIZE)
        return undefined;
    return (0,primitives/* aeadOpen */.QO)(key, body);
}
class X25519Recipient {
    publicKey;
    fingerprint;
    constructor(publicKey) {
        if (publicKey.length !== 32)
            throw new AgeKeyError('an X25519 public key has 32 bytes');
        this.publicKey = publicKey;
        this.fingerprint = bech32Encode('age', publicKey);
    }
    static parse(s) {
        let decoded;
        try {
            decoded = bech32Decode(s);
        }
        catch (err) {
            throw new AgeKeyError(`not a valid age recipient (${err.message})`);
        }
        if (decoded.hrp !== 'age' || decoded.data.length !== 32)
            throw new AgeKeyError('not a valid age recipient');
        return new X25519Recipient(decoded.data);
    }
    wrap(fileKey) {
        const ephemeral = (0,external_node_crypto_.randomBytes)(32);
        const share = (0,primitives/* x25519Base */.qZ)(ephemeral);
        const shared = (0,primitives/* x25519 */.TU)(ephemeral, this.publicKey);
        const key = (0,primitives/* hkdf */.sM)(shared, Buffer.concat([share, this.publicKey]), X25519_LABEL);
        return Promise.resolve([
            { type: 'X25519', args: [(0,primitives/* b64encode */.Hb)(share)], body: (0,primitives/* aeadSeal */.JD)(key, fileKey) },
        ]);
    }
}
class X25519Identity {
    #secret;
    #recipient;
    constructor(secret) {
        if (secret.length !== 32)
            throw new AgeKeyError('an X25519 secret key has 32 bytes');
        this.#secret = secret;
        this.#recipient = new X25519Recipient((0,primitives/* x25519Base */.qZ)(secret));
    }
    recipient() {
        return this.#recipient;
    }
    static generate() {
        return new X25519Identity((0,external_node_crypto_.randomBytes)(32));
    }
    static parse(s) {
        let decoded;
        try {
            decoded = bech32Decode(s);
        }
        catch {
            throw new AgeKeyError('not a valid AGE-SECRET-KEY-1… identity');
        }
        if (decoded.hrp !== 'age-secret-key-' || decoded.data.length !== 32)
            throw new AgeKeyError('not a valid AGE-SECRET-KEY-1… identity');
        return new X25519Identity(decoded.data);
    }
    /** The AGE-SECRET-KEY-1… encoding (a secret: mask it wherever it is shown). */
    encode() {
        return bech32Encode('age-secret-key-', this.#secret).toUpperCase();
    }
    unwrap(stanzas) {
        const ours = this.#recipient.publicKey;
        for (const s of stanzas) {
            if (s.type !== 'X25519')
                continue;
            if (s.args.length !== 1)
                throw new AgeKeyError('malformed X25519 stanza');
            const share = (0,primitives/* b64decode */.V_)(s.args[0]);
            if (share.length !== 32 || s.body.length !== WRAPPED_SIZE)
                throw new AgeKeyError('malformed X25519 stanza');
            let shared;
            try {
                shared = (0,primitives/* x25519 */.TU)(this.#secret, share);
            }
            catch {
                throw new AgeKeyError('X25519 stanza holds an invalid share');
            }
            const key = (0,primitives/* hkdf */.sM)(shared, Buffer.concat([share, ours]), X25519_LABEL);
            const fileKey = openWrapped(key, s.body);
            if (fileKey)
                return Promise.resolve(fileKey);
        }
        return Promise.resolve(undefined);
    }
}
function sshTag(wire) {
    return (0,primitives/* b64encode */.Hb)((0,external_node_crypto_.createHash)('sha256').update(wire).digest().subarray(0, 4));
}
/** `SHA256:…` as ssh-keygen -l prints it. */
function sshFingerprint(wire) {
    return `SHA256:${(0,primitives/* b64encode */.Hb)((0,external_node_crypto_.createHash)('sha256').update(wire).digest())}`;
}
class SshEd25519Recipient {
    #wire;
    #x25519;
    fingerprint;
    constructor(key) {
        this.#wire = key.wire;
        this.#x25519 = (0,primitives/* ed25519PublicToX25519 */.O4)(key.ed25519);
        this.fingerprint = sshFingerprint(key.wire);
    }
    wrap(fileKey) {
        const ephemeral = (0,external_node_crypto_.randomBytes)(32);
        const share = (0,primitives/* x25519Base */.qZ)(ephemeral);
        let shared = (0,primitives/* x25519 */.TU)(ephemeral, this.#x25519);
        const tweak = (0,primitives/* hkdf */.sM)(Buffer.alloc(0), this.#wire, ED25519_LABEL);
        shared = (0,primitives/* x25519 */.TU)(tweak, shared);
        const key = (0,primitives/* hkdf */.sM)(shared, Buffer.concat([share, this.#x25519]), ED25519_LABEL);
        return Promise.resolve([
            {
                type: 'ssh-ed25519',
                args: [sshTag(this.#wire), (0,primitives/* b64encode */.Hb)(share)],
                body: (0,primitives/* aeadSeal */.JD)(key, fileKey),
            },
        ]);
    }
}
class SshRsaRecipient {
    #wire;
    #key;
    fingerprint;
    constructor(key) {
        this.#wire = key.wire;
        this.#key = key.rsa;
        this.fingerprint = sshFingerprint(key.wire);
    }
    wrap(fileKey) {
        const body = (0,external_node_crypto_.publicEncrypt)({
            key: this.#key,
            padding: external_node_crypto_.constants.RSA_PKCS1_OAEP_PADDING,
            oaepHash: 'sha256',
            oaepLabel: Buffer.from(RSA_LABEL),
        }, fileKey);
        return Promise.resolve([{ type: 'ssh-rsa', args: [sshTag(this.#wire)], body }]);
    }
}
/** An OpenSSH private key (ssh-ed25519 or ssh-rsa) used as an age identity. */
class SshIdentity {
    #text;
    constructor(text) {
        (0,ssh/* parseOpenSshPrivateKey */.CS)(text);
        this.#text = text;
    }
    recipient() {
        const key = (0,ssh/* parseSshPublicWire */.QQ)((0,ssh/* parseOpenSshPrivateKey */.CS)(this.#text).publicWire);
        return key.type === 'ssh-ed25519' ? new SshEd25519Recipient(key) : new SshRsaRecipient(key);
    }
    unwrap(stanzas) {
        const key = (0,ssh/* parseOpenSshPrivateKey */.CS)(this.#text);
        const tag = sshTag(key.publicWire);
        for (const s of stanzas) {
            if (s.type !== key.type || s.args[0] !== tag)
                continue;
            if (key.type === 'ssh-rsa') {
                if (s.args.length !== 1)
                    throw new AgeKeyError('malformed ssh-rsa stanza');
                try {
                    const fileKey = (0,external_node_crypto_.privateDecrypt)({
                        key: key.rsa,
                        padding: external_node_crypto_.constants.RSA_PKCS1_OAEP_PADDING,
                        oaepHash: 'sha256',
                        oaepLabel: Buffer.from(RSA_LABEL),
                    }, s.body);
                    if (fileKey.length === FILE_KEY_SIZE)
                        return Promise.resolve(fileKey);
                }
                catch {
                    // Not ours after all (a tag collision) or altered: try the next stanza.
                }
                continue;
            }
            if (s.args.length !== 2)
                throw new AgeKeyError('malformed ssh-ed25519 stanza');
            const share = (0,primitives/* b64decode */.V_)(s.args[1]);
            if (share.length !== 32 || s.body.length !== WRAPPED_SIZE)
                throw new AgeKeyError('malformed ssh-ed25519 stanza');
            const secret = (0,external_node_crypto_.createHash)('sha512').update(key.seed).digest().subarray(0, 32);
            const ours = (0,primitives/* ed25519PublicToX25519 */.O4)(key.publicKey);
            let shared;
            try {
                shared = (0,primitives/* x25519 */.TU)(secret, share);
                shared = (0,primitives/* x25519 */.TU)((0,primitives/* hkdf */.sM)(Buffer.alloc(0), key.publicWire, ED25519_LABEL), shared);
            }
            catch {
                throw new AgeKeyError('ssh-ed25519 stanza holds an invalid share');
            }
            const wrapKey = (0,primitives/* hkdf */.sM)(shared, Buffer.concat([share, ours]), ED25519_LABEL);
            const fileKey = openWrapped(wrapKey, s.body);
            if (fileKey)
                return Promise.resolve(fileKey);
        }
        return Promise.resolve(undefined);
    }
}
/** age's default passphrase work factor (2^18 iterations, 256 MiB for a moment). */
const SCRYPT_WORK_FACTOR = 18;
/** The largest work factor accepted when decrypting, so a hostile header cannot ask for more. */
const MAX_SCRYPT_WORK_FACTOR = 20;
function scryptKey(passphrase, salt, logN) {
    return new Promise((resolve, reject) => {
        const N = 2 ** logN;
        (0,external_node_crypto_.scrypt)(Buffer.from(passphrase, 'utf8'), Buffer.concat([Buffer.from(SCRYPT_LABEL), salt]), 32, { N, r: 8, p: 1, maxmem: 128 * N * 8 + 2 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
    });
}
class ScryptRecipient {
    #passphrase;
    #logN;
    fingerprint = 'scrypt (passphrase)';
    constructor(passphrase, logN = SCRYPT_WORK_FACTOR) {
        if (passphrase === '')
            throw new AgeKeyError('the passphrase is empty');
        this.#passphrase = passphrase;
        this.#logN = logN;
    }
    async wrap(fileKey) {
        const salt = (0,external_node_crypto_.randomBytes)(16);
        const key = await scryptKey(this.#passphrase, salt, this.#logN);
        return [
            { type: 'scrypt', args: [(0,primitives/* b64encode */.Hb)(salt), String(this.#logN)], body: (0,primitives/* aeadSeal */.JD)(key, fileKey) },
        ];
    }
}
class ScryptIdentity {
    #passphrase;
    constructor(passphrase) {
        this.#passphrase = passphrase;
    }
    recipient() {
        return new ScryptRecipient(this.#passphrase);
    }
    async unwrap(stanzas) {
        const s = stanzas.find((x) => x.type === 'scrypt');
        if (!s)
            return undefined;
        if (stanzas.length !== 1)
            throw new AgeKeyError('an scrypt stanza must be the only one in the header');
        if (s.args.length !== 2 || !/^[1-9][0-9]?$/.test(s.args[1]))
            throw new AgeKeyError('malformed scrypt stanza');
        const salt = (0,primitives/* b64decode */.V_)(s.args[0]);
        const logN = Number(s.args[1]);
        if (salt.length !== 16 || s.body.length !== WRAPPED_SIZE)
            throw new AgeKeyError('malformed scrypt stanza');
        if (logN > MAX_SCRYPT_WORK_FACTOR) {
            throw new AgeKeyError(`the passphrase's scrypt work factor is 2^${logN}, more than the 2^${MAX_SCRYPT_WORK_FACTOR} accepted`);
        }
        const fileKey = openWrapped(await scryptKey(this.#passphrase, salt, logN), s.body);
        if (!fileKey)
            throw new WrongPassphraseError('the passphrase does not open this backup');
        return fileKey;
    }
}
/** Lines of a recipients or identities text without comments and blank lines. */
function keyLines(text) {
    return text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'));
}
/** One recipient line: `age1…`, `ssh-ed25519 AAAA…` or `ssh-rsa AAAA…`. */
function parseRecipient(line) {
    const l = line.trim();
    if (l.startsWith('age1'))
        return X25519Recipient.parse(l);
    if (l.startsWith('ssh-ed25519 ') || l.startsWith('ssh-rsa ')) {
        let key;
        try {
            key = (0,ssh/* parseSshPublicLine */.Hb)(l);
        }
        catch (err) {
            throw new AgeKeyError(err.message);
        }
        return key.type === 'ssh-ed25519' ? new SshEd25519Recipient(key) : new SshRsaRecipient(key);
    }
    throw new AgeKeyError('a recipient is an age1… public key or an ssh-ed25519 / ssh-rsa public key line');
}
/** Every recipient in a recipients text (one per line, # comments allowed). */
function parseRecipients(text) {
    return keyLines(text).map(parseRecipient);
}
/** Identities from an age identity file's text or an OpenSSH private key. */
function parseIdentities(text) {
    if ((0,ssh/* isOpenSshPrivateKey */.ZP)(text)) {
        try {
            return [new SshIdentity(text)];
        }
        catch (err) {
            throw new AgeKeyError(err.message);
        }
    }
    const ids = keyLines(text).map((l) => {
        if (!l.startsWith('AGE-SECRET-KEY-1'))
            throw new AgeKeyError('an identity is an AGE-SECRET-KEY-1… line or an OpenSSH private key');
        return X25519Identity.parse(l);
    });
    if (ids.length === 0)
        throw new AgeKeyError('no identity found');
    return ids;
}


/***/ }),

/***/ 55952:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hb: () => (/* binding */ b64encode),
/* harmony export */   JD: () => (/* binding */ aeadSeal),
/* harmony export */   O4: () => (/* binding */ ed25519PublicToX25519),
/* harmony export */   QO: () => (/* binding */ aeadOpen),
/* harmony export */   SK: () => (/* binding */ constantTimeEqual),
/* harmony export */   TU: () => (/* binding */ x25519),
/* harmony export */   V_: () => (/* binding */ b64decode),
/* harmony export */   qZ: () => (/* binding */ x25519Base),
/* harmony export */   sM: () => (/* binding */ hkdf)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);

const X25519_PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X25519_SPKI = Buffer.from('302a300506032b656e032100', 'hex');
/** X25519(scalar, point); throws on an all-zero result (a low-order point). */
function x25519(scalar, point) {
    if (scalar.length !== 32 || point.length !== 32)
        throw new Error('X25519 needs 32-byte inputs');
    const privateKey = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createPrivateKey)({
        key: Buffer.concat([X25519_PKCS8, scalar]),
        format: 'der',
        type: 'pkcs8',
    });
    const publicKey = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createPublicKey)({
        key: Buffer.concat([X25519_SPKI, point]),
        format: 'der',
        type: 'spki',
    });
    let shared;
    try {
        shared = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.diffieHellman)({ privateKey, publicKey });
    }
    catch {
        throw new Error('X25519 produced no shared secret (low-order point)');
    }
    if (shared.every((b) => b === 0))
        throw new Error('X25519 produced an all-zero shared secret');
    return shared;
}
/** X25519(scalar, basepoint): the public key of a secret scalar. */
function x25519Base(scalar) {
    const privateKey = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createPrivateKey)({
        key: Buffer.concat([X25519_PKCS8, scalar]),
        format: 'der',
        type: 'pkcs8',
    });
    const der = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createPublicKey)(privateKey).export({ format: 'der', type: 'spki' });
    return Buffer.from(der.subarray(der.length - 32));
}
function hkdf(ikm, salt, info, length = 32) {
    return Buffer.from((0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.hkdfSync)('sha256', ikm, salt, Buffer.from(info, 'latin1'), length));
}
const ZERO_NONCE = Buffer.alloc(12);
/** ChaCha20-Poly1305 with a zero nonce: age's key wrapping (each key is used once). */
function aeadSeal(key, plaintext, nonce = ZERO_NONCE) {
    const c = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createCipheriv)('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    const out = c.update(plaintext);
    c.final();
    return Buffer.concat([out, c.getAuthTag()]);
}
/** Opens a sealed box; undefined when it does not authenticate. */
function aeadOpen(key, sealed, nonce = ZERO_NONCE) {
    if (sealed.length < 16)
        return undefined;
    const d = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createDecipheriv)('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    const out = d.update(sealed.subarray(0, sealed.length - 16));
    try {
        d.final();
    }
    catch {
        return undefined;
    }
    return out;
}
function constantTimeEqual(a, b) {
    return a.length === b.length && (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.timingSafeEqual)(a, b);
}
/** age's base64: standard alphabet, no padding, canonical. */
function b64encode(b) {
    return b.toString('base64').replace(/=+$/, '');
}
function b64decode(s) {
    if (!/^[A-Za-z0-9+/]*$/.test(s))
        throw new Error('invalid base64');
    const b = Buffer.from(s, 'base64');
    if (b64encode(b) !== s)
        throw new Error('non-canonical base64');
    return b;
}
const P = 2n ** 255n - 19n;
function modPow(base, exp, mod) {
    let result = 1n;
    let b = base % mod;
    let e = exp;
    while (e > 0n) {
        if (e & 1n)
            result = (result * b) % mod;
        b = (b * b) % mod;
        e >>= 1n;
    }
    return result;
}
function leToBig(b) {
    return BigInt(`0x${Buffer.from(b).reverse().toString('hex')}`);
}
function bigToLe(v) {
    return Buffer.from(v.toString(16).padStart(64, '0'), 'hex').reverse();
}
/** The Montgomery u-coordinate of an Ed25519 public key: u = (1 + y) / (1 - y). */
function ed25519PublicToX25519(pk) {
    const bytes = Buffer.from(pk);
    bytes[31] &= 0x7f;
    const y = leToBig(bytes);
    if (y >= P)
        throw new Error('invalid Ed25519 public key');
    const den = (1n - y + P) % P;
    if (den === 0n)
        throw new Error('invalid Ed25519 public key');
    const u = ((1n + y) * modPow(den, P - 2n, P)) % P;
    return bigToLe(u);
}


/***/ }),

/***/ 81502:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CS: () => (/* binding */ parseOpenSshPrivateKey),
/* harmony export */   Hb: () => (/* binding */ parseSshPublicLine),
/* harmony export */   QQ: () => (/* binding */ parseSshPublicWire),
/* harmony export */   ZP: () => (/* binding */ isOpenSshPrivateKey),
/* harmony export */   _G: () => (/* binding */ sshString),
/* harmony export */   o: () => (/* binding */ SshReader)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);

/** Reads SSH wire-format fields (RFC 4251: uint32, string, mpint). */
class SshReader {
    #buf;
    #pos = 0;
    constructor(buf) {
        this.#buf = buf;
    }
    get done() {
        return this.#pos >= this.#buf.length;
    }
    get rest() {
        return this.#buf.subarray(this.#pos);
    }
    uint32() {
        if (this.#pos + 4 > this.#buf.length)
            throw new Error('truncated SSH key data');
        const v = this.#buf.readUInt32BE(this.#pos);
        this.#pos += 4;
        return v;
    }
    bytes(n) {
        if (this.#pos + n > this.#buf.length)
            throw new Error('truncated SSH key data');
        const v = this.#buf.subarray(this.#pos, this.#pos + n);
        this.#pos += n;
        return v;
    }
    string() {
        return this.bytes(this.uint32());
    }
    text() {
        return this.string().toString('latin1');
    }
}
function sshString(data) {
    const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
}
/** An mpint's magnitude without its sign byte, as JWK wants it. */
function unsigned(b) {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0)
        i++;
    return b.subarray(i);
}
function b64url(b) {
    return b.toString('base64url');
}
/** Parses the wire encoding of an ssh-ed25519 or ssh-rsa public key. */
function parseSshPublicWire(wire) {
    const r = new SshReader(wire);
    const type = r.text();
    if (type === 'ssh-ed25519') {
        const pk = r.string();
        if (pk.length !== 32 || !r.done)
            throw new Error('malformed ssh-ed25519 public key');
        return { type, wire, ed25519: Buffer.from(pk) };
    }
    if (type === 'ssh-rsa') {
        const e = unsigned(r.string());
        const n = unsigned(r.string());
        if (!r.done)
            throw new Error('malformed ssh-rsa public key');
        const rsa = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createPublicKey)({ key: { kty: 'RSA', n: b64url(n), e: b64url(e) }, format: 'jwk' });
        if ((rsa.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
            throw new Error('ssh-rsa keys shorter than 2048 bits are not accepted');
        return { type, wire, rsa };
    }
    throw new Error(`unsupported SSH key type '${type}' (use ssh-ed25519 or ssh-rsa)`);
}
/** Parses an authorized_keys style line: `ssh-ed25519 AAAA… comment`. */
function parseSshPublicLine(line) {
    const [type, data] = line.trim().split(/\s+/);
    if (!data)
        throw new Error('malformed SSH public key line');
    const wire = Buffer.from(data, 'base64');
    const key = parseSshPublicWire(wire);
    if (key.type !== type)
        throw new Error('SSH public key type does not match its data');
    return key;
}
const PEM = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/;
function isOpenSshPrivateKey(text) {
    return PEM.test(text);
}
/** Parses an unencrypted OpenSSH private key (`-----BEGIN OPENSSH PRIVATE KEY-----`). */
function parseOpenSshPrivateKey(text) {
    const m = PEM.exec(text);
    if (!m)
        throw new Error('not an OpenSSH private key');
    const raw = Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
    const magic = Buffer.from('openssh-key-v1\0', 'latin1');
    if (!raw.subarray(0, magic.length).equals(magic))
        throw new Error('not an OpenSSH private key');
    const r = new SshReader(raw.subarray(magic.length));
    const cipher = r.text();
    r.text();
    r.string();
    if (cipher !== 'none') {
        throw new Error('the SSH private key is protected by a passphrase, which Lifeboat cannot use: give it a key without one (kept in a secret)');
    }
    if (r.uint32() !== 1)
        throw new Error('the OpenSSH key file must hold exactly one key');
    const publicWire = Buffer.from(r.string());
    const p = new SshReader(r.string());
    if (p.uint32() !== p.uint32())
        throw new Error('the OpenSSH private key is corrupt');
    const type = p.text();
    if (type === 'ssh-ed25519') {
        const pub = p.string();
        const priv = p.string();
        const comment = p.text();
        if (pub.length !== 32 || priv.length !== 64 || !priv.subarray(32).equals(pub))
            throw new Error('malformed ssh-ed25519 private key');
        return {
            type,
            publicWire,
            seed: Buffer.from(priv.subarray(0, 32)),
            publicKey: Buffer.from(pub),
            comment,
        };
    }
    if (type === 'ssh-rsa') {
        const n = unsigned(p.string());
        const e = unsigned(p.string());
        const d = unsigned(p.string());
        const iqmp = unsigned(p.string());
        const pp = unsigned(p.string());
        const q = unsigned(p.string());
        const comment = p.text();
        const big = (b) => BigInt(`0x${b.toString('hex') || '0'}`);
        const toBuf = (v) => {
            let hex = v.toString(16);
            if (hex.length % 2)
                hex = `0${hex}`;
            return Buffer.from(hex, 'hex');
        };
        const D = big(d);
        const rsa = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createPrivateKey)({
            key: {
                kty: 'RSA',
                n: b64url(n),
                e: b64url(e),
                d: b64url(d),
                p: b64url(pp),
                q: b64url(q),
                dp: b64url(toBuf(D % (big(pp) - 1n))),
                dq: b64url(toBuf(D % (big(q) - 1n))),
                qi: b64url(iqmp),
            },
            format: 'jwk',
        });
        return { type, publicWire, rsa, comment };
    }
    throw new Error(`unsupported SSH private key type '${type}' (use ssh-ed25519 or ssh-rsa)`);
}


/***/ }),

/***/ 29158:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ct: () => (/* binding */ decompressStream),
/* harmony export */   fR: () => (/* binding */ compressStream),
/* harmony export */   u6: () => (/* binding */ zstdImplementation),
/* harmony export */   yP: () => (/* binding */ archiveExtension)
/* harmony export */ });
/* unused harmony exports ZSTD_LEVEL, GZIP_LEVEL, compressionFromKey */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(57075);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(38522);
/* harmony import */ var _core_process_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(15816);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(43026);






/**
 * zstd level 1 with the double-fast match finder (level 2's strategy at level 1's tables): on
 * database dumps it costs what plain level 1 costs (about half of level 3's CPU) and compresses
 * slightly better than both level 1 and level 3, about as well as gzip -6. On a 2-core runner
 * the compressor competes with the server and pg_dump for CPU, so the cheapest level that
 * matches gzip's size wins.
 */
const ZSTD_LEVEL = 1;
/** ZSTD_dfast. */
const ZSTD_STRATEGY = 2;
const GZIP_LEVEL = 6;
const EXTENSIONS = {
    zstd: '.tar.zst',
    gzip: '.tar.gz',
    none: '.tar',
};
function archiveExtension(c) {
    return EXTENSIONS[c];
}
/** The compression of an archive key, by its extension (an `.age` suffix is looked through). */
function compressionFromKey(key) {
    const k = key.endsWith('.age') ? key.slice(0, -'.age'.length) : key;
    if (k.endsWith('.tar.zst'))
        return 'zstd';
    if (k.endsWith('.tar.gz'))
        return 'gzip';
    if (k.endsWith('.tar'))
        return 'none';
    return undefined;
}
let pathCache;
function findOnPath(command) {
    const path = process.env.PATH ?? '';
    if (pathCache?.path === path)
        return pathCache.found;
    let found;
    for (const dir of path.split(node_path__WEBPACK_IMPORTED_MODULE_1__.delimiter)) {
        if (!dir)
            continue;
        const candidate = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, command);
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.accessSync)(candidate, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.X_OK);
            if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(candidate).isFile()) {
                found = candidate;
                break;
            }
        }
        catch {
            // not here
        }
    }
    pathCache = { path, found };
    return found;
}
/**
 * Which zstd does the work: the CLI (multi-threaded, much faster) when it is on PATH, else
 * Node's zlib. LIFEBOAT_ZSTD=node forces zlib (Node's own multi-threaded mode is broken:
 * nodejs/node#59899, so zlib runs single-threaded).
 */
function zstdImplementation() {
    if (process.env.LIFEBOAT_ZSTD === 'node')
        return 'node';
    return findOnPath('zstd') ? 'cli' : 'node';
}
function compressStream(c) {
    switch (c) {
        case 'none':
            return new node_stream__WEBPACK_IMPORTED_MODULE_2__.PassThrough();
        case 'gzip':
            return relay(node_zlib__WEBPACK_IMPORTED_MODULE_3__.createGzip({ level: GZIP_LEVEL }), compressError('gzip'));
        case 'zstd':
            if (zstdImplementation() === 'cli') {
                return childStream(findOnPath('zstd'), ['-q', '-c', '-T0', `-${ZSTD_LEVEL}`, `--zstd=strategy=${ZSTD_STRATEGY}`], compressError('zstd'));
            }
            return relay(node_zlib__WEBPACK_IMPORTED_MODULE_3__.createZstdCompress({
                params: {
                    [node_zlib__WEBPACK_IMPORTED_MODULE_3__.constants.ZSTD_c_compressionLevel]: ZSTD_LEVEL,
                    [node_zlib__WEBPACK_IMPORTED_MODULE_3__.constants.ZSTD_c_strategy]: ZSTD_STRATEGY,
                    // Like the CLI: a content checksum in every frame, so corruption is caught on decompression.
                    [node_zlib__WEBPACK_IMPORTED_MODULE_3__.constants.ZSTD_c_checksumFlag]: 1,
                },
            }), compressError('zstd'));
    }
}
/** Decompression of an archive read from storage: corrupt input fails the stream with an IntegrityError. */
function decompressStream(c) {
    switch (c) {
        case 'none':
            return new node_stream__WEBPACK_IMPORTED_MODULE_2__.PassThrough();
        case 'gzip':
            return relay(node_zlib__WEBPACK_IMPORTED_MODULE_3__.createGunzip(), corruptError('gzip'));
        case 'zstd':
            if (zstdImplementation() === 'cli') {
                return childStream(findOnPath('zstd'), ['-q', '-d', '-c'], corruptError('zstd'));
            }
            return relay(node_zlib__WEBPACK_IMPORTED_MODULE_3__.createZstdDecompress(), corruptError('zstd'));
    }
}
function compressError(format) {
    return (err) => new Error(`${format} compression failed: ${err.message}`, { cause: err });
}
function corruptError(format) {
    return (err) => new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .IntegrityError */ .cs(`the archive's ${format} stream is corrupt: ${err.message}`, {
        cause: err,
        hint: 'the stored copy is damaged: restore from another destination or another backup',
    });
}
/**
 * One Duplex over a writable end and a readable end (a zlib stream, or a child's stdin and
 * stdout), with backpressure both ways, errors mapped by `mapError`, and the readable side
 * ending only once `settle` says the work succeeded (a child's exit status).
 */
class Relay extends node_stream__WEBPACK_IMPORTED_MODULE_2__.Duplex {
    #input;
    #output;
    #mapError;
    #kill;
    #pendingWrite;
    #failed = false;
    constructor(input, output, mapError, hooks = {}) {
        super();
        this.#input = input;
        this.#output = output;
        this.#mapError = mapError;
        this.#kill = hooks.kill ?? (() => undefined);
        const settle = hooks.settle ?? ((done) => output.once('end', () => done()));
        output.on('data', (chunk) => {
            if (!this.push(chunk))
                output.pause();
        });
        output.on('error', (err) => this.#fail(err));
        if (input !== output)
            input.on('error', () => this.#releaseWrite());
        input.on('drain', () => this.#releaseWrite());
        input.on('close', () => this.#releaseWrite());
        settle((err) => {
            if (err)
                this.#fail(err);
            else if (!this.#failed)
                this.push(null);
        });
    }
    #releaseWrite() {
        const cb = this.#pendingWrite;
        this.#pendingWrite = undefined;
        cb?.();
    }
    #fail(err) {
        if (this.#failed)
            return;
        this.#failed = true;
        this.#releaseWrite();
        this.destroy(this.#mapError(err));
    }
    _read() {
        this.#output.resume();
    }
    _write(chunk, _enc, callback) {
        if (this.#input.destroyed || this.#input.writableEnded) {
            // The other end is gone; its exit status (or error) reports why.
            callback();
            return;
        }
        if (this.#input.write(chunk))
            callback();
        else
            this.#pendingWrite = callback;
    }
    _final(callback) {
        if (!this.#input.destroyed && !this.#input.writableEnded)
            this.#input.end();
        callback();
    }
    _destroy(err, callback) {
        this.#failed = true;
        this.#releaseWrite();
        this.#kill();
        callback(err);
    }
}
function relay(stream, mapError) {
    return new Relay(stream, stream, mapError, { kill: () => stream.destroy() });
}
function childStream(command, args, mapError) {
    const run = (0,_core_process_js__WEBPACK_IMPORTED_MODULE_4__/* .startProcess */ .kp)({
        tool: (0,node_path__WEBPACK_IMPORTED_MODULE_1__.basename)(command),
        command,
        args,
        // zstd needs nothing from the environment, and gets none of its secrets.
        env: { PATH: process.env.PATH ?? '' },
        stdin: 'pipe',
        stdout: 'pipe',
        failure: (message, options) => new Error(message, options),
    });
    let stdinError;
    run.stdin.on('error', (err) => {
        stdinError = err;
    });
    return new Relay(run.stdin, run.stdout, mapError, {
        settle: (done) => {
            void run.exited.then((status) => {
                if (status.code === 0)
                    done(stdinError);
                else
                    done(run.failure(status));
            });
        },
        kill: () => run.stop(),
    });
}


/***/ }),

/***/ 77482:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $K: () => (/* binding */ HashingStream),
/* harmony export */   Fj: () => (/* binding */ sha256sumLine),
/* harmony export */   _f: () => (/* binding */ parseSha256sum)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(57075);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(43026);



/** A pass-through that hashes (sha256) and counts the bytes flowing through it. */
class HashingStream extends node_stream__WEBPACK_IMPORTED_MODULE_1__.Transform {
    #hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    #bytes = 0;
    #digest;
    get bytes() {
        return this.#bytes;
    }
    /** Hex sha256 of everything that passed; available once the writable side has finished. */
    digest() {
        if (this.#digest === undefined)
            throw new Error('HashingStream.digest() called before the stream ended');
        return this.#digest;
    }
    _transform(chunk, _encoding, callback) {
        this.#hash.update(chunk);
        this.#bytes += chunk.length;
        callback(null, chunk);
    }
    _flush(callback) {
        this.#digest = this.#hash.digest('hex');
        callback();
    }
}
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** One line in `sha256sum -c` format: "<hex>  <name>\n". */
function sha256sumLine(sha256, fileName) {
    if (!SHA256_HEX.test(sha256))
        throw new Error(`not a sha256 hex digest: ${sha256}`);
    if (fileName === '' || /[\n\r\\]/.test(fileName))
        throw new Error(`file name cannot go in a sha256sum line: ${fileName}`);
    return `${sha256}  ${fileName}\n`;
}
/** Parses a one-line `sha256sum` file (text or binary mode marker). */
function parseSha256sum(text) {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    const m = lines.length === 1 ? /^([0-9a-fA-F]{64}) [ *](.+?)\r?$/.exec(lines[0]) : null;
    if (!m) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .IntegrityError */ .cs('the .sha256 file is not a single `sha256sum` line', {
            hint: 'it should read "<64 hex digits>  <archive file name>"',
        });
    }
    return { sha256: m[1].toLowerCase(), fileName: m[2] };
}


/***/ }),

/***/ 90809:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   bL: () => (/* binding */ readArchive),
/* harmony export */   ki: () => (/* binding */ checkManifestConsistency)
/* harmony export */ });
/* unused harmony export READER_MAX_CHUNK_SIZE */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(57075);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(43026);
/* harmony import */ var _tar_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(59571);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(27317);
/* harmony import */ var _writer_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(52725);






/**
 * Largest chunk size a reader buffers by default. Writers use 4–8 MiB; the format allows up to
 * 256 MiB, but a reader holds one chunk in memory, so a header that declares more than this is
 * refused before any chunk is buffered (pass `maxChunkSize` to read such an archive).
 */
const READER_MAX_CHUNK_SIZE = 64 * 1024 * 1024;
const HINT_DAMAGED = 'the stored copy is damaged: restore from another destination or another backup';
function q(s) {
    return JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}…` : s);
}
function damaged(message) {
    return new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .IntegrityError */ .cs(message, { hint: HINT_DAMAGED });
}
const SHA256_HEX = /^[0-9a-f]{64}$/;
function paxSha(e, key) {
    const v = e.pax.get(`${_writer_js__WEBPACK_IMPORTED_MODULE_4__/* .PAX_VENDOR */ .t8}.${key}`);
    if (v === undefined || !SHA256_HEX.test(v))
        throw damaged(`entry ${q(e.name)} has no valid ${_writer_js__WEBPACK_IMPORTED_MODULE_4__/* .PAX_VENDOR */ .t8}.${key} record`);
    return v;
}
function paxInt(e, key) {
    const v = e.pax.get(`${_writer_js__WEBPACK_IMPORTED_MODULE_4__/* .PAX_VENDOR */ .t8}.${key}`);
    if (v === undefined)
        return undefined;
    if (!/^[0-9]{1,15}$/.test(v))
        throw damaged(`entry ${q(e.name)} has a malformed ${_writer_js__WEBPACK_IMPORTED_MODULE_4__/* .PAX_VENDOR */ .t8}.${key} record`);
    return Number(v);
}
async function readJson(reader, e, limit) {
    if (e.type !== 'file')
        throw damaged(`${e.name} is not a regular file entry`);
    if (e.size > limit)
        throw damaged(`${e.name} is ${e.size} bytes, more than the allowed ${limit}`);
    const expected = paxSha(e, 'sha256');
    const body = await reader.readBody(e.name);
    const actual = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(body).digest('hex');
    if (actual !== expected)
        throw damaged(`${e.name} does not match its sha256 (${actual}, expected ${expected})`);
    try {
        return JSON.parse(body.toString('utf8'));
    }
    catch {
        throw damaged(`${e.name} is not valid JSON`);
    }
}
function isObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function checkFormat(v, what) {
    const f = v.format;
    if (typeof f !== 'number' || !Number.isSafeInteger(f) || f < 1)
        throw damaged(`${what} has no valid format number`);
    if (f > _types_js__WEBPACK_IMPORTED_MODULE_5__/* .FORMAT_VERSION */ .Hp) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .IntegrityError */ .cs(`archive format ${f} is newer than this release reads (up to ${_types_js__WEBPACK_IMPORTED_MODULE_5__/* .FORMAT_VERSION */ .Hp})`, {
            hint: 'use a newer Lifeboat release to read this backup',
        });
    }
}
function parseHeader(v) {
    if (!isObject(v))
        throw damaged(`${_types_js__WEBPACK_IMPORTED_MODULE_5__/* .HEADER_ENTRY */ .tv} is not a JSON object`);
    checkFormat(v, _types_js__WEBPACK_IMPORTED_MODULE_5__/* .HEADER_ENTRY */ .tv);
    const cs = v.chunkSize;
    if (typeof cs !== 'number' || !Number.isSafeInteger(cs) || cs < 1 || cs > _writer_js__WEBPACK_IMPORTED_MODULE_4__/* .MAX_CHUNK_SIZE */ .xM) {
        throw damaged(`${_types_js__WEBPACK_IMPORTED_MODULE_5__/* .HEADER_ENTRY */ .tv} has an invalid chunkSize`);
    }
    if (typeof v.id !== 'string' || v.id === '')
        throw damaged(`${_types_js__WEBPACK_IMPORTED_MODULE_5__/* .HEADER_ENTRY */ .tv} has no backup id`);
    if (typeof v.name !== 'string' || typeof v.createdAt !== 'string')
        throw damaged(`${_types_js__WEBPACK_IMPORTED_MODULE_5__/* .HEADER_ENTRY */ .tv} is incomplete`);
    if (!Array.isArray(v.sources))
        throw damaged(`${_types_js__WEBPACK_IMPORTED_MODULE_5__/* .HEADER_ENTRY */ .tv} has no source list`);
    const names = new Set();
    for (const s of v.sources) {
        if (!isObject(s) ||
            typeof s.name !== 'string' ||
            typeof s.kind !== 'string' ||
            typeof s.url !== 'string') {
            throw damaged(`${_types_js__WEBPACK_IMPORTED_MODULE_5__/* .HEADER_ENTRY */ .tv} has a malformed source`);
        }
        if (!(0,_writer_js__WEBPACK_IMPORTED_MODULE_4__/* .isValidSourceName */ .ZB)(s.name) || names.has(s.name))
            throw damaged(`${_types_js__WEBPACK_IMPORTED_MODULE_5__/* .HEADER_ENTRY */ .tv} has an invalid source name ${q(s.name)}`);
        names.add(s.name);
    }
    return v;
}
const MEMBER_TYPES = new Set(['file', 'directory', 'symlink']);
function parseManifest(v, header) {
    if (!isObject(v))
        throw damaged(`${_types_js__WEBPACK_IMPORTED_MODULE_5__/* .MANIFEST_ENTRY */ .xX} is not a JSON object`);
    checkFormat(v, _types_js__WEBPACK_IMPORTED_MODULE_5__/* .MANIFEST_ENTRY */ .xX);
    if (v.format !== header.format || v.id !== header.id || v.chunkSize !== header.chunkSize) {
        throw damaged(`${_types_js__WEBPACK_IMPORTED_MODULE_5__/* .MANIFEST_ENTRY */ .xX} belongs to another archive than ${_types_js__WEBPACK_IMPORTED_MODULE_5__/* .HEADER_ENTRY */ .tv} (format, id or chunkSize differ)`);
    }
    if (!Array.isArray(v.sources))
        throw damaged(`${_types_js__WEBPACK_IMPORTED_MODULE_5__/* .MANIFEST_ENTRY */ .xX} has no source list`);
    const names = [];
    for (const s of v.sources) {
        if (!isObject(s) || typeof s.name !== 'string' || !Array.isArray(s.members)) {
            throw damaged(`${_types_js__WEBPACK_IMPORTED_MODULE_5__/* .MANIFEST_ENTRY */ .xX} has a malformed source`);
        }
        for (const m of s.members) {
            if (!isObject(m) || typeof m.path !== 'string' || !MEMBER_TYPES.has(m.type)) {
                throw damaged(`${_types_js__WEBPACK_IMPORTED_MODULE_5__/* .MANIFEST_ENTRY */ .xX} has a malformed member in source ${q(s.name)}`);
            }
            if (m.chunks !== undefined && !Array.isArray(m.chunks)) {
                throw damaged(`${_types_js__WEBPACK_IMPORTED_MODULE_5__/* .MANIFEST_ENTRY */ .xX} has malformed chunks for ${q(m.path)}`);
            }
        }
        names.push(s.name);
    }
    const headerNames = header.sources.map((s) => s.name);
    if (names.join('\0') !== headerNames.join('\0')) {
        throw damaged(`${_types_js__WEBPACK_IMPORTED_MODULE_5__/* .MANIFEST_ENTRY */ .xX} lists sources [${names.join(', ')}], the header [${headerNames.join(', ')}]`);
    }
    return v;
}
function checkChunkSize(e, limits) {
    if (e.size > limits.maxEntrySize || e.size > limits.chunkSize) {
        throw damaged(`entry ${q(e.name)} is ${e.size} bytes, more than the archive's chunk size allows`);
    }
}
/** Reads the chunks of one file member on demand, checking each before handing it on. */
class FileMember {
    chunks = [];
    size = 0;
    sha256 = '';
    done = false;
    error;
    body;
    #reader;
    #limits;
    #path;
    #entryBase;
    #hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    #current;
    #chain = Promise.resolve();
    #pumping = false;
    constructor(reader, first, source, path, limits) {
        this.#reader = reader;
        this.#limits = limits;
        this.#path = path;
        this.#entryBase = `${source}/${path}`;
        this.#current = first;
        this.body = new node_stream__WEBPACK_IMPORTED_MODULE_1__.Readable({ read: () => this.#pump() });
    }
    #pump() {
        if (this.#pumping || this.done)
            return;
        this.#pumping = true;
        this.#step().then((data) => {
            this.#pumping = false;
            if (this.body.destroyed)
                return;
            for (const piece of data)
                this.body.push(piece);
            if (this.done)
                this.body.push(null);
        }, (err) => {
            this.#pumping = false;
            this.body.destroy(err);
        });
    }
    #step() {
        const run = this.#chain.then(() => this.#readPart());
        this.#chain = run.catch(() => undefined);
        return run;
    }
    /** The next chunk, checked, as the pieces it arrived in (held until its sha256 matched). */
    async #readPart() {
        if (this.error)
            throw this.error;
        if (this.done)
            return [];
        try {
            const n = this.chunks.length;
            let e = this.#current;
            this.#current = undefined;
            if (!e) {
                e = await this.#reader.next();
                const expected = (0,_writer_js__WEBPACK_IMPORTED_MODULE_4__/* .partEntryName */ .jC)(this.#entryBase, n);
                if (!e ||
                    e.type !== 'file' ||
                    e.name !== expected ||
                    e.pax.get(`${_writer_js__WEBPACK_IMPORTED_MODULE_4__/* .PAX_VENDOR */ .t8}.member`) !== this.#path ||
                    paxInt(e, 'part') !== n) {
                    throw damaged(`member ${q(this.#entryBase)}: chunk ${n} is missing or out of order` +
                        (e ? ` (found ${q(e.name)} instead)` : ' (the archive ends first)'));
                }
                checkChunkSize(e, this.#limits);
            }
            const expectedSha = paxSha(e, 'sha256');
            const data = await this.#reader.readBodyPieces(`chunk ${q(e.name)}`);
            const chunkHash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
            let length = 0;
            for (const piece of data) {
                chunkHash.update(piece);
                length += piece.length;
            }
            const sha = chunkHash.digest('hex');
            if (sha !== expectedSha) {
                throw damaged(`chunk ${q(e.name)} does not match its sha256 (${sha}, expected ${expectedSha})`);
            }
            const parts = paxInt(e, 'parts');
            const single = n === 0 && parts === 1;
            // Writers cut members at exactly chunkSize and never leave an empty last chunk.
            if (parts === undefined ? length !== this.#limits.chunkSize : n > 0 && length === 0) {
                throw damaged(`chunk ${q(e.name)} has ${length} bytes, which the format does not allow there`);
            }
            if (!single)
                for (const piece of data)
                    this.#hash.update(piece);
            this.size += length;
            this.chunks.push({ entry: e.name, size: length, sha256: sha });
            if (parts !== undefined) {
                const size = paxInt(e, 'size');
                const memberSha = paxSha(e, 'member-sha256');
                const actual = single ? sha : this.#hash.digest('hex');
                if (parts !== this.chunks.length || size !== this.size || memberSha !== actual) {
                    throw damaged(`member ${q(this.#entryBase)} does not match its record: ${this.chunks.length} chunks, ${this.size} bytes, ` +
                        `sha256 ${actual}; expected ${parts} chunks, ${size} bytes, sha256 ${memberSha}`);
                }
                this.sha256 = actual;
                this.done = true;
            }
            return data;
        }
        catch (err) {
            this.error = err;
            throw err;
        }
    }
    /** Reads (and checks) whatever the consumer left unread, so the next entry can be parsed. */
    async drain() {
        const unread = !this.done;
        try {
            while (!this.done)
                await this.#step();
        }
        catch (err) {
            if (!this.body.destroyed)
                this.body.destroy(err);
            throw err;
        }
        if (unread && !this.body.destroyed && !this.body.readableEnded)
            this.body.destroy();
    }
}
/**
 * Parses an uncompressed Lifeboat tar stream (format ≤ FORMAT_VERSION), treating it as hostile.
 * Yields the header, then each logical member (chunks joined, each checked before its bytes are
 * passed on), then the manifest with what was actually read. A member's body must be consumed
 * (or left alone; it is then read and checked here) before the next item is requested.
 */
async function* readArchive(tar, options = {}) {
    const reader = new _tar_js__WEBPACK_IMPORTED_MODULE_3__/* .TarReader */ .RF(tar);
    let member;
    try {
        const first = await reader.next();
        if (!first)
            throw damaged('archive is empty: it ends before its header');
        if (first.name !== _types_js__WEBPACK_IMPORTED_MODULE_5__/* .HEADER_ENTRY */ .tv) {
            throw damaged(`archive does not start with ${_types_js__WEBPACK_IMPORTED_MODULE_5__/* .HEADER_ENTRY */ .tv} (found ${q(first.name)}): not a Lifeboat archive`);
        }
        const maxJson = options.maxJsonSize ?? _writer_js__WEBPACK_IMPORTED_MODULE_4__/* .MAX_JSON_SIZE */ .K_;
        const header = parseHeader(await readJson(reader, first, maxJson));
        yield { kind: 'header', header };
        const maxChunk = options.maxChunkSize ?? READER_MAX_CHUNK_SIZE;
        if (header.chunkSize > maxChunk) {
            throw damaged(`archive declares chunks of ${header.chunkSize} bytes, more than this reader's limit of ${maxChunk}`);
        }
        const limits = {
            chunkSize: header.chunkSize,
            maxEntrySize: options.maxEntrySize ?? 2 * header.chunkSize,
        };
        const declared = new Set(header.sources.map((s) => s.name));
        const observed = {};
        let current;
        let paths = new Set();
        let symlinks = new Set();
        for (;;) {
            const e = await reader.next();
            if (!e)
                throw damaged(`archive is truncated: it ends before ${_types_js__WEBPACK_IMPORTED_MODULE_5__/* .MANIFEST_ENTRY */ .xX}`);
            if (e.name === _types_js__WEBPACK_IMPORTED_MODULE_5__/* .MANIFEST_ENTRY */ .xX) {
                const manifest = parseManifest(await readJson(reader, e, maxJson), header);
                const after = await reader.next();
                if (after)
                    throw damaged(`archive has an entry after ${_types_js__WEBPACK_IMPORTED_MODULE_5__/* .MANIFEST_ENTRY */ .xX}: ${q(after.name)}`);
                await reader.expectEnd();
                yield { kind: 'manifest', manifest, observed };
                return;
            }
            const name = e.type === 'directory' && e.name.endsWith('/') ? e.name.slice(0, -1) : e.name;
            if (!(0,_tar_js__WEBPACK_IMPORTED_MODULE_3__/* .isSafeRelativePath */ .VH)(name))
                throw damaged(`archive holds an unsafe path ${q(e.name)}`);
            const slash = name.indexOf('/');
            if (slash === -1)
                throw damaged(`archive holds an unexpected top-level entry ${q(e.name)}`);
            const source = name.slice(0, slash);
            if (!declared.has(source))
                throw damaged(`archive holds a folder ${q(source)} its header does not list`);
            if (source !== current) {
                if (observed[source])
                    throw damaged(`members of source ${q(source)} are not stored together`);
                observed[source] = [];
                current = source;
                paths = new Set();
                symlinks = new Set();
            }
            const records = observed[source];
            let path = name.slice(slash + 1);
            if (e.type === 'file') {
                const m = e.pax.get(`${_writer_js__WEBPACK_IMPORTED_MODULE_4__/* .PAX_VENDOR */ .t8}.member`);
                if (m === undefined)
                    throw damaged(`file entry ${q(e.name)} has no ${_writer_js__WEBPACK_IMPORTED_MODULE_4__/* .PAX_VENDOR */ .t8}.member record`);
                if (!(0,_tar_js__WEBPACK_IMPORTED_MODULE_3__/* .isSafeRelativePath */ .VH)(m))
                    throw damaged(`archive holds an unsafe member path ${q(m)}`);
                const part = paxInt(e, 'part');
                const single = paxInt(e, 'parts') === 1;
                const expected = single ? `${source}/${m}` : (0,_writer_js__WEBPACK_IMPORTED_MODULE_4__/* .partEntryName */ .jC)(`${source}/${m}`, 0);
                if (part !== 0 || e.name !== expected) {
                    throw damaged(`entry ${q(e.name)} is not the first chunk of a member (chunks missing or out of order)`);
                }
                path = m;
            }
            else if (e.type === 'symlink' && e.linkname === '') {
                throw damaged(`symlink ${q(e.name)} has no target`);
            }
            if (paths.has(path))
                throw damaged(`member ${q(`${source}/${path}`)} appears twice`);
            const segments = path.split('/');
            for (let i = 1; i < segments.length; i++) {
                if (symlinks.has(segments.slice(0, i).join('/'))) {
                    throw damaged(`member ${q(`${source}/${path}`)} lies under a symlink member`);
                }
            }
            paths.add(path);
            const mtime = new Date(e.mtimeMs);
            if (Number.isNaN(mtime.getTime()))
                throw damaged(`entry ${q(e.name)} has an invalid mtime`);
            const entry = { path, type: e.type, mode: e.mode, mtime };
            const record = { path, type: e.type, mode: e.mode, mtime: mtime.toISOString() };
            if (e.type === 'symlink') {
                symlinks.add(path);
                entry.linkTarget = e.linkname;
                record.linkTarget = e.linkname;
                records.push(record);
                yield { kind: 'member', source, entry };
            }
            else if (e.type === 'directory') {
                records.push(record);
                yield { kind: 'member', source, entry };
            }
            else {
                checkChunkSize(e, limits);
                member = new FileMember(reader, e, source, path, limits);
                record.size = 0;
                record.sha256 = '';
                record.chunks = member.chunks;
                records.push(record);
                entry.body = member.body;
                yield { kind: 'member', source, entry };
                await member.drain();
                record.size = member.size;
                record.sha256 = member.sha256;
                member = undefined;
            }
        }
    }
    finally {
        if (member && !member.body.destroyed)
            member.body.destroy(member.error);
        await reader.close();
    }
}
function describe(r) {
    if (!r)
        return 'nothing';
    return r.type === 'file' ? `a file of ${r.size} bytes (sha256 ${r.sha256})` : `a ${r.type}`;
}
/** Compares what was read (observed) with the manifest; IntegrityError naming the first difference. */
function checkManifestConsistency(manifest, observed) {
    const listed = new Set(manifest.sources.map((s) => s.name));
    for (const name of Object.keys(observed)) {
        if (!listed.has(name))
            throw damaged(`archive holds source ${q(name)}, which its manifest does not list`);
    }
    for (const s of manifest.sources) {
        const seen = observed[s.name] ?? [];
        const count = Math.max(s.members.length, seen.length);
        for (let i = 0; i < count; i++) {
            const want = s.members[i];
            const got = seen[i];
            const where = `source ${q(s.name)} member ${i + 1} (${q(want?.path ?? got?.path ?? '?')})`;
            if (!want || !got) {
                throw damaged(`${where}: the manifest lists ${describe(want)}, the archive holds ${describe(got)}`);
            }
            const fields = ['path', 'type', 'mode', 'mtime', 'size', 'sha256', 'linkTarget'];
            for (const f of fields) {
                if (want[f] !== got[f]) {
                    throw damaged(`${where}: ${f} differs (manifest ${JSON.stringify(want[f]) ?? 'none'}, archive ${JSON.stringify(got[f]) ?? 'none'})`);
                }
            }
            const wc = want.chunks ?? [];
            const gc = got.chunks ?? [];
            if (wc.length !== gc.length) {
                throw damaged(`${where}: the manifest lists ${wc.length} chunks, the archive holds ${gc.length}`);
            }
            for (let j = 0; j < wc.length; j++) {
                const a = wc[j];
                const b = gc[j];
                if (a.entry !== b.entry || a.size !== b.size || a.sha256 !== b.sha256) {
                    throw damaged(`${where}: chunk ${j} differs (manifest ${q(a.entry)} ${a.size} bytes, archive ${q(b.entry)} ${b.size} bytes)`);
                }
            }
        }
    }
}


/***/ }),

/***/ 59571:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ik: () => (/* binding */ ByteSource),
/* harmony export */   RF: () => (/* binding */ TarReader),
/* harmony export */   RQ: () => (/* binding */ paddingFor),
/* harmony export */   VH: () => (/* binding */ isSafeRelativePath),
/* harmony export */   YS: () => (/* binding */ encodeHeader),
/* harmony export */   bM: () => (/* binding */ END_OF_ARCHIVE),
/* harmony export */   cS: () => (/* binding */ BLOCK_SIZE)
/* harmony export */ });
/* unused harmony exports paxRecord, parseNumber, parsePax, parsePaxTime */
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(43026);

/**
 * A minimal POSIX pax tar codec: ustar headers plus 'x' extended headers, 512-byte blocks.
 * It writes only what Lifeboat archives need and, when reading, accepts only that: the input
 * comes from storage we do not control, so every field is checked before it is trusted.
 */
const BLOCK_SIZE = 512;
/** Two zero blocks end a tar archive. */
const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK_SIZE);
/** Largest value an 11-digit octal ustar field holds. */
const MAX_OCTAL_11 = 0o77777777777;
const TYPE_FLAGS = { file: '0', directory: '5', symlink: '2' };
function paddingFor(size) {
    const rest = size % BLOCK_SIZE;
    return rest === 0 ? 0 : BLOCK_SIZE - rest;
}
function isPlainAscii(s, maxBytes) {
    return s.length <= maxBytes && /^[\x20-\x7e]*$/.test(s);
}
function writeString(block, offset, length, value) {
    const bytes = Buffer.from(value, 'utf8');
    bytes.copy(block, offset, 0, Math.min(bytes.length, length));
}
function writeOctal(block, offset, length, value) {
    block.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'ascii');
}
/** One pax record: "<len> <key>=<value>\n", where len counts the whole record. */
function paxRecord(key, value) {
    const body = Buffer.byteLength(key) + Buffer.byteLength(value) + 3;
    const digits = String(body).length;
    let len = body + digits;
    if (String(len).length !== digits)
        len = body + String(len).length;
    return Buffer.from(`${len} ${key}=${value}\n`, 'utf8');
}
function formatPaxTime(ms) {
    const sign = ms < 0 ? '-' : '';
    const abs = Math.abs(ms);
    const sec = Math.floor(abs / 1000);
    const frac = abs % 1000;
    return frac === 0 ? `${sign}${sec}` : `${sign}${sec}.${String(frac).padStart(3, '0')}`;
}
function ustarBlock(h) {
    const block = Buffer.alloc(BLOCK_SIZE);
    writeString(block, 0, 100, h.name);
    writeOctal(block, 100, 8, h.mode & 0o7777);
    writeOctal(block, 108, 8, 0);
    writeOctal(block, 116, 8, 0);
    writeOctal(block, 124, 12, h.size);
    writeOctal(block, 136, 12, h.mtimeSec);
    block.write(h.flag, 156, 1, 'ascii');
    writeString(block, 157, 100, h.linkname);
    block.write('ustar\0', 257, 6, 'ascii');
    block.write('00', 263, 2, 'ascii');
    writeOctal(block, 329, 8, 0);
    writeOctal(block, 337, 8, 0);
    block.fill(0x20, 148, 156);
    let sum = 0;
    for (let i = 0; i < BLOCK_SIZE; i++)
        sum += block[i];
    block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
    return block;
}
/** A placeholder ustar name for entries whose real name travels in the pax `path` record. */
function fallbackName(name) {
    const ascii = name.replace(/[^\x20-\x7e]/g, '_');
    return ascii.length <= 100 ? ascii : ascii.slice(ascii.length - 100);
}
/** Encodes the header blocks of one entry: an optional pax 'x' entry, then the ustar header. */
function encodeHeader(h) {
    if (!Number.isSafeInteger(h.mtimeMs))
        throw new RangeError(`invalid mtime for ${h.name}`);
    if (!Number.isSafeInteger(h.size) || h.size < 0)
        throw new RangeError(`invalid size for ${h.name}`);
    const records = [];
    let name = h.name;
    let linkname = h.linkname ?? '';
    if (!isPlainAscii(h.name, 100)) {
        records.push(paxRecord('path', h.name));
        name = fallbackName(h.name);
    }
    if (!isPlainAscii(linkname, 100)) {
        records.push(paxRecord('linkpath', linkname));
        linkname = fallbackName(linkname);
    }
    let size = h.size;
    if (size > MAX_OCTAL_11) {
        records.push(paxRecord('size', String(size)));
        size = 0;
    }
    let mtimeSec = Math.floor(h.mtimeMs / 1000);
    if (h.mtimeMs % 1000 !== 0 || mtimeSec < 0 || mtimeSec > MAX_OCTAL_11) {
        records.push(paxRecord('mtime', formatPaxTime(h.mtimeMs)));
        mtimeSec = Math.min(Math.max(mtimeSec, 0), MAX_OCTAL_11);
    }
    for (const [k, v] of h.records ?? [])
        records.push(paxRecord(k, v));
    const main = ustarBlock({
        name,
        flag: TYPE_FLAGS[h.type],
        size,
        mode: h.mode,
        mtimeSec,
        linkname,
    });
    if (records.length === 0)
        return main;
    const pax = Buffer.concat(records);
    const base = h.name.replace(/\/$/, '').split('/').pop() ?? 'entry';
    const paxHeader = ustarBlock({
        name: fallbackName(`PaxHeaders/${base}`),
        flag: 'x',
        size: pax.length,
        mode: 0o644,
        mtimeSec,
        linkname: '',
    });
    return Buffer.concat([paxHeader, pax, Buffer.alloc(paddingFor(pax.length)), main]);
}
const DEFAULT_LIMITS = { maxPaxSize: 1024 * 1024 };
function toBuffer(value) {
    if (Buffer.isBuffer(value))
        return value;
    if (value instanceof Uint8Array)
        return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    if (typeof value === 'string')
        return Buffer.from(value, 'utf8');
    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs('archive stream produced something other than bytes');
}
/** Exact-length reads over an async byte stream. */
class ByteSource {
    #it;
    #bufs = [];
    #len = 0;
    #eof = false;
    /** Bytes handed out so far (for error messages). */
    position = 0;
    constructor(input) {
        this.#it = input[Symbol.asyncIterator]();
    }
    async #pull() {
        if (this.#eof)
            return false;
        const r = await this.#it.next();
        if (r.done) {
            this.#eof = true;
            return false;
        }
        const b = toBuffer(r.value);
        if (b.length > 0) {
            this.#bufs.push(b);
            this.#len += b.length;
        }
        return true;
    }
    /** Exactly n bytes, or an IntegrityError naming what was cut short. */
    async read(n, what) {
        while (this.#len < n) {
            if (!(await this.#pull())) {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs(`archive is truncated: it ends at byte ${this.position + this.#len} inside ${what}`, {
                    hint: 'the stored copy is incomplete: restore from another destination or another backup',
                });
            }
        }
        return this.#take(n);
    }
    /**
     * Exactly n bytes as the pieces they arrived in (views, no copy), or an IntegrityError naming
     * what was cut short. For large bodies: a contiguous copy costs an allocation of the body's
     * size, a copy of every byte and the garbage collections that large allocations bring on.
     */
    async readPieces(n, what) {
        const pieces = [];
        let left = n;
        while (left > 0) {
            if (this.#len === 0 && !(await this.#pull())) {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs(`archive is truncated: it ends at byte ${this.position} inside ${what}`, {
                    hint: 'the stored copy is incomplete: restore from another destination or another backup',
                });
            }
            const piece = this.#take(Math.min(left, this.#bufs[0].length));
            pieces.push(piece);
            left -= piece.length;
        }
        return pieces;
    }
    /** Up to n bytes; an empty buffer only at the end of the stream. */
    async readSome(n) {
        while (this.#len === 0)
            if (!(await this.#pull()))
                return Buffer.alloc(0);
        return this.#take(Math.min(n, this.#len));
    }
    #take(n) {
        this.position += n;
        if (n === 0)
            return Buffer.alloc(0);
        const first = this.#bufs[0];
        if (first.length >= n) {
            this.#len -= n;
            if (first.length === n)
                this.#bufs.shift();
            else
                this.#bufs[0] = first.subarray(n);
            return first.subarray(0, n);
        }
        const out = Buffer.allocUnsafe(n);
        let filled = 0;
        while (filled < n) {
            const b = this.#bufs[0];
            const take = Math.min(b.length, n - filled);
            b.copy(out, filled, 0, take);
            filled += take;
            if (take === b.length)
                this.#bufs.shift();
            else
                this.#bufs[0] = b.subarray(take);
        }
        this.#len -= n;
        return out;
    }
    /** Stops reading; destroys the input if it is a stream. */
    async close() {
        if (!this.#eof)
            await this.#it.return?.();
    }
}
function isZeroBlock(block) {
    for (let i = 0; i < block.length; i++)
        if (block[i] !== 0)
            return false;
    return true;
}
function fieldText(block, offset, length) {
    const raw = block.subarray(offset, offset + length);
    const nul = raw.indexOf(0);
    return raw.subarray(0, nul === -1 ? length : nul).toString('utf8');
}
/** An octal (NUL/space terminated) or base-256 numeric field. */
function parseNumber(block, offset, length, field) {
    const raw = block.subarray(offset, offset + length);
    const first = raw[0];
    if (first & 0x80) {
        // base-256: big-endian two's complement, high bit of the first byte set.
        const negative = first === 0xff;
        if (!negative && first !== 0x80)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs(`tar header has a malformed ${field} field`);
        let value = 0;
        for (let i = 1; i < raw.length; i++) {
            value = value * 256 + (negative ? 255 - raw[i] : raw[i]);
            if (value > Number.MAX_SAFE_INTEGER)
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs(`tar header ${field} field is out of range`);
        }
        return negative ? -(value + 1) : value;
    }
    const text = raw
        .toString('latin1')
        .replace(/[\0 ]+$/, '')
        .replace(/^ +/, '');
    if (text === '')
        return 0;
    if (!/^[0-7]+$/.test(text))
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs(`tar header has a malformed ${field} field`);
    const value = parseInt(text, 8);
    if (!Number.isSafeInteger(value))
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs(`tar header ${field} field is out of range`);
    return value;
}
function checksumOk(block) {
    const stored = parseNumber(block, 148, 8, 'checksum');
    let unsigned = 0;
    let signed = 0;
    for (let i = 0; i < BLOCK_SIZE; i++) {
        const b = i >= 148 && i < 156 ? 0x20 : block[i];
        unsigned += b;
        signed += b > 127 ? b - 256 : b;
    }
    return stored === unsigned || stored === signed;
}
function parseUstar(block, at) {
    const magic = block.subarray(257, 263).toString('latin1');
    if (magic !== 'ustar\0' && magic !== 'ustar ') {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs(`archive has no valid tar header at byte ${at}`);
    }
    if (!checksumOk(block))
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs(`tar header checksum mismatch at byte ${at}`);
    const prefix = fieldText(block, 345, 155);
    const name = fieldText(block, 0, 100);
    return {
        name: prefix && magic === 'ustar\0' ? `${prefix}/${name}` : name,
        flag: String.fromCharCode(block[156]),
        size: parseNumber(block, 124, 12, 'size'),
        mode: parseNumber(block, 100, 8, 'mode'),
        mtimeSec: parseNumber(block, 136, 12, 'mtime'),
        linkname: fieldText(block, 157, 100),
    };
}
/** Parses a pax extended header body into keyword → value (UTF-8). */
function parsePax(buf) {
    const out = new Map();
    let pos = 0;
    while (pos < buf.length) {
        const space = buf.indexOf(0x20, pos);
        if (space === -1 || space - pos > 20)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs('malformed pax extended header');
        const lenText = buf.subarray(pos, space).toString('latin1');
        if (!/^[1-9][0-9]*$/.test(lenText))
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs('malformed pax extended header');
        const len = Number(lenText);
        const end = pos + len;
        if (end > buf.length || buf[end - 1] !== 0x0a)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs('malformed pax extended header');
        const record = buf.subarray(space + 1, end - 1).toString('utf8');
        const eq = record.indexOf('=');
        if (eq <= 0)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs('malformed pax extended header record');
        const key = record.slice(0, eq);
        const value = record.slice(eq + 1);
        if (value === '')
            out.delete(key);
        else
            out.set(key, value);
        pos = end;
    }
    return out;
}
/** Parses a pax time ("sec[.frac]", optionally negative) into whole milliseconds. */
function parsePaxTime(value) {
    const m = /^(-?)([0-9]{1,15})(?:\.([0-9]+))?$/.exec(value);
    if (!m)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs(`malformed pax mtime '${value.slice(0, 40)}'`);
    const ms = Number(m[2]) * 1000 + Number((m[3] ?? '').slice(0, 3).padEnd(3, '0'));
    return m[1] ? -ms : ms;
}
function parseDecimal(value, field) {
    if (!/^[0-9]{1,16}$/.test(value))
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs(`malformed pax ${field} '${value.slice(0, 40)}'`);
    const n = Number(value);
    if (!Number.isSafeInteger(n))
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs(`pax ${field} is out of range`);
    return n;
}
/**
 * Reads tar entries one at a time. After `next()` returns an entry, its body must be read
 * with `readBody()` (or skipped with `skipBody()`) before `next()` is called again.
 */
class TarReader {
    #src;
    #limits;
    #pendingBody = 0;
    constructor(input, limits = {}) {
        this.#src = new ByteSource(input);
        this.#limits = { ...DEFAULT_LIMITS, ...limits };
    }
    get position() {
        return this.#src.position;
    }
    /** The next entry's header, or null at the end-of-archive marker (a zero block). */
    async next() {
        if (this.#pendingBody !== 0)
            throw new Error('TarReader.next() called before the previous body was read');
        let pax;
        for (;;) {
            const at = this.#src.position;
            const block = await this.#src.read(BLOCK_SIZE, 'a tar header');
            if (isZeroBlock(block)) {
                if (pax)
                    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs(`archive ends right after a pax header at byte ${at}`);
                return null;
            }
            const raw = parseUstar(block, at);
            if (raw.flag === 'x') {
                if (pax)
                    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs(`two pax headers in a row at byte ${at}`);
                if (raw.size > this.#limits.maxPaxSize) {
                    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs(`pax header at byte ${at} is ${raw.size} bytes, more than the allowed ${this.#limits.maxPaxSize}`);
                }
                const body = await this.#src.read(raw.size, 'a pax header');
                await this.#readPadding(raw.size, 'a pax header');
                pax = parsePax(body);
                continue;
            }
            return this.#entry(raw, pax ?? new Map(), at);
        }
    }
    #entry(raw, pax, at) {
        let type;
        if (raw.flag === '0' || raw.flag === '\0')
            type = 'file';
        else if (raw.flag === '5')
            type = 'directory';
        else if (raw.flag === '2')
            type = 'symlink';
        else {
            const kinds = {
                '1': 'hardlink',
                '3': 'character device',
                '4': 'block device',
                '6': 'fifo',
                '7': 'contiguous file',
                g: 'global pax header',
                L: 'GNU long name',
                K: 'GNU long link',
            };
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs(`archive holds an unsupported tar entry (${kinds[raw.flag] ?? `type '${raw.flag}'`}) at byte ${at}`);
        }
        const size = pax.has('size') ? parseDecimal(pax.get('size'), 'size') : raw.size;
        if (size < 0)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs(`tar entry at byte ${at} has a negative size`);
        if (type !== 'file' && size !== 0) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs(`tar ${type} entry at byte ${at} has a body (${size} bytes)`);
        }
        const mtimeMs = pax.has('mtime') ? parsePaxTime(pax.get('mtime')) : raw.mtimeSec * 1000;
        const name = pax.get('path') ?? raw.name;
        if (name === '' || name.includes('\0'))
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs(`tar entry at byte ${at} has an invalid name`);
        const linkname = pax.get('linkpath') ?? raw.linkname;
        this.#pendingBody = size;
        return { name, type, size, mode: raw.mode & 0o7777, mtimeMs, linkname, pax };
    }
    /** The whole body of the current entry as the pieces it arrived in (see ByteSource.readPieces). */
    async readBodyPieces(what) {
        const size = this.#pendingBody;
        const pieces = await this.#src.readPieces(size, what);
        await this.#readPadding(size, what);
        this.#pendingBody = 0;
        return pieces;
    }
    /** The whole body of the current entry (callers bound `size` first). */
    async readBody(what) {
        const size = this.#pendingBody;
        const body = await this.#src.read(size, what);
        await this.#readPadding(size, what);
        this.#pendingBody = 0;
        return body;
    }
    /**
     * The zero bytes that fill a body to its 512-byte block. The writer only ever writes zeros
     * there, so anything else means the archive was altered: a changed byte anywhere in an
     * archive is an integrity error, never silently ignored.
     */
    async #readPadding(size, what) {
        const at = this.#src.position;
        const pad = await this.#src.read(paddingFor(size), what);
        const bad = pad.findIndex((b) => b !== 0);
        if (bad !== -1) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs(`the padding after ${what} has a non-zero byte at byte ${at + bad}: the archive was altered`);
        }
    }
    /**
     * After the end-of-archive block: everything left must be zero blocks (at least one more, so
     * the archive had its two end blocks) up to the end of the stream.
     */
    async expectEnd() {
        let zeros = BLOCK_SIZE;
        for (;;) {
            const at = this.#src.position;
            const piece = await this.#src.readSome(64 * 1024);
            if (piece.length === 0)
                break;
            if (!isZeroBlock(piece))
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs(`archive has data after its end marker (byte ${at})`);
            zeros += piece.length;
        }
        if (zeros < 2 * BLOCK_SIZE || zeros % BLOCK_SIZE !== 0) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs('archive is truncated: its end-of-archive blocks are incomplete', {
                hint: 'the stored copy is incomplete: restore from another destination or another backup',
            });
        }
    }
    async close() {
        await this.#src.close();
    }
}
/** True when a '/'-separated relative path is safe to join under a folder. */
function isSafeRelativePath(p) {
    if (p === '' || p.includes('\0') || p.startsWith('/'))
        return false;
    for (const seg of p.split('/'))
        if (seg === '' || seg === '.' || seg === '..')
            return false;
    return true;
}


/***/ }),

/***/ 27317:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B7: () => (/* binding */ INDEX_FORMAT),
/* harmony export */   Hp: () => (/* binding */ FORMAT_VERSION),
/* harmony export */   tv: () => (/* binding */ HEADER_ENTRY),
/* harmony export */   xX: () => (/* binding */ MANIFEST_ENTRY)
/* harmony export */ });
/** Archive format version written by this release. Every earlier version stays readable. */
const FORMAT_VERSION = 1;
/**
 * Format of an encrypted backup's sidecar: a public index (what list, prune and status need)
 * whose full manifest is sealed to the recipients (docs/archive-format.md, format 2). The
 * archive inside, once decrypted, is format 1.
 */
const INDEX_FORMAT = 2;
/** First tar entry of every archive. */
const HEADER_ENTRY = 'lifeboat.json';
/** Last tar entry of every archive (before the tar end blocks). */
const MANIFEST_ENTRY = 'lifeboat-manifest.json';


/***/ }),

/***/ 52725:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   K_: () => (/* binding */ MAX_JSON_SIZE),
/* harmony export */   ZB: () => (/* binding */ isValidSourceName),
/* harmony export */   jC: () => (/* binding */ partEntryName),
/* harmony export */   t8: () => (/* binding */ PAX_VENDOR),
/* harmony export */   u3: () => (/* binding */ ArchiveWriter),
/* harmony export */   xM: () => (/* binding */ MAX_CHUNK_SIZE)
/* harmony export */ });
/* unused harmony export DEFAULT_CHUNK_SIZE */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(57075);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(43026);
/* harmony import */ var _tar_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(59571);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(27317);





const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;
/** No chunk may be larger than this, so a reader can refuse anything bigger outright. */
const MAX_CHUNK_SIZE = 256 * 1024 * 1024;
/** Largest header or manifest JSON a reader accepts by default. */
const MAX_JSON_SIZE = 16 * 1024 * 1024;
/** Vendor prefix of Lifeboat's pax keywords. */
const PAX_VENDOR = 'LIFEBOAT';
const PART_SUFFIX = '.lbpart-';
/** Entry name of part `n` of a member stored in more than one chunk. */
function partEntryName(memberEntry, n) {
    return `${memberEntry}${PART_SUFFIX}${String(n).padStart(6, '0')}`;
}
/** Source folder names: one safe path segment, never clashing with the archive's own entries. */
function isValidSourceName(name) {
    return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) && name.length <= 200;
}
/**
 * Writes a Lifeboat archive (format v1, see docs/archive-format.md) as an uncompressed tar
 * stream. File members are cut into chunks of at most `chunkSize` bytes; each chunk is held in
 * memory only until its sha256 is known, so memory stays bounded whatever a member's size.
 */
class ArchiveWriter {
    chunkSize;
    /** The uncompressed tar bytes. Writes wait while the consumer is slow. */
    stream;
    #wake;
    #failed;
    #state = 'new';
    #queue = Promise.resolve();
    #sources = new Set();
    #currentSource;
    /** Output bytes queued before a file member's input waits: deep enough that the producer
     * (pg_dump) keeps running while the consumer (zstd) works through the previous chunk. */
    #queueLimit;
    constructor(options = {}) {
        const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
        if (!Number.isSafeInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
            throw new RangeError(`chunkSize must be an integer between 1 and ${MAX_CHUNK_SIZE}`);
        }
        this.chunkSize = chunkSize;
        this.#queueLimit = Math.min(chunkSize, 8 * 1024 * 1024);
        this.stream = new node_stream__WEBPACK_IMPORTED_MODULE_1__.Readable({
            highWaterMark: this.#queueLimit,
            read: () => this.#wakeUp(),
            destroy: (err, callback) => {
                this.#failed ??=
                    err ?? new Error('the archive stream was closed before the archive was finished');
                this.#wakeUp();
                callback(err);
            },
        });
    }
    #wakeUp() {
        const wake = this.#wake;
        this.#wake = undefined;
        wake?.();
    }
    async #push(buf) {
        if (this.#failed)
            throw this.#failed;
        if (buf.length === 0)
            return;
        if (!this.stream.push(buf)) {
            await new Promise((resolve) => (this.#wake = resolve));
            if (this.#failed)
                throw this.#failed;
        }
    }
    /** Runs archive writes one after another, whatever the callers do. */
    #serialize(work) {
        const run = this.#queue.then(work);
        this.#queue = run.catch(() => undefined);
        return run;
    }
    async #writeJson(name, value, pretty, time) {
        const json = Buffer.from(JSON.stringify(value, null, pretty ? 2 : undefined) + '\n', 'utf8');
        if (json.length > MAX_JSON_SIZE) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SourceError */ .c8(`${name} would be ${json.length} bytes, more than the ${MAX_JSON_SIZE} bytes readers accept`, { hint: 'back up fewer members per archive (for example split a directory source)' });
        }
        const sha256 = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(json).digest('hex');
        await this.#push((0,_tar_js__WEBPACK_IMPORTED_MODULE_3__/* .encodeHeader */ .YS)({
            name,
            type: 'file',
            size: json.length,
            mode: 0o644,
            mtimeMs: Number.isSafeInteger(Date.parse(time)) ? Date.parse(time) : Date.now(),
            records: [[`${PAX_VENDOR}.sha256`, sha256]],
        }));
        await this.#push(json);
        await this.#push(zeros((0,_tar_js__WEBPACK_IMPORTED_MODULE_3__/* .paddingFor */ .RQ)(json.length)));
    }
    /** Writes HEADER_ENTRY; must be the first call. */
    writeHeader(header) {
        return this.#serialize(async () => {
            if (this.#state !== 'new')
                throw new Error('ArchiveWriter.writeHeader() must be called once, first');
            if (header.format !== _types_js__WEBPACK_IMPORTED_MODULE_4__/* .FORMAT_VERSION */ .Hp)
                throw new Error(`this writer writes format ${_types_js__WEBPACK_IMPORTED_MODULE_4__/* .FORMAT_VERSION */ .Hp}`);
            if (header.chunkSize !== this.chunkSize) {
                throw new Error(`header.chunkSize (${header.chunkSize}) differs from the writer's (${this.chunkSize})`);
            }
            this.#state = 'open';
            await this.#writeJson(_types_js__WEBPACK_IMPORTED_MODULE_4__/* .HEADER_ENTRY */ .tv, header, true, header.createdAt);
        });
    }
    /** A sink for one source; member paths are written under `${sourceName}/`. */
    sourceSink(sourceName) {
        if (!isValidSourceName(sourceName))
            throw new Error(`invalid source folder name '${sourceName}'`);
        if (this.#sources.has(sourceName))
            throw new Error(`source folder '${sourceName}' was already written`);
        this.#sources.add(sourceName);
        const records = [];
        const paths = new Set();
        const symlinks = new Set();
        const begin = (path) => {
            if (this.#state !== 'open') {
                throw new Error(this.#state === 'new' ? 'write the archive header first' : 'the archive is finished');
            }
            if (this.#currentSource !== sourceName && this.#currentSource !== undefined) {
                const done = this.#currentSource;
                if (records.length > 0) {
                    throw new Error(`members of '${sourceName}' must be written together (after '${done}' started)`);
                }
            }
            this.#currentSource = sourceName;
            const p = path.endsWith('/') ? path.slice(0, -1) : path;
            if (!(0,_tar_js__WEBPACK_IMPORTED_MODULE_3__/* .isSafeRelativePath */ .VH)(p)) {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SourceError */ .c8(`cannot store member '${path}' of ${sourceName}: the path must be relative without '.' or '..' parts`);
            }
            if (paths.has(p))
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SourceError */ .c8(`member '${p}' of ${sourceName} was written twice`);
            const parts = p.split('/');
            for (let i = 1; i < parts.length; i++) {
                if (symlinks.has(parts.slice(0, i).join('/'))) {
                    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SourceError */ .c8(`member '${p}' of ${sourceName} lies under a symlink member`);
                }
            }
            paths.add(p);
            return p;
        };
        const sink = {
            addFile: (path, body, meta) => this.#serialize(async () => {
                const p = begin(path);
                const record = await this.#writeFile(`${sourceName}/${p}`, p, body, meta);
                records.push(record);
                return record;
            }),
            addDirectory: (path, meta) => this.#serialize(async () => {
                const p = begin(path);
                const { mode, mtimeMs } = metaOf(meta, 0o755);
                await this.#push((0,_tar_js__WEBPACK_IMPORTED_MODULE_3__/* .encodeHeader */ .YS)({
                    name: `${sourceName}/${p}/`,
                    type: 'directory',
                    size: 0,
                    mode,
                    mtimeMs,
                }));
                const record = {
                    path: p,
                    type: 'directory',
                    mode,
                    mtime: new Date(mtimeMs).toISOString(),
                };
                records.push(record);
                return record;
            }),
            addSymlink: (path, target, meta) => this.#serialize(async () => {
                const p = begin(path);
                if (target === '' || target.includes('\0'))
                    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SourceError */ .c8(`symlink '${p}' has an invalid target`);
                const { mode, mtimeMs } = metaOf(meta, 0o777);
                await this.#push((0,_tar_js__WEBPACK_IMPORTED_MODULE_3__/* .encodeHeader */ .YS)({
                    name: `${sourceName}/${p}`,
                    type: 'symlink',
                    size: 0,
                    mode,
                    mtimeMs,
                    linkname: target,
                }));
                symlinks.add(p);
                const record = {
                    path: p,
                    type: 'symlink',
                    mode,
                    mtime: new Date(mtimeMs).toISOString(),
                    linkTarget: target,
                };
                records.push(record);
                return record;
            }),
            records: () => records.map((r) => ({ ...r })),
        };
        return sink;
    }
    async #writeFile(entry, path, body, meta) {
        const { mode, mtimeMs } = metaOf(meta, 0o644);
        const chunkSize = this.chunkSize;
        // Each piece is hashed as it arrives (still hot in cache), once for its chunk and, from the
        // second chunk on, once for the whole member; a member of one chunk has the chunk's hash.
        let memberHash;
        let chunkHash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
        const chunks = [];
        let total = 0;
        let pending = [];
        let pendingLen = 0;
        let fileSha = '';
        const add = (piece) => {
            pending.push(piece);
            pendingLen += piece.length;
            chunkHash.update(piece);
            memberHash?.update(piece);
        };
        /** Pushes the pending chunk (header, data, padding) without waiting for the consumer. */
        const emit = (last) => {
            const n = chunks.length;
            const single = last && n === 0;
            if (!single && !memberHash) {
                memberHash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
                for (const piece of pending)
                    memberHash.update(piece);
            }
            const sha256 = chunkHash.digest('hex');
            chunkHash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
            total += pendingLen;
            const name = single ? entry : partEntryName(entry, n);
            const records = [
                [`${PAX_VENDOR}.member`, path],
                [`${PAX_VENDOR}.part`, String(n)],
                [`${PAX_VENDOR}.sha256`, sha256],
            ];
            chunks.push({ entry: name, size: pendingLen, sha256 });
            if (last) {
                fileSha = single ? sha256 : memberHash.digest('hex');
                records.push([`${PAX_VENDOR}.parts`, String(chunks.length)], [`${PAX_VENDOR}.size`, String(total)], [`${PAX_VENDOR}.member-sha256`, fileSha]);
            }
            this.#pushNow((0,_tar_js__WEBPACK_IMPORTED_MODULE_3__/* .encodeHeader */ .YS)({ name, type: 'file', size: pendingLen, mode, mtimeMs, records }));
            for (const piece of pending)
                this.#pushNow(piece);
            this.#pushNow(zeros((0,_tar_js__WEBPACK_IMPORTED_MODULE_3__/* .paddingFor */ .RQ)(pendingLen)));
            pending = [];
            pendingLen = 0;
        };
        /**
         * Takes a piece. Synchronous while the output queue has room; when a chunk fills it, the
         * rest of the piece waits for the consumer (the returned promise), so the queue stays
         * bounded by its limit plus one chunk.
         */
        const take = (input) => {
            let piece = input;
            // Emit a chunk only once a byte beyond it is known to exist: then no chunk is empty and
            // the last chunk is known when it is written.
            while (pendingLen + piece.length > chunkSize) {
                const need = chunkSize - pendingLen;
                add(piece.subarray(0, need));
                piece = piece.subarray(need);
                emit(false);
                if (this.#full()) {
                    const rest = piece;
                    return this.#room().then(() => take(rest));
                }
            }
            if (piece.length > 0)
                add(piece);
            return undefined;
        };
        try {
            if (Buffer.isBuffer(body)) {
                await take(body);
            }
            else {
                await this.#consume(body, take);
            }
            emit(true);
            if (this.#full())
                await this.#room();
        }
        catch (err) {
            // Parts already written cannot be taken back: the archive is unusable from here on.
            if (chunks.length > 0)
                this.abort(err instanceof Error ? err : new Error(String(err)));
            throw err;
        }
        return {
            path,
            type: 'file',
            mode,
            mtime: new Date(mtimeMs).toISOString(),
            size: total,
            sha256: fileSha,
            chunks,
        };
    }
    #bytesWritten = 0;
    /** Uncompressed tar bytes produced so far (for progress reports). */
    get bytesWritten() {
        return this.#bytesWritten;
    }
    /** Queues bytes on the output whatever its fill level (callers bound it with #room). */
    #pushNow(buf) {
        if (this.#failed)
            throw this.#failed;
        if (buf.length > 0) {
            this.#bytesWritten += buf.length;
            this.stream.push(buf);
        }
    }
    #full() {
        return this.stream.readableLength >= this.#queueLimit;
    }
    /** Waits until the consumer has taken the output queue below its limit. */
    async #room() {
        while (this.#full()) {
            if (this.#failed)
                throw this.#failed;
            await new Promise((resolve) => (this.#wake = resolve));
        }
        if (this.#failed)
            throw this.#failed;
    }
    /**
     * Feeds a body's pieces to `take` as they arrive ('data' events hand over each buffer as
     * read; async iteration would concatenate whatever is buffered into new copies), pausing
     * the body while the output queue is full.
     */
    #consume(body, take) {
        return new Promise((resolve, reject) => {
            /** Work still waiting for room in the output queue; later pieces go behind it, in order. */
            let queue;
            let ended = false;
            let settled = false;
            const done = (err) => {
                if (settled)
                    return;
                settled = true;
                body.off('data', onData);
                body.off('end', onEnd);
                body.off('error', onError);
                body.off('close', onClose);
                if (err === undefined)
                    resolve();
                else {
                    // Like leaving a for-await loop: the producer learns nobody reads any more.
                    if (!body.destroyed)
                        body.destroy();
                    reject(err instanceof Error ? err : new Error(String(err)));
                }
            };
            const settleQueue = async () => {
                let seen;
                while (seen !== queue) {
                    seen = queue;
                    await seen;
                }
                queue = undefined;
                if (ended)
                    done();
                else
                    body.resume();
            };
            const onData = (piece) => {
                if (settled)
                    return;
                try {
                    const buf = toBuffer(piece);
                    if (queue) {
                        queue = queue.then(() => take(buf));
                        return;
                    }
                    const wait = take(buf);
                    if (!wait)
                        return;
                    body.pause();
                    queue = wait;
                    settleQueue().catch(done);
                }
                catch (err) {
                    done(err);
                }
            };
            const onEnd = () => {
                ended = true;
                if (!queue)
                    done();
            };
            const onError = (err) => done(err);
            const onClose = () => {
                if (!ended) {
                    done(body.errored ??
                        Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
                }
            };
            if (body.readableEnded) {
                done(new Error('the member body was already read'));
                return;
            }
            if (body.errored) {
                done(body.errored);
                return;
            }
            body.on('data', onData);
            body.on('end', onEnd);
            body.on('error', onError);
            body.on('close', onClose);
            body.resume();
        });
    }
    /** Writes MANIFEST_ENTRY, then the tar end-of-archive blocks, and ends `stream`. */
    finish(manifest) {
        return this.#serialize(async () => {
            if (this.#state !== 'open') {
                throw new Error(this.#state === 'new'
                    ? 'write the archive header first'
                    : 'the archive is already finished');
            }
            this.#state = 'finished';
            await this.#writeJson(_types_js__WEBPACK_IMPORTED_MODULE_4__/* .MANIFEST_ENTRY */ .xX, manifest, false, manifest.finishedAt);
            await this.#push(_tar_js__WEBPACK_IMPORTED_MODULE_3__/* .END_OF_ARCHIVE */ .bM);
            if (this.#failed)
                throw this.#failed;
            this.stream.push(null);
        });
    }
    /** Fails the stream (the consumer sees the error); used when a dump fails midway. */
    abort(err) {
        this.#state = 'finished';
        this.#failed ??= err;
        if (!this.stream.destroyed)
            this.stream.destroy(err);
        this.#wakeUp();
    }
}
const ZEROS = Buffer.alloc(512);
/** Tar padding (under 512 bytes) from one shared zero block; nothing downstream writes to it. */
function zeros(n) {
    return ZEROS.subarray(0, n);
}
function toBuffer(piece) {
    if (Buffer.isBuffer(piece))
        return piece;
    if (piece instanceof Uint8Array)
        return Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    if (typeof piece === 'string')
        return Buffer.from(piece, 'utf8');
    throw new TypeError('a member body must produce bytes');
}
function metaOf(meta, defaultMode) {
    const mode = (meta?.mode ?? defaultMode) & 0o7777;
    const mtimeMs = (meta?.mtime ?? new Date()).getTime();
    if (!Number.isSafeInteger(mtimeMs))
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SourceError */ .c8('member mtime is not a valid date');
    return { mode, mtimeMs };
}


/***/ }),

/***/ 24091:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   W: () => (/* binding */ unlessAborted),
/* harmony export */   cancelOnSignals: () => (/* binding */ cancelOnSignals)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(43026);
/* harmony import */ var _process_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(15816);
/**
 * SIGINT/SIGTERM → one AbortSignal for the whole run. The first signal cancels (children
 * stopped, uploads aborted, temp folders removed by the code that owns them); a second one
 * only says cleanup is still running; a third forces the exit.
 */


function cancelOnSignals(say, proc = process) {
    const controller = new AbortController();
    let received = 0;
    const onSignal = (name) => {
        received++;
        if (received === 1) {
            say(`Cancelling (${name} received): stopping child processes, aborting uploads, removing temporary files…`);
            controller.abort(new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CancelledError */ .cc(name));
        }
        else if (received === 2) {
            say(`${name} received again: still cleaning up; a third signal stops without cleanup`);
        }
        else {
            say(`${name} received a third time: exiting now, cleanup may be incomplete`);
            (0,_process_js__WEBPACK_IMPORTED_MODULE_1__/* .killAllProcesses */ .F2)();
            const first = controller.signal.reason;
            proc.exit(first.exitCode);
        }
    };
    const onInt = () => onSignal('SIGINT');
    const onTerm = () => onSignal('SIGTERM');
    proc.on('SIGINT', onInt);
    proc.on('SIGTERM', onTerm);
    return {
        signal: controller.signal,
        dispose() {
            proc.off('SIGINT', onInt);
            proc.off('SIGTERM', onTerm);
        },
    };
}
/**
 * Waits for `work` unless the signal aborts first, then throws its reason at once: for a step
 * that takes no signal itself (a storage delete) and must not hold a cancelled run open.
 */
function unlessAborted(work, signal) {
    if (!signal)
        return work;
    signal.throwIfAborted();
    work.catch(() => undefined); // abandoned: its outcome no longer matters
    return new Promise((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        work.then((v) => {
            signal.removeEventListener('abort', onAbort);
            resolve(v);
        }, (err) => {
            signal.removeEventListener('abort', onAbort);
            reject(err instanceof Error ? err : new Error(String(err)));
        });
    });
}


/***/ }),

/***/ 43026:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H3: () => (/* binding */ LifeboatError),
/* harmony export */   Qj: () => (/* binding */ describeErrorTemplate),
/* harmony export */   Rr: () => (/* binding */ exitCodeFor),
/* harmony export */   Uc: () => (/* binding */ describeError),
/* harmony export */   aq: () => (/* binding */ StorageError),
/* harmony export */   c4: () => (/* binding */ isNotFound),
/* harmony export */   c8: () => (/* binding */ SourceError),
/* harmony export */   cc: () => (/* binding */ CancelledError),
/* harmony export */   cs: () => (/* binding */ IntegrityError),
/* harmony export */   dg: () => (/* binding */ isTransient),
/* harmony export */   mP: () => (/* binding */ FreshnessError),
/* harmony export */   xL: () => (/* binding */ ConfigError),
/* harmony export */   yU: () => (/* binding */ ExitCode)
/* harmony export */ });
/* harmony import */ var _option_ref_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76792);
/**
 * Typed errors. Engine code throws these; only the faces (action, CLI) turn them into exit
 * codes or `setFailed`. Integrity errors are always fatal.
 */

class LifeboatError extends Error {
    /** A short hint telling the person what to do next, shown after the message. */
    hint;
    /** The hint with its option references unrendered (see option-ref.ts), for the faces. */
    hintTemplate;
    constructor(message, options) {
        super(message, options?.cause === undefined ? undefined : { cause: options.cause });
        this.name = new.target.name;
        this.hintTemplate = options?.hint;
        this.hint = options?.hint === undefined ? undefined : (0,_option_ref_js__WEBPACK_IMPORTED_MODULE_0__/* .renderOptionRefs */ .Qm)(options.hint);
    }
}
/** Bad input: an option, a URL, a missing tool. Exit code 2. */
class ConfigError extends LifeboatError {
    kind = 'config';
    option;
    constructor(option, message, options) {
        super(option ? `${option}: ${message}` : message, options);
        this.option = option;
    }
}
/** A source could not be dumped or restored (server down, dump tool failed, …). Exit code 1. */
class SourceError extends LifeboatError {
    kind = 'source';
}
/** A storage operation failed. `transient` errors may be retried; others fail at once. Exit 1. */
class StorageError extends LifeboatError {
    kind = 'storage';
    transient;
    notFound;
    /** The failure's class; derived from notFound/transient when the thrower did not say. */
    reason;
    constructor(message, options) {
        super(message, options);
        this.reason =
            options?.reason ??
                (options?.notFound ? 'not-found' : options?.transient ? 'network' : 'other');
        this.notFound = options?.notFound ?? this.reason === 'not-found';
        this.transient = options?.transient ?? false;
    }
}
/** A checksum, size or structure did not match: the backup cannot be trusted. Exit code 3. */
class IntegrityError extends LifeboatError {
    kind = 'integrity';
}
/** The newest backup is older than the schedule allows (missed runs, RPO breached). Exit 1. */
class FreshnessError extends LifeboatError {
    kind = 'freshness';
}
/** The run was cancelled by SIGINT/SIGTERM. Exit 130 or 143, as a shell reports those signals. */
class CancelledError extends LifeboatError {
    kind = 'cancelled';
    signal;
    /** `stage` says what had already happened, e.g. that the backup was stored. */
    constructor(signal, stage) {
        super(`cancelled (${signal} received)${stage ? `: ${stage}` : ''}`);
        this.signal = signal;
    }
    get exitCode() {
        return this.signal === 'SIGINT' ? ExitCode.sigint : ExitCode.sigterm;
    }
}
function isNotFound(err) {
    return err instanceof StorageError && err.notFound;
}
function isTransient(err) {
    return err instanceof StorageError && err.transient;
}
/** Exit codes shared by the CLI and the action's tests. */
const ExitCode = {
    ok: 0,
    failure: 1,
    config: 2,
    integrity: 3,
    sigint: 130,
    sigterm: 143,
};
function exitCodeFor(err) {
    if (err instanceof ConfigError)
        return ExitCode.config;
    if (err instanceof IntegrityError)
        return ExitCode.integrity;
    if (err instanceof CancelledError)
        return err.exitCode;
    return ExitCode.failure;
}
/** The one line a person reads: message, then the hint if any, options named in `syntax`. */
function describeError(err, syntax) {
    return (0,_option_ref_js__WEBPACK_IMPORTED_MODULE_0__/* .renderOptionRefs */ .Qm)(describeErrorTemplate(err), syntax);
}
/**
 * The same line with its option references left for the face to render: what the engine
 * writes into its own log lines and into messages that wrap another error.
 */
function describeErrorTemplate(err) {
    if (err instanceof LifeboatError) {
        return err.hintTemplate ? `${err.message}\n  fix: ${err.hintTemplate}` : err.message;
    }
    if (err instanceof Error)
        return err.message;
    return String(err);
}


/***/ }),

/***/ 94166:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   f: () => (/* binding */ STORE_READ_CONCURRENCY),
/* harmony export */   k: () => (/* binding */ eachLimited)
/* harmony export */ });
/** How many small objects (manifests, drill records) a command reads from one store at once. */
const STORE_READ_CONCURRENCY = 8;
/**
 * Runs `work` on every item with at most `limit` at a time, stopping when the signal aborts.
 * The first rejection rejects the whole (the workers already running finish their item).
 */
async function eachLimited(items, limit, signal, work) {
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            signal?.throwIfAborted();
            await work(items[next++]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}


/***/ }),

/***/ 85491:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BO: () => (/* binding */ redactUrl),
/* harmony export */   CJ: () => (/* binding */ startPhase),
/* harmony export */   S: () => (/* binding */ redactingLogger),
/* harmony export */   a3: () => (/* binding */ formatDuration),
/* harmony export */   fU: () => (/* binding */ formatTime),
/* harmony export */   pO: () => (/* binding */ Redactor),
/* harmony export */   qq: () => (/* binding */ silentLogger),
/* harmony export */   z3: () => (/* binding */ formatBytes),
/* harmony export */   zN: () => (/* binding */ endPhase)
/* harmony export */ });
/* unused harmony export derivedForms */
/** Marks the start of a phase: a folded section where the face has them, else a heading line. */
function startPhase(log, title) {
    if (log.startGroup)
        log.startGroup(title);
    else
        log.info(`== ${title}`);
}
function endPhase(log) {
    log.endGroup?.();
}
class Redactor {
    secrets = new Set();
    listeners = [];
    /** Register a secret and its derived forms (URL-encoded, base64). Short values are ignored. */
    add(secret) {
        if (!secret || secret.length < 3)
            return;
        for (const form of derivedForms(secret)) {
            if (form.length < 3 || this.secrets.has(form))
                continue;
            this.secrets.add(form);
            for (const listener of this.listeners)
                listener(form);
        }
    }
    /** Called for each form already registered and every future one (the action hooks core.setSecret). */
    onSecret(listener) {
        this.listeners.push(listener);
        for (const s of this.secrets)
            listener(s);
    }
    redact(text) {
        let out = text;
        // Longest first so a secret containing another is replaced whole.
        const sorted = [...this.secrets].sort((a, b) => b.length - a.length);
        for (const s of sorted)
            out = out.split(s).join('***');
        return out;
    }
}
function derivedForms(secret) {
    const forms = new Set([secret]);
    forms.add(encodeURIComponent(secret));
    try {
        forms.add(encodeURI(secret));
    }
    catch {
        // lone surrogates cannot be URI-encoded; the raw form is still masked
    }
    forms.add(Buffer.from(secret, 'utf8').toString('base64'));
    forms.add(Buffer.from(secret, 'utf8').toString('base64url'));
    return [...forms];
}
/** Wraps a logger so every line is redacted. */
function redactingLogger(inner, redactor) {
    const log = {
        info: (m) => inner.info(redactor.redact(m)),
        warn: (m) => inner.warn(redactor.redact(m)),
        error: (m) => inner.error(redactor.redact(m)),
        debug: (m) => inner.debug(redactor.redact(m)),
    };
    if (inner.startGroup) {
        const start = inner.startGroup.bind(inner);
        log.startGroup = (title) => start(redactor.redact(title));
    }
    if (inner.endGroup)
        log.endGroup = inner.endGroup.bind(inner);
    return log;
}
const silentLogger = { info() { }, warn() { }, error() { }, debug() { } };
/** Remove the password (and any token-ish query values) from a URL before showing it. */
function redactUrl(url) {
    try {
        const u = new URL(url);
        if (u.password)
            u.password = '***';
        for (const key of [...u.searchParams.keys()]) {
            if (/pass|secret|token|key|sig|credential/i.test(key))
                u.searchParams.set(key, '***');
        }
        return u.toString();
    }
    catch {
        return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
    }
}
function formatBytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let v = n;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
    }
    return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}
/** Human units at every scale: '850 ms', '12.3 s', '5 min 3 s', '6 h 53 min', '1 d'. */
function formatDuration(ms) {
    if (ms < 0)
        return `-${formatDuration(-ms)}`;
    if (ms < 1000)
        return `${Math.round(ms)} ms`;
    if (ms < 59_950)
        return `${(ms / 1000).toFixed(1)} s`;
    const units = [
        ['d', 86_400],
        ['h', 3600],
        ['min', 60],
        ['s', 1],
    ];
    let rest = Math.round(ms / 1000);
    const parts = units.map(([unit, size]) => {
        const n = Math.floor(rest / size);
        rest -= n * size;
        return [unit, n];
    });
    // The two most significant units; a zero second unit is left out ('1 d', not '1 d 0 h').
    const lead = parts.findIndex(([, n]) => n > 0);
    return parts
        .slice(lead, lead + 2)
        .filter(([, n], i) => i === 0 || n > 0)
        .map(([unit, n]) => `${n} ${unit}`)
        .join(' ');
}
/** The one time format of logs and summaries: UTC to the second, '2026-11-30T03:17:00Z'. */
function formatTime(t) {
    const d = typeof t === 'string' ? new Date(t) : t;
    return Number.isNaN(d.getTime()) ? String(t) : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}


/***/ }),

/***/ 76792:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $j: () => (/* binding */ optionRef),
/* harmony export */   Qm: () => (/* binding */ renderOptionRefs)
/* harmony export */ });
/* unused harmony export actionSyntax */
/**
 * Messages and hints name options the way each face spells them: `overwrite: true` in a
 * workflow, `--overwrite` on a command line. Engine code writes `optionRef('overwrite', 'true')`
 * into the text; each face renders the references with its own syntax.
 */
const REF = /\{\{option:([a-z0-9-]+)(?:=([^}]*))?\}\}/g;
function optionRef(name, value) {
    return value === undefined ? `{{option:${name}}}` : `{{option:${name}=${value}}}`;
}
/** The action's inputs, as written under `with:`. */
const actionSyntax = (name, value) => value === undefined ? `the ${name} input` : `${name}: ${value}`;
function renderOptionRefs(text, syntax = actionSyntax) {
    return text.replace(REF, (_, name, value) => syntax(name, value));
}


/***/ }),

/***/ 47422:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ COMMANDS),
/* harmony export */   S: () => (/* binding */ DATA_COMMANDS)
/* harmony export */ });
/**
 * What an option declaration is. Kernel-level and import-free on purpose: every source and
 * storage driver declares its own options in an `options.ts` beside its code using only this
 * file, so the registries can collect them into the one schema (src/options/schema.ts) at
 * start-up without loading any driver or its client library.
 */
const COMMANDS = [
    'backup',
    'restore',
    'verify',
    'list',
    'prune',
    'status',
    'drill',
    'report',
];
/** Every command that reads or writes backups: all of them. */
const DATA_COMMANDS = COMMANDS;


/***/ }),

/***/ 15816:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DL: () => (/* binding */ isProcessRunning),
/* harmony export */   F2: () => (/* binding */ killAllProcesses),
/* harmony export */   KE: () => (/* binding */ describeExit),
/* harmony export */   R3: () => (/* binding */ runProcess),
/* harmony export */   kp: () => (/* binding */ startProcess)
/* harmony export */ });
/* unused harmony exports DEFAULT_GRACE_MS, ProcessRun */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(31421);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(43026);
/**
 * The one way Lifeboat runs a child process. Credentials travel only in `env` (never argv);
 * stderr is kept as a bounded tail for messages; an abort sends SIGTERM, then SIGKILL after a
 * short grace; a non-zero exit or a signal becomes a typed error that names the tool.
 */


const DEFAULT_GRACE_MS = 5_000;
const TAIL_BYTES = 16_384;
const TAIL_LINES = 20;
/** Children still running, so a forced exit can still kill them (no orphans after a 3rd signal). */
const live = new Set();
class ProcessRun {
    child;
    /** Resolves once the process has exited and its output streams are closed; never rejects. */
    exited;
    tool;
    /** Why the process could not be started, once that is known. */
    spawnError;
    #tail = '';
    #stopping = false;
    #killTimer;
    #options;
    constructor(options) {
        this.#options = options;
        this.tool = options.tool;
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(options.command, [...options.args], {
            env: options.env,
            stdio: [options.stdin ?? 'ignore', options.stdout ?? 'pipe', options.stderr ?? 'pipe'],
            ...(options.cwd ? { cwd: options.cwd } : {}),
        });
        this.child = child;
        live.add(child);
        child.stderr?.on('data', (c) => this.#push(c));
        // 'close' waits for stdout to be read to its end, which a cancelled reader never does.
        child.once('exit', () => clearTimeout(this.#killTimer));
        // A child that stops reading makes writes fail with EPIPE; its exit status says why.
        child.stdin?.on('error', () => undefined);
        this.exited = new Promise((resolve) => {
            child.once('error', (err) => {
                // 'close' may not follow a spawn failure; resolve here as well.
                live.delete(child);
                this.spawnError = err;
                resolve({ code: null, signal: null, spawnError: err });
            });
            child.once('close', (code, signal) => resolve({ code, signal }));
        }).finally(() => {
            live.delete(child);
            clearTimeout(this.#killTimer);
            options.signal?.removeEventListener('abort', this.#onAbort);
        });
        if (options.signal?.aborted)
            this.stop();
        else
            options.signal?.addEventListener('abort', this.#onAbort, { once: true });
    }
    get stdin() {
        return this.child.stdin;
    }
    get stdout() {
        return this.child.stdout;
    }
    get running() {
        return this.child.exitCode === null && this.child.signalCode === null && live.has(this.child);
    }
    /** True when the run's signal was aborted: the exit is the cancellation's doing. */
    get aborted() {
        return this.#options.signal?.aborted ?? false;
    }
    /** SIGTERM now, SIGKILL if it is still running after the grace period. Safe to call twice. */
    stop() {
        if (this.#stopping || !this.running)
            return;
        this.#stopping = true;
        this.child.kill('SIGTERM');
        this.#killTimer = setTimeout(() => {
            if (this.running)
                this.child.kill('SIGKILL');
        }, this.#options.graceMs ?? DEFAULT_GRACE_MS);
        // The live child keeps the process up; the timer alone must not.
        this.#killTimer.unref();
    }
    /** The last lines the tool wrote to stderr, masked. */
    stderrTail(lines = TAIL_LINES) {
        const text = this.#tail.trim().split('\n').filter(Boolean).slice(-lines).join('\n');
        return this.#options.redact ? this.#options.redact(text) : text;
    }
    /**
     * The error for an unsuccessful exit: the cancellation's reason when the run was aborted,
     * otherwise a typed error naming the tool, how it ended, and its stderr tail.
     */
    failure(status, what = this.tool, hint) {
        const reason = this.#options.signal?.reason;
        if (this.aborted && reason instanceof _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .LifeboatError */ .H3)
            return reason;
        const tail = this.stderrTail();
        const make = this.#options.failure ?? ((m, o) => new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .SourceError */ .c8(m, o));
        return make(`${what} failed (${describeExit(status, this.tool)})${tail ? `:\n${tail}` : ''}`, {
            ...(status.spawnError ? { cause: status.spawnError } : {}),
            ...(hint ? { hint } : {}),
        });
    }
    /** Waits for the exit; throws `failure()` unless it exited 0. */
    async check(what, hint) {
        const status = await this.exited;
        if (status.code !== 0)
            throw this.failure(status, what, hint);
    }
    #onAbort = () => this.stop();
    #push(chunk) {
        this.#tail = (this.#tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
    }
}
function startProcess(options) {
    return new ProcessRun(options);
}
/** Runs a process to the end and returns its stdout; throws the typed failure otherwise. */
async function runProcess(options) {
    const run = startProcess({ ...options, stdout: 'pipe' });
    const limit = options.maxOutput ?? 1 << 20;
    let out = '';
    run.stdout.setEncoding('utf8');
    run.stdout.on('data', (s) => {
        if (out.length < limit)
            out += s;
    });
    await run.check();
    return out;
}
function describeExit(status, tool) {
    if (status.spawnError) {
        const code = status.spawnError.code;
        return code === 'ENOENT'
            ? `${tool} was not found`
            : `${tool} could not be started: ${status.spawnError.message}`;
    }
    if (status.signal)
        return `killed by ${status.signal}`;
    return `exit code ${status.code}`;
}
/** For a forced exit: SIGKILL every child still running. Synchronous, so usable in 'exit'. */
function killAllProcesses() {
    for (const child of live) {
        try {
            child.kill('SIGKILL');
        }
        catch {
            // already gone
        }
    }
}
/** Whether a process with this pid runs on this host (EPERM: it runs, as another user). */
function isProcessRunning(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (err) {
        return err.code === 'EPERM';
    }
}


/***/ }),

/***/ 83642:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F3: () => (/* binding */ metered),
/* harmony export */   Vu: () => (/* binding */ formatProgress),
/* harmony export */   _4: () => (/* binding */ realEvery),
/* harmony export */   jA: () => (/* binding */ progressOf)
/* harmony export */ });
/* unused harmony exports formatTimeLeft, periodicProgress, LOG_PROGRESS_INTERVAL_MS, logProgress */
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(57075);
/* harmony import */ var _log_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(85491);


/** `Uploading x: 1.2 GiB of 3.4 GiB (35%), 45.0 MiB/s, about 50 s left`. */
function formatProgress(s) {
    const parts = [(0,_log_js__WEBPACK_IMPORTED_MODULE_1__/* .formatBytes */ .z3)(s.bytes)];
    const known = s.total !== undefined && s.total > 0;
    if (known) {
        const percent = Math.min(100, Math.floor((s.bytes / s.total) * 100));
        parts[0] += ` of ${(0,_log_js__WEBPACK_IMPORTED_MODULE_1__/* .formatBytes */ .z3)(s.total)} (${percent}%)`;
    }
    else
        parts[0] += ' so far';
    const rate = s.elapsedMs > 0 ? (s.bytes / s.elapsedMs) * 1000 : 0;
    if (rate > 0)
        parts.push(`${(0,_log_js__WEBPACK_IMPORTED_MODULE_1__/* .formatBytes */ .z3)(rate)}/s`);
    if (known && rate > 0 && s.bytes < s.total) {
        parts.push(`about ${formatTimeLeft(((s.total - s.bytes) / rate) * 1000)} left`);
    }
    return `${s.label}: ${parts.join(', ')}`;
}
/** Time left in whole seconds (a rate-based guess has no tenths), else as every other duration. */
function formatTimeLeft(ms) {
    const s = Math.max(1, Math.round(ms / 1000));
    return s < 60 ? `${s} s` : (0,_log_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a3)(s * 1000);
}
const realEvery = (fn, ms) => {
    const timer = setInterval(fn, ms);
    timer.unref();
    return () => clearInterval(timer);
};
/**
 * One plain line per task at most every intervalMs, and none for a phase shorter than that.
 * A timer also checks, so a stalled transfer still shows up (with its rate falling).
 */
function periodicProgress(options) {
    const now = options.now ?? Date.now;
    const every = options.every ?? realEvery;
    return {
        start(label, start = {}) {
            const t0 = now();
            const base = start.read?.() ?? 0;
            let counted = 0;
            let last = t0;
            let ended = false;
            const bytes = () => (start.read ? start.read() - base : counted);
            const check = () => {
                const t = now();
                if (ended || t - last < options.intervalMs)
                    return;
                last = t;
                options.write(formatProgress({ label, bytes: bytes(), total: start.total, elapsedMs: t - t0 }));
            };
            const cancel = every(check, options.intervalMs);
            return {
                add(n) {
                    counted += n;
                    check();
                },
                end() {
                    ended = true;
                    cancel();
                },
            };
        },
    };
}
const LOG_PROGRESS_INTERVAL_MS = 30_000;
/** The face's reporter, or plain log lines every 30 s when the face has none. */
function progressOf(ctx) {
    return ctx.progress ?? logProgress(ctx.log);
}
/** The default: a line every 30 s in the run's log, so a 3 a.m. log shows a long phase moving. */
function logProgress(log) {
    return periodicProgress({
        intervalMs: LOG_PROGRESS_INTERVAL_MS,
        write: (line) => log.info(`… ${line}`),
    });
}
/**
 * Counts the bytes of a stream as they pass, ending the task when the stream is done or fails.
 * Errors and destruction travel both ways, as with the stream itself.
 */
function metered(stream, task) {
    const counter = new node_stream__WEBPACK_IMPORTED_MODULE_0__.Transform({
        transform(chunk, _encoding, callback) {
            task.add(chunk.length);
            callback(null, chunk);
        },
    });
    (0,node_stream__WEBPACK_IMPORTED_MODULE_0__.pipeline)(stream, counter, () => task.end());
    return counter;
}


/***/ }),

/***/ 34563:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I0: () => (/* binding */ tempRootFor),
/* harmony export */   Ys: () => (/* binding */ sweepStaleTemp),
/* harmony export */   a8: () => (/* binding */ runTempRoot),
/* harmony export */   cX: () => (/* binding */ createRunTemp)
/* harmony export */ });
/* unused harmony exports TEMP_PREFIX, TEMP_MARKER */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(48161);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(76760);
/* harmony import */ var _process_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(15816);
/**
 * Per-run temporary folders: private (0700), under the temp root the face chose (RUNNER_TEMP
 * on a runner), each holding a marker that proves which process made it, so a later run can
 * remove what a killed run (kill -9, runner lost) left behind, and only that.
 */





const TEMP_PREFIX = 'lifeboat-';
const TEMP_MARKER = '.lifeboat-run.json';
/** Where temporary folders go: RUNNER_TEMP on a runner (TMPDIR may be unusable there), else the OS's. */
function tempRootFor(env) {
    return env['RUNNER_TEMP'] || (0,node_os__WEBPACK_IMPORTED_MODULE_2__.tmpdir)();
}
async function createRunTemp(root) {
    const dir = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdtemp)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(root, TEMP_PREFIX));
    const marker = {
        pid: process.pid,
        host: (0,node_os__WEBPACK_IMPORTED_MODULE_2__.hostname)(),
        createdAt: new Date().toISOString(),
    };
    const ticks = startTicksOf(process.pid);
    if (ticks)
        marker.startTicks = ticks;
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, TEMP_MARKER), JSON.stringify(marker) + '\n', { mode: 0o600 });
    return dir;
}
/** Removes Lifeboat temp folders under root whose marker proves their run is gone. */
async function sweepStaleTemp(root, log) {
    let names;
    try {
        names = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(root);
    }
    catch {
        return [];
    }
    const removed = [];
    for (const name of names) {
        if (!name.startsWith(TEMP_PREFIX))
            continue;
        const dir = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(root, name);
        let marker;
        try {
            marker = JSON.parse(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, TEMP_MARKER), 'utf8'));
        }
        catch {
            continue; // no marker: not provably ours
        }
        const why = staleReason(marker);
        if (!why)
            continue;
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(dir, { recursive: true, force: true });
            removed.push(dir);
            log.info(`Removed the stale temporary folder ${dir} left by an earlier run (${why})`);
        }
        catch (err) {
            log.warn(`could not remove the stale temporary folder ${dir}: ${err.message}`);
        }
    }
    return removed;
}
function staleReason(marker) {
    if (typeof marker.pid !== 'number' || marker.host !== (0,node_os__WEBPACK_IMPORTED_MODULE_2__.hostname)())
        return undefined;
    if (!(0,_process_js__WEBPACK_IMPORTED_MODULE_4__/* .isProcessRunning */ .DL)(marker.pid))
        return `process ${marker.pid} is no longer running`;
    const ticks = startTicksOf(marker.pid);
    if (marker.startTicks && ticks && ticks !== marker.startTicks)
        return `process ${marker.pid} is now a different process`;
    return undefined;
}
/** Field 22 of /proc/<pid>/stat; undefined where there is no procfs. */
function startTicksOf(pid) {
    try {
        const stat = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(`/proc/${pid}/stat`, 'utf8');
        // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
        return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    }
    catch {
        return undefined;
    }
}
/** The context's temp root; library callers and tests that set none get the OS's. */
function runTempRoot(ctx) {
    return ctx.tmpRoot ?? (0,node_os__WEBPACK_IMPORTED_MODULE_2__.tmpdir)();
}


/***/ }),

/***/ 35708:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $S: () => (/* binding */ localPath),
/* harmony export */   A5: () => (/* binding */ parseNamedLines),
/* harmony export */   Dl: () => (/* binding */ parseUrl),
/* harmony export */   dz: () => (/* binding */ schemeOf)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76760);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(43026);


/** The scheme of a source/target/destination URL ('sqlite' for 'sqlite:./x.db'), lower-cased. */
function schemeOf(url) {
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url.trim());
    return m?.[1]?.toLowerCase();
}
/** Split `name=URL` lines; a bare URL gets no name. Blank lines and `#` comments are skipped. */
function parseNamedLines(value) {
    const lines = Array.isArray(value) ? value : (value ?? '').split(/\r?\n/);
    const out = [];
    for (const raw of lines) {
        const line = raw.trim();
        if (!line || line.startsWith('#'))
            continue;
        const m = /^([A-Za-z0-9_][A-Za-z0-9_.-]*)=(.+)$/.exec(line);
        if (m && !schemeOf(line)?.startsWith(m[1].toLowerCase()))
            out.push({ name: m[1], url: m[2].trim() });
        else
            out.push({ url: line });
    }
    return out;
}
/** Parse a `scheme://…` URL, or fail with a ConfigError naming the option. */
function parseUrl(option, url) {
    try {
        return new URL(url);
    }
    catch {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL(option, `malformed URL '${url}'`, {
            hint: 'write it as scheme://[user[:password]@]host[:port]/path; percent-encode special characters in the password',
        });
    }
}
/**
 * The absolute path a local-path URL (`sqlite:`, `dir:`) or, for targets, a plain path names.
 * `scheme:///abs` and `scheme://./rel` are accepted; a host is not. Relative to `cwd`.
 */
function localPath(url, option, kind, cwd) {
    const raw = url.trim();
    const scheme = schemeOf(raw);
    let path;
    if (scheme === kind.scheme) {
        path = raw.slice(kind.scheme.length + 1);
        if (path.startsWith('//')) {
            path = path.slice(2);
            if (!path.startsWith('/') && !path.startsWith('.')) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL(option, `'${raw}' names a host; ${kind.local}`, {
                    hint: `write ${kind.scheme}:${kind.relativeExample} or ${kind.scheme}://${kind.absoluteExample}`,
                });
            }
        }
    }
    else if (scheme && scheme.length > 1) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL(option, `'${raw}' is not a ${kind.scheme}: URL`, {
            hint: `write ${kind.scheme}:<${kind.noun}>, e.g. ${kind.scheme}:${kind.relativeExample}`,
        });
    }
    else {
        path = raw;
    }
    if (!path) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL(option, `'${raw}' names no ${kind.noun}`, {
            hint: `write ${kind.scheme}:<${kind.noun}>, e.g. ${kind.example}`,
        });
    }
    return (0,node_path__WEBPACK_IMPORTED_MODULE_0__.resolve)(cwd, path);
}


/***/ }),

/***/ 33711:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  x: () => (/* binding */ VERSION)
});

;// CONCATENATED MODULE: ./build/package.json
const package_namespaceObject = {"rE":"0.1.0"};
;// CONCATENATED MODULE: ./build/src/core/version.js

const VERSION = package_namespaceObject.rE;


/***/ }),

/***/ 1861:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $2: () => (/* binding */ readEntries),
/* harmony export */   Nc: () => (/* binding */ setsOf),
/* harmony export */   QY: () => (/* binding */ readEntryOrWarn),
/* harmony export */   Ym: () => (/* binding */ indexBackups),
/* harmony export */   Zo: () => (/* binding */ damagedOf),
/* harmony export */   hB: () => (/* binding */ readEntry),
/* harmony export */   ll: () => (/* binding */ newestFirst),
/* harmony export */   mN: () => (/* binding */ newestWhere)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(43026);
/* harmony import */ var _core_limit_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(94166);
/* harmony import */ var _destinations_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(42121);
/* harmony import */ var _naming_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3994);




const MEMBER = /^([^/]+)\/([^/.]+)\.[^/]+$/;
const MANIFEST = /^([^/]+)\/([^/]+)\.manifest\.json$/;
/**
 * One listing of `set/` (or of every set): the committed backups, oldest first (by id, then
 * set). A backup without its manifest is not committed and not indexed.
 */
async function indexBackups(destination, set) {
    const objects = await destination.storage.list(set ? `${set}/` : '');
    const members = new Map();
    const drilled = new Set();
    for (const o of objects) {
        const drill = (0,_naming_js__WEBPACK_IMPORTED_MODULE_2__/* .parseDrillKey */ .Kq)(o.key);
        if (drill)
            drilled.add(`${drill.set}/${drill.id}`);
        const m = MEMBER.exec(o.key);
        if (!m || !(0,_naming_js__WEBPACK_IMPORTED_MODULE_2__/* .isBackupId */ ["if"])(m[2]))
            continue;
        const group = `${m[1]}/${m[2]}`;
        let keys = members.get(group);
        if (!keys)
            members.set(group, (keys = []));
        keys.push(o.key);
    }
    const out = [];
    for (const o of objects) {
        const m = MANIFEST.exec(o.key);
        if (!m || !(0,_naming_js__WEBPACK_IMPORTED_MODULE_2__/* .isBackupId */ ["if"])(m[2]))
            continue;
        const group = `${m[1]}/${m[2]}`;
        out.push({
            set: m[1],
            id: m[2],
            time: (0,_naming_js__WEBPACK_IMPORTED_MODULE_2__/* .backupTime */ .a3)(m[2]),
            manifestKey: o.key,
            keys: members.get(group) ?? [o.key],
            drilled: drilled.has(group),
            destination,
        });
    }
    return out.sort(byId);
}
function byId(a, b) {
    if (a.id !== b.id)
        return a.id < b.id ? -1 : 1;
    return a.set < b.set ? -1 : a.set > b.set ? 1 : 0;
}
/**
 * Newest first. An id names the second its backup started, so two backups started within one
 * second tie on time and their ids order by the random suffix: the newest second's backups are
 * read and ordered by their manifests' `createdAt` (to the millisecond). One that cannot be read
 * counts as newest, so a damaged newer backup is reported, never silently passed over.
 */
async function newestFirst(backups) {
    const out = [...backups].reverse();
    const second = out[0]?.time.getTime();
    const head = out.filter((b) => b.time.getTime() === second);
    if (head.length < 2)
        return out;
    const created = new Map();
    await Promise.all(head.map(async (b) => {
        let t = Number.NaN;
        try {
            t = Date.parse((await readEntry(b)).manifest.createdAt);
        }
        catch {
            // Unreadable: the caller reads it again and reports why.
        }
        created.set(b, Number.isNaN(t) ? Number.POSITIVE_INFINITY : t);
    }));
    head.sort((a, b) => created.get(b) - created.get(a) || (a.id < b.id ? 1 : -1));
    return [...head, ...out.filter((b) => b.time.getTime() !== second)];
}
/** The names of the sets a listing holds, from key names alone. */
function setsOf(indexed) {
    return [...new Set(indexed.map((b) => b.set))];
}
/** Reads one backup's sidecar manifest (its public index): a CatalogEntry, or throws. */
async function readEntry(b) {
    const manifest = await (0,_destinations_js__WEBPACK_IMPORTED_MODULE_1__/* .readSidecarManifest */ .XT)(b.destination, b.manifestKey);
    const entry = {
        set: b.set,
        id: b.id,
        time: b.time,
        manifest,
        destination: b.destination,
    };
    if (b.drilled)
        entry.drilled = true;
    return entry;
}
function damagedOf(b, err) {
    return {
        set: b.set,
        id: b.id,
        key: b.manifestKey,
        reason: err.message,
        destination: b.destination,
    };
}
/**
 * Reads the manifests of `backups`, a few at a time (as many as the store declares it serves
 * at once, at most STORE_READ_CONCURRENCY). A manifest gone since the listing is skipped;
 * unreadable ones go to `damaged` when the caller passes it, else are warned about and skipped.
 */
async function readEntries(backups, ctx, damaged) {
    const entries = [];
    const limit = Math.max(1, Math.min(_core_limit_js__WEBPACK_IMPORTED_MODULE_3__/* .STORE_READ_CONCURRENCY */ .f, backups[0]?.destination.storage.capabilities?.maxConnections ?? _core_limit_js__WEBPACK_IMPORTED_MODULE_3__/* .STORE_READ_CONCURRENCY */ .f));
    await (0,_core_limit_js__WEBPACK_IMPORTED_MODULE_3__/* .eachLimited */ .k)(backups, limit, ctx.signal, async (b) => {
        try {
            entries.push(await readEntry(b));
        }
        catch (err) {
            if ((0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isNotFound */ .c4)(err))
                return;
            if (damaged)
                damaged.push(damagedOf(b, err));
            else
                ctx.log.warn(`skipping ${b.manifestKey} on ${b.destination.displayUrl}: ${err.message}`);
        }
    });
    entries.sort(byId);
    damaged?.sort(byId);
    return entries;
}
/**
 * Reads one backup's entry, or undefined when its manifest is gone since the listing or
 * unreadable (warned about and passed over, as a full listing would).
 */
async function readEntryOrWarn(b, ctx) {
    try {
        return await readEntry(b);
    }
    catch (err) {
        if (!(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isNotFound */ .c4)(err))
            ctx.log.warn(`skipping ${b.manifestKey} on ${b.destination.displayUrl}: ${err.message}`);
        return undefined;
    }
}
/**
 * Walks `backups` newest first, reading one manifest at a time, and returns the first entry
 * `accept` takes (with every entry read on the way, newest first). Unreadable manifests are
 * warned about and passed over, as a full listing would.
 */
async function newestWhere(backups, ctx, accept) {
    const read = [];
    for (const b of [...backups].reverse()) {
        ctx.signal?.throwIfAborted();
        const entry = await readEntryOrWarn(b, ctx);
        if (!entry)
            continue;
        read.push(entry);
        if (await accept(entry))
            return { found: entry, read };
    }
    return { found: undefined, read };
}


/***/ }),

/***/ 24526:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  yF: () => (/* binding */ backupSetName),
  dB: () => (/* binding */ createBackup)
});

// UNUSED EXPORTS: commitBackup, isLifeboatError, planBackup, planSources, recordBackup, sourceContext

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: ./build/src/archive/compression.js
var archive_compression = __webpack_require__(29158);
// EXTERNAL MODULE: ./build/src/archive/hash.js
var hash = __webpack_require__(77482);
// EXTERNAL MODULE: ./build/src/options/parse.js
var parse = __webpack_require__(85007);
// EXTERNAL MODULE: ./build/src/sources/consistency.js
var sources_consistency = __webpack_require__(13920);
// EXTERNAL MODULE: ./build/src/sources/registry.js + 7 modules
var registry = __webpack_require__(61482);
// EXTERNAL MODULE: ./build/src/core/errors.js
var errors = __webpack_require__(43026);
// EXTERNAL MODULE: ./build/src/core/log.js
var log = __webpack_require__(85491);
// EXTERNAL MODULE: ./build/src/core/url.js
var url = __webpack_require__(35708);
// EXTERNAL MODULE: ./build/src/archive/writer.js
var archive_writer = __webpack_require__(52725);
// EXTERNAL MODULE: ./build/src/archive/types.js
var types = __webpack_require__(27317);
// EXTERNAL MODULE: ./build/src/archive/age/index.js + 1 modules
var age = __webpack_require__(96513);
// EXTERNAL MODULE: ./build/src/core/progress.js
var core_progress = __webpack_require__(83642);
;// CONCATENATED MODULE: ./build/src/engine/fanout.js

function createBranches(count, highWaterMark = 1 << 20) {
    return Array.from({ length: count }, () => {
        const stream = new external_node_stream_.PassThrough({ highWaterMark });
        // The put reports a branch's failure; a cancel may destroy a branch whose put has not
        // started reading it yet, and that must not crash the process.
        stream.on('error', () => undefined);
        const branch = {
            stream,
            failed: false,
            settle(done) {
                done.then(() => undefined, () => {
                    branch.failed = true;
                    stream.emit('lifeboat-failed');
                });
            },
        };
        return branch;
    });
}
/** Resolves once a branch that refused a write has drained, closed or failed. */
function whenWritable(branch) {
    if (branch.failed || branch.stream.destroyed)
        return Promise.resolve();
    return new Promise((resolve) => {
        const done = () => {
            branch.stream.off('drain', done);
            branch.stream.off('close', done);
            branch.stream.off('lifeboat-failed', done);
            resolve();
        };
        branch.stream.on('drain', done);
        branch.stream.on('close', done);
        branch.stream.on('lifeboat-failed', done);
    });
}
/**
 * Pumps source into the branches. On a source error every branch is destroyed with it. Pieces
 * are handed on as they arrive ('data' events; async iteration would concatenate whatever is
 * buffered into new copies), and the source pauses while any live branch is full.
 */
function pumpToBranches(source, branches) {
    return new Promise((resolve, reject) => {
        let waiting = false;
        let ended = false;
        let settled = false;
        const finish = (err) => {
            if (settled)
                return;
            settled = true;
            source.off('data', onData);
            source.off('end', onEnd);
            source.off('error', onError);
            source.off('close', onClose);
            if (err !== undefined) {
                for (const b of branches)
                    b.stream.destroy(err);
                reject(err instanceof Error ? err : new Error(String(err)));
                return;
            }
            for (const b of branches)
                if (!b.failed)
                    b.stream.end();
            resolve();
        };
        const onData = (chunk) => {
            const live = branches.filter((b) => !b.failed);
            if (live.length === 0) {
                // Every destination failed: stop the producer; the puts report why.
                source.destroy();
                finish();
                return;
            }
            const full = live.filter((b) => !b.stream.destroyed && !b.stream.write(chunk));
            if (full.length === 0 || waiting)
                return;
            waiting = true;
            source.pause();
            void Promise.all(full.map(whenWritable)).then(() => {
                waiting = false;
                if (ended)
                    finish();
                else if (!settled)
                    source.resume();
            });
        };
        const onEnd = () => {
            ended = true;
            if (!waiting)
                finish();
        };
        const onError = (err) => finish(err);
        const onClose = () => {
            if (!ended && !settled) {
                finish(source.errored ??
                    Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
            }
        };
        source.on('data', onData);
        source.on('end', onEnd);
        source.on('error', onError);
        source.on('close', onClose);
    });
}

;// CONCATENATED MODULE: ./build/src/engine/backup-stream.js













/**
 * One archive stream, written once: each source's dump writes members into the archive writer,
 * and the compressed (and encrypted) bytes go to every destination at the same time.
 */
async function streamArchive(session, plan) {
    const { ctx, report, options } = session;
    const { destinations, keys, encryption, sctx } = plan;
    const writer = new archive_writer/* ArchiveWriter */.u3();
    const compressor = (0,archive_compression/* compressStream */.fR)(plan.compression);
    // Encryption is the last stage before the stores: what is hashed and stored is ciphertext.
    const encryptor = encryption ? new age/* AgeEncryptStream */.TB(encryption.recipients) : undefined;
    // Each put hashes and counts the bytes it receives. With one destination that is the
    // reference; with several, one hash here is what every store must have received.
    const hasher = destinations.length > 1 ? new hash/* HashingStream */.$K() : undefined;
    const stages = [writer.stream, compressor, encryptor, hasher].filter((s) => s !== undefined);
    const compressed = (0,external_node_stream_.pipeline)(...stages, () => undefined);
    // Failures surface through the pump and the puts; these listeners only keep a late 'error'
    // (after the pipeline has torn down) from crashing the process.
    for (const s of stages)
        s.on('error', () => undefined);
    const branches = createBranches(destinations.length);
    const puts = destinations.map((d, i) => {
        const put = d.storage.put(keys.archive, branches[i].stream, {
            contentType: 'application/octet-stream',
            signal: session.signal,
        });
        branches[i].settle(put);
        return put;
    });
    // Observe rejections now; they are inspected below.
    const settledPuts = Promise.allSettled(puts);
    const pump = pumpToBranches(compressed, branches);
    const pumpSettled = pump.then(() => undefined, (err) => err);
    // A cancel stops the archive itself, so a source that does not watch the signal still
    // fails its next write instead of dumping on.
    const onAbort = () => writer.abort(abortReason(session.signal));
    session.signal?.addEventListener('abort', onAbort, { once: true });
    let manifest;
    let consistency;
    try {
        await writer.writeHeader({
            format: types/* FORMAT_VERSION */.Hp,
            id: plan.id,
            name: plan.set,
            createdAt: plan.started.toISOString(),
            tool: { name: 'lifeboat', version: ctx.version },
            sources: plan.sources.map((p) => ({
                name: p.name,
                kind: p.source.kind,
                url: p.source.displayUrl,
            })),
            chunkSize: writer.chunkSize,
        });
        const sourceManifests = [];
        for (const p of plan.sources) {
            sourceManifests.push(await dumpSource(session, plan, writer, p));
        }
        consistency = await runConsistency(plan.consistency, (0,parse/* num */.bu)(options, 'consistency-tolerance') ?? 0, sctx, ctx, report);
        for (const r of consistency) {
            const vectorName = plan.consistency.find((c) => c.line === r.line)?.vector.name;
            const sm = sourceManifests.find((m) => m.name === vectorName);
            if (sm)
                sm.details = {
                    ...sm.details,
                    consistency: [...(sm.details?.['consistency'] ?? []), r],
                };
        }
        manifest = {
            format: types/* FORMAT_VERSION */.Hp,
            id: plan.id,
            name: plan.set,
            createdAt: plan.started.toISOString(),
            finishedAt: ctx.now().toISOString(),
            tool: { name: 'lifeboat', version: ctx.version, node: process.version },
            compression: plan.compression,
            encrypted: Boolean(encryption),
            tags: plan.tags,
            chunkSize: writer.chunkSize,
            sources: sourceManifests,
        };
        if (plan.chain) {
            manifest.kind = plan.chain.kind;
            if (plan.chain.parent)
                manifest.parent = plan.chain.parent.id;
            manifest.chainPosition = plan.chain.position;
        }
        await writer.finish(manifest);
        const pumpError = await pumpSettled;
        if (pumpError)
            throw pumpError;
    }
    catch (err) {
        writer.abort(err instanceof Error ? err : new Error(String(err)));
        const results = await settledPuts;
        // When the destinations failed first, the dump only saw its output close: report why
        // each destination failed instead of "Premature close".
        const own = results.flatMap((r, i) => r.status === 'rejected' && r.reason !== err && !(r.reason instanceof errors/* SourceError */.c8)
            ? [{ destination: destinations[i], error: r.reason }]
            : []);
        if (own.length === destinations.length && !(err instanceof errors/* SourceError */.c8))
            throw everyDestinationFailed([...plan.unwritable, ...own], report);
        throw err;
    }
    finally {
        session.signal?.removeEventListener('abort', onAbort);
    }
    (0,log/* startPhase */.CJ)(ctx.log, `Upload to ${destinations.map((d) => d.displayUrl).join(', ')}`);
    const results = await settledPuts;
    for (const [i, r] of results.entries()) {
        if (r.status === 'fulfilled')
            ctx.log.info(`${destinations[i].displayUrl} received ${(0,log/* formatBytes */.z3)(r.value.size)}, sha256 ${r.value.sha256}`);
    }
    (0,log/* endPhase */.zN)(ctx.log);
    if (results.every((r) => r.status === 'rejected')) {
        throw everyDestinationFailed([
            ...plan.unwritable,
            ...results.map((r, i) => ({
                destination: destinations[i],
                error: r.reason,
            })),
        ], report);
    }
    // A single destination's failed put leaves no reference: its error is reported later, and
    // no size or sha256 is claimed for an archive that was never stored.
    const reference = hasher
        ? { sha256: hasher.digest(), size: hasher.bytes }
        : results[0].status === 'fulfilled'
            ? { sha256: results[0].value.sha256, size: results[0].value.size }
            : undefined;
    return { manifest, puts: results, reference, consistency };
}
/** One source's dump into the archive; what it dumped goes into the report as it finishes. */
async function dumpSource(session, plan, writer, p) {
    const { ctx, report } = session;
    const t0 = Date.now();
    const sink = writer.sourceSink(p.name);
    (0,log/* startPhase */.CJ)(ctx.log, `Dump ${p.name} (${p.source.kind}), streaming to storage`);
    const progress = (0,core_progress/* progressOf */.jA)(ctx).start(`Dumping ${p.name}`, {
        read: () => writer.bytesWritten,
    });
    let result;
    try {
        result = await p.source.dump(sink, plan.sctx, plan.chain?.dumps.get(p.name));
    }
    finally {
        progress.end();
    }
    const records = sink.records();
    const bytes = records.reduce((n, r) => n + (r.size ?? 0), 0);
    const sm = {
        name: p.name,
        kind: p.source.kind,
        url: p.source.displayUrl,
        versions: result.versions,
        inventory: result.inventory,
        members: records,
        durationMs: Date.now() - t0,
    };
    if (result.details)
        sm.details = result.details;
    if (result.incremental)
        sm.incremental = result.incremental;
    report.sources.push({
        name: p.name,
        kind: p.source.kind,
        url: p.source.displayUrl,
        bytes,
        durationMs: sm.durationMs,
        inventory: result.inventory,
        versions: result.versions,
    });
    (0,log/* endPhase */.zN)(ctx.log);
    ctx.log.info(`Dumped ${p.name}: ${(0,log/* formatBytes */.z3)(bytes)} in ${(0,log/* formatDuration */.a3)(sm.durationMs)}${throughput(bytes, sm.durationMs)}`);
    return sm;
}
/**
 * The `consistency` checks, right after the dumps: each reads its SQL ids and its vector ids at
 * the same moment. Logged and reported; the caller fails the run once the backup is stored.
 */
async function runConsistency(checks, tolerance, sctx, ctx, report) {
    if (!checks.length)
        return [];
    (0,log/* startPhase */.CJ)(ctx.log, 'Check SQL ids against vector collections');
    const results = [];
    for (const check of checks) {
        const r = await (0,sources_consistency/* checkConsistency */.zV)(check, tolerance, sctx);
        results.push(r);
        const [head, ...rest] = (0,sources_consistency/* describeConsistency */.gL)(r);
        if (r.ok)
            ctx.log.info(head);
        else
            ctx.log.warn(head);
        for (const line of rest)
            ctx.log.info(line);
    }
    (0,log/* endPhase */.zN)(ctx.log);
    report.sections.push({
        title: 'Consistency (SQL ids ⇔ vectors)',
        markdown: [
            '| check | SQL ids | vectors | missing | orphans | duplicates | result |',
            '|---|---|---|---|---|---|---|',
            ...results.map((r) => `| \`${r.line.replaceAll('|', '\\|')}\` | ${r.sqlCount} | ${r.vectorCount} | ${r.missing.count} | ${r.orphans.count} | ${r.duplicates.count} | ${r.ok ? 'ok' : `**failed** (tolerance ${r.tolerance})`} |`),
            '',
            'The stores are not snapshotted together: this measures how far apart they were when the check ran, just after the dumps.',
        ].join('\n'),
    });
    return results;
}
/** Every destination failed before anything was stored: one error naming each one's reason. */
function everyDestinationFailed(failed, report) {
    for (const { destination, error } of failed) {
        if (report.destinations.some((d) => d.url === destination.displayUrl))
            continue;
        report.destinations.push({
            url: destination.displayUrl,
            key: '',
            ok: false,
            size: 0,
            sha256: '',
            error: (0,errors/* describeError */.Uc)(error),
            verified: false,
        });
    }
    const message = `${failed.length} of ${failed.length} destination(s) failed: ` +
        failed
            .map(({ destination, error }) => `${destination.displayUrl}: ${(0,errors/* describeErrorTemplate */.Qj)(error)}`)
            .join('; ');
    return failed.some(({ error }) => error instanceof errors/* IntegrityError */.cs)
        ? new errors/* IntegrityError */.cs(message)
        : new errors/* StorageError */.aq(message);
}
function abortReason(signal) {
    return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
function throughput(bytes, ms) {
    if (ms < 50 || bytes === 0)
        return '';
    return ` (${(0,log/* formatBytes */.z3)((bytes / ms) * 1000)}/s)`;
}

// EXTERNAL MODULE: ./build/src/engine/chain.js
var engine_chain = __webpack_require__(85745);
// EXTERNAL MODULE: ./build/src/engine/destinations.js + 1 modules
var engine_destinations = __webpack_require__(42121);
// EXTERNAL MODULE: ./build/src/engine/encryption.js
var engine_encryption = __webpack_require__(2971);
// EXTERNAL MODULE: ./build/src/engine/naming.js
var naming = __webpack_require__(3994);
// EXTERNAL MODULE: ./build/src/engine/session.js
var session = __webpack_require__(90388);
// EXTERNAL MODULE: ./build/src/engine/signing.js + 1 modules
var signing = __webpack_require__(5081);
// EXTERNAL MODULE: ./build/src/engine/verify.js
var verify = __webpack_require__(12051);
;// CONCATENATED MODULE: ./build/src/engine/backup.js

















/** A source driver's view of a run (kept for callers that have no session at hand). */
const sourceContext = (/* unused pure expression or super */ null && (sourceContextOf));
/** Parses the source lines into drivers, checking every URL before anything runs. */
async function planSources(options, ctx, sctx) {
    const parsed = (0,url/* parseNamedLines */.A5)((0,parse/* lines */.Mn)(options, 'source'));
    if (parsed.length === 0) {
        throw new errors/* ConfigError */.xL('source', 'is required for backup', {
            hint: 'name what to back up, e.g. sqlite:./app.db or postgres://user@host/db',
        });
    }
    const planned = [];
    for (const { name, url } of parsed) {
        (0,engine_destinations/* registerUrlSecrets */.AI)(url, ctx);
        const driver = await (0,registry/* driverForUrl */.hB)(url, 'source');
        const source = driver.open(url, sctx);
        let folder = name ?? driver.kind;
        if (name && planned.some((p) => p.name === name)) {
            throw new errors/* ConfigError */.xL('source', `the name '${name}' is used twice`, {
                hint: 'give each source its own name=',
            });
        }
        for (let i = 2; planned.some((p) => p.name === folder); i++)
            folder = `${name ?? driver.kind}-${i}`;
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(folder) || folder.startsWith('lifeboat')) {
            throw new errors/* ConfigError */.xL('source', `'${folder}' is not a valid source name`, {
                hint: 'use letters, digits, dot, dash and underscore; names may not start with "lifeboat"',
            });
        }
        planned.push({ name: folder, url, source });
    }
    return planned;
}
/** The set a backup goes to, from the options alone (no source is opened). */
function backupSetName(options, request = {}) {
    const first = (0,url/* parseNamedLines */.A5)((0,parse/* lines */.Mn)(options, 'source'))[0];
    if (!first && !request.set && !(0,parse/* str */.gx)(options, 'name')) {
        throw new errors/* ConfigError */.xL('source', 'is required for backup', {
            hint: 'name what to back up, e.g. sqlite:./app.db or postgres://user@host/db',
        });
    }
    return (0,naming/* validateSetName */.wi)(request.set ?? (0,parse/* str */.gx)(options, 'name') ?? (0,naming/* deriveSetName */.Fm)(first.url));
}
/**
 * A backup in four steps, each a function of its own:
 * - plan: sources, destinations, id, keys, incremental chain and checks, before any byte moves;
 * - stream: dump → tar (chunked members) → compress → encrypt → every destination in one pass;
 * - commit: per destination, the stored copy is checked and only then its sidecars written (a
 *   backup is listed only once its index exists, so nothing incomplete looks like a backup);
 * - record: the report, and the run's verdict over every destination.
 */
async function createBackup(session, request = {}) {
    const plan = await planBackup(session, request);
    const streamed = await streamArchive(session, plan);
    const committed = await commitBackup(session, plan, streamed);
    return recordBackup(session, plan, streamed, committed);
}
/** Everything decided before the first byte is dumped; bad input fails here. */
async function planBackup(session, request = {}) {
    const { options, ctx, report } = session;
    const encryption = request.encryption ?? (0,engine_encryption/* encryptionFor */.b0)(options, ctx);
    const signingKey = (0,signing/* signingKeyFor */.kC)(options, ctx);
    const sctx = await session.sourceContext();
    const destinations = request.destinations ?? (await (0,engine_destinations/* useDestinations */.ts)(session));
    const sources = await planSources(options, ctx, sctx);
    const safety = request.tags?.includes('safety') === true;
    // A safety backup takes one source of a restore: the checks belong to scheduled backups.
    const consistency = (0,sources_consistency/* planConsistency */.kG)(safety ? [] : (0,parse/* lines */.Mn)(options, 'consistency'), sources.map((p) => ({ name: p.name, kind: p.source.kind, url: p.url })), sctx);
    const set = backupSetName(options, request);
    const unwritable = request.unwritable ?? [];
    const compression = ((0,parse/* str */.gx)(options, 'compression') ?? 'zstd');
    const started = ctx.now();
    const id = (0,naming/* newBackupId */._H)(started);
    const keys = (0,naming/* backupKeys */.F1)(set, id, compression, Boolean(encryption));
    report.name = set;
    report.backupId = id;
    // None could take even the lock and probe: nothing is dumped.
    if (destinations.length === 0)
        throw everyDestinationFailed(unwritable, report);
    // The archive, its sidecars and the manifest that commits them are one group to the stores.
    for (const d of destinations)
        d.storage.beginGroup?.((0,naming/* backupGroup */.cW)(set, id, keys));
    // Safety backups (a restore's copy of its target) are always full.
    const chain = safety ? undefined : await (0,engine_chain/* planChain */.VD)(options, ctx, destinations, set, sources);
    if (chain) {
        report.notes.push(chain.kind === 'full'
            ? 'full backup: starts a new incremental chain'
            : `incremental backup ${chain.position} of its chain, parent ${chain.parent.id}`);
    }
    ctx.log.info(`Backing up ${sources.map((p) => `${p.name} (${(0,log/* redactUrl */.BO)(p.url)})`).join(', ')} as ${set}/${id} ` +
        `[${compression}${compression === 'zstd' ? ` via ${(0,archive_compression/* zstdImplementation */.u6)()}` : ''}${encryption ? `, age-encrypted to ${encryption.fingerprints.join(', ')}` : ''}] to ${destinations.map((d) => d.displayUrl).join(', ')}`);
    return {
        id,
        set,
        started,
        compression,
        keys,
        sources,
        destinations,
        unwritable,
        chain,
        consistency,
        encryption,
        signingKey,
        tags: request.tags ?? [],
        sctx,
    };
}
/**
 * Commits the streamed archive on every destination that received it whole: its bytes checked
 * against the reference (and, with verify-after-backup, read back), then its sidecars written.
 * A destination that fails is cleaned up so no half-written backup is left there; the others
 * go on.
 */
async function commitBackup(session, plan, streamed) {
    const { ctx, options } = session;
    const { keys } = plan;
    const { sha256, size } = streamed.reference ?? { sha256: '', size: 0 };
    const sidecar = {
        ...streamed.manifest,
        archive: { key: keys.archive, size, sha256 },
    };
    const outcomes = [];
    for (const [i, d] of plan.destinations.entries()) {
        const outcome = { destination: d, ok: false, verified: false };
        outcomes.push(outcome);
        const put = streamed.puts[i];
        try {
            if (put.status === 'rejected')
                throw put.reason;
            if (put.value.sha256 !== sha256 || put.value.size !== size) {
                throw new errors/* IntegrityError */.cs(`${d.displayUrl} stored ${put.value.size} bytes with sha256 ${put.value.sha256}, but ${size} bytes with sha256 ${sha256} were sent`);
            }
            const stored = { ...sidecar };
            if ((0,parse/* bool */.lc)(options, 'verify-after-backup')) {
                (0,log/* startPhase */.CJ)(ctx.log, `Read back ${keys.archive} from ${d.displayUrl}`);
                await (0,verify/* checkStoredArchive */.kA)(d, stored, { signal: session.signal });
                (0,log/* endPhase */.zN)(ctx.log);
                stored.verifiedAt = ctx.now().toISOString();
                outcome.verified = true;
            }
            // A cancelled run must not make a backup visible: the sidecars come last.
            session.signal?.throwIfAborted();
            await writeSidecars(d, plan, stored);
            outcome.ok = true;
            outcome.sidecar = stored;
            ctx.log.info(`Stored ${(0,log/* formatBytes */.z3)(size)} at ${d.displayUrl} ${keys.archive} (sha256 ${sha256})${plan.signingKey ? `, signed by ${plan.signingKey.fingerprint}` : ''}`);
        }
        catch (err) {
            outcome.error = err;
            // A plain line: the run's one failure, which names every destination, is the error.
            ctx.log.info(`Destination ${d.displayUrl} failed: ${(0,errors/* describeErrorTemplate */.Qj)(err)}`);
            await cleanupPartial(d, keys, ctx);
        }
    }
    return { outcomes, sidecar };
}
/**
 * The commit record on one destination: the `.sha256` sidecar, the signature, and last the
 * index (the sidecar manifest), whose existence is what makes the backup visible.
 */
async function writeSidecars(d, plan, sidecar) {
    const { keys, encryption, signingKey } = plan;
    await d.storage.put(keys.sha256, external_node_stream_.Readable.from([(0,hash/* sha256sumLine */.Fj)(sidecar.archive.sha256, keys.archive.split('/').pop())]));
    // An encrypted backup's sidecar is its public index; the manifest travels sealed.
    const index = encryption ? await (0,engine_encryption/* publicIndex */.aM)(sidecar, encryption) : sidecar;
    const indexText = JSON.stringify(index, null, 2) + '\n';
    // The signature covers the index bytes exactly (sha256 and size of the stored object
    // included); it is stored before the index, which is what makes a backup visible.
    if (signingKey) {
        await d.storage.put(keys.sig, external_node_stream_.Readable.from([signingKey.sign(Buffer.from(indexText, 'utf8'))]), {
            contentType: 'text/plain',
        });
    }
    await d.storage.put(keys.manifest, external_node_stream_.Readable.from([indexText]), {
        contentType: 'application/json',
    });
}
/**
 * The report and the verdict: the archive's size and sha256 (when one was stored), one line per
 * destination (those that failed their probe first), and the run's one error when any
 * destination failed or the stores disagree (consistency).
 */
function recordBackup(session, plan, streamed, committed) {
    const { report } = session;
    const { keys } = plan;
    const { sha256, size } = committed.sidecar.archive;
    if (streamed.reference) {
        report.sha256 = sha256;
        report.size = size;
    }
    const failures = [];
    let integrity = false;
    for (const { destination, error } of plan.unwritable) {
        report.destinations.push({
            url: destination.displayUrl,
            key: keys.archive,
            ok: false,
            size,
            sha256,
            error: (0,errors/* describeError */.Uc)(error),
            verified: false,
        });
        failures.push(`${destination.displayUrl}: ${(0,errors/* describeErrorTemplate */.Qj)(error)}`);
    }
    for (const o of committed.outcomes) {
        const dr = {
            url: o.destination.displayUrl,
            key: keys.archive,
            ok: o.ok,
            size,
            sha256,
            verified: o.verified,
        };
        if (!o.ok) {
            dr.error = (0,errors/* describeError */.Uc)(o.error);
            failures.push(`${o.destination.displayUrl}: ${(0,errors/* describeErrorTemplate */.Qj)(o.error)}`);
            if (o.error instanceof errors/* IntegrityError */.cs)
                integrity = true;
        }
        report.destinations.push(dr);
    }
    session.signal?.throwIfAborted();
    if (failures.length > 0) {
        const total = plan.destinations.length + plan.unwritable.length;
        const message = `${failures.length} of ${total} destination(s) failed: ${failures.join('; ')}`;
        // Bytes that disagree are an integrity failure however many destinations there are.
        throw integrity ? new errors/* IntegrityError */.cs(message) : new errors/* StorageError */.aq(message);
    }
    // The backup is stored and intact; stores that disagree still fail the run.
    const inconsistent = (0,sources_consistency/* consistencyFailure */.Rl)(streamed.consistency, `${plan.set}/${plan.id}`);
    if (inconsistent)
        throw inconsistent;
    const stored = committed.outcomes.filter((o) => o.ok);
    return {
        id: plan.id,
        set: plan.set,
        manifest: stored[0].sidecar,
        stored: stored.map((o) => o.destination),
    };
}
/** Removes whatever a failed backup may have left so nothing half-written looks like a backup. */
async function cleanupPartial(d, keys, ctx) {
    for (const key of [keys.manifest, keys.sig, keys.sha256, keys.archive]) {
        try {
            await d.storage.delete(key);
        }
        catch (err) {
            ctx.log.warn(`could not remove ${key} from ${d.displayUrl}: ${err.message}`);
        }
    }
}
function isLifeboatError(err) {
    return err instanceof LifeboatError;
}


/***/ }),

/***/ 85745:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   VD: () => (/* binding */ planChain),
/* harmony export */   bq: () => (/* binding */ proveChainAnywhere)
/* harmony export */ });
/* unused harmony exports openLink, parseFullEvery, incrementalMode, chainOf, readParentMember, resolveChain, proveChain */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(57075);
/* harmony import */ var _archive_compression_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(29158);
/* harmony import */ var _archive_reader_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(90809);
/* harmony import */ var _options_parse_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(85007);
/* harmony import */ var _retention_duration_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(398);
/* harmony import */ var _sources_registry_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(61482);
/* harmony import */ var _destinations_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(42121);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(43026);
/* harmony import */ var _stored_archive_js__WEBPACK_IMPORTED_MODULE_11__ = __webpack_require__(50001);
/* harmony import */ var _archive_age_index_js__WEBPACK_IMPORTED_MODULE_12__ = __webpack_require__(96513);
/* harmony import */ var _encryption_js__WEBPACK_IMPORTED_MODULE_13__ = __webpack_require__(2971);
/* harmony import */ var _signing_js__WEBPACK_IMPORTED_MODULE_14__ = __webpack_require__(5081);
/**
 * Incremental chains (`mode: incremental`, `full-every`): choosing a backup's parent, reading
 * what a source needs from the parent's archive, and walking a chain back to its full backup
 * for restore and verify. A chain is one full backup (position 0) and the incrementals that
 * follow it; each incremental names its parent. Every link a restore uses is proven (stored
 * sha256, every chunk, inner manifest) before anything is staged; a missing or damaged link is
 * an IntegrityError (exit 3) naming it.
 */















/**
 * A listed link made readable: its signature checked when signers are required (the index used
 * is exactly the one signed), then an encrypted link's sealed manifest opened with the run's
 * key (ConfigError naming the option without one).
 */
async function openLink(link, keys, ctx) {
    let index = link.manifest;
    if (keys.signers)
        index = await (0,_signing_js__WEBPACK_IMPORTED_MODULE_14__/* .requireSignature */ .Mg)(link.destination, link, keys.signers, ctx);
    const manifest = await (0,_encryption_js__WEBPACK_IMPORTED_MODULE_13__/* .openManifest */ .gp)(index, keys.identities, `${link.set}/${link.id}`);
    return { ...link, manifest };
}
/** `full-every`: a count of backups (`24`) or a duration (`1d`, `7d`). ConfigError otherwise. */
function parseFullEvery(text) {
    const t = (text ?? '24').trim();
    if (/^\d+$/.test(t)) {
        const count = Number(t);
        if (count < 1) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .ConfigError */ .xL('full-every', `'${t}' is not a positive count`, {
                hint: 'use a count such as 24 (a full backup every 24 backups) or a duration such as 1d',
            });
        }
        return { count };
    }
    try {
        const duration = (0,_retention_duration_js__WEBPACK_IMPORTED_MODULE_7__/* .parseDuration */ .E9)('full-every', t);
        if (duration.ms <= 0)
            throw new Error('zero');
        return { duration };
    }
    catch {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .ConfigError */ .xL('full-every', `'${t}' is neither a count nor a duration`, {
            hint: 'use a count such as 24, or a duration such as 12h, 1d or 7d',
        });
    }
}
/** Mode incremental's options, checked before any work starts. Undefined for mode full. */
function incrementalMode(options) {
    const fullEvery = parseFullEvery((0,_options_parse_js__WEBPACK_IMPORTED_MODULE_6__/* .str */ .gx)(options, 'full-every'));
    if (((0,_options_parse_js__WEBPACK_IMPORTED_MODULE_6__/* .str */ .gx)(options, 'mode') ?? 'full') !== 'incremental')
        return undefined;
    return { fullEvery, rehash: (0,_options_parse_js__WEBPACK_IMPORTED_MODULE_6__/* .bool */ .lc)(options, 'incremental-rehash') };
}
/** Read back after the upload, or its sha256 and size confirmed by the store (see catalog.ts). */
function isConfirmed(m) {
    if (m.verifiedAt)
        return true;
    return /^[0-9a-f]{64}$/.test(m.archive.sha256) && m.archive.size > 0;
}
/** A backup's chain, full backup first, from a listing (undefined when a link is missing). */
function chainOf(entry, entries) {
    const byId = new Map(entries.map((e) => [e.id, e]));
    const chain = [entry];
    let cur = entry;
    while (cur.manifest.kind === 'incremental') {
        const parent = cur.manifest.parent ? byId.get(cur.manifest.parent) : undefined;
        if (!parent || chain.length > 100_000)
            return undefined;
        chain.unshift(parent);
        cur = parent;
    }
    return chain;
}
/**
 * Whether this backup is a full one or an incremental, and of which parent: the newest backup
 * of the set on the first destination, when it has the same sources, every destination holds
 * its whole chain, each source can follow it, and `full-every` does not call for a full one.
 */
async function planChain(options, ctx, destinations, set, planned) {
    const mode = incrementalMode(options);
    if (!mode)
        return undefined;
    for (const p of planned) {
        const driver = await (0,_sources_registry_js__WEBPACK_IMPORTED_MODULE_8__/* .driverForKind */ .Ki)(p.source.kind);
        if (!driver.incremental) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .ConfigError */ .xL('mode', `incremental backups work for dir: and sqlite: sources, not ${p.source.kind} (${p.name})`, {
                hint: 'back this source up in its own set with {{option:mode=full}}, or remove {{option:mode}}',
            });
        }
    }
    const full = (why) => {
        ctx.log.info(`Full backup (starts a new chain): ${why}`);
        const dumps = new Map();
        for (const p of planned)
            dumps.set(p.name, { rehash: mode.rehash });
        return { kind: 'full', position: 0, dumps };
    };
    const first = destinations[0];
    const entries = (await (0,_destinations_js__WEBPACK_IMPORTED_MODULE_9__/* .listBackups */ .Cw)(first, set, ctx)).filter((e) => e.set === set && !e.manifest.tags?.includes('safety'));
    // The newest good backup: stored and confirmed (as retention and freshness count them).
    const parent = entries.filter((e) => isConfirmed(e.manifest)).at(-1);
    if (!parent)
        return full(`no earlier backup of ${set} on ${first.displayUrl}`);
    const chain = chainOf(parent, entries);
    if (!chain)
        return full(`the chain of ${parent.id} is incomplete on ${first.displayUrl}`);
    const position = chain.length;
    const fe = mode.fullEvery;
    if ('count' in fe && position >= fe.count)
        return full(`full-every ${fe.count}: the chain has ${position} backups`);
    if ('duration' in fe) {
        const start = new Date(chain[0].manifest.createdAt);
        if (start.getTime() <= (0,_retention_duration_js__WEBPACK_IMPORTED_MODULE_7__/* .subtractDuration */ .nj)(ctx.now(), fe.duration).getTime())
            return full(`full-every ${fe.duration.text}: the chain's full backup ${chain[0].id} is older`);
    }
    // An encrypted parent is read with the run's key (passphrase, or age-identity); a chain does
    // not change between encrypted and not, and with signatures it follows only a good one.
    const encrypting = (0,_encryption_js__WEBPACK_IMPORTED_MODULE_13__/* .encryptionFor */ .b0)(options, ctx) !== undefined;
    if (Boolean(parent.manifest.encrypted) !== encrypting)
        return full(encrypting
            ? `this backup is encrypted and the newest backup ${parent.id} is not`
            : `the newest backup ${parent.id} is encrypted and this one is not`);
    const identities = (0,_encryption_js__WEBPACK_IMPORTED_MODULE_13__/* .decryptionFor */ .L6)(options, ctx);
    if (parent.manifest.encrypted && !identities)
        return full(`the newest backup ${parent.id} is encrypted and this run has no key to read it (give age-identity or the passphrase to chain onto it)`);
    const signers = (0,_signing_js__WEBPACK_IMPORTED_MODULE_14__/* .allowedSignersFor */ .dk)(options, ctx) ?? (0,_signing_js__WEBPACK_IMPORTED_MODULE_14__/* .ownSigner */ .Ld)(options, ctx);
    if (signers) {
        const check = await (0,_signing_js__WEBPACK_IMPORTED_MODULE_14__/* .checkSignature */ .jC)(first, parent, signers);
        if (check.state !== 'signed')
            return full(`the newest backup ${parent.id} is ${check.state === 'unsigned' ? 'not signed' : 'badly signed'} by an allowed key`);
    }
    let sealed;
    try {
        sealed = await (0,_encryption_js__WEBPACK_IMPORTED_MODULE_13__/* .openManifest */ .gp)(parent.manifest, identities, `${set}/${parent.id}`);
    }
    catch (err) {
        if (err instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .ConfigError */ .xL)
            return full(`the key given does not open the newest backup ${parent.id}`);
        // A damaged index must not stop tonight's backup: it starts a chain of its own.
        if (err instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .IntegrityError */ .cs)
            return full(`the newest backup ${parent.id} cannot be read: ${err.message}`);
        throw err;
    }
    const same = sealed.sources.length === planned.length &&
        planned.every((p, i) => {
            const s = sealed.sources[i];
            return s.name === p.name && s.kind === p.source.kind && s.url === p.source.displayUrl;
        });
    if (!same)
        return full(`the newest backup ${parent.id} has other sources`);
    if (sealed.sources.some((s) => !Array.isArray(s.members)))
        return full(`the newest backup ${parent.id} does not list its members in its manifest`);
    for (const s of sealed.sources) {
        const driver = await (0,_sources_registry_js__WEBPACK_IMPORTED_MODULE_8__/* .driverForKind */ .Ki)(s.kind);
        if (!driver.incremental?.canFollow(s))
            return full(`${s.name} in ${parent.id} does not record what an incremental needs`);
    }
    for (const d of destinations.slice(1)) {
        const there = new Set((await (0,_destinations_js__WEBPACK_IMPORTED_MODULE_9__/* .listBackups */ .Cw)(d, set, ctx)).map((e) => e.id));
        const gone = chain.find((e) => !there.has(e.id));
        if (gone)
            return full(`${d.displayUrl} does not hold ${gone.id} of the chain`);
    }
    const dumps = new Map();
    for (const s of sealed.sources) {
        dumps.set(s.name, {
            rehash: mode.rehash,
            parent: {
                id: parent.id,
                manifest: s,
                readMember: (path) => readParentMember(first, sealed, s.name, path, ctx, identities),
            },
        });
    }
    ctx.log.info(`Incremental backup ${position} of the chain of ${chain[0].id}, parent ${parent.id}`);
    return { kind: 'incremental', position, parent: { ...parent, manifest: sealed }, dumps };
}
/**
 * Reads one member of one source from a stored archive, up to that member only (a chain's
 * page hashes come first), and checks its sha256 against the archive's manifest.
 */
async function readParentMember(d, sidecar, source, path, ctx, 
/** For an encrypted parent (its sidecar then is the opened full manifest). */
identities) {
    const record = sidecar.sources
        .find((s) => s.name === source)
        ?.members.find((m) => m.path === path);
    if (!record?.sha256) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .IntegrityError */ .cs(`backup ${sidecar.id} lists no ${source}/${path}`);
    }
    const ref = `${sidecar.name}/${sidecar.id}`;
    if (sidecar.encrypted && !identities) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .ConfigError */ .xL('age-identity', `backup ${ref} is encrypted and no key was given`, {
            hint: 'give {{option:age-identity}} or {{option:passphrase}}',
        });
    }
    const stream = await d.storage.get(sidecar.archive.key, { signal: ctx.signal });
    const decryptor = sidecar.encrypted && identities
        ? new _archive_age_index_js__WEBPACK_IMPORTED_MODULE_12__/* .AgeDecryptStream */ .Rk(identities, (0,_encryption_js__WEBPACK_IMPORTED_MODULE_13__/* .keyErrors */ .cs)(ref, identities))
        : undefined;
    const decompressor = (0,_archive_compression_js__WEBPACK_IMPORTED_MODULE_4__/* .decompressStream */ .Ct)(sidecar.compression);
    const stages = [stream, decryptor, decompressor].filter((s) => s !== undefined);
    const tar = (0,node_stream__WEBPACK_IMPORTED_MODULE_3__.pipeline)(...stages, () => undefined);
    for (const s of stages)
        s.on('error', () => undefined);
    const items = (0,_archive_reader_js__WEBPACK_IMPORTED_MODULE_5__/* .readArchive */ .bL)(tar);
    try {
        for await (const item of items) {
            if (item.kind !== 'member')
                continue;
            const body = item.entry.body;
            if (item.source !== source || item.entry.path !== path || !body)
                continue;
            const parts = [];
            const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
            for await (const c of body) {
                parts.push(c);
                hash.update(c);
            }
            if (hash.digest('hex') !== record.sha256) {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .IntegrityError */ .cs(`${source}/${path} in backup ${sidecar.id} does not match its manifest`);
            }
            return Buffer.concat(parts);
        }
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .IntegrityError */ .cs(`backup ${sidecar.id} holds no ${source}/${path}`);
    }
    catch (err) {
        if (err instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .LifeboatError */ .H3)
            throw err;
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .IntegrityError */ .cs(`cannot read ${source}/${path} from the parent backup ${sidecar.id}: ${err.message}`, { cause: err });
    }
    finally {
        await items.return(undefined).catch(() => undefined);
        for (const s of stages)
            if (!s.destroyed)
                s.destroy();
    }
}
/**
 * The chain a backup needs, full backup first, from the destination that holds it. A missing
 * link is an IntegrityError naming it.
 */
async function resolveChain(entry, ctx, keys = {}) {
    if (entry.manifest.kind !== 'incremental')
        return [entry];
    const d = entry.destination;
    const entries = (await (0,_destinations_js__WEBPACK_IMPORTED_MODULE_9__/* .listBackups */ .Cw)(d, entry.set, ctx)).filter((e) => e.set === entry.set);
    const byId = new Map(entries.map((e) => [e.id, e]));
    const chain = [entry];
    let cur = entry;
    while (cur.manifest.kind === 'incremental') {
        const id = cur.manifest.parent;
        const listed = id ? byId.get(id) : undefined;
        if (!listed) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .IntegrityError */ .cs(`backup ${entry.set}/${entry.id} is incremental and its chain is broken: ${cur.id} needs its parent ${id ?? '(none recorded)'}, which is missing on ${d.displayUrl}`, {
                hint: "restore an older backup whose chain is whole (`lifeboat list` shows each backup's parent), or restore the missing backup's objects",
            });
        }
        // Each link signed (with allowed-signers) and opened (when encrypted) before it is used.
        const parent = await openLink(listed, keys, ctx);
        const want = (cur.manifest.chainPosition ?? 1) - 1;
        if ((parent.manifest.chainPosition ?? 0) !== want || chain.length > 100_000) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .IntegrityError */ .cs(`backup ${cur.id} says it is link ${want + 1} of its chain, but its parent ${parent.id} is link ${parent.manifest.chainPosition ?? 0}`);
        }
        chain.unshift(parent);
        cur = parent;
    }
    return chain;
}
/**
 * Proves every link of a chain (the `.sha256` sidecar, the stored object's size and sha256,
 * every chunk, the inner manifest) while each source keeps what the final state needs in a
 * scratch folder, then assembles the final state. Nothing outside `sctx.tmpDir` is written.
 */
async function proveChain(chain, ctx, sctx, keys = {}) {
    const last = chain.at(-1);
    const scratchOf = new Map();
    for (const sm of last.manifest.sources) {
        const dir = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(sctx.tmpDir, `chain-${sm.name}`);
        // Fresh for every attempt: nothing from another destination's copy is mixed in.
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(dir, { recursive: true, force: true });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(dir, { recursive: true, mode: 0o700 });
        scratchOf.set(sm.name, dir);
    }
    for (const [i, link] of chain.entries()) {
        ctx.log.info(`Proving chain link ${i + 1} of ${chain.length}: ${link.id} (${i === 0 ? 'full' : 'incremental'})`);
        try {
            await (0,_stored_archive_js__WEBPACK_IMPORTED_MODULE_11__/* .readStoredArchive */ .E)(link.destination, link.manifest, ctx, sctx, async (sm, members) => {
                const lastSm = last.manifest.sources.find((s) => s.name === sm.name);
                if (!lastSm || lastSm.kind !== sm.kind) {
                    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .IntegrityError */ .cs(`chain link ${link.id} holds a source ${sm.name} the backup ${last.id} does not have`);
                }
                const driver = await (0,_sources_registry_js__WEBPACK_IMPORTED_MODULE_8__/* .driverForKind */ .Ki)(sm.kind);
                await driver.incremental.absorb(members, { id: link.id, manifest: sm }, lastSm, scratchOf.get(sm.name), sctx);
            }, {
                checkSha256Sidecar: true,
                ...(keys.identities ? { identities: keys.identities } : {}),
            });
        }
        catch (err) {
            // A listed link whose archive is gone is as broken as a damaged one.
            const gone = (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .isNotFound */ .c4)(err);
            if (!(err instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .IntegrityError */ .cs) && !gone)
                throw err;
            const why = gone
                ? `its archive ${link.manifest.archive.key} is missing on ${link.destination.displayUrl}`
                : `it is damaged: ${err.message}`;
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .IntegrityError */ .cs(`chain link ${i + 1} of ${chain.length} (${link.set}/${link.id}) of backup ${last.id} cannot be used: ${why}`, {
                cause: err,
                hint: "restore an older backup whose chain is whole, or another destination's copy",
            });
        }
    }
    const proven = new Map();
    for (const sm of last.manifest.sources) {
        const driver = await (0,_sources_registry_js__WEBPACK_IMPORTED_MODULE_8__/* .driverForKind */ .Ki)(sm.kind);
        proven.set(sm.name, await driver.incremental.assemble(sm, scratchOf.get(sm.name), sctx));
    }
    return proven;
}
/**
 * The chain of `entry`, proven, from the first destination whose copy of the whole chain is
 * intact: when a link is missing or damaged on one destination, the next one that holds the
 * backup is tried. Fails with the first destination's error (naming its link) when none works.
 */
async function proveChainAnywhere(entry, destinations, ctx, sctx, keys = {}) {
    const candidates = [entry];
    let first;
    for (let i = 0; i < candidates.length; i++) {
        const candidate = candidates[i];
        try {
            // Another destination's copy is opened (signature, sealed manifest) as the first was.
            const opened = i === 0 ? candidate : await openLink(candidate, keys, ctx);
            const chain = await resolveChain(opened, ctx, keys);
            return { chain, proven: await proveChain(chain, ctx, sctx, keys) };
        }
        catch (err) {
            if (!(err instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_10__/* .IntegrityError */ .cs) || sctx.signal?.aborted)
                throw err;
            first ??= err;
            if (i === 0) {
                // Only now look elsewhere: other destinations' copies of the same backup.
                for (const d of destinations) {
                    if (d === entry.destination)
                        continue;
                    const other = await (0,_destinations_js__WEBPACK_IMPORTED_MODULE_9__/* .listBackups */ .Cw)(d, entry.set, ctx).catch(() => []);
                    const same = other.find((e) => e.id === entry.id && e.set === entry.set);
                    if (same)
                        candidates.push(same);
                }
            }
            const next = candidates[i + 1];
            if (next) {
                ctx.log.warn(`${err.message}; trying the copy on ${next.destination.displayUrl}`);
            }
        }
    }
    throw first;
}


/***/ }),

/***/ 91470:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   R4: () => (/* binding */ fullManifest),
/* harmony export */   S1: () => (/* binding */ chooseBackup),
/* harmony export */   _g: () => (/* binding */ readKeysFor)
/* harmony export */ });
/* harmony import */ var _options_parse_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(85007);
/* harmony import */ var _destinations_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(42121);
/* harmony import */ var _encryption_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2971);
/* harmony import */ var _signing_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5081);




function readKeysFor(session) {
    return {
        identities: (0,_encryption_js__WEBPACK_IMPORTED_MODULE_2__/* .decryptionFor */ .L6)(session.options, session.ctx),
        signers: (0,_signing_js__WEBPACK_IMPORTED_MODULE_3__/* .allowedSignersFor */ .dk)(session.options, session.ctx),
    };
}
/**
 * The one way restore, verify and drill pick the backup they read: the `name` and `backup`
 * options (`latest` by default) on the first destination that has it, written into the report
 * (set, id, the stored object's size and sha256) at once so a failure later still names it, and,
 * with allowed-signers, its signature required before its index is trusted for anything.
 */
async function chooseBackup(session, destinations, keys) {
    const { options, ctx, report } = session;
    const entry = await (0,_destinations_js__WEBPACK_IMPORTED_MODULE_1__/* .findBackup */ .SC)(destinations, (0,_options_parse_js__WEBPACK_IMPORTED_MODULE_0__/* .str */ .gx)(options, 'name'), (0,_options_parse_js__WEBPACK_IMPORTED_MODULE_0__/* .str */ .gx)(options, 'backup') ?? 'latest', ctx);
    report.name = entry.set;
    report.backupId = entry.id;
    report.sha256 = entry.manifest.archive.sha256;
    report.size = entry.manifest.archive.size;
    if (!keys.signers)
        return { entry, signed: false };
    entry.manifest = await (0,_signing_js__WEBPACK_IMPORTED_MODULE_3__/* .requireSignature */ .Mg)(entry.destination, entry, keys.signers, ctx);
    return { entry, signed: true };
}
/**
 * The backup's full manifest: its index as it is, or for an encrypted backup the manifest sealed
 * inside it, opened with the run's key (without the right key this fails before any target or
 * archive is touched).
 */
function fullManifest(entry, identities) {
    return (0,_encryption_js__WEBPACK_IMPORTED_MODULE_2__/* .openManifest */ .gp)(entry.manifest, identities, `${entry.set}/${entry.id}`);
}


/***/ }),

/***/ 42121:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  W3: () => (/* binding */ closeDestinations),
  SC: () => (/* binding */ findBackup),
  Cw: () => (/* binding */ listBackups),
  uY: () => (/* binding */ openDestinations),
  XT: () => (/* binding */ readSidecarManifest),
  AI: () => (/* binding */ registerUrlSecrets),
  ts: () => (/* binding */ useDestinations),
  cT: () => (/* binding */ withDestinations)
});

// EXTERNAL MODULE: external "node:stream/consumers"
var consumers_ = __webpack_require__(38321);
// EXTERNAL MODULE: ./build/src/storage/registry.js + 5 modules
var registry = __webpack_require__(43101);
// EXTERNAL MODULE: ./build/src/storage/retry.js
var retry = __webpack_require__(28069);
// EXTERNAL MODULE: ./build/src/options/parse.js
var parse = __webpack_require__(85007);
// EXTERNAL MODULE: ./build/src/core/temp.js
var temp = __webpack_require__(34563);
// EXTERNAL MODULE: ./build/src/core/errors.js
var core_errors = __webpack_require__(43026);
// EXTERNAL MODULE: ./build/src/core/log.js
var log = __webpack_require__(85491);
// EXTERNAL MODULE: ./build/src/core/progress.js
var core_progress = __webpack_require__(83642);
;// CONCATENATED MODULE: ./build/src/engine/metered-storage.js

const ARCHIVE = /\.tar(\.zst|\.gz)?(\.age)?$/;
/**
 * Reports progress on every archive upload and read (backup, read-back, verify, restore) by
 * counting the bytes that pass, so no command has to. Sidecars are small and not reported.
 * Sizes seen in listings and uploads give reads their total, for percent and time left.
 */
function withProgress(storage, progress) {
    const sizes = new Map();
    const remember = (objects) => {
        for (const o of objects)
            if (ARCHIVE.test(o.key))
                sizes.set(o.key, o.size);
        return objects;
    };
    return {
        ...storage,
        async put(key, body, options) {
            if (!ARCHIVE.test(key))
                return storage.put(key, body, options);
            const task = progress.start(`Uploading to ${storage.displayUrl}`, {
                total: options?.size,
            });
            try {
                const result = await storage.put(key, (0,core_progress/* metered */.F3)(body, task), options);
                sizes.set(key, result.size);
                return result;
            }
            finally {
                // A put that failed without reading its body to the end leaves the meter running.
                task.end();
            }
        },
        async get(key, options) {
            const stream = await storage.get(key, options);
            if (!ARCHIVE.test(key))
                return stream;
            const task = progress.start(`Reading from ${storage.displayUrl}`, {
                total: sizes.get(key),
            });
            return (0,core_progress/* metered */.F3)(stream, task);
        },
        async list(prefix) {
            return remember(await storage.list(prefix));
        },
        async stat(key) {
            const info = await storage.stat(key);
            if (info)
                remember([info]);
            return info;
        },
    };
}

// EXTERNAL MODULE: ./build/src/engine/naming.js
var naming = __webpack_require__(3994);
// EXTERNAL MODULE: ./build/src/engine/backup-index.js
var backup_index = __webpack_require__(1861);
;// CONCATENATED MODULE: ./build/src/engine/destinations.js











/** Opens every destination line (with retries around each backend), registering URL secrets first. */
async function openDestinations(options, ctx) {
    const urls = (0,parse/* lines */.Mn)(options, 'destination');
    if (urls.length === 0) {
        throw new core_errors/* ConfigError */.xL('destination', 'is required', {
            hint: 'name where backups live, e.g. file:./backups or s3://bucket/prefix',
        });
    }
    const out = [];
    for (const url of urls) {
        registerUrlSecrets(url, ctx);
        const storage = await (0,registry/* openStorage */.Gz)(url, {
            log: ctx.log,
            redactor: ctx.redactor,
            env: ctx.env,
            options: options.values,
            tmpRoot: (0,temp/* runTempRoot */.a8)(ctx),
        });
        out.push({
            url,
            displayUrl: storage.displayUrl || (0,log/* redactUrl */.BO)(url),
            storage: withProgress((0,retry/* withRetry */.bD)(storage, { log: ctx.log }), (0,core_progress/* progressOf */.jA)(ctx)),
        });
    }
    return out;
}
/** Opens the destination lines for a session, each closed when the session ends. */
async function useDestinations(session) {
    const opened = [];
    session.defer('close the destinations', () => closeDestinations(opened));
    opened.push(...(await openDestinations(session.options, session.ctx)));
    return opened;
}
/** Opens the destinations for one command and closes them however it ends. */
async function withDestinations(options, ctx, use) {
    const destinations = await openDestinations(options, ctx);
    try {
        return await use(destinations);
    }
    finally {
        await closeDestinations(destinations);
    }
}
async function closeDestinations(destinations) {
    await Promise.allSettled(destinations.map((d) => d.storage.close?.()));
}
/** Passwords in URLs are secrets: mask them (and their encodings) before anything is logged. */
function registerUrlSecrets(url, ctx) {
    try {
        const u = new URL(url);
        if (u.password) {
            ctx.redactor.add(u.password);
            ctx.redactor.add(decodeURIComponent(u.password));
        }
        for (const [k, v] of u.searchParams)
            if (/pass|secret|token|key|sig/i.test(k))
                ctx.redactor.add(v);
    }
    catch {
        // not a URL with an authority (sqlite:, dir:, file:): nothing secret in it
    }
}
/**
 * Reads the sidecar manifests under `set/` (or every set). Unreadable ones go to `damaged` when
 * the caller passes it (so `latest` cannot silently become an older backup), else are warned
 * about and skipped. Commands that need fewer than all start from `indexBackups`
 * (backup-index.ts) and read only the manifests they need.
 */
async function listBackups(destination, set, ctx, damaged) {
    return (0,backup_index/* readEntries */.$2)(await (0,backup_index/* indexBackups */.Ym)(destination, set), ctx, damaged);
}
function damagedError(d, asked) {
    return new core_errors/* IntegrityError */.cs(`${asked === 'latest' ? 'the newest backup' : 'backup'} ${d.set}/${d.id} on ${d.destination.displayUrl} is damaged: ${d.reason}`, {
        hint: `its manifest ${d.key} cannot be used; restore an older backup by id (\`lifeboat list\` shows them), or repair the manifest`,
    });
}
async function readSidecarManifest(destination, key) {
    const body = await (0,consumers_.text)(await destination.storage.get(key));
    let parsed;
    try {
        parsed = JSON.parse(body);
    }
    catch {
        throw new core_errors/* IntegrityError */.cs(`${key} on ${destination.displayUrl} is not valid JSON`);
    }
    const m = parsed;
    if (typeof m !== 'object' ||
        m === null ||
        typeof m.id !== 'string' ||
        typeof m.format !== 'number' ||
        !Array.isArray(m.sources) ||
        typeof m.archive?.key !== 'string' ||
        typeof m.archive?.sha256 !== 'string') {
        throw new core_errors/* IntegrityError */.cs(`${key} on ${destination.displayUrl} is not a Lifeboat manifest`);
    }
    return m;
}
/**
 * Finds the backup to restore or verify: an id or 'latest' in a set. The first destination
 * that has it wins. Without a set name, a set is inferred when the storage holds just one.
 */
async function findBackup(destinations, set, which, ctx) {
    if (which !== 'latest' && !(0,naming/* isBackupId */["if"])(which)) {
        throw new core_errors/* ConfigError */.xL('backup', `'${which}' is not a backup id`, {
            hint: "use 'latest' or an id as `lifeboat list` shows it, e.g. 20261122T030000Z-abcdef",
        });
    }
    const errors = [];
    let brokenCopy;
    for (const destination of destinations) {
        let indexed;
        try {
            indexed = await (0,backup_index/* indexBackups */.Ym)(destination, set);
        }
        catch (err) {
            errors.push(`${destination.displayUrl}: ${err.message}`);
            continue;
        }
        const sets = (0,backup_index/* setsOf */.Nc)(indexed);
        if (!set && which === 'latest' && sets.length > 1) {
            throw new core_errors/* ConfigError */.xL('name', `${destination.displayUrl} holds several backup sets (${sets.join(', ')})`, {
                hint: 'choose one with {{option:name=<set>}}',
            });
        }
        // Ids sort by time: `latest` reads the newest manifest (of the newest second's, the last
        // created), and an older one only past a safety copy; an id reads its own.
        const candidates = which === 'latest' ? await (0,backup_index/* newestFirst */.ll)(indexed) : indexed.filter((b) => b.id === which);
        for (const b of candidates) {
            ctx.signal?.throwIfAborted();
            let entry;
            try {
                entry = await (0,backup_index/* readEntry */.hB)(b);
            }
            catch (err) {
                if ((0,core_errors/* isNotFound */.c4)(err))
                    continue;
                const broken = (0,backup_index/* damagedOf */.Zo)(b, err);
                // A damaged newer backup must not silently make `latest` an older one.
                if (which === 'latest') {
                    if (broken.set.endsWith('-safety'))
                        continue;
                    throw damagedError(broken, which);
                }
                // Asked for by id: another destination may hold a readable copy.
                brokenCopy ??= broken;
                break;
            }
            if (which === 'latest' && entry.manifest.tags?.includes('safety'))
                continue;
            return entry;
        }
    }
    if (brokenCopy)
        throw damagedError(brokenCopy, which);
    const where = destinations.map((d) => d.displayUrl).join(', ');
    if (errors.length === destinations.length) {
        throw new core_errors/* StorageError */.aq(`could not list backups: ${errors.join('; ')}`);
    }
    throw new core_errors/* ConfigError */.xL('backup', which === 'latest'
        ? `no backups${set ? ` of set '${set}'` : ''} found in ${where}`
        : `backup ${which} not found in ${where}`, { hint: 'run `lifeboat list` with the same destination to see what is there' });
}


/***/ }),

/***/ 2971:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Cp: () => (/* binding */ asKeyError),
/* harmony export */   L6: () => (/* binding */ decryptionFor),
/* harmony export */   aM: () => (/* binding */ publicIndex),
/* harmony export */   b0: () => (/* binding */ encryptionFor),
/* harmony export */   cs: () => (/* binding */ keyErrors),
/* harmony export */   gp: () => (/* binding */ openManifest),
/* harmony export */   wX: () => (/* binding */ recipientsOf)
/* harmony export */ });
/* unused harmony export isSealedIndex */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(57075);
/* harmony import */ var node_stream_consumers__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(38321);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(46466);
/* harmony import */ var _archive_age_index_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(96513);
/* harmony import */ var _archive_types_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(27317);
/* harmony import */ var _options_parse_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(85007);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(43026);









const KEY_LINE = /^(age1|ssh-ed25519 |ssh-rsa |AGE-SECRET-KEY-1|-----BEGIN|#)/;
/** A line is a key itself, or the path of a file of keys (read now, so a typo fails early). */
function keysText(option, value, ctx) {
    const t = value.trim();
    if (t === '' || KEY_LINE.test(t) || t.includes('\n'))
        return value;
    const path = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(t) ? t : (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(ctx.cwd, t);
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(path, 'utf8');
    }
    catch (err) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .ConfigError */ .xL(option, `cannot read the key file ${t}: ${err.message}`, {
            hint: option === 'age-recipients'
                ? 'give age1… / ssh-ed25519 / ssh-rsa public keys, one per line, or the path of a file of them'
                : 'give the AGE-SECRET-KEY-1… identity (or an OpenSSH private key) from a secret, or the path of an identity file',
        });
    }
}
/**
 * The recipients a backup is encrypted to, or undefined when it is not to be encrypted. For a
 * restore's safety backup (`safety`), the passphrase may be there to decrypt: recipients given
 * beside it win instead of conflicting.
 */
function encryptionFor(options, ctx, purpose = 'backup') {
    const given = (0,_options_parse_js__WEBPACK_IMPORTED_MODULE_6__/* .lines */ .Mn)(options, 'age-recipients');
    const passphrase = given.length > 0 && purpose === 'safety' ? undefined : (0,_options_parse_js__WEBPACK_IMPORTED_MODULE_6__/* .str */ .gx)(options, 'passphrase');
    if (given.length > 0 && passphrase) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .ConfigError */ .xL('passphrase', 'cannot be combined with age-recipients', {
            hint: 'age encrypts either to public keys or to one passphrase: remove {{option:passphrase}} or {{option:age-recipients}}',
        });
    }
    if (passphrase) {
        ctx.redactor.add(passphrase);
        return { recipients: [new _archive_age_index_js__WEBPACK_IMPORTED_MODULE_5__/* .ScryptRecipient */ .NA(passphrase)], fingerprints: ['scrypt (passphrase)'] };
    }
    if (given.length === 0)
        return undefined;
    const recipients = [];
    for (const line of given) {
        try {
            recipients.push(...(0,_archive_age_index_js__WEBPACK_IMPORTED_MODULE_5__/* .parseRecipients */ .q)(keysText('age-recipients', line, ctx)));
        }
        catch (err) {
            if (err instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .ConfigError */ .xL)
                throw err;
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .ConfigError */ .xL('age-recipients', `'${line.slice(0, 80)}': ${err.message}`, {
                hint: 'give age1… public keys (age-keygen -y key.txt) or ssh-ed25519 / ssh-rsa public key lines, one per line, or a file of them',
            });
        }
    }
    if (recipients.length === 0) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .ConfigError */ .xL('age-recipients', 'holds no recipient', {
            hint: 'give at least one age1… or SSH public key',
        });
    }
    return { recipients, fingerprints: [...new Set(recipients.map((r) => r.fingerprint))] };
}
/** Identities to decrypt with (age-identity and/or passphrase), or undefined when none is given. */
function decryptionFor(options, ctx) {
    const ids = [];
    const identity = (0,_options_parse_js__WEBPACK_IMPORTED_MODULE_6__/* .str */ .gx)(options, 'age-identity');
    if (identity) {
        ctx.redactor.add(identity);
        const text = keysText('age-identity', identity, ctx);
        // Each key line on its own too: a log line might quote one alone.
        ctx.redactor.add(text);
        for (const l of text.split(/\r?\n/)) {
            if (l.trim().length > 8 && !l.startsWith('-----'))
                ctx.redactor.add(l.trim());
        }
        try {
            ids.push(...(0,_archive_age_index_js__WEBPACK_IMPORTED_MODULE_5__/* .parseIdentities */ .go)(text));
        }
        catch (err) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .ConfigError */ .xL('age-identity', err.message, {
                hint: 'give the AGE-SECRET-KEY-1… line(s) from age-keygen, or an unencrypted OpenSSH ed25519/rsa private key, from a secret',
            });
        }
    }
    const passphrase = (0,_options_parse_js__WEBPACK_IMPORTED_MODULE_6__/* .str */ .gx)(options, 'passphrase');
    if (passphrase) {
        ctx.redactor.add(passphrase);
        ids.push(new _archive_age_index_js__WEBPACK_IMPORTED_MODULE_5__/* .ScryptIdentity */ .UB(passphrase));
    }
    return ids.length > 0 ? ids : undefined;
}
/** The errors a decryption raises, named for the option that fixes them. */
function keyErrors(backup, identities) {
    return {
        noMatch: () => new _core_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .ConfigError */ .xL(identities.some((i) => i instanceof _archive_age_index_js__WEBPACK_IMPORTED_MODULE_5__/* .ScryptIdentity */ .UB) && identities.length === 1
            ? 'passphrase'
            : 'age-identity', `none of the keys given opens backup ${backup}`, {
            hint: 'give the identity (or passphrase) matching one of the recipients the backup was encrypted to; `lifeboat list` shows them',
        }),
    };
}
/** Maps a decryption failure onto the option to fix, or keeps an integrity error as it is. */
function asKeyError(err, backup) {
    if (err instanceof _archive_age_index_js__WEBPACK_IMPORTED_MODULE_5__/* .WrongPassphraseError */ .iA) {
        return new _core_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .ConfigError */ .xL('passphrase', `does not open backup ${backup}`, {
            hint: 'give the passphrase the backup was made with',
        });
    }
    if (err instanceof _archive_age_index_js__WEBPACK_IMPORTED_MODULE_5__/* .NoIdentityMatchError */ .Dt) {
        return new _core_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .ConfigError */ .xL('age-identity', `none of the keys given opens backup ${backup}`, {
            hint: 'give the identity matching one of the recipients the backup was encrypted to',
        });
    }
    if (err instanceof _archive_age_index_js__WEBPACK_IMPORTED_MODULE_5__/* .AgeKeyError */ .Z5) {
        return new _core_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .IntegrityError */ .cs(`the encryption header of backup ${backup} is malformed: ${err.message}`);
    }
    return err;
}
/** The fields of an encrypted backup's public index (format 2): what list, prune and status need. */
const PUBLIC_FIELDS = [
    'id',
    'name',
    'createdAt',
    'finishedAt',
    'compression',
    'encrypted',
    'tags',
    'chunkSize',
    'archive',
    // Incremental chains: retention, list and restore walk chains by these (backup ids only).
    'kind',
    'parent',
    'chainPosition',
];
/**
 * The public index of an encrypted backup: sizes, times, the stored object's sha256, tags,
 * source names and kinds, and the recipients' fingerprints. The full sidecar manifest (tables,
 * row counts, members, chunk hashes, versions, source URLs) travels sealed to the same
 * recipients in `detail`, and inside the encrypted archive.
 */
async function publicIndex(sidecar, encryption) {
    const { verifiedAt, ...detail } = sidecar;
    const sealed = await seal(Buffer.from(JSON.stringify(detail), 'utf8'), encryption.recipients);
    const index = { format: _archive_types_js__WEBPACK_IMPORTED_MODULE_8__/* .INDEX_FORMAT */ .B7 };
    for (const f of PUBLIC_FIELDS)
        index[f] = sidecar[f];
    index.tool = { name: 'lifeboat', version: sidecar.tool.version };
    index.sources = sidecar.sources.map((s) => ({ name: s.name, kind: s.kind }));
    index.recipients = encryption.fingerprints;
    index.detail = sealed.toString('base64');
    if (verifiedAt)
        index.verifiedAt = verifiedAt;
    return index;
}
/** Whether a listed manifest is an encrypted backup's public index (its detail sealed). */
function isSealedIndex(m) {
    return m.format >= _archive_types_js__WEBPACK_IMPORTED_MODULE_8__/* .INDEX_FORMAT */ .B7 && typeof m.detail === 'string';
}
/**
 * The full manifest of a listed backup: itself when not encrypted, else its sealed detail
 * opened with the identities, checked against the public fields it was listed by.
 */
async function openManifest(index, identities, ref) {
    if (!index.encrypted)
        return index;
    if (!identities) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .ConfigError */ .xL('age-identity', `backup ${ref} is encrypted and no key was given`, {
            hint: 'give {{option:age-identity}} (an AGE-SECRET-KEY-1… line or SSH private key from a secret) or {{option:passphrase}}',
        });
    }
    if (!isSealedIndex(index)) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .IntegrityError */ .cs(`backup ${ref} says it is encrypted but its index holds no sealed detail`);
    }
    let plain;
    try {
        plain = await open(Buffer.from(index.detail, 'base64'), identities, keyErrors(ref, identities));
    }
    catch (err) {
        throw asKeyError(err, ref);
    }
    let detail;
    try {
        detail = JSON.parse(plain.toString('utf8'));
    }
    catch {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .IntegrityError */ .cs(`the sealed manifest of backup ${ref} is not valid JSON`);
    }
    for (const f of PUBLIC_FIELDS) {
        if (JSON.stringify(detail[f]) !== JSON.stringify(index[f])) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .IntegrityError */ .cs(`the public index of backup ${ref} disagrees with its sealed manifest on ${f}`, { hint: 'the index was altered: do not trust this backup' });
        }
    }
    const names = (m) => m.sources.map((s) => `${s.name}:${s.kind}`).join(',');
    if (names(detail) !== names(index)) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .IntegrityError */ .cs(`the public index of backup ${ref} disagrees with its sealed manifest on its sources`);
    }
    if (index.verifiedAt)
        detail.verifiedAt = index.verifiedAt;
    return detail;
}
async function seal(data, recipients) {
    const enc = new _archive_age_index_js__WEBPACK_IMPORTED_MODULE_5__/* .AgeEncryptStream */ .TB(recipients);
    const [out] = await Promise.all([(0,node_stream_consumers__WEBPACK_IMPORTED_MODULE_3__.buffer)(enc), (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_4__.pipeline)(node_stream__WEBPACK_IMPORTED_MODULE_2__.Readable.from([data]), enc)]);
    return out;
}
async function open(data, identities, errors) {
    const dec = new _archive_age_index_js__WEBPACK_IMPORTED_MODULE_5__/* .AgeDecryptStream */ .Rk(identities, errors);
    const [out] = await Promise.all([(0,node_stream_consumers__WEBPACK_IMPORTED_MODULE_3__.buffer)(dec), (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_4__.pipeline)(node_stream__WEBPACK_IMPORTED_MODULE_2__.Readable.from([data]), dec)]);
    return out;
}
/** Recipients matching the identities that opened a backup (for its restore's safety backup). */
function recipientsOf(identities) {
    // A passphrase cannot share a header with keys: keys win when both opened the backup.
    const keyed = identities.filter((i) => !(i instanceof _archive_age_index_js__WEBPACK_IMPORTED_MODULE_5__/* .ScryptIdentity */ .UB));
    const recipients = (keyed.length ? keyed : identities.slice(0, 1)).map((i) => i.recipient());
    return { recipients, fingerprints: [...new Set(recipients.map((r) => r.fingerprint))] };
}


/***/ }),

/***/ 3994:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F1: () => (/* binding */ backupKeys),
/* harmony export */   Fm: () => (/* binding */ deriveSetName),
/* harmony export */   Kq: () => (/* binding */ parseDrillKey),
/* harmony export */   _H: () => (/* binding */ newBackupId),
/* harmony export */   a3: () => (/* binding */ backupTime),
/* harmony export */   cW: () => (/* binding */ backupGroup),
/* harmony export */   "if": () => (/* binding */ isBackupId),
/* harmony export */   wi: () => (/* binding */ validateSetName)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var _archive_compression_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(29158);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(43026);
/* harmony import */ var _storage_keys_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(31851);
/* harmony import */ var _core_url_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(35708);






const ID_PATTERN = /^\d{8}T\d{6}Z-[a-z2-7]{6}$/;
const SET_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** Backup ids sort by time: 20261122T030000Z-abcdef (UTC, then 30 random bits). */
function newBackupId(now) {
    const stamp = now
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
    const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
    const bytes = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(6);
    let suffix = '';
    for (const b of bytes)
        suffix += alphabet[b % 32];
    return `${stamp}-${suffix}`;
}
function isBackupId(id) {
    return ID_PATTERN.test(id);
}
function backupTime(id) {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(id);
    if (!m)
        return new Date(NaN);
    return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}
function validateSetName(name, option = 'name') {
    if (!SET_PATTERN.test(name)) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigError */ .xL(option, `'${name}' is not a valid backup set name`, {
            hint: 'use letters, digits, dot, dash and underscore (up to 100 characters), starting with a letter or digit',
        });
    }
    return name;
}
/** A set name from a source URL: the database or file name, else the host. */
function deriveSetName(url) {
    const scheme = (0,_core_url_js__WEBPACK_IMPORTED_MODULE_5__/* .schemeOf */ .dz)(url) ?? '';
    let rest = url.slice(scheme.length + 1);
    let candidate;
    if (rest.startsWith('//')) {
        try {
            const u = new URL(url);
            const segments = u.pathname.split('/').filter(Boolean);
            candidate = decodeURIComponent(segments.at(-1) ?? '') || u.hostname;
            if (/^\d+$/.test(candidate))
                candidate = `${u.hostname}-${candidate}`;
        }
        catch {
            candidate = '';
        }
    }
    else {
        rest = rest.replace(/[*?[\]{}].*$/, '').replace(/\/+$/, '');
        candidate = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.basename)(rest, (0,node_path__WEBPACK_IMPORTED_MODULE_1__.extname)(rest)) || (0,node_path__WEBPACK_IMPORTED_MODULE_1__.basename)(rest);
    }
    const cleaned = candidate
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .replace(/^[^A-Za-z0-9]+/, '')
        .slice(0, 100);
    return cleaned || scheme || 'backup';
}
function backupKeys(set, id, compression, encrypted = false) {
    return {
        archive: `${set}/${id}${(0,_archive_compression_js__WEBPACK_IMPORTED_MODULE_2__/* .archiveExtension */ .yP)(compression)}${encrypted ? '.age' : ''}`,
        manifest: `${set}/${id}.manifest.json`,
        sha256: `${set}/${id}.sha256`,
        sig: `${set}/${id}.sig`,
    };
}
/**
 * A backup as the storage contract's ObjectGroup: the archive and its sidecars, committed by
 * the manifest (the index), which is put last and makes the backup visible to listing.
 */
function backupGroup(set, id, keys) {
    return {
        name: `${set}/${id}`,
        members: [keys.archive, keys.sha256, keys.sig],
        commit: keys.manifest,
    };
}
/** The set and backup id a drill record's key (storage/keys.ts `drillKey`) names, else undefined. */
function parseDrillKey(key) {
    if (!key.endsWith(_storage_keys_js__WEBPACK_IMPORTED_MODULE_4__/* .DRILL_SUFFIX */ .EM))
        return undefined;
    const m = /^([^/]+)\/([^/]+)$/.exec(key.slice(0, -_storage_keys_js__WEBPACK_IMPORTED_MODULE_4__/* .DRILL_SUFFIX */ .EM.length));
    return m && isBackupId(m[2]) ? { set: m[1], id: m[2] } : undefined;
}


/***/ }),

/***/ 65616:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  AI: () => (/* binding */ errorKindOf),
  d1: () => (/* binding */ runCommand)
});

// UNUSED EXPORTS: checkBackupOptions

// EXTERNAL MODULE: ./build/src/options/schema.js
var schema = __webpack_require__(43549);
// EXTERNAL MODULE: ./build/src/core/option-ref.js
var option_ref = __webpack_require__(76792);
// EXTERNAL MODULE: ./build/src/options/parse.js
var parse = __webpack_require__(85007);
// EXTERNAL MODULE: ./build/src/retention/freshness.js
var freshness = __webpack_require__(10991);
// EXTERNAL MODULE: ./build/src/retention/policy.js
var retention_policy = __webpack_require__(71428);
// EXTERNAL MODULE: ./build/src/engine/backup.js + 2 modules
var backup = __webpack_require__(24526);
// EXTERNAL MODULE: ./build/src/engine/encryption.js
var encryption = __webpack_require__(2971);
// EXTERNAL MODULE: ./build/src/engine/signing.js + 1 modules
var signing = __webpack_require__(5081);
// EXTERNAL MODULE: ./build/src/core/errors.js
var errors = __webpack_require__(43026);
// EXTERNAL MODULE: ./build/src/engine/backup-index.js
var backup_index = __webpack_require__(1861);
;// CONCATENATED MODULE: ./build/src/engine/good-backups.js




/**
 * What counts as a confirmed backup, for retention and freshness alike: its stored object was
 * read back and matched (`verifiedAt`), or, with verify-after-backup off, the store confirmed
 * the size and sha256 it received. A sidecar is only written after one of the two, so a listed
 * backup with a recorded sha256 and size is confirmed; a hand-made sidecar without them is not.
 */
function isConfirmedBackup(manifest) {
    if (manifest.verifiedAt)
        return true;
    return /^[0-9a-f]{64}$/.test(manifest.archive.sha256) && manifest.archive.size > 0;
}
/**
 * Whether a backup counts as a good one for retention and freshness: confirmed, and, with
 * allowed-signers (or a signing key), well signed: an unsigned or planted backup never becomes
 * "the newest good". Asked one entry at a time, so a command checks only the backups it reads.
 */
function goodBackupCheck(options, ctx, d) {
    const signers = (0,signing/* allowedSignersFor */.dk)(options, ctx) ?? (0,signing/* ownSigner */.Ld)(options, ctx);
    const known = new Map();
    return async (e) => {
        if (!isConfirmedBackup(e.manifest))
            return false;
        if (!signers)
            return true;
        const id = `${e.set}/${e.id}`;
        let good = known.get(id);
        if (good === undefined) {
            const check = await (0,signing/* checkSignature */.jC)(d, e, signers);
            good = check.state === 'signed';
            if (!good)
                ctx.log.warn(`${e.set}/${e.id} is ${check.state}: ${check.reason ?? ''}; not counted as a good backup`);
            known.set(id, good);
        }
        return good;
    };
}
/**
 * The set name for prune/status: the option, else the only set in the first destination (from
 * key names: no manifest is read).
 */
async function resolveSet(options, d, fallback) {
    const named = (0,parse/* str */.gx)(options, 'name') ?? fallback;
    if (named)
        return named;
    const sets = (0,backup_index/* setsOf */.Nc)(await (0,backup_index/* indexBackups */.Ym)(d, undefined)).filter((s) => !s.endsWith('-safety'));
    if (sets.length === 1)
        return sets[0];
    throw new errors/* ConfigError */.xL('name', sets.length ? `several backup sets found (${sets.join(', ')})` : 'no backup sets found', {
        hint: 'choose the set with {{option:name=<set>}}',
    });
}

// EXTERNAL MODULE: ./build/src/engine/destinations.js + 1 modules
var engine_destinations = __webpack_require__(42121);
// EXTERNAL MODULE: ./build/src/engine/naming.js
var naming = __webpack_require__(3994);
// EXTERNAL MODULE: external "node:stream/consumers"
var consumers_ = __webpack_require__(38321);
;// CONCATENATED MODULE: ./build/src/drill/record.js
/** Reads a stored record; anything that is not one (hand-edited, truncated) is undefined. */
function parseDrillRecord(text) {
    let v;
    try {
        v = JSON.parse(text);
    }
    catch {
        return undefined;
    }
    const r = v;
    if (typeof r !== 'object' ||
        r === null ||
        r.version !== 1 ||
        typeof r.backupId !== 'string' ||
        typeof r.set !== 'string' ||
        typeof r.ok !== 'boolean' ||
        typeof r.startedAt !== 'string' ||
        typeof r.finishedAt !== 'string' ||
        typeof r.rtoMs !== 'number' ||
        typeof r.backupAgeMs !== 'number' ||
        !Array.isArray(r.checks)) {
        return undefined;
    }
    return r;
}

// EXTERNAL MODULE: ./build/src/storage/keys.js
var keys = __webpack_require__(31851);
;// CONCATENATED MODULE: ./build/src/engine/drill-record.js



/**
 * The drill record beside a listed backup, or undefined when it has none or it cannot be read:
 * a missing or damaged record only means nobody can show that drill, never a failed command.
 */
async function readDrillRecord(entry, ctx) {
    if (!entry.drilled)
        return undefined;
    const key = (0,keys/* drillKey */.NC)(entry.set, entry.id);
    try {
        const record = parseDrillRecord(await (0,consumers_.text)(await entry.destination.storage.get(key)));
        if (!record)
            ctx.log.warn(`${key} on ${entry.destination.displayUrl} is not a drill record`);
        return record;
    }
    catch (err) {
        ctx.log.warn(`cannot read ${key} on ${entry.destination.displayUrl}: ${err.message}`);
        return undefined;
    }
}
/** The newest drilled backup of a list (oldest first, as listBackups returns it). */
async function lastDrill(entries, ctx) {
    for (const entry of [...entries].reverse()) {
        if (!entry.drilled)
            continue;
        const record = await readDrillRecord(entry, ctx);
        if (record)
            return { entry, record };
    }
    return undefined;
}

;// CONCATENATED MODULE: ./build/src/engine/list.js





function toRow(e) {
    return {
        set: e.set,
        id: e.id,
        time: e.manifest.createdAt,
        size: e.manifest.archive.size,
        sources: e.manifest.sources.map((s) => `${s.name} (${s.kind})`).join(', '),
        encrypted: e.manifest.encrypted,
        ...(e.manifest.recipients ? { recipients: e.manifest.recipients } : {}),
        verified: Boolean(e.manifest.verifiedAt),
        tags: e.manifest.tags ?? [],
        location: `${e.destination.displayUrl} ${e.manifest.archive.key}`,
        kind: e.manifest.kind ?? 'full',
        ...(e.manifest.parent ? { parent: e.manifest.parent } : {}),
        ...(e.manifest.chainPosition !== undefined ? { chainPosition: e.manifest.chainPosition } : {}),
    };
}
function damagedRow(d) {
    return {
        set: d.set,
        id: d.id,
        time: (0,naming/* backupTime */.a3)(d.id).toISOString(),
        size: 0,
        sources: '',
        encrypted: false,
        verified: false,
        tags: [],
        location: `${d.destination.displayUrl} ${d.key}`,
        damaged: d.reason,
    };
}
/** `list`: every backup it shows, so every manifest of the set (or of every set) is read. */
async function listCommand(options, ctx, report) {
    const signers = (0,signing/* allowedSignersFor */.dk)(options, ctx);
    await (0,engine_destinations/* withDestinations */.cT)(options, ctx, async (destinations) => {
        for (const d of destinations) {
            const damaged = [];
            const entries = await (0,engine_destinations/* listBackups */.Cw)(d, (0,parse/* str */.gx)(options, 'name'), ctx, damaged);
            const rows = entries.map(toRow);
            for (const [i, e] of entries.entries()) {
                const record = await readDrillRecord(e, ctx);
                if (record) {
                    rows[i].drill = { ok: record.ok, finishedAt: record.finishedAt, rtoMs: record.rtoMs };
                }
            }
            if (signers) {
                for (const [i, e] of entries.entries()) {
                    const check = await (0,signing/* checkSignature */.jC)(d, e, signers);
                    rows[i].signature = check.state;
                    if (check.reason)
                        rows[i].signatureProblem = check.reason;
                }
            }
            report.backups.push(...rows, ...damaged.map(damagedRow));
            for (const x of damaged)
                ctx.log.warn(`${x.set}/${x.id} on ${d.displayUrl} is damaged: ${x.reason}`);
        }
        report.backups.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    });
    report.outputs['count'] = String(report.backups.length);
    report.outputs['backups'] = JSON.stringify(report.backups);
    const latest = report.backups.at(-1);
    if (latest)
        report.outputs['backup-id'] = latest.id;
}

// EXTERNAL MODULE: ./build/src/core/cancel.js
var cancel = __webpack_require__(24091);
// EXTERNAL MODULE: ./build/src/core/log.js
var log = __webpack_require__(85491);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(58500);
// EXTERNAL MODULE: ./build/src/core/process.js
var core_process = __webpack_require__(15816);
// EXTERNAL MODULE: ./build/src/retention/duration.js
var duration = __webpack_require__(398);
;// CONCATENATED MODULE: ./build/src/engine/lock.js










/**
 * One lock object per set in each destination keeps two backups or prunes of a set from
 * overlapping. It is created with the store's conditional create (createExclusive), names its
 * holder, expires by itself when its holder dies, and is refreshed while the holder works.
 */
const LOCK_NAME = 'lifeboat.lock';
function lockKey(set) {
    return `${set}/${LOCK_NAME}`;
}
const DEFAULT_TTL_MS = 15 * 60_000;
const POLL_MS = 5_000;
/** Parses lock-wait, lock-ttl and break-lock; ConfigError naming the option, before any work. */
function lockSettings(options) {
    const wait = (0,parse/* str */.gx)(options, 'lock-wait') ?? '0s';
    const ttl = (0,parse/* str */.gx)(options, 'lock-ttl');
    const waitMs = /^0+$/.test(wait.trim()) ? 0 : (0,duration/* parseDuration */.E9)('lock-wait', wait).ms;
    const ttlMs = ttl ? (0,duration/* parseDuration */.E9)('lock-ttl', ttl).ms : DEFAULT_TTL_MS;
    if (ttlMs < 60_000) {
        // Shorter than this, a lock could lapse between two refreshes on a slow store.
        throw new errors/* ConfigError */.xL('lock-ttl', `'${ttl ?? ''}' is shorter than a minute`, {
            hint: 'give {{option:lock-ttl}} a duration of a minute or more, e.g. {{option:lock-ttl=15m}} (the default)',
        });
    }
    return { waitMs, ttlMs, breakLock: (0,parse/* bool */.lc)(options, 'break-lock') };
}
function describeHolder(r) {
    if (!r)
        return 'an unreadable lock (another run is writing it, or it is damaged)';
    const run = r.runUrl ? `, run ${r.runUrl}` : '';
    return `${r.owner} on ${r.host} (pid ${r.pid}, ${r.command}${run}) since ${r.acquiredAt}, expires ${r.expiresAt}`;
}
/**
 * Takes the set's lock on every destination, waiting up to lock-wait for a holder to finish.
 * A destination that cannot be written is reported in `failed` (that is the writability probe:
 * the lock is the first object written), so the others can still take the backup; a lock held
 * by another run fails the whole command with a message naming the holder.
 */
async function lockSet(destinations, set, settings, ctx, command) {
    const sleep = ctx.sleep ?? ((ms) => (0,promises_.setTimeout)(ms));
    const token = (0,external_node_crypto_.randomBytes)(12).toString('hex');
    const record = () => {
        const now = ctx.now();
        const r = {
            owner: ownerName(),
            host: (0,external_node_os_.hostname)(),
            pid: process.pid,
            command,
            acquiredAt: now.toISOString(),
            expiresAt: new Date(now.getTime() + settings.ttlMs).toISOString(),
            token,
        };
        if (ctx.runUrl)
            r.runUrl = ctx.runUrl;
        return r;
    };
    const mine = record();
    const body = () => Buffer.from(JSON.stringify({ ...mine, expiresAt: record().expiresAt }) + '\n');
    const key = lockKey(set);
    const held = [];
    const failed = [];
    const lost = new AbortController();
    const release = async () => {
        stopRefresh();
        for (const d of held.splice(0)) {
            try {
                const current = await readLock(d, key);
                if (current.record && current.record.token !== token) {
                    ctx.log.warn(`${d.displayUrl}: the lock of ${set} was taken over by ${describeHolder(current.record)}; leaving it`);
                    continue;
                }
                await d.storage.delete(key);
            }
            catch (err) {
                ctx.log.warn(`${d.displayUrl}: could not remove the lock ${key} (${(0,errors/* describeErrorTemplate */.Qj)(err)}); it expires by itself`);
            }
        }
    };
    // Refreshed well before it expires, so a long dump keeps it; a dead run's lock lapses.
    // A refresh first checks the lock is still ours: overwriting a lock someone else now holds
    // would hide that two runs write the set at once.
    const refresh = async (d) => {
        let current;
        try {
            current = await readLock(d, key);
        }
        catch (err) {
            ctx.log.warn(`${d.displayUrl}: could not read the lock ${key}: ${(0,errors/* describeErrorTemplate */.Qj)(err)}`);
            return;
        }
        if (current.missing || current.record?.token !== token) {
            held.splice(held.indexOf(d), 1);
            const by = current.missing ? 'removed' : `taken over by ${describeHolder(current.record)}`;
            lost.abort(new LockLostError(`${d.displayUrl}: this run's lock of set '${set}' was ${by} while the run held it; ` +
                'stopped, so two runs do not write the set at once', {
                hint: 'another run removed it ({{option:break-lock=true}}) or it expired because refreshing failed: ' +
                    'check what else backs up or prunes this set, then run again (raise {{option:lock-ttl}} if refreshes fail)',
            }));
            return;
        }
        try {
            await d.storage.put(key, external_node_stream_.Readable.from([body()]), { contentType: 'application/json' });
        }
        catch (err) {
            ctx.log.warn(`${d.displayUrl}: could not refresh the lock ${key}: ${(0,errors/* describeErrorTemplate */.Qj)(err)}`);
        }
    };
    let refreshing = false;
    const tick = async () => {
        // A slow store must not stack refreshes on top of each other.
        if (refreshing || lost.signal.aborted)
            return;
        refreshing = true;
        try {
            for (const d of [...held])
                await refresh(d);
        }
        finally {
            refreshing = false;
        }
    };
    const stopRefresh = (ctx.repeat ?? repeatEvery)(Math.max(1000, Math.floor(settings.ttlMs / 3)), tick);
    try {
        for (const d of destinations) {
            if (d.storage.capabilities && !d.storage.capabilities.conditionalCreate) {
                // Said once per run and store: the guarantee differs, the lock still works the same.
                ctx.log.info(`${d.displayUrl} declares no conditional create: the lock of ${set} is a check-then-write there (docs/storage.md); a workflow \`concurrency:\` group per set is the real guard`);
            }
            try {
                await acquire(d);
                held.push(d);
                await probe(d, set);
            }
            catch (err) {
                if (err instanceof LockHeldError)
                    throw err;
                // A plain line: the run's one failure, naming every destination, is the error.
                ctx.log.info(`Destination ${d.displayUrl} cannot be written: ${(0,errors/* describeErrorTemplate */.Qj)(err)}`);
                failed.push({ destination: d, error: err });
            }
        }
    }
    catch (err) {
        await release();
        throw err;
    }
    return {
        held,
        failed,
        release,
        lost: lost.signal,
        assertHeld: () => lost.signal.throwIfAborted(),
    };
    async function acquire(d) {
        const deadline = ctx.now().getTime() + settings.waitMs;
        let broke = false;
        let waited = false;
        for (let round = 0;; round++) {
            if (await d.storage.createExclusive(key, Buffer.from(JSON.stringify(mine) + '\n')))
                return;
            const current = await readLock(d, key);
            if (current.missing) {
                if (round > 20)
                    throw new errors/* StorageError */.aq(`${d.displayUrl}: ${key} flickers; giving up`);
                continue;
            }
            // Our own create, whose answer was lost and retried.
            if (current.record?.token === token)
                return;
            const holder = describeHolder(current.record);
            if (settings.breakLock && !broke) {
                ctx.log.warn(`${d.displayUrl}: break-lock: removing the lock of ${set} held by ${holder}`);
                await d.storage.delete(key);
                broke = true;
                continue;
            }
            const gone = current.record !== undefined && isDeadHere(current.record);
            if (gone || current.expiresAt <= ctx.now().getTime()) {
                ctx.log.warn(`${d.displayUrl}: the lock of ${set} held by ${holder} ` +
                    `${gone ? 'belongs to a process of this host that no longer runs' : 'has expired'}; taking it over`);
                // Delete only what we judged stale: a fresh lock written meanwhile is left alone.
                const again = await readLock(d, key);
                if (again.record?.token === current.record?.token)
                    await d.storage.delete(key);
                continue;
            }
            const left = deadline - ctx.now().getTime();
            if (left <= 0) {
                throw new LockHeldError(`${d.displayUrl}: backup set '${set}' is locked by ${holder}` +
                    (settings.waitMs > 0 ? `; waited ${(0,log/* formatDuration */.a3)(settings.waitMs)}` : ''), {
                    hint: 'another backup or prune of this set is running: wait for it (raise {{option:lock-wait}}), ' +
                        'or, if it is known to be dead, set {{option:break-lock=true}} once; a stale lock also expires by itself',
                });
            }
            if (!waited) {
                ctx.log.info(`${d.displayUrl}: set '${set}' is locked by ${holder}; waiting up to ${(0,log/* formatDuration */.a3)(left)}…`);
                waited = true;
            }
            await sleep(Math.min(POLL_MS, left));
        }
    }
    /** Writes and deletes a small object, so an unwritable destination fails before any dump. */
    async function probe(d, setName) {
        const probeKey = `${setName}/lifeboat-probe-${token}`;
        await d.storage.put(probeKey, external_node_stream_.Readable.from([Buffer.from('lifeboat write probe\n')]), {
            contentType: 'text/plain',
        });
        await d.storage.delete(probeKey);
    }
}
/** The lock is held by another live run: the command fails before doing anything. Exit 1. */
class LockHeldError extends errors/* StorageError */.aq {
}
/** Someone removed or took this run's lock while it worked: the run stops. Exit 1. */
class LockLostError extends errors/* StorageError */.aq {
}
/** The run's context whose signal also stops everything when the set's lock is lost. */
function whileLocked(ctx, locks) {
    return { ...ctx, signal: ctx.signal ? AbortSignal.any([ctx.signal, locks.lost]) : locks.lost };
}
function repeatEvery(ms, tick) {
    const timer = setInterval(() => void tick(), ms);
    timer.unref();
    return () => clearInterval(timer);
}
async function readLock(d, key) {
    let body;
    try {
        body = await (0,consumers_.text)(await d.storage.get(key));
    }
    catch (err) {
        if ((0,errors/* isNotFound */.c4)(err))
            return { missing: true, record: undefined, expiresAt: 0 };
        throw err;
    }
    try {
        const r = JSON.parse(body);
        const expiresAt = Date.parse(r.expiresAt);
        if (typeof r.token === 'string' && Number.isFinite(expiresAt))
            return { missing: false, record: r, expiresAt };
    }
    catch {
        // being written (SFTP creates, then writes), or damaged: judged by its age below
    }
    const info = await d.storage.stat(key);
    if (!info)
        return { missing: true, record: undefined, expiresAt: 0 };
    return { missing: false, record: undefined, expiresAt: info.modified.getTime() + DEFAULT_TTL_MS };
}
/** A holder on this very host whose process is gone (a kill -9, a crash) can be replaced now. */
function isDeadHere(r) {
    if (r.host !== (0,external_node_os_.hostname)() || !Number.isInteger(r.pid) || r.pid <= 0)
        return false;
    return r.pid !== process.pid && !(0,core_process/* isProcessRunning */.DL)(r.pid);
}
function ownerName() {
    try {
        return (0,external_node_os_.userInfo)().username;
    }
    catch {
        return 'unknown user';
    }
}

;// CONCATENATED MODULE: ./build/src/engine/prune.js








/**
 * Applies the retention policy to one set on every destination. Nothing is removed when the
 * policy is empty; the newest verified backup is never removed; the plan is logged first.
 */
async function pruneSet(options, ctx, report, destinations, set, 
/** Backups this run made: never removed by its own retention. */
protect = [], 
/** Take the set's lock on each destination first (prune); a backup already holds it. */
lock) {
    const policy = (0,retention_policy/* parseRetentionPolicy */.M$)(options.values);
    if ((0,retention_policy/* isEmptyPolicy */.kj)(policy)) {
        ctx.log.info('No keep-* option set: nothing to prune.');
        return;
    }
    const dryRun = (0,parse/* bool */.lc)(options, 'dry-run');
    let removed = 0;
    let kept = 0;
    for (const d of destinations) {
        (0,log/* startPhase */.CJ)(ctx.log, `Retention on ${d.displayUrl}${dryRun ? ' (dry run)' : ''}`);
        const name = await resolveSet(options, d, set);
        const locks = lock && !dryRun ? await lockSet([d], name, lock, ctx, 'prune') : undefined;
        try {
            if (locks?.failed[0])
                throw locks.failed[0].error;
            const counts = await pruneOne(options, locks ? whileLocked(ctx, locks) : ctx, report, d, name, policy, protect);
            removed += counts.removed;
            kept += counts.kept;
        }
        catch (err) {
            if (locks?.lost.aborted)
                throw locks.lost.reason;
            throw err;
        }
        finally {
            await locks?.release();
        }
        (0,log/* endPhase */.zN)(ctx.log);
    }
    report.outputs['removed'] = String(removed);
    report.outputs['kept'] = String(kept);
}
/**
 * One set on one destination. The plan is made from key names (ids sort by time; drill records
 * are keys of their own), and only the manifests it needs are read: newest first until the
 * newest good backup (which is never removed), then those of the backups it keeps (a kept
 * incremental keeps its chain). A set with incremental chains has every manifest read, so
 * each decision is labelled with its chain. A removed backup's objects are its listed keys,
 * the manifest first so a half-removed backup is never listed.
 */
async function pruneOne(options, ctx, report, d, name, policy, protect) {
    const dryRun = (0,parse/* bool */.lc)(options, 'dry-run');
    let removed = 0;
    const indexed = (await (0,backup_index/* indexBackups */.Ym)(d, name)).filter((b) => b.set === name);
    const good = goodBackupCheck(options, ctx, d);
    const entries = new Map();
    const byId = new Map(indexed.map((b) => [b.id, b]));
    const readMore = async (backups) => {
        for (const e of await (0,backup_index/* readEntries */.$2)(backups.filter((b) => !entries.has(b.id)), ctx))
            entries.set(e.id, e);
    };
    // Ids tell the time to the second: backups made within one second are ordered by their
    // manifests' times, as a full read would.
    const perSecond = new Map();
    for (const b of indexed)
        perSecond.set(b.time.getTime(), [...(perSecond.get(b.time.getTime()) ?? []), b]);
    await readMore([...perSecond.values()].filter((g) => g.length > 1).flat());
    // The id's second is the backup's time; its manifest's createdAt (the same moment, to the
    // millisecond) only orders backups within that second.
    const timeOf = (b) => {
        const created = Date.parse(entries.get(b.id)?.manifest.createdAt ?? '');
        const second = b.time.getTime();
        return created >= second && created < second + 1000 ? new Date(created) : b.time;
    };
    const newestFirst = [...indexed].sort((a, b) => timeOf(b).getTime() - timeOf(a).getTime() || (a.id < b.id ? 1 : -1));
    // The newest good backup is never removed: read newest first until one is good.
    let newestGood;
    for (const b of newestFirst) {
        ctx.signal?.throwIfAborted();
        await readMore([b]);
        const e = entries.get(b.id);
        if (e && (await good(e))) {
            newestGood = b.id;
            break;
        }
    }
    const refs = indexed.map((b) => ({
        id: b.id,
        time: timeOf(b),
        verified: b.id === newestGood,
        drilled: b.drilled,
    }));
    let plan = (0,retention_policy/* planRetention */.SA)(refs, policy, protect);
    await readMore(plan.keep.flatMap((k) => byId.get(k.id) ?? []));
    if ([...entries.values()].some((e) => e.manifest.kind === 'incremental')) {
        // Chains: every link's manifest says where it belongs.
        await readMore(indexed);
    }
    const links = new Map([...entries.values()].map((e) => [
        e.id,
        { kind: e.manifest.kind, parent: e.manifest.parent, chainPosition: e.manifest.chainPosition },
    ]));
    plan = (0,retention_policy/* keepChains */.e9)(plan, links);
    const text = (0,retention_policy/* formatPlan */.nT)(plan, 'text');
    ctx.log.info(`Retention plan for ${name} on ${d.displayUrl}${dryRun ? ' (dry run)' : ''}:\n${text}`);
    report.sections.push({
        title: `Retention: ${name} on ${d.displayUrl}${dryRun ? ' (dry run)' : ''}`,
        markdown: (0,retention_policy/* formatPlan */.nT)(plan, 'markdown'),
    });
    const kept = plan.keep.length;
    if (dryRun)
        return { removed: 0, kept };
    for (const r of plan.remove) {
        // A cancel, or a lost lock, stops between backups, never halfway through one.
        ctx.signal?.throwIfAborted();
        const b = byId.get(r.id);
        // The manifest goes first so a half-removed backup is never listed. A cancel stops the
        // deleting at once, even mid-request: whatever is left is kept or unlisted, never lost.
        // The drill record goes with the backup it describes.
        const rest = b.keys.filter((k) => k !== b.manifestKey).sort(deleteOrder);
        for (const key of [b.manifestKey, ...rest])
            await (0,cancel/* unlessAborted */.W)(d.storage.delete(key, { signal: ctx.signal }), ctx.signal);
        removed++;
        ctx.log.info(`Removed ${name}/${r.id} from ${d.displayUrl}`);
    }
    return { removed, kept };
}
/** After the manifest: the signature and sidecars, then the archive, then the drill record. */
function deleteOrder(a, b) {
    const rank = (k) => k.endsWith('.sig') ? 0 : k.endsWith('.sha256') ? 1 : k.endsWith('.drill.json') ? 3 : 2;
    return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}
async function pruneCommand(options, ctx, report) {
    // Checked before anything is listed or locked.
    (0,retention_policy/* parseRetentionPolicy */.M$)(options.values);
    const lock = lockSettings(options);
    await (0,engine_destinations/* withDestinations */.cT)(options, ctx, (destinations) => pruneSet(options, ctx, report, destinations, undefined, [], lock));
}

// EXTERNAL MODULE: ./build/src/report/summary.js
var summary = __webpack_require__(73320);
;// CONCATENATED MODULE: ./build/src/engine/status.js










/** Freshness: fails when the newest verified backup is older than the schedule allows. */
async function statusCheck(options, ctx, report, destinations, set) {
    let cron = (0,parse/* lines */.Mn)(options, 'schedule');
    const explicit = cron.length > 0;
    if (!explicit) {
        if (!ctx.workflowSchedule) {
            if (options.command === 'status') {
                throw new errors/* ConfigError */.xL('schedule', 'no schedule given and not running in a GitHub workflow', {
                    hint: "set the cron line(s) your backups follow, e.g. {{option:schedule='0 3 * * *'}}",
                });
            }
            return undefined;
        }
        cron = await ctx.workflowSchedule();
        if (cron.length === 0) {
            if (options.command === 'status') {
                throw new errors/* ConfigError */.xL('schedule', 'the calling workflow has no on.schedule', {
                    hint: "set the cron line(s) backups should follow, e.g. {{option:schedule='0 3 * * *'}}",
                });
            }
            return undefined;
        }
    }
    const d = destinations[0];
    (0,log/* startPhase */.CJ)(ctx.log, `Freshness on ${d.displayUrl}`);
    const name = await resolveSet(options, d, set);
    // From key names: the newest good backup is usually the newest one, so one manifest is read
    // (and one drill record).
    const indexed = (await (0,backup_index/* indexBackups */.Ym)(d, name)).filter((b) => b.set === name);
    const good = goodBackupCheck(options, ctx, d);
    const { found: newest, read } = await (0,backup_index/* newestWhere */.mN)(indexed, ctx, good);
    const drilled = await lastGoodDrill(indexed, read, good, ctx);
    const graceText = (0,parse/* str */.gx)(options, 'grace');
    let graceMs;
    if (graceText) {
        graceMs = (0,retention_policy/* parseDuration */.E9)('grace', graceText).ms;
    }
    const input = { cron, now: ctx.now() };
    if (newest)
        input.newest = new Date(newest.manifest.createdAt);
    if (graceMs !== undefined)
        input.graceMs = graceMs;
    const fr = (0,freshness/* checkFreshness */.IW)(input);
    report.outputs['fresh'] = String(fr.ok);
    if (fr.ageMs !== undefined)
        report.outputs['newest-age-ms'] = String(fr.ageMs);
    report.outputs['next-expected'] = fr.nextExpected.toISOString();
    if (drilled) {
        report.outputs['drill-ok'] = String(drilled.record.ok);
        report.outputs['rto-ms'] = String(drilled.record.rtoMs);
    }
    report.sections.push({
        title: `Freshness: ${name}`,
        markdown: (0,summary/* keyValueTable */.z2)([
            ['set', name],
            ['schedule', cron.map((c) => `\`${c}\``).join(', ')],
            [
                'newest verified backup',
                newest
                    ? `\`${newest.id}\` (${(0,log/* formatDuration */.a3)(fr.ageMs ?? 0)} ago)${newest.manifest.verifiedAt ? '' : ', confirmed by the store at upload, not read back'}`
                    : 'none',
            ],
            [
                'last drill',
                drilled
                    ? `\`${drilled.entry.id}\`: ${(0,summary/* describeDrill */.nj)(drilled.record)}`
                    : 'none (no backup of this set was drilled)',
            ],
            ['expected interval', (0,log/* formatDuration */.a3)(fr.expectedIntervalMs)],
            ['last expected run', (0,log/* formatTime */.fU)(fr.lastExpected)],
            ['next expected run', (0,log/* formatTime */.fU)(fr.nextExpected)],
            ['verdict', fr.ok ? 'fresh' : '**stale**'],
        ]),
    });
    // The verdict is a plain line: a stale status fails the run, and that failure is the one
    // error annotation; a backup run that finds its set stale warns instead.
    ctx.log.info(fr.message);
    (0,log/* endPhase */.zN)(ctx.log);
    return { ok: fr.ok, message: fr.message };
}
async function statusCommand(options, ctx, report) {
    const result = await (0,engine_destinations/* withDestinations */.cT)(options, ctx, (destinations) => statusCheck(options, ctx, report, destinations));
    if (result && !result.ok) {
        throw new errors/* FreshnessError */.mP(result.message, {
            hint: 'check that the scheduled backup workflow runs and succeeds',
        });
    }
}
/**
 * The newest drilled good backup whose drill record reads: drill records are keys of their
 * own, so only drilled backups' manifests (most often already read) and records are read.
 */
async function lastGoodDrill(indexed, read, good, ctx) {
    const known = new Map(read.map((e) => [e.id, e]));
    for (const b of [...indexed].reverse()) {
        if (!b.drilled)
            continue;
        const entry = known.get(b.id) ?? (await (0,backup_index/* readEntryOrWarn */.QY)(b, ctx));
        if (!entry || !(await good(entry)))
            continue;
        const record = await readDrillRecord(entry, ctx);
        if (record)
            return { entry, record };
    }
    return undefined;
}

;// CONCATENATED MODULE: ./build/src/engine/catalog.js
/**
 * The catalog commands, one module each: list (list.ts), prune (prune.ts), status (status.ts),
 * and what they share (good-backups.ts, backup-index.ts); verify is verify.ts.
 * Re-exported here for the modules that import them from their old home.
 */





// EXTERNAL MODULE: ./build/src/engine/verify.js
var verify = __webpack_require__(12051);
// EXTERNAL MODULE: ./build/src/core/temp.js
var temp = __webpack_require__(34563);
// EXTERNAL MODULE: ./build/src/engine/session.js
var session = __webpack_require__(90388);
// EXTERNAL MODULE: external "node:perf_hooks"
var external_node_perf_hooks_ = __webpack_require__(643);
// EXTERNAL MODULE: ./build/src/engine/choose-backup.js
var choose_backup = __webpack_require__(91470);
;// CONCATENATED MODULE: ./build/src/drill/assert.js

/** Which source kinds each family of assertion can run against. */
const FAMILY_KINDS = {
    sql: ['postgres', 'mysql', 'sqlite'],
    keys: ['redis'],
    exists: ['redis'],
    files: ['dir'],
    file: ['dir'],
};
const HINT = 'write `SELECT count(*) FROM orders >= 1` (SQL), `keys >= 100` or `exists user:1` (Redis), `files >= 10` or `file uploads/logo.png` (dir:); prefix `@<source> ` when the backup has several sources';
const OP = '(>=|<=|==|!=|=|>|<)';
function parseAssertions(lines) {
    return lines.map(parseAssertion);
}
function parseAssertion(line) {
    const text = line.trim();
    let rest = text;
    let source;
    const prefix = /^@([A-Za-z0-9._-]+)\s+/.exec(rest);
    if (prefix) {
        source = prefix[1];
        rest = rest.slice(prefix[0].length);
    }
    else if (rest.startsWith('@')) {
        throw bad(text, "'@' must be followed by a source name and a space");
    }
    const parsed = { text, assertion: parseBody(rest, text) };
    if (source)
        parsed.source = source;
    return parsed;
}
function parseBody(rest, text) {
    const word = /^(\w+)\b/.exec(rest)?.[1]?.toLowerCase();
    if (word === 'select' || word === 'with') {
        const m = new RegExp(`^(.*[^<>=!\\s])\\s*${OP}\\s*(-?\\d+(?:\\.\\d+)?|'(?:[^']|'')*')\\s*$`, 's').exec(rest);
        if (!m)
            throw bad(text, 'a SQL assertion ends with an operator and a number or a quoted text');
        const query = m[1].trim();
        if (/;/.test(query.replace(/'(?:[^']|'')*'/g, ''))) {
            throw bad(text, 'a SQL assertion is one query, without ";"');
        }
        return { family: 'sql', query, op: normalOp(m[2]), expected: literal(m[3]) };
    }
    if (word === 'keys' || word === 'files') {
        const m = new RegExp(`^\\w+\\s*${OP}\\s*(\\d+)\\s*$`).exec(rest);
        if (!m)
            throw bad(text, `'${word}' is followed by an operator and a whole number`);
        return { family: word, op: normalOp(m[1]), expected: Number(m[2]) };
    }
    if (word === 'exists' || word === 'file') {
        const arg = rest.slice(word.length).trim();
        if (!arg)
            throw bad(text, `'${word}' needs a ${word === 'file' ? 'path' : 'key'}`);
        if (word === 'exists')
            return { family: 'exists', key: arg };
        const path = arg.replace(/^\.\/+/, '');
        if (path.startsWith('/') || path.split('/').includes('..')) {
            throw bad(text, 'a file path is relative to the restored folder, without ".."');
        }
        return { family: 'file', path };
    }
    throw bad(text, 'not an assertion this release understands');
}
function normalOp(op) {
    return op === '==' ? '=' : op;
}
function literal(s) {
    if (s.startsWith("'"))
        return { text: s.slice(1, -1).replace(/''/g, "'") };
    return { number: Number(s) };
}
function bad(line, why) {
    return new errors/* ConfigError */.xL('assert', `'${line}': ${why}`, { hint: HINT });
}
/** Applies `op`; numbers compare as numbers, anything else as text. */
function compare(actual, op, expected) {
    const want = typeof expected === 'number' ? { number: expected } : expected;
    if ('number' in want) {
        const got = typeof actual === 'bigint' ? Number(actual) : Number(actual);
        if (actual === null || actual === undefined || actual === '' || Number.isNaN(got))
            return false;
        return applyOp(got, op, want.number);
    }
    if (actual === null || actual === undefined)
        return false;
    return applyOp(String(actual), op, want.text);
}
function applyOp(a, op, b) {
    switch (op) {
        case '>=':
            return a >= b;
        case '>':
            return a > b;
        case '<=':
            return a <= b;
        case '<':
            return a < b;
        case '=':
            return a === b;
        case '!=':
            return a !== b;
    }
}
function describeLiteral(l) {
    if (typeof l === 'number')
        return String(l);
    return 'number' in l ? String(l.number) : `'${l.text}'`;
}

// EXTERNAL MODULE: ./build/src/sources/inventory.js
var sources_inventory = __webpack_require__(73240);
;// CONCATENATED MODULE: ./build/src/drill/inventory.js
/** The comparison is the sources' shared building block; drills use it as it is. */

const count = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
/** The figures a passed inventory check reports: '3 tables, 1204 rows', '12 files, 3.1 MiB'. */
function inventoryFigures(inv) {
    const parts = [];
    if (inv.tables) {
        const keyed = inv.extra?.['keysByType'] !== undefined;
        const rows = inv.tables.reduce((n, t) => n + t.rows, 0);
        parts.push(keyed
            ? `${count(inv.tables.length, 'database')}, ${count(rows, 'key')}`
            : `${count(inv.tables.length, 'table')}, ${count(rows, 'row')}`);
    }
    const seq = inv.extra?.['sequences'];
    const sequences = seq && typeof seq === 'object' ? Object.keys(seq).length : 0;
    if (sequences)
        parts.push(count(sequences, 'sequence'));
    if (typeof inv.files === 'number')
        parts.push(count(inv.files, 'file'));
    if (typeof inv.totalBytes === 'number' && typeof inv.files === 'number')
        parts.push(count(inv.totalBytes, 'byte'));
    return parts.join(', ') || 'empty';
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./build/src/core/url.js
var core_url = __webpack_require__(35708);
// EXTERNAL MODULE: external "node:fs/promises"
var external_node_fs_promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:sqlite"
var external_node_sqlite_ = __webpack_require__(80099);
;// CONCATENATED MODULE: ./build/src/drill/scratch/common.js


/** `<base>_drill_<short id>`: the backup id's random part, so a kept scratch names its backup. */
function scratchName(base, backupId, maxBytes) {
    const suffix = `_drill_${backupId.slice(-6)}`;
    let b = base.replace(/[^A-Za-z0-9_]+/g, '_');
    while (Buffer.byteLength(b + suffix) > maxBytes)
        b = b.slice(0, -1);
    return b + suffix;
}
function needTarget(r, example) {
    if (!r.target) {
        throw new errors/* ConfigError */.xL('target', `a drill of ${r.manifest.name} (${r.manifest.kind}) needs a server to restore into`, { hint: `name a scratch server, e.g. {{option:target=${example}}}` });
    }
    return r.target;
}
function withPath(url, path) {
    const u = new URL(url);
    u.pathname = `/${encodeURIComponent(path)}`;
    u.searchParams.delete('dbname');
    return u.toString();
}
const firstValue = (row) => row ? Object.values(row)[0] : undefined;
function sqlDetail(a, got, ok) {
    const shown = got === undefined ? 'no row' : got === null ? 'NULL' : String(got);
    return `${shown} ${ok ? 'satisfies' : 'does not satisfy'} ${a.op} ${describeLiteral(a.expected)}`;
}
function wrongFamily(a, kind) {
    return new errors/* ConfigError */.xL('assert', `a '${a.family}' assertion cannot run against a ${kind} source`);
}
/** Calls `stop` once when the run is cancelled; returns the unsubscribe. */
function onAbort(signal, stop) {
    if (!signal)
        return () => { };
    if (signal.aborted) {
        stop();
        return () => { };
    }
    signal.addEventListener('abort', stop, { once: true });
    return () => signal.removeEventListener('abort', stop);
}
/** A query the scratch copy refused: the assertion is wrong (a typo, a missing table), not the data. */
function queryFailed(query, err, sctx) {
    // A cancel ended the connection under the query: the run was cancelled, the query is fine.
    if (sctx.signal?.aborted)
        return sctx.signal.reason;
    return new errors/* ConfigError */.xL('assert', `'${query}' failed on the restored copy: ${sctx.redactor.redact(err?.message ?? String(err))}`, { hint: 'fix the query (it runs read-only against the restored data)' });
}

;// CONCATENATED MODULE: ./build/src/drill/scratch/file.js
/** SQLite and dir: scratch: a path in the drill's private folder (or the target's). */








function fileScratch(r, kind) {
    const cwd = r.sctx.cwd ?? process.cwd();
    let path;
    if (r.target) {
        const scheme = (0,core_url/* schemeOf */.dz)(r.target);
        if (scheme !== kind) {
            throw new errors/* ConfigError */.xL('target', `a drill of ${r.manifest.name} (${kind}) restores into ${kind}:<path>, not '${(0,log/* redactUrl */.BO)(r.target)}'`, {
                hint: `leave {{option:target}} out to use a temporary ${kind === 'dir' ? 'folder' : 'file'}`,
            });
        }
        path = (0,external_node_path_.resolve)(cwd, r.target.slice(kind.length + 1));
    }
    else {
        path = (0,external_node_path_.join)(r.folder, scratchName(r.manifest.name, r.backupId, 200) + (kind === 'sqlite' ? '.db' : ''));
    }
    const url = `${kind}:${path}`;
    const siblings = kind === 'sqlite' ? ['', '-wal', '-shm', '-journal'] : [''];
    return {
        source: r.manifest.name,
        kind,
        url,
        displayUrl: url,
        tableName: (t) => t,
        async occupied() {
            const st = await (0,external_node_fs_promises_.lstat)(path).catch(() => undefined);
            return st ? `${path} already exists` : undefined;
        },
        async remove() {
            for (const s of siblings)
                await (0,external_node_fs_promises_.rm)(path + s, { recursive: true, force: true });
        },
        async check(a, inventory) {
            if (kind === 'sqlite') {
                if (a.family !== 'sql')
                    throw wrongFamily(a, 'sqlite');
                const db = new external_node_sqlite_.DatabaseSync(path, { readOnly: true });
                try {
                    let got;
                    try {
                        got = firstValue(db.prepare(a.query).get());
                    }
                    catch (err) {
                        throw queryFailed(a.query, err, r.sctx);
                    }
                    const ok = compare(got, a.op, a.expected);
                    return { ok, detail: sqlDetail(a, got, ok) };
                }
                finally {
                    db.close();
                }
            }
            if (a.family === 'files') {
                const files = inventory?.files ?? 0;
                const ok = compare(files, a.op, a.expected);
                return {
                    ok,
                    detail: `${files} files ${ok ? 'satisfies' : 'does not satisfy'} ${a.op} ${a.expected}`,
                };
            }
            if (a.family === 'file') {
                const st = await (0,external_node_fs_promises_.lstat)((0,external_node_path_.join)(path, a.path)).catch(() => undefined);
                return {
                    ok: st !== undefined,
                    detail: st
                        ? `${a.path} restored (${st.isDirectory() ? 'folder' : `${st.size} bytes`})`
                        : `${a.path} is missing`,
                };
            }
            throw wrongFamily(a, 'dir');
        },
    };
}

// EXTERNAL MODULE: ./build/src/sources/mysql/connection.js
var connection = __webpack_require__(76881);
// EXTERNAL MODULE: ./build/src/sources/mysql/url.js
var mysql_url = __webpack_require__(12512);
// EXTERNAL MODULE: ./build/src/sources/types.js
var types = __webpack_require__(97145);
;// CONCATENATED MODULE: ./build/src/drill/scratch/mysql.js
/** MySQL / MariaDB scratch: a `<db>_drill_<id>` database on the target server. */







function mysqlScratch(r) {
    const target = needTarget(r, 'mysql://root@127.0.0.1:3306');
    const server = (0,mysql_url.parseMysqlUrl)(target, 'target', r.sctx.env);
    r.sctx.redactor.add(server.password);
    const dumped = (0,types/* detailsOf */.cz)(r.manifest, 'mysql').databases ?? [];
    if (dumped.length !== 1) {
        throw new errors/* ConfigError */.xL('source', `the backup's source ${r.manifest.name} holds ${dumped.length} databases (${dumped.map((d) => d.name).join(', ')}); a drill restores one`, { hint: 'drill a backup of one database (back up each database as its own set)' });
    }
    const db = dumped[0].name;
    const name = scratchName(db, r.backupId, 64);
    const url = withPath(target, name);
    const withServer = async (use, database) => {
        const c = await (0,connection.connect)(server, 'target', r.sctx, database);
        try {
            return await use(c);
        }
        finally {
            await c.end().catch(() => { });
        }
    };
    const exists = () => withServer(async (c) => {
        const [rows] = await c.query('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name]);
        return rows.length > 0;
    });
    return {
        source: r.manifest.name,
        kind: 'mysql',
        url,
        displayUrl: (0,log/* redactUrl */.BO)(url),
        tableName: (t) => (t.startsWith(`${db}.`) ? `${name}.${t.slice(db.length + 1)}` : t),
        async occupied() {
            return (await exists()) ? `database '${name}' already exists` : undefined;
        },
        async remove() {
            await withServer((c) => c.query(`DROP DATABASE IF EXISTS \`${name.replace(/`/g, '``')}\``));
            if (await exists())
                throw new errors/* SourceError */.c8(`could not drop the scratch database '${name}'`);
        },
        async check(a) {
            if (a.family !== 'sql')
                throw wrongFamily(a, 'mysql');
            return withServer(async (c) => {
                const stop = onAbort(r.sctx.signal, () => c.destroy());
                await c.query('START TRANSACTION READ ONLY');
                try {
                    const [rows] = await c.query(a.query).catch((err) => {
                        throw queryFailed(a.query, err, r.sctx);
                    });
                    const got = firstValue(rows[0]);
                    const ok = compare(got, a.op, a.expected);
                    return { ok, detail: sqlDetail(a, got, ok) };
                }
                finally {
                    stop();
                    await c.query('ROLLBACK').catch(() => { });
                }
            }, name);
        },
    };
}

// EXTERNAL MODULE: ./build/src/sources/postgres/connection.js
var postgres_connection = __webpack_require__(72308);
// EXTERNAL MODULE: ./build/src/sources/postgres/restore.js
var restore = __webpack_require__(5588);
// EXTERNAL MODULE: ./build/src/sources/postgres/url.js
var postgres_url = __webpack_require__(73287);
;// CONCATENATED MODULE: ./build/src/drill/scratch/postgres.js
/** PostgreSQL scratch: a `<db>_drill_<id>` database on the target server. */







function postgresScratch(r) {
    const target = needTarget(r, 'postgres://postgres@localhost:5432/postgres');
    const server = (0,postgres_url.parsePgUrl)(target, 'target', r.sctx.env);
    r.sctx.redactor.add(server.password);
    const db = typeof r.manifest.details?.database === 'string'
        ? r.manifest.details.database
        : (0,postgres_url.parsePgUrl)(r.manifest.url, 'source', {}).database;
    const name = scratchName(db, r.backupId, 63);
    const url = withPath(target, name);
    const conn = (0,postgres_url.withDatabase)(server, name);
    return {
        source: r.manifest.name,
        kind: 'postgres',
        url,
        displayUrl: (0,log/* redactUrl */.BO)(url),
        tableName: (t) => t,
        async occupied() {
            const admin = await (0,postgres_connection.adminConnection)(server, r.sctx);
            try {
                const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
                return found.rowCount ? `database "${name}" already exists` : undefined;
            }
            finally {
                await admin.end().catch(() => { });
            }
        },
        async remove() {
            const admin = await (0,postgres_connection.adminConnection)(server, r.sctx);
            try {
                await (0,restore/* dropDatabase */.Zi)(admin, name, r.sctx);
                const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
                if (left.rowCount)
                    throw new errors/* SourceError */.c8(`could not drop the scratch database "${name}"`);
            }
            finally {
                await admin.end().catch(() => { });
            }
        },
        async check(a) {
            if (a.family !== 'sql')
                throw wrongFamily(a, 'postgres');
            const c = await (0,postgres_connection.connect)(conn, 'target', r.sctx);
            // A cancel ends the connection, which fails a query that waits (on a lock, a long scan).
            const stop = onAbort(r.sctx.signal, () => void c.end().catch(() => { }));
            try {
                await c.query('BEGIN READ ONLY');
                const res = await c.query(a.query).catch((err) => {
                    throw queryFailed(a.query, err, r.sctx);
                });
                const got = firstValue(res.rows[0]);
                const ok = compare(got, a.op, a.expected);
                return { ok, detail: sqlDetail(a, got, ok) };
            }
            finally {
                stop();
                await c.query('ROLLBACK').catch(() => { });
                await c.end().catch(() => { });
            }
        },
    };
}

// EXTERNAL MODULE: ./build/src/sources/redis/url.js
var url = __webpack_require__(99249);
// EXTERNAL MODULE: ./build/src/sources/redis/protocol.js
var protocol = __webpack_require__(92670);
;// CONCATENATED MODULE: ./build/src/drill/scratch/redis.js
/** Redis scratch: a spare, empty database of the target server. */






function redisScratch(r) {
    const target = needTarget(r, 'redis://127.0.0.1:6379/15');
    const server = (0,url/* parseRedisUrl */.CI)(target, 'target', r.sctx.env);
    r.sctx.redactor.add(server.conn.password);
    // The scratch is flushed afterwards: it must be named, never inferred from the backup.
    if (server.db === undefined) {
        throw new errors/* ConfigError */.xL('target', `'${server.displayUrl}' names no database index for the drill of ${r.manifest.name}`, { hint: 'name an empty spare database, e.g. {{option:target=redis://localhost:6379/15}}' });
    }
    const logical = (0,types/* detailsOf */.cz)(r.manifest, 'redis').logical;
    const sourceDbs = logical?.databases ?? [];
    const mapDb = (db) => server.db ?? db;
    const dbs = [...new Set(sourceDbs.map(mapDb))];
    const withConn = async (use) => {
        let c;
        try {
            c = await protocol/* RedisConnection */.QB.connect({
                ...server.conn,
                ...(r.sctx.signal ? { signal: r.sctx.signal } : {}),
            });
        }
        catch (err) {
            throw new errors/* SourceError */.c8(`target: cannot connect to Redis at ${server.displayUrl}: ${r.sctx.redactor.redact(err.message)}`, { cause: err });
        }
        try {
            return await use(c);
        }
        finally {
            c.close();
        }
    };
    const sizes = () => withConn(async (c) => {
        const out = [];
        for (const db of dbs) {
            const [, n] = await c.pipeline([['SELECT', db], ['DBSIZE']]);
            if (n instanceof protocol/* RedisReplyError */.G7)
                throw n;
            out.push([db, Number(n)]);
        }
        return out;
    });
    return {
        source: r.manifest.name,
        kind: 'redis',
        url: target,
        displayUrl: server.displayUrl,
        tableName: (t) => {
            const m = /^db(\d+)$/.exec(t);
            return m ? `db${mapDb(Number(m[1]))}` : t;
        },
        async occupied() {
            const busy = (await sizes()).filter(([, n]) => n > 0);
            return busy.length
                ? `${busy.map(([db, n]) => `db ${db} holds ${n} keys`).join(', ')} on ${server.displayUrl}`
                : undefined;
        },
        async remove() {
            await withConn(async (c) => {
                for (const db of dbs) {
                    const [, reply] = await c.pipeline([['SELECT', db], ['FLUSHDB']]);
                    if (reply instanceof protocol/* RedisReplyError */.G7)
                        throw reply;
                }
            });
        },
        async check(a) {
            if (a.family === 'keys') {
                const total = (await sizes()).reduce((n, [, k]) => n + k, 0);
                const ok = compare(total, a.op, a.expected);
                return {
                    ok,
                    detail: `${total} keys ${ok ? 'satisfies' : 'does not satisfy'} ${a.op} ${a.expected}`,
                };
            }
            if (a.family === 'exists') {
                const found = await withConn(async (c) => {
                    for (const db of dbs) {
                        const [, n] = await c.pipeline([
                            ['SELECT', db],
                            ['EXISTS', a.key],
                        ]);
                        if (n instanceof protocol/* RedisReplyError */.G7)
                            throw n;
                        if (Number(n) > 0)
                            return db;
                    }
                    return undefined;
                });
                return {
                    ok: found !== undefined,
                    detail: found !== undefined ? `key found in db ${found}` : 'key not found',
                };
            }
            throw wrongFamily(a, 'redis');
        },
    };
}

// EXTERNAL MODULE: ./build/src/sources/chroma/client.js
var client = __webpack_require__(2008);
// EXTERNAL MODULE: ./build/src/sources/qdrant/client.js
var qdrant_client = __webpack_require__(28336);
;// CONCATENATED MODULE: ./build/src/drill/scratch/vector.js







/** A Qdrant collection's vector configs as the backup's inventory records them. */
function qdrantVectors(info) {
    const params = (info['config']?.['params'] ??
        {});
    const v = params['vectors'];
    const one = (p) => {
        const o = (p ?? {});
        return {
            size: typeof o['size'] === 'number' ? o['size'] : null,
            distance: typeof o['distance'] === 'string' ? o['distance'] : null,
        };
    };
    const vectors = {};
    if (v && typeof v['size'] === 'number')
        vectors[''] = one(v);
    else if (v)
        for (const [name, p] of Object.entries(v))
            vectors[name] = one(p);
    const sparse = params['sparse_vectors'];
    return {
        vectors,
        sparse: sparse && typeof sparse === 'object' ? Object.keys(sparse).sort() : [],
    };
}
/** The backup's collections of a vector source, from its manifest details. */
function backupCollections(manifest) {
    const list = manifest.details
        ?.collections;
    const names = Array.isArray(list) ? list.map((c) => c?.name) : [];
    if (!names.every((n) => typeof n === 'string')) {
        throw new errors/* IntegrityError */.cs(`${manifest.name}: the manifest lists no ${manifest.kind} collections`);
    }
    return names;
}
/**
 * Chroma and Qdrant: the backup's collections restored as `<name>_drill_<short id>` on the
 * server (for Chroma: the tenant and database) named by `target`, never on the backed-up one
 * (planScratches refuses it), each refused if it exists, and deleted afterwards by name.
 */
function vectorScratch(r, kind) {
    const target = needTarget(r, kind === 'chroma' ? 'chroma://scratch-host:8000?database=drill' : 'qdrant://scratch-host:6333');
    const scheme = (0,core_url/* schemeOf */.dz)(target) ?? '';
    if (scheme !== kind && !scheme.startsWith(`${kind}+`)) {
        throw new errors/* ConfigError */.xL('target', `a drill of ${r.manifest.name} (${kind}) restores into a ${kind}:// server, not '${(0,log/* redactUrl */.BO)(target)}'`, {
            hint: `name a spare ${kind === 'chroma' ? 'Chroma' : 'Qdrant'} server as {{option:target}}`,
        });
    }
    const parsed = kind === 'chroma'
        ? (0,client/* parseChromaUrl */.zq)(target, 'target', r.sctx)
        : (0,qdrant_client/* parseQdrantUrl */.R1)(target, 'target', r.sctx);
    if (parsed.collection) {
        throw new errors/* ConfigError */.xL('target', `a drill names its scratch collections itself; '${parsed.displayUrl}' names collection '${parsed.collection}'`, { hint: `leave the collection out of the target URL, e.g. ${kind}://host:port` });
    }
    const suffix = `_drill_${r.backupId.slice(-6).replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const collections = new Map();
    for (const name of backupCollections(r.manifest)) {
        const scratch = name + suffix;
        const valid = kind === 'chroma' ? (0,client/* isCollectionName */.m7)(scratch) : (0,qdrant_client/* isQdrantCollectionName */.C4)(scratch);
        if (!valid) {
            throw new errors/* ConfigError */.xL('target', `the scratch collection name '${scratch}' for ${r.manifest.name} is too long for ${kind}`, { hint: 'drill this backup by restoring it by hand with a shorter collection-suffix' });
        }
        collections.set(name, scratch);
    }
    const where = kind === 'chroma'
        ? (() => {
            const t = (0,client/* parseChromaUrl */.zq)(target, 'target', r.sctx);
            return `${t.base} (tenant '${t.tenant}', database '${t.database}')`;
        })()
        : parsed.displayUrl;
    const displayUrl = `${parsed.displayUrl} [${[...collections.values()].join(', ')}]`;
    /** Chroma: whether the scratch database existed before the drill (else remove() drops it). */
    let databaseExisted = true;
    const chroma = () => new client/* ChromaClient */.qy((0,client/* parseChromaUrl */.zq)(target, 'target', r.sctx), 'target');
    // No abort signal: a cancelled drill still removes its scratch collections.
    const { signal: _signal, ...quiet } = r.sctx;
    void _signal;
    const qdrant = () => new qdrant_client/* Qdrant */.fi((0,qdrant_client/* parseQdrantUrl */.R1)(target, 'target', quiet), 'target', quiet);
    /** The scratch collections that exist now, with their record or point counts. */
    const present = async () => {
        const out = [];
        if (kind === 'chroma') {
            const c = chroma();
            for (const name of collections.values()) {
                const found = await c.getCollection(name);
                if (found)
                    out.push({ name, rows: await c.count(found.id), estimated: false });
            }
        }
        else {
            const q = qdrant();
            for (const name of collections.values()) {
                const info = await q.collection(name);
                const n = info?.['points_count'];
                // Qdrant's points_count is approximate, as the backup's inventory records it.
                if (info)
                    out.push({ name, rows: typeof n === 'number' ? n : 0, estimated: true });
            }
        }
        return out;
    };
    return {
        source: r.manifest.name,
        kind,
        url: target,
        displayUrl,
        collections,
        collectionSuffix: suffix,
        tableName: (t) => collections.get(t) ?? t,
        async occupied() {
            if (kind === 'chroma') {
                databaseExisted = await chroma()
                    .checkDatabase()
                    .then(() => true, (err) => {
                    if (err instanceof errors/* ConfigError */.xL)
                        return false;
                    throw err;
                });
                if (!databaseExisted)
                    return undefined;
            }
            const taken = await present();
            return taken.length
                ? `${kind === 'chroma' ? 'Chroma' : 'Qdrant'} collection${taken.length > 1 ? 's' : ''} ${taken.map((t) => `'${t.name}'`).join(', ')} already exist${taken.length > 1 ? '' : 's'} at ${where}`
                : undefined;
        },
        async remove() {
            if (kind === 'chroma') {
                const c = chroma();
                for (const name of collections.values()) {
                    const found = await c.getCollection(name).catch((err) => {
                        // The database the drill would have created was never made: nothing to remove.
                        if (err.status === 404)
                            return undefined;
                        throw err;
                    });
                    if (found)
                        await c.deleteCollection(name, found.id);
                }
                // A restore cancelled while staging may leave `<scratch>_lifeboat_new_…` behind (its
                // clean-up ran on the aborted connection). Those names derive from this drill's scratch
                // names, so they can only be a drill's leftovers of this very backup.
                const staged = [...collections.values()].map((n) => `${n}_lifeboat_new_`);
                const all = await c.listCollections().catch(() => []);
                for (const x of all) {
                    if (staged.some((p) => x.name.startsWith(p)))
                        await c.deleteCollection(x.name, x.id);
                }
                if (!databaseExisted)
                    await c.deleteDatabaseIfEmpty().catch(() => { });
            }
            else {
                const q = qdrant();
                for (const name of collections.values()) {
                    if (await q.collection(name))
                        await q.deleteCollection(name);
                }
            }
            const left = await present().catch(() => []);
            if (left.length) {
                throw new errors/* SourceError */.c8(`could not delete the scratch collection${left.length > 1 ? 's' : ''} ${left.map((t) => `'${t.name}'`).join(', ')} at ${where}`);
            }
        },
        async inventory() {
            const tables = await present();
            return { tables: tables.sort((a, b) => (a.name < b.name ? -1 : 1)) };
        },
        async differences() {
            const out = [];
            const expected = r.manifest.details
                ?.collections;
            if (kind === 'chroma') {
                const c = chroma();
                for (const e of expected ?? []) {
                    const name = collections.get(String(e['name']));
                    const got = name ? await c.getCollection(name) : undefined;
                    const want = e['dimension'];
                    if (got && typeof want === 'number' && typeof got.dimension === 'number') {
                        if (got.dimension !== want)
                            out.push(`collection ${String(e['name'])} has embeddings of ${got.dimension} dimensions, the backup ${want}`);
                    }
                }
                return out;
            }
            // Qdrant: the vector configurations (size and distance per named vector, sparse vectors).
            const wanted = (r.manifest.inventory.extra?.['collections'] ?? []);
            const q = qdrant();
            for (const e of wanted) {
                const name = collections.get(e.name);
                const info = name ? await q.collection(name) : undefined;
                if (!info || !e.vectors)
                    continue;
                const got = qdrantVectors(info);
                const want = { vectors: e.vectors, sparse: e.sparseVectors ?? [] };
                if (JSON.stringify((0,sources_inventory/* sortKeys */.d)(got)) !== JSON.stringify((0,sources_inventory/* sortKeys */.d)(want))) {
                    out.push(`collection ${e.name} has vectors ${JSON.stringify(got)}, the backup ${JSON.stringify(want)}`);
                }
            }
            return out;
        },
        check(a) {
            return Promise.reject(wrongFamily(a, kind));
        },
    };
}

;// CONCATENATED MODULE: ./build/src/drill/scratch.js
/**
 * A drill's scratch targets: one per source, planned by kind (one module per kind in scratch/),
 * and the check that a scratch target is not the backed-up source itself.
 */








function planScratch(r) {
    switch (r.manifest.kind) {
        case 'postgres':
            return postgresScratch(r);
        case 'mysql':
            return mysqlScratch(r);
        case 'redis':
            return redisScratch(r);
        case 'sqlite':
            return fileScratch(r, 'sqlite');
        case 'dir':
            return fileScratch(r, 'dir');
        case 'chroma':
        case 'qdrant':
            return vectorScratch(r, r.manifest.kind);
        default:
            throw new errors/* ConfigError */.xL(undefined, `drills do not support sources of kind '${r.manifest.kind}'`);
    }
}
/** Scheme, host, port and path, so `postgresql://a@LOCALHOST/db` and `postgres://b@localhost:5432/db` are one place. */
function samePlace(a, b, cwd) {
    return placeOf(a, cwd) === placeOf(b, cwd);
}
const CANONICAL = {
    postgresql: 'postgres',
    mariadb: 'mysql',
    rediss: 'redis',
};
const DEFAULT_PORT = { postgres: '5432', mysql: '3306', redis: '6379' };
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1', '']);
/**
 * A vector server's place: its host and port (and for Chroma its tenant and database), whatever
 * collection the URL names: a drill never writes beside the production collections.
 */
function vectorPlaceOf(scheme, url) {
    try {
        const u = new URL(url);
        const https = scheme.endsWith('+https');
        const kind = scheme.split('+')[0];
        const host = LOOPBACK.has(u.hostname.toLowerCase()) ? 'loopback' : u.hostname.toLowerCase();
        const port = u.port || (https ? '443' : kind === 'chroma' ? '8000' : '6333');
        if (kind === 'qdrant')
            return `qdrant://${host}:${port}`;
        const tenant = u.searchParams.get('tenant') || 'default_tenant';
        const database = u.searchParams.get('database') || 'default_database';
        return `chroma://${host}:${port}/${tenant}/${database}`;
    }
    catch {
        return url;
    }
}
function placeOf(url, cwd) {
    const raw = (0,core_url/* schemeOf */.dz)(url) ?? '';
    const scheme = CANONICAL[raw] ?? raw;
    if (/^(chroma|qdrant)(\+https?)?$/.test(scheme))
        return vectorPlaceOf(scheme, url);
    if (scheme in DEFAULT_PORT) {
        try {
            const u = new URL(url);
            const host = LOOPBACK.has(u.hostname.toLowerCase()) ? 'loopback' : u.hostname.toLowerCase();
            const path = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, ''));
            const db = u.searchParams.get('dbname') ?? path;
            return `${scheme}://${host}:${u.port || DEFAULT_PORT[scheme]}/${db}`;
        }
        catch {
            return url;
        }
    }
    const rest = url.slice(raw.length + 1).replace(/^file:/, '');
    return `${scheme}:${(0,external_node_path_.resolve)(cwd, rest).replace(/\/+$/, '')}`;
}

// EXTERNAL MODULE: ./build/src/sources/consistency.js
var consistency = __webpack_require__(13920);
// EXTERNAL MODULE: ./build/src/sources/registry.js + 7 modules
var registry = __webpack_require__(61482);
// EXTERNAL MODULE: ./build/src/report/report.js
var report_report = __webpack_require__(18456);
// EXTERNAL MODULE: ./build/src/engine/stored-archive.js + 1 modules
var stored_archive = __webpack_require__(50001);
// EXTERNAL MODULE: ./build/src/engine/chain.js
var engine_chain = __webpack_require__(85745);
;// CONCATENATED MODULE: ./build/src/engine/restore.js













/**
 * Restore, in two phases and one read of the stored object. Phase one: the archive streams once
 * (its `.sha256` sidecar checked first), every chunk checked as it passes, and each source's
 * driver stages its members in a new temporary database, file or folder and checks them there.
 * Only when the whole archive is proven (stored size and sha256, the inner manifest against the
 * sidecar and against what was read, the header id) does phase two commit each staged source
 * into its target. Any failure before that aborts every stage: the targets are untouched.
 */
async function restoreBackup(session, 
/** The backup, already chosen and opened by the caller (a drill), on a destination it closes. */
chosen) {
    const { options, ctx, report } = session;
    const keys = (0,choose_backup/* readKeysFor */._g)(session);
    const ownEncryption = (0,encryption/* encryptionFor */.b0)(options, ctx, 'safety');
    const destinations = chosen ? [] : await (0,engine_destinations/* useDestinations */.ts)(session);
    const sctx = await session.sourceContext();
    const entry = chosen?.entry ?? (await (0,choose_backup/* chooseBackup */.S1)(session, destinations, keys)).entry;
    const manifest = chosen?.manifest ?? (await (0,choose_backup/* fullManifest */.R4)(entry, keys.identities));
    const { destination } = entry;
    // The safety backup of a target replaced by an encrypted backup is encrypted too: to the
    // recipients given, else to the identities that opened this one.
    const safetyEncryption = ownEncryption ??
        (manifest.encrypted && keys.identities ? (0,encryption/* recipientsOf */.wX)(keys.identities) : undefined);
    report.name = entry.set;
    report.backupId = entry.id;
    report.sha256 = manifest.archive.sha256;
    report.size = manifest.archive.size;
    const readFrom = {
        url: destination.displayUrl,
        key: manifest.archive.key,
        ok: true,
        size: manifest.archive.size,
        sha256: manifest.archive.sha256,
        verified: false,
    };
    report.destinations.push(readFrom);
    const targets = resolveTargets((0,parse/* lines */.Mn)(options, 'target'), manifest.sources.map((s) => s.name));
    for (const url of targets.values())
        (0,engine_destinations/* registerUrlSecrets */.AI)(url, ctx);
    ctx.log.info(`Restoring ${entry.set}/${entry.id} from ${destination.displayUrl}`);
    const overwrite = (0,parse/* bool */.lc)(options, 'overwrite');
    const t0 = Date.now();
    const safety = new SafetyBackups(session, entry, safetyEncryption);
    const staged = [];
    // Whatever happens, nothing staged outlives the restore (a committed stage's abort is a no-op).
    session.defer('remove what was staged', async () => {
        for (const { sm, stage } of staged) {
            await stage.abort().catch((err) => {
                ctx.log.warn(`could not remove what was staged for ${sm.name}: ${err.message}`);
            });
        }
    });
    (0,log/* startPhase */.CJ)(ctx.log, `Verify ${entry.set}/${entry.id} while staging every source; no target is touched until it is proven`);
    const stageSource = async (sm, members) => {
        const target = targets.get(sm.name);
        const driver = await (0,registry/* driverForKind */.Ki)(sm.kind);
        ctx.log.info(`Staging ${sm.name} (${sm.kind}) for ${(0,log/* redactUrl */.BO)(target)}…`);
        const stage = await driver.stage(members, {
            target,
            overwrite,
            manifest: sm,
            backupId: entry.id,
            safetyBackup: (sourceUrl) => safety.take(sm.name, sourceUrl),
        }, sctx);
        staged.push({ sm, stage });
    };
    // An incremental backup is its whole chain: every link is proven (into a private scratch
    // folder) before anything is staged beside a target.
    // Each link is opened with the run's key and, with allowed-signers, its signature checked.
    if (manifest.kind === 'incremental') {
        const { chain, proven } = await (0,engine_chain/* proveChainAnywhere */.bq)({ ...entry, manifest }, destinations, ctx, sctx, keys);
        readFrom.url = chain.at(-1).destination.displayUrl;
        for (const sm of manifest.sources) {
            const p = proven.get(sm.name);
            await stageSource(p.manifest, p.members);
        }
        report.proofs.push(`every link of the chain (${chain.map((c) => c.id).join(' → ')}) was proven as below before anything was staged`);
    }
    else {
        await (0,stored_archive/* readStoredArchive */.E)(destination, manifest, ctx, sctx, stageSource, {
            checkSha256Sidecar: true,
            ...(keys.identities ? { identities: keys.identities } : {}),
        });
    }
    (0,log/* endPhase */.zN)(ctx.log);
    readFrom.verified = true;
    report.outputs['verified'] = 'true';
    report.proofs.push(`the .sha256 sidecar agrees with the manifest, and the stored object's size (${(0,log/* formatBytes */.z3)(manifest.archive.size)}) and sha256 match it`, `every chunk's sha256 (${chunkCount(manifest)} chunks), the archive header and the inner manifest match the sidecar manifest`, 'every source was staged apart from its target; no target was touched before all of the above');
    const locations = await commitStaged(session, staged, targets, safety);
    report.outputs['location'] = locations.join('\n');
    ctx.log.info(`Restored ${entry.set}/${entry.id} in ${(0,log/* formatDuration */.a3)(Date.now() - t0)} to ${locations.join(', ')}`);
}
/**
 * Phase two: each staged source committed into its target, in order. A failed commit puts back
 * the ones already committed where their driver can, and says where everything is.
 */
async function commitStaged(session, staged, targets, safety) {
    const { ctx, report } = session;
    const locations = [];
    const committed = [];
    for (const { sm, stage } of staged) {
        (0,log/* startPhase */.CJ)(ctx.log, `Restore ${sm.name} (${sm.kind}) into ${(0,log/* redactUrl */.BO)(targets.get(sm.name))}`);
        let result;
        try {
            result = await stage.commit();
        }
        catch (err) {
            const own = safety.of(sm.name);
            const notReached = staged.slice(committed.length + 1).map((s) => s.sm.name);
            await rollBack(committed, ctx);
            throw afterPartialCommit(withSafetyHint(err, own ? [own] : []), committed, notReached);
        }
        committed.push({
            name: sm.name,
            location: result.location,
            safety: safety.of(sm.name),
            replaced: result.replaced === true,
            rollback: stage.rollback?.bind(stage),
            rolledBack: false,
            rollbackError: undefined,
        });
        locations.push(result.location);
        for (const note of result.notes ?? [])
            report.notes.push(note);
        report.sources.push({
            name: sm.name,
            kind: sm.kind,
            url: result.location,
            target: result.location,
            expectedInventory: sm.inventory,
            ...(result.inventory ? { inventory: result.inventory } : {}),
        });
        (0,log/* endPhase */.zN)(ctx.log);
    }
    return locations;
}
/**
 * The safety backups a restore takes of the targets it replaces (drivers ask for one just
 * before their commit replaces data). Each is a run of its own: its own session and report, so
 * the restore's report keeps the restored backup's sha256, size and destinations; the restore's
 * report lists each one's report (`safetyBackups`) and gives it its own section, failed or not.
 */
class SafetyBackups {
    refs = new Map();
    session;
    entry;
    encryption;
    constructor(session, entry, encryption) {
        this.session = session;
        this.entry = entry;
        this.encryption = encryption;
    }
    /** The safety backup taken of a source's target, as set/id. */
    of(source) {
        return this.refs.get(source);
    }
    async take(source, sourceUrl) {
        const { ctx, report, options } = this.session;
        ctx.log.info(`Taking a safety backup of ${(0,log/* redactUrl */.BO)(sourceUrl)} before overwriting it…`);
        const safetyOptions = {
            command: 'backup',
            values: { ...options.values, source: [`${source}=${sourceUrl}`], command: 'backup' },
        };
        const own = new report_report/* RunReport */.e('backup');
        report.safetyBackups.push(own);
        const title = `Safety backup of ${source}`;
        let outcome;
        try {
            outcome = await this.session.runOwn(safetyOptions, own, (s) => (0,backup/* createBackup */.dB)(s, {
                tags: ['safety'],
                set: `${this.entry.set}-safety`,
                destinations: [this.entry.destination],
                ...(this.encryption ? { encryption: this.encryption } : {}),
            }));
        }
        catch (err) {
            own.error = (0,errors/* describeError */.Uc)(err);
            own.finishedMs = Date.now();
            report.sections.push({
                title: `${title}: failed, the target was not replaced`,
                markdown: safetyTable(own, sourceUrl),
            });
            throw err;
        }
        own.finishedMs = Date.now();
        const ref = `${outcome.set}/${outcome.id}`;
        this.refs.set(source, ref);
        report.outputs['safety-backup-id'] = [...this.refs.values()].join('\n');
        report.sections.push({ title, markdown: safetyTable(own, sourceUrl) });
        return outcome.id;
    }
}
/** A safety backup's own report as the restore's summary shows it. */
function safetyTable(own, sourceUrl) {
    const rows = [];
    if (own.name && own.backupId)
        rows.push(['backup', `\`${own.name}/${own.backupId}\``]);
    rows.push(['taken of', (0,log/* redactUrl */.BO)(sourceUrl)]);
    if (own.size !== undefined)
        rows.push(['size', (0,log/* formatBytes */.z3)(own.size)]);
    if (own.sha256)
        rows.push(['sha256', `\`${own.sha256}\``]);
    const stored = own.destinations.filter((d) => d.ok).map((d) => d.url);
    if (stored.length)
        rows.push(['stored at', stored.join(', ')]);
    if (own.error)
        rows.push(['error', own.error]);
    return (0,summary/* keyValueTable */.z2)(rows);
}
function chunkCount(manifest) {
    return manifest.sources.reduce((n, s) => n + s.members.reduce((m, r) => m + (r.chunks?.length ?? 0), 0), 0);
}
/** A failed overwrite says where the previous data is kept. */
function withSafetyHint(err, safetyBackups) {
    if (!safetyBackups.length)
        return err;
    const where = `the previous data is in the safety backup ${safetyBackups.join(', ')}`;
    if (err instanceof errors/* ConfigError */.xL) {
        const message = err.option ? err.message.slice(`${err.option}: `.length) : err.message;
        return new errors/* ConfigError */.xL(err.option, message, {
            cause: err.cause,
            hint: err.hintTemplate ? `${err.hintTemplate}; ${where}` : where,
        });
    }
    const message = err instanceof Error ? err.message : String(err);
    const hint = err instanceof errors/* LifeboatError */.H3 && err.hintTemplate ? `${err.hintTemplate}; ${where}` : where;
    return new (sameKindAs(err))(message, { cause: err, hint });
}
/** The non-config error class matching `err`, so a rewrapped error keeps its exit code. */
function sameKindAs(err) {
    if (err instanceof errors/* IntegrityError */.cs)
        return errors/* IntegrityError */.cs;
    if (err instanceof errors/* StorageError */.aq)
        return errors/* StorageError */.aq;
    return errors/* SourceError */.c8;
}
/** A later commit failed: put back what the drivers can (newest first), note what they cannot. */
async function rollBack(committed, ctx) {
    for (const c of [...committed].reverse()) {
        if (!c.rollback)
            continue;
        try {
            await c.rollback();
            c.rolledBack = true;
            ctx.log.info(`Put ${c.location} back as it was before this restore`);
        }
        catch (err) {
            c.rollbackError = err instanceof Error ? err.message : String(err);
        }
    }
}
/**
 * Sources are committed one after another. When a later one fails, the earlier ones are put back
 * where their driver can (a rename or swap); the message says exactly which targets were put back,
 * which still hold the restored data and where the data they replaced went, and which sources
 * were never reached, so nobody has to guess at 3 a.m.
 */
function afterPartialCommit(err, committed, notReached) {
    if (!committed.length)
        return err;
    const back = committed.filter((c) => c.rolledBack);
    const left = committed.filter((c) => !c.rolledBack);
    const parts = [errorText(err)];
    if (back.length) {
        parts.push(`put back as they were: ${back.map((c) => `${c.name} (${c.location})`).join(', ')}`);
    }
    if (left.length) {
        const why = (c) => c.rollbackError
            ? `; putting it back failed: ${c.rollbackError}`
            : c.rollback
                ? ''
                : '; its commit cannot be undone';
        parts.push(`already restored before this failure, and left in place: ${left
            .map((c) => `${c.name} into ${c.location} (${replacedWhat(c)}${why(c)})`)
            .join(', ')}`);
    }
    if (notReached.length)
        parts.push(`not restored: ${notReached.join(', ')}`);
    const text = parts.join('; ');
    const hint = left.length
        ? 'fix the cause and restore again with {{option:overwrite=true}}, or restore the safety backups named above to go back'
        : 'fix the cause and restore again: every target is as it was before this restore';
    return rewrap(err, text, err instanceof errors/* LifeboatError */.H3 && err.hintTemplate ? `${err.hintTemplate}; ${hint}` : hint);
}
function replacedWhat(c) {
    if (c.safety)
        return `the data it replaced is in the safety backup ${c.safety}`;
    if (c.replaced)
        return 'it replaced the data there, of which no safety backup was taken';
    return 'a new target, nothing was replaced';
}
function errorText(err) {
    if (err instanceof errors/* ConfigError */.xL && err.option)
        return err.message.slice(`${err.option}: `.length);
    return err instanceof Error ? err.message : String(err);
}
/** The same kind of error with a new message and hint, so the exit code does not change. */
function rewrap(err, message, hint) {
    if (err instanceof errors/* ConfigError */.xL)
        return new errors/* ConfigError */.xL(err.option, message, { cause: err, hint });
    return new (sameKindAs(err))(message, { cause: err, hint });
}
/** Maps each archived source to a target URL. A single unnamed target fits a single source. */
function resolveTargets(targetLines, sourceNames) {
    const parsed = (0,core_url/* parseNamedLines */.A5)(targetLines);
    if (parsed.length === 0) {
        throw new errors/* ConfigError */.xL('target', 'is required for restore', {
            hint: 'name a new place to restore into, e.g. sqlite:./restored.db, dir:./restored or postgres://host/newdb',
        });
    }
    const map = new Map();
    if (parsed.length === 1 && !parsed[0].name) {
        if (sourceNames.length !== 1) {
            throw new errors/* ConfigError */.xL('target', `this backup holds ${sourceNames.length} sources (${sourceNames.join(', ')})`, {
                hint: 'give one target per source as name=URL lines',
            });
        }
        map.set(sourceNames[0], parsed[0].url);
        return map;
    }
    for (const { name, url } of parsed) {
        if (!name)
            throw new errors/* ConfigError */.xL('target', `'${(0,log/* redactUrl */.BO)(url)}' has no source name`, {
                hint: 'write name=URL',
            });
        if (!sourceNames.includes(name)) {
            throw new errors/* ConfigError */.xL('target', `the backup has no source named '${name}'`, {
                hint: `its sources are: ${sourceNames.join(', ')}`,
            });
        }
        map.set(name, url);
    }
    const missing = sourceNames.filter((n) => !map.has(n));
    if (missing.length) {
        throw new errors/* ConfigError */.xL('target', `no target for source(s) ${missing.join(', ')}`, {
            hint: 'add name=URL lines for them',
        });
    }
    return map;
}

;// CONCATENATED MODULE: ./build/src/engine/drill.js

















/** Every drill option, parsed before anything is listed, downloaded or restored. */
function parseDrillOptions(options) {
    const rto = (0,parse/* str */.gx)(options, 'max-rto');
    const age = (0,parse/* str */.gx)(options, 'max-age');
    return {
        assertions: parseAssertions((0,parse/* lines */.Mn)(options, 'assert')),
        maxRto: rto ? (0,duration/* parseDuration */.E9)('max-rto', rto) : undefined,
        maxAge: age ? (0,duration/* parseDuration */.E9)('max-age', age) : undefined,
        keepScratch: (0,parse/* bool */.lc)(options, 'keep-scratch'),
        consistency: (0,parse/* lines */.Mn)(options, 'consistency'),
        consistencyTolerance: (0,parse/* num */.bu)(options, 'consistency-tolerance') ?? 0,
    };
}
/**
 * A restore drill: picks the backup, proves and restores it through the same staged restore as
 * `restore` (every chunk, the stored sha256 and the manifests checked before the scratch copy is
 * committed), then checks the scratch copy (inventory against the manifest, the user's
 * assertions, the time to recover and the backup's age), records the result beside the backup
 * as `<id>.drill.json`, and removes the scratch copy whatever happened (unless keep-scratch).
 * Failed data checks exit 3, a slow recovery or an old backup exit 1, bad input exit 2.
 */
async function drillCommand(session, hooks = {}) {
    const { options, ctx, report } = session;
    const plan = parseDrillOptions(options);
    const keys = (0,choose_backup/* readKeysFor */._g)(session);
    const destinations = await (0,engine_destinations/* useDestinations */.ts)(session);
    const sctx = await session.sourceContext();
    const folder = sctx.tmpDir;
    const startedAt = ctx.now();
    const checks = [];
    const created = [];
    let entry;
    let restoreStarted = false;
    let rtoMs = 0;
    let failure;
    try {
        // As restore does: a required signature first, then the full manifest (sealed inside an
        // encrypted backup's index), which names the sources and holds their inventories.
        entry = (await (0,choose_backup/* chooseBackup */.S1)(session, destinations, keys)).entry;
        const manifest = await (0,choose_backup/* fullManifest */.R4)(entry, keys.identities);
        const scratches = planScratches(options, ctx, sctx, entry, manifest, folder);
        const bySource = assignAssertions(plan.assertions, manifest.sources);
        const consistency = planDrillConsistency(plan.consistency, manifest.sources, scratches, sctx);
        for (const s of scratches) {
            const taken = await s.occupied();
            if (taken) {
                throw new errors/* ConfigError */.xL('target', `the scratch place for ${s.source} is taken: ${taken}; nothing was restored`, {
                    hint: 'a drill never restores over anything: remove it (a scratch kept by {{option:keep-scratch}}?) or name another scratch {{option:target}}',
                });
            }
        }
        (0,log/* startPhase */.CJ)(ctx.log, `Drill ${entry.set}/${entry.id}: restore into ${scratches.map((s) => `${s.source} → ${s.displayUrl}`).join(', ')}`);
        restoreStarted = true;
        const t0 = external_node_perf_hooks_.performance.now();
        // Vector scratches share one suffix (the backup's short id): the restore's collection-suffix.
        const suffix = scratches.find((s) => s.collectionSuffix)?.collectionSuffix;
        const restoreOptions = {
            command: 'restore',
            values: {
                ...options.values,
                target: scratches.map((s) => `${s.source}=${s.url}`),
                // A drill never restores over anything, whatever the caller's options say.
                overwrite: false,
                ...(suffix ? { 'collection-suffix': suffix } : {}),
            },
        };
        // From here each scratch is ours to remove, even if the restore fails halfway.
        created.push(...scratches);
        try {
            const chosen = { entry, manifest };
            await session.step((restore) => restoreBackup(restore, chosen), { options: restoreOptions });
            checks.push({
                name: 'restore',
                ok: true,
                detail: `archive proven (stored size and sha256, every chunk, manifests) and restored into ${scratches.map((s) => s.displayUrl).join(', ')}`,
            });
        }
        catch (err) {
            if (isDataFailure(err)) {
                checks.push({ name: 'restore', ok: false, detail: (0,errors/* describeErrorTemplate */.Qj)(err) });
            }
            throw err;
        }
        (0,log/* endPhase */.zN)(ctx.log);
        await hooks.afterRestore?.(scratches);
        ctx.signal?.throwIfAborted();
        (0,log/* startPhase */.CJ)(ctx.log, `Drill checks on ${entry.set}/${entry.id}`);
        for (const s of scratches) {
            const sm = manifest.sources.find((x) => x.name === s.source);
            const inventory = await inventoryCheck(s, sm, sctx, checks);
            // The summary's "Restored" table shows the scratch copy's own count beside the backup's.
            const restored = report.sources.find((x) => x.name === s.source);
            if (restored)
                restored.inventory = inventory;
            for (const a of bySource.get(s.source) ?? []) {
                ctx.signal?.throwIfAborted();
                const result = await s.check(a.assertion, inventory);
                checks.push({ name: `assert ${a.text}`, ok: result.ok, detail: result.detail });
                ctx.log.info(`${result.ok ? 'passed' : 'FAILED'}: ${a.text} (${result.detail})`);
            }
        }
        if (consistency.length) {
            await consistencyChecks(plan, manifest.sources, scratches, sctx, checks, report);
        }
        const rto = external_node_perf_hooks_.performance.now() - t0;
        rtoMs = Math.round(rto);
        checks.push(limitCheck('rto', rto, plan.maxRto, 'max-rto'));
        checks.push(limitCheck('backup age', startedAt.getTime() - new Date(manifest.createdAt).getTime(), plan.maxAge, 'max-age'));
        (0,log/* endPhase */.zN)(ctx.log);
        failure = verdict(checks);
    }
    catch (err) {
        // Whatever the abort broke along the way, the run was cancelled.
        const reason = ctx.signal?.aborted ? ctx.signal.reason : undefined;
        failure = reason instanceof errors/* CancelledError */.cc ? reason : err;
    }
    finally {
        if (!plan.keepScratch)
            await removeScratches(created, ctx, report);
        else if (created.length) {
            report.notes.push(`keep-scratch: the scratch copy is left for inspection at ${created.map((s) => s.displayUrl).join(', ')}; remove it when done`);
        }
        try {
            // A cancelled drill proved nothing either way, and bad input is not a drill result.
            const cancelled = ctx.signal?.aborted === true || failure instanceof errors/* CancelledError */.cc;
            if (entry && restoreStarted && !cancelled && !(failure instanceof errors/* ConfigError */.xL)) {
                if (failure !== undefined && !checks.some((c) => !c.ok)) {
                    checks.push({ name: 'drill', ok: false, detail: (0,errors/* describeErrorTemplate */.Qj)(failure) });
                }
                const record = await storeRecord(entry, startedAt, ctx, checks, rtoMs);
                report.drill = { ok: record.ok, rtoMs: record.rtoMs };
                report.outputs['drill-ok'] = String(record.ok);
                report.outputs['rto-ms'] = String(record.rtoMs);
                report.outputs['backup-age-ms'] = String(record.backupAgeMs);
                report.sections.push({
                    title: `Drill: ${entry.set}/${entry.id}`,
                    markdown: (0,summary/* renderDrillSection */.Lb)(record),
                });
            }
        }
        catch (err) {
            if (failure === undefined) {
                // Every check passed, but nobody will see it: list, status and dashboards read the record.
                failure = new errors/* StorageError */.aq(`the drill passed, but its record could not be stored on ${entry?.destination.displayUrl}: ${err instanceof Error ? err.message : String(err)}`, {
                    cause: err,
                    hint: 'the destination must be writable for drills (the record is a small object beside the backup)',
                });
            }
            else
                ctx.log.warn(`the drill record was not stored: ${(0,errors/* describeErrorTemplate */.Qj)(err)}`);
        }
    }
    if (failure !== undefined)
        throw failure;
}
/** A failure that says the data cannot be trusted (exit 3), not that something was unreachable. */
function isDataFailure(err) {
    return err instanceof errors/* IntegrityError */.cs;
}
/**
 * Targets per source: `name=URL` lines, or one unnamed line for every source that needs a
 * server. SQLite and dir: sources without a line get a temporary path.
 */
function planScratches(options, ctx, sctx, entry, manifest, folder) {
    const parsed = (0,core_url/* parseNamedLines */.A5)((0,parse/* lines */.Mn)(options, 'target'));
    const names = manifest.sources.map((s) => s.name);
    const unnamed = parsed.filter((p) => !p.name);
    if (unnamed.length > 1) {
        throw new errors/* ConfigError */.xL('target', 'several targets without a source name', {
            hint: 'give one scratch target, or one name=URL line per source',
        });
    }
    for (const p of parsed) {
        if (p.name && !names.includes(p.name)) {
            throw new errors/* ConfigError */.xL('target', `the backup has no source named '${p.name}'`, {
                hint: `its sources are: ${names.join(', ')}`,
            });
        }
    }
    const sources = (0,core_url/* parseNamedLines */.A5)((0,parse/* lines */.Mn)(options, 'source')).map((s) => s.url);
    const cwd = sctx.cwd ?? ctx.cwd;
    return manifest.sources.map((sm) => {
        const target = parsed.find((p) => p.name === sm.name)?.url ?? unnamed[0]?.url;
        if (target) {
            (0,engine_destinations/* registerUrlSecrets */.AI)(target, ctx);
            // Never the production database: a target that is the backed-up source is refused.
            for (const production of [sm.url, ...sources]) {
                if (samePlace(target, production, cwd)) {
                    throw new errors/* ConfigError */.xL('target', `the scratch target for ${sm.name} is the backed-up source itself (${sm.url}); a drill never restores into production`, {
                        hint: 'name a spare server (a service container) or database index as {{option:target}}',
                    });
                }
            }
        }
        return planScratch({ manifest: sm, target, backupId: entry.id, folder, sctx });
    });
}
/** Which source each assertion runs against; a line for the wrong kind of source is bad input. */
function assignAssertions(assertions, sources) {
    const out = new Map();
    for (const a of assertions) {
        let sm;
        if (a.source) {
            sm = sources.find((s) => s.name === a.source);
            if (!sm) {
                throw new errors/* ConfigError */.xL('assert', `'${a.text}': the backup has no source '${a.source}'`, {
                    hint: `its sources are: ${sources.map((s) => s.name).join(', ')}`,
                });
            }
        }
        else {
            const fitting = sources.filter((s) => FAMILY_KINDS[a.assertion.family].includes(s.kind));
            if (sources.length === 1)
                sm = sources[0];
            else if (fitting.length === 1)
                sm = fitting[0];
            else {
                throw new errors/* ConfigError */.xL('assert', `'${a.text}': the backup has several sources`, {
                    hint: `prefix the line with @<source> (${sources.map((s) => s.name).join(', ')})`,
                });
            }
        }
        if (!FAMILY_KINDS[a.assertion.family].includes(sm.kind)) {
            throw new errors/* ConfigError */.xL('assert', `'${a.text}' is a ${a.assertion.family} assertion, which cannot run against ${sm.name} (${sm.kind})`, {
                hint: sm.kind === 'redis'
                    ? 'Redis takes `keys >= N` and `exists <key>`'
                    : sm.kind === 'dir'
                        ? 'dir: takes `files >= N` and `file <path>`'
                        : 'SQL sources take `SELECT … >= N`',
            });
        }
        out.set(sm.name, [...(out.get(sm.name) ?? []), a]);
    }
    return out;
}
/**
 * The `consistency` lines, read against the backup's sources (as the backup named them) before
 * anything is restored: a line naming a source or collection the backup lacks is bad input.
 */
function planDrillConsistency(linesGiven, sources, scratches, sctx) {
    const specs = (0,consistency/* planConsistency */.kG)(linesGiven, sources.map((s) => ({ name: s.name, kind: s.kind, url: s.url })), sctx);
    for (const spec of specs) {
        const scratch = scratches.find((s) => s.source === spec.vector.name);
        if (!scratch?.collections?.has(spec.vector.collection)) {
            throw new errors/* ConfigError */.xL('consistency', `'${spec.line}': the backup's ${spec.vector.name} holds no collection '${spec.vector.collection}'`, {
                hint: `its collections are: ${[...(scratch?.collections?.keys() ?? [])].join(', ') || 'none'}`,
            });
        }
    }
    return specs;
}
/**
 * Cross-store checks on the restored copies: the SQL query on the scratch database, the ids of
 * the scratch collection. One drill check per line, with the counts and the first ids of each
 * kind of difference; beyond the tolerance it fails the drill (exit 3).
 */
async function consistencyChecks(plan, sources, scratches, sctx, checks, report) {
    const scratchOf = (name) => scratches.find((s) => s.source === name);
    const results = await (0,consistency/* runConsistencyChecks */.vC)(plan.consistency, sources.map((s) => ({
        name: s.name,
        kind: s.kind,
        url: s.url,
        restored: scratchOf(s.name).url,
    })), plan.consistencyTolerance, sctx, (source, collection) => scratchOf(source)?.collections?.get(collection) ?? collection);
    for (const r of results) {
        const [head, ...rest] = (0,consistency/* describeConsistency */.gL)(r);
        if (r.ok)
            sctx.log.info(`passed: ${head}`);
        else
            sctx.log.warn(`FAILED: ${head}`);
        for (const line of rest)
            sctx.log.info(line);
        const ids = (x) => x.first.length ? ` (${x.first.join(', ')}${x.count > x.first.length ? ', …' : ''})` : '';
        checks.push({
            name: `consistency ${r.line}`,
            ok: r.ok,
            detail: `${r.sqlCount} SQL ids, ${r.vectorCount} vectors; ${r.missing.count} missing from the vector store${ids(r.missing)}, ${r.orphans.count} orphan vectors${ids(r.orphans)}, ${r.duplicates.count} duplicates${ids(r.duplicates)}; ${r.differences} difference${r.differences === 1 ? '' : 's'}, tolerance ${r.tolerance}`,
        });
    }
    report.notes.push('consistency: checked on the restored copies, so it measures how far apart the two stores were in this backup');
}
async function inventoryCheck(s, sm, sctx, checks) {
    const driver = await (0,registry/* driverForKind */.Ki)(sm.kind);
    if (!driver.inventory)
        throw new errors/* ConfigError */.xL(undefined, `${sm.kind} sources cannot be drilled`);
    const inventory = s.inventory ? await s.inventory() : await driver.inventory(s.url, sctx);
    const diffs = [
        ...(0,sources_inventory/* inventoryDifferences */.B)(sm.inventory, inventory, (n) => s.tableName(n)),
        ...(s.differences ? await s.differences() : []),
    ];
    checks.push({
        name: `inventory ${s.source}`,
        ok: diffs.length === 0,
        detail: diffs.length
            ? `${diffs.length} difference${diffs.length === 1 ? '' : 's'} from the manifest: ${diffs.slice(0, 10).join('; ')}${diffs.length > 10 ? '; …' : ''}`
            : `${s.collections ? collectionFigures(s.kind, inventory) : inventoryFigures(inventory)}: matches the manifest`,
    });
    sctx.log.info(`${diffs.length ? 'FAILED' : 'passed'}: inventory of ${s.source} (${checks.at(-1).detail})`);
    return inventory;
}
/** '2 collections, 1200 records' (Chroma's counts are exact, Qdrant's approximate). */
function collectionFigures(kind, inv) {
    const tables = inv.tables ?? [];
    const rows = tables.reduce((n, t) => n + t.rows, 0);
    const plural = (n, w) => `${n} ${w}${n === 1 ? '' : 's'}`;
    return `${plural(tables.length, 'collection')}, ${kind === 'qdrant' ? `${plural(rows, 'point')} (approximate)` : plural(rows, 'record')}`;
}
function limitCheck(name, ms, limit, option) {
    const shown = (0,log/* formatDuration */.a3)(ms);
    if (!limit)
        return { name, ok: true, detail: `${shown} (no ${option} set)` };
    // Strictly under the limit, so `0s` always fails: a deterministic way to see a failing drill.
    const ok = ms < limit.ms;
    return { name, ok, detail: `${shown}, limit ${limit.text} (${option})` };
}
/** The run's error from the failed checks: data before time, so a mismatch always exits 3. */
function verdict(checks) {
    const failed = checks.filter((c) => !c.ok);
    if (!failed.length)
        return undefined;
    const text = failed.map((c) => `${c.name}: ${c.detail}`).join('; ');
    const data = failed.filter((c) => c.name !== 'rto' && c.name !== 'backup age');
    if (data.length) {
        return new errors/* IntegrityError */.cs(`drill failed: ${text}`, {
            hint: 'the backup does not restore to the data expected: inspect it with {{option:keep-scratch=true}}, and check the source and the backup job',
        });
    }
    return new errors/* FreshnessError */.mP(`drill failed: ${text}`, {
        hint: failed.some((c) => c.name === 'rto')
            ? 'recovery takes longer than {{option:max-rto}} allows: make restores faster (closer storage, parallel jobs) or raise the limit'
            : 'the newest backup is older than {{option:max-age}} allows: check that the backup workflow runs',
    });
}
async function removeScratches(created, ctx, report) {
    for (const s of created) {
        try {
            await s.remove();
            ctx.log.info(`Removed the scratch copy ${s.displayUrl}`);
        }
        catch (err) {
            const text = `could not remove the scratch copy ${s.displayUrl}: ${(0,errors/* describeErrorTemplate */.Qj)(err)}; remove it by hand`;
            ctx.log.warn(text);
            report.notes.push(text);
        }
    }
}
async function storeRecord(entry, startedAt, ctx, checks, rtoMs) {
    const record = {
        version: 1,
        backupId: entry.id,
        set: entry.set,
        startedAt: startedAt.toISOString(),
        finishedAt: ctx.now().toISOString(),
        ok: checks.length > 0 && checks.every((c) => c.ok),
        rtoMs,
        backupAgeMs: Math.max(0, startedAt.getTime() - new Date(entry.manifest.createdAt).getTime()),
        checks,
    };
    const key = (0,keys/* drillKey */.NC)(entry.set, entry.id);
    const body = Buffer.from(`${JSON.stringify(record, null, 2)}\n`);
    await entry.destination.storage.put(key, external_node_stream_.Readable.from([body]), {
        contentType: 'application/json',
        size: body.length,
    });
    ctx.log.info(`Drill result ${record.ok ? 'passed' : 'FAILED'}, stored as ${key} on ${entry.destination.displayUrl}`);
    return record;
}

;// CONCATENATED MODULE: ./build/src/engine/keep-alive.js


/**
 * Asks the face whether the scheduled workflow running this is close to being disabled for
 * inactivity (and, with keep-alive, to re-enable it). `status` always asks; `backup` only with
 * keep-alive. A failed check never fails the command.
 */
async function checkWorkflowActivity(options, ctx, report) {
    const enable = (0,parse/* bool */.lc)(options, 'keep-alive');
    if (!ctx.workflowActivity || (options.command === 'backup' && !enable))
        return;
    try {
        const note = await ctx.workflowActivity(enable);
        if (note)
            report.notes.push(note);
    }
    catch (err) {
        ctx.log.warn(`could not check the workflow's activity: ${(0,errors/* describeError */.Uc)(err)}`);
    }
}

;// CONCATENATED MODULE: ./build/src/report/html/catalog.js
/**
 * The dashboard's data: what `lifeboat report` gathers from the destinations, written as
 * `catalog.json` and rendered into the site. Plain JSON (times as ISO strings) so machines
 * read the same facts the page shows.
 */
const CATALOG_VERSION = 1;
/** Worst first: the overview sorts by it and a set shows the worst that applies. */
const SET_STATES = [
    'damaged',
    'failing',
    'late',
    'never-drilled',
    'unscheduled',
    'fresh',
];
const STATE_LABELS = {
    damaged: 'damaged',
    failing: 'failing',
    late: 'late',
    'never-drilled': 'never drilled',
    unscheduled: 'no schedule',
    fresh: 'fresh',
};

;// CONCATENATED MODULE: ./build/src/report/html/parts.js


const ENTITIES = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;',
};
/** Text and attribute values alike: everything from storage is untrusted. */
function esc(s) {
    const text = String(s);
    // Most values (ids, sizes, times) have nothing to escape: one test, no copy.
    return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (c) => ENTITIES[c]) : text;
}
/** The set's page, relative to the site's root: a safe file name whatever the set is called. */
function setPagePath(name) {
    const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_');
    return `sets/${safe}.html`;
}
/** Light and dark colours per state; the label is always written too (never colour alone). */
const STATE_COLOURS = {
    fresh: { light: '#1a7f37', dark: '#3fb950' },
    late: { light: '#9a6700', dark: '#d29922' },
    failing: { light: '#cf222e', dark: '#f85149' },
    damaged: { light: '#8250df', dark: '#bc8cff' },
    'never-drilled': { light: '#0969da', dark: '#58a6ff' },
    unscheduled: { light: '#57606a', dark: '#8b949e' },
};
const stateVars = (mode) => SET_STATES.map((s) => `--state-${s}:${STATE_COLOURS[s][mode]};`).join('');
const CSS = `
:root{color-scheme:light dark;--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--panel:#f6f8fa;--link:#0969da;--bar:#54aeff;--dot:#8250df;--gap:#cf222e;${stateVars('light')}}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--panel:#151b23;--link:#4493f8;--bar:#1f6feb;--dot:#bc8cff;--gap:#f85149;${stateVars('dark')}}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1200px;padding:1rem;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--link)}
h1{font-size:1.5rem;margin:.2rem 0 .5rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem;border-bottom:1px solid var(--line)}
.muted{color:var(--muted)}
code,.id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;overflow-wrap:anywhere}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;vertical-align:top;padding:.35rem .45rem;border-bottom:1px solid var(--line)}
thead th{background:var(--panel)}
.state{display:inline-block;padding:.05rem .55rem;border-radius:1rem;color:#fff;font-weight:600;font-size:.85em;white-space:nowrap}
@media (prefers-color-scheme:dark){.state{color:#0d1117}}
${SET_STATES.map((s) => `.state-${s}{background:var(--state-${s})}`).join('\n')}
.bad{color:var(--state-failing);font-weight:600}.ok{color:var(--state-fresh)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.actions a{display:inline-block;margin:.2rem .6rem .2rem 0}
figure{margin:0}svg{width:100%;height:auto;background:var(--panel);border:1px solid var(--line)}
svg text{fill:var(--muted);font-size:12px}

.id{font-size:.8em;color:var(--muted)}
time{white-space:nowrap}
#sets .reason{display:block;max-width:17rem;font-size:.9em}
details{margin:.2rem 0}summary{cursor:pointer}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--bg)}
@media (max-width:700px){
body{padding:.5rem}
table.cards thead{position:absolute;left:-9999px}
table.cards tr{display:block;border:1px solid var(--line);border-radius:6px;margin:.5rem 0;padding:.3rem}
table.cards td{display:block;border:0;padding:.15rem .3rem}
table.cards td[data-label]::before{content:attr(data-label) ": ";color:var(--muted)}
dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.4rem}
}
`;
/** One page: inline CSS, no script, and a policy that forbids every request (file:// or Pages alike). */
function page(title, body) {
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="color-scheme" content="light dark">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<main id="main">
${body}
</main>
</body>
</html>
`;
}
function stateBadge(s) {
    return `<span class="state state-${s.state}" data-state="${s.state}">${esc(STATE_LABELS[s.state])}</span>`;
}
/** `2026-11-30 03:05` (every page says times are UTC), unbroken; the exact instant stays in the datetime attribute. */
function timeHtml(iso) {
    const shown = (0,log/* formatTime */.fU)(iso).replace(/^(\d{4}-\d\d-\d\d)T(\d\d:\d\d):\d\dZ$/, '$1 $2');
    return `<time datetime="${esc(iso)}" title="${esc((0,log/* formatTime */.fU)(iso))}">${esc(shown)}</time>`;
}
function drillHtml(s) {
    const d = s.lastDrill;
    if (!d)
        return '<span class="muted">never drilled</span>';
    return `<span class="${d.ok ? 'ok' : 'bad'}">${d.ok ? 'passed' : 'failed'}</span> ${timeHtml(d.finishedAt)}, RTO&nbsp;<span data-field="rto">${esc((0,log/* formatDuration */.a3)(d.rtoMs))}</span>`;
}
/** Bytes per destination; the destination is named when there are several. */
function storageHtml(s, named = true) {
    if (s.storage.length === 0)
        return '<span class="muted">nothing stored</span>';
    return s.storage
        .map((u) => `<span data-field="used" data-bytes="${u.bytes}">${esc((0,log/* formatBytes */.z3)(u.bytes))}</span>${named ? ` <span class="muted">on ${esc(u.destination)}</span>` : ''}`)
        .join('<br>');
}
function ageHtml(s, withInterval = true) {
    if (!s.newestGood)
        return '<span class="muted">—</span>';
    const every = withInterval && s.expectedIntervalMs
        ? ` <span class="muted">(expected every ${esc((0,log/* formatDuration */.a3)(s.expectedIntervalMs))})</span>`
        : '';
    return `<span data-field="age" data-ms="${s.newestGood.ageMs}">${esc((0,log/* formatDuration */.a3)(s.newestGood.ageMs))}</span>${every}`;
}

;// CONCATENATED MODULE: ./build/src/report/html/timeline.js


const W = 960;
const LEFT = 70;
const RIGHT = 20;
const SIZE_TOP = 24;
const SIZE_BOTTOM = 124;
const DUR_TOP = 150;
const DUR_BOTTOM = 210;
const AXIS = 232;
const H = 250;
const n1 = (v) => (Math.round(v * 10) / 10).toString();
/**
 * Sizes as bars, durations as dots, scheduled runs that left no backup as dashed red lines,
 * damaged backups as red crosses. The description says the same in words for screen readers.
 */
function renderTimeline(s, generatedAt) {
    const backups = s.backups;
    if (backups.length === 0 && s.gaps.length === 0) {
        return '<p class="muted">No backups to chart.</p>';
    }
    const times = [
        ...backups.map((b) => Date.parse(b.createdAt)),
        ...s.gaps.map((g) => Date.parse(g)),
    ];
    const t0 = Math.min(...times);
    const t1 = Math.max(Date.parse(generatedAt), ...times, t0 + 3_600_000);
    const x = (t) => LEFT + ((t - t0) / (t1 - t0)) * (W - LEFT - RIGHT);
    const good = backups.filter((b) => !b.damaged);
    const maxSize = Math.max(1, ...good.map((b) => b.size));
    const durations = good.filter((b) => b.durationMs !== undefined).map((b) => b.durationMs);
    const maxDur = Math.max(1, ...durations);
    const barW = Math.max(1.5, Math.min(10, ((W - LEFT - RIGHT) / Math.max(1, backups.length)) * 0.6));
    const parts = [];
    for (const g of s.gaps) {
        const gx = n1(x(Date.parse(g)));
        parts.push(`<line class="gap" x1="${gx}" x2="${gx}" y1="${SIZE_TOP}" y2="${DUR_BOTTOM}"><title>missed run ${esc((0,log/* formatTime */.fU)(g))}</title></line>`);
    }
    for (const b of backups) {
        const bx = x(Date.parse(b.createdAt));
        if (b.damaged) {
            const cy = SIZE_BOTTOM - 8;
            parts.push(`<path class="damaged" d="M${n1(bx - 5)} ${cy - 5}l10 10m0-10l-10 10"><title>${esc(b.id)}: damaged</title></path>`);
            continue;
        }
        const h = Math.max(1, (b.size / maxSize) * (SIZE_BOTTOM - SIZE_TOP));
        const label = `${b.id}: ${(0,log/* formatBytes */.z3)(b.size)}${b.durationMs !== undefined ? `, ${(0,log/* formatDuration */.a3)(b.durationMs)}` : ''}${b.confirmed ? '' : ', not confirmed'}`;
        parts.push(`<rect class="bar${b.confirmed ? '' : ' unconfirmed'}" x="${n1(bx - barW / 2)}" y="${n1(SIZE_BOTTOM - h)}" width="${n1(barW)}" height="${n1(h)}"><title>${esc(label)}</title></rect>`);
        if (b.drill) {
            const ok = b.drill.ok;
            parts.push(`<circle class="${ok ? 'drill-ok' : 'drill-failed'}" cx="${n1(bx)}" cy="${SIZE_TOP - 10}" r="4"><title>${esc(`${b.id}: drill ${ok ? 'passed' : 'failed'}, RTO ${(0,log/* formatDuration */.a3)(b.drill.rtoMs)}`)}</title></circle>`);
        }
        if (b.durationMs !== undefined) {
            const dy = DUR_BOTTOM - (b.durationMs / maxDur) * (DUR_BOTTOM - DUR_TOP);
            parts.push(`<circle class="dur" cx="${n1(bx)}" cy="${n1(dy)}" r="2.5"></circle>`);
        }
    }
    const damaged = backups.length - good.length;
    const drilled = backups.filter((b) => b.drill);
    const sizes = good.map((b) => b.size);
    const desc = [
        `${backups.length} backup${backups.length === 1 ? '' : 's'} from ${(0,log/* formatTime */.fU)(new Date(t0))} to ${(0,log/* formatTime */.fU)(new Date(t1))}.`,
        sizes.length
            ? `Sizes from ${(0,log/* formatBytes */.z3)(Math.min(...sizes))} to ${(0,log/* formatBytes */.z3)(Math.max(...sizes))}.`
            : '',
        durations.length
            ? `Durations from ${(0,log/* formatDuration */.a3)(Math.min(...durations))} to ${(0,log/* formatDuration */.a3)(maxDur)}.`
            : '',
        s.schedule.length
            ? `${s.gaps.length} scheduled run${s.gaps.length === 1 ? '' : 's'} left no good backup.`
            : '',
        damaged ? `${damaged} damaged.` : '',
        drilled.length
            ? `${drilled.length} drilled, ${drilled.filter((b) => !b.drill.ok).length} of them failed.`
            : 'Never drilled.',
    ]
        .filter(Boolean)
        .join(' ');
    return `<figure>
<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="tl-title" aria-describedby="tl-desc" xmlns="http://www.w3.org/2000/svg">
<title id="tl-title">Backups of ${esc(s.name)} over time: size and duration</title>
<desc id="tl-desc">${esc(desc)}</desc>
<style>.bar{fill:var(--bar)}.unconfirmed{fill:none;stroke:var(--gap)}.dur{fill:var(--dot)}.gap{stroke:var(--gap);stroke-dasharray:4 3;stroke-width:1.5}.damaged{stroke:var(--gap);stroke-width:2.5;fill:none}.axis{stroke:var(--line)}.drill-ok{fill:var(--state-fresh)}.drill-failed{fill:var(--state-failing)}</style>
<line class="axis" x1="${LEFT}" x2="${W - RIGHT}" y1="${SIZE_BOTTOM}" y2="${SIZE_BOTTOM}"></line>
<line class="axis" x1="${LEFT}" x2="${W - RIGHT}" y1="${DUR_BOTTOM}" y2="${DUR_BOTTOM}"></line>
<text aria-hidden="true" x="4" y="${SIZE_TOP + 4}">${esc((0,log/* formatBytes */.z3)(maxSize))}</text>
<text aria-hidden="true" x="4" y="${SIZE_BOTTOM}">size</text>
<text aria-hidden="true" x="4" y="${DUR_TOP + 4}">${esc((0,log/* formatDuration */.a3)(maxDur))}</text>
<text aria-hidden="true" x="4" y="${DUR_BOTTOM}">duration</text>
<text aria-hidden="true" x="${LEFT}" y="${AXIS}">${esc((0,log/* formatTime */.fU)(new Date(t0)).slice(0, 10))}</text>
<text aria-hidden="true" x="${W - RIGHT}" y="${AXIS}" text-anchor="end">${esc((0,log/* formatTime */.fU)(new Date(t1)).slice(0, 10))}</text>
${parts.join('\n')}
</svg>
<figcaption class="muted">${esc(desc)} Bars: archive size; dots: backup duration; dashed red lines: scheduled runs that left no good backup; red crosses: damaged backups; circles above: drills (green passed, red failed).</figcaption>
</figure>`;
}

;// CONCATENATED MODULE: ./build/src/report/html/set-page.js




/** Missed runs listed by time on the page; the rest are counted. */
const GAPS_LISTED = 20;
function backupStatus(b) {
    if (b.damaged)
        return `<span class="bad">damaged</span>`;
    if (!b.confirmed)
        return `<span class="bad">not confirmed</span>`;
    if (b.tags.includes('safety'))
        return 'safety copy';
    return b.verifiedAt
        ? '<span class="ok">read back</span>'
        : '<span class="ok">confirmed at upload</span>';
}
function sourcesHtml(b) {
    if (b.sources.length === 0)
        return '';
    const items = b.sources.map((s) => {
        const inventory = [
            s.tables !== undefined ? `${s.tables} tables, ${s.rows ?? 0} rows` : '',
            s.files !== undefined ? `${s.files} files` : '',
            s.totalBytes !== undefined ? (0,log/* formatBytes */.z3)(s.totalBytes) : '',
        ]
            .filter(Boolean)
            .join(', ');
        const versions = Object.entries(s.versions)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ');
        return `<li><strong>${esc(s.name)}</strong> (${esc(s.kind)}) <code>${esc(s.url)}</code>${inventory ? `<br>inventory: ${esc(inventory)}` : ''}${versions ? `<br>versions: ${esc(versions)}` : ''}</li>`;
    });
    return `<ul>${items.join('')}</ul>`;
}
function drillDetails(b) {
    const d = b.drill;
    if (!d)
        return '';
    const checks = d.checks
        .map((c) => `<li><span class="${c.ok ? 'ok' : 'bad'}">${c.ok ? 'passed' : 'failed'}</span> ${esc(c.name)}${c.detail ? `: ${esc(c.detail)}` : ''}</li>`)
        .join('');
    return `<p>Drill ${timeHtml(d.finishedAt)}: <span class="${d.ok ? 'ok' : 'bad'}">${d.ok ? 'passed' : 'failed'}</span>, RTO ${esc((0,log/* formatDuration */.a3)(d.rtoMs))}</p><ul>${checks}</ul>`;
}
function backupRow(b, s) {
    const copies = b.copies
        .map((c) => `<li>${esc(c.destination)} <code>${esc(c.key)}</code>${c.damaged ? ` <span class="bad">damaged: ${esc(c.damaged)}</span>` : ''}</li>`)
        .join('');
    const restore = s.links.restore && !b.damaged
        ? `<a href="${esc(s.links.restore)}" aria-label="restore backup ${esc(b.id)}" data-link="restore">restore…</a>`
        : '';
    const drill = b.drill
        ? `<span class="${b.drill.ok ? 'ok' : 'bad'}">${b.drill.ok ? 'passed' : 'failed'}</span>`
        : '<span class="muted">—</span>';
    return `<tr id="b-${esc(b.id)}" data-backup="${esc(b.id)}">
<th scope="row" data-label="backup"><span class="id">${esc(b.id)}</span><br>${timeHtml(b.createdAt)}</th>
<td data-label="status" data-field="status">${backupStatus(b)}</td>
<td data-label="size" data-field="size" data-bytes="${b.size}">${b.damaged ? '—' : esc((0,log/* formatBytes */.z3)(b.size))}</td>
<td data-label="duration">${b.durationMs !== undefined ? esc((0,log/* formatDuration */.a3)(b.durationMs)) : '—'}</td>
<td data-label="encryption" data-field="encryption">${b.encrypted ? 'encrypted' : 'not encrypted'}</td>
<td data-label="signature" data-field="signature">${b.signed ? 'signed' : 'not signed'}</td>
<td data-label="drill">${drill}</td>
<td data-label="details"><details><summary>sources, checksums, copies</summary>
${sourcesHtml(b)}
${chainHtml(b)}<p>sha256 <code>${esc(b.sha256 || '—')}</code>${b.compression ? `, ${esc(b.compression)}` : ''}${b.tool ? `, ${esc(b.tool)}` : ''}${b.verifiedAt ? `, read back ${timeHtml(b.verifiedAt)}` : ''}${b.damaged ? `<br><span class="bad">${esc(b.damaged)}</span>` : ''}</p>
<ul>${copies}</ul>${drillDetails(b)}</details></td>
<td data-label="actions" class="actions">${restore}</td>
</tr>`;
}
/** Incremental chains: which chain a backup belongs to (restores read it back to the full one). */
function chainHtml(b) {
    if (b.kind === 'incremental') {
        return `<p data-field="chain">incremental ${b.chainPosition ?? '?'} of its chain, parent <a href="#b-${esc(b.parent ?? '')}">${esc(b.parent ?? '?')}</a></p>\n`;
    }
    if (b.kind === 'full')
        return '<p data-field="chain">full backup (starts a chain)</p>\n';
    return '';
}
function retentionHtml(s) {
    if (s.retention.length === 0) {
        return '<p class="muted">No keep-* policy given to the report: the next prune is not previewed.</p>';
    }
    return s.retention
        .map((r) => {
        const rows = r.remove
            .map((d) => `<tr><td class="id">${esc(d.id)}</td><td>not kept by any rule (${esc(r.policy)})</td></tr>`)
            .join('');
        return `<h3>${esc(r.destination)}</h3>
<p data-field="retention">The next prune would keep ${r.keep.length} and delete ${r.remove.length} (policy: ${esc(r.policy)}).</p>
${r.remove.length ? `<div class="scroll"><table><thead><tr><th scope="col">would delete</th><th scope="col">reason</th></tr></thead><tbody>${rows}</tbody></table></div>` : ''}`;
    })
        .join('\n');
}
function gapsHtml(s) {
    if (s.schedule.length === 0)
        return '<p class="muted">No schedule given: gaps are not checked.</p>';
    if (s.gaps.length === 0)
        return '<p>Every scheduled run in the timeline left a good backup.</p>';
    const shown = s.gaps.slice(-GAPS_LISTED).reverse();
    const more = s.gaps.length - shown.length;
    return `<p data-field="gaps">${s.gaps.length} scheduled run${s.gaps.length === 1 ? '' : 's'} left no good backup${more ? ` (newest ${shown.length} listed)` : ''}:</p>
<ul>${shown.map((g) => `<li>${timeHtml(g)}</li>`).join('')}</ul>`;
}
function renderSetPage(s, catalog) {
    const links = [
        s.links.runBackup
            ? `<a href="${esc(s.links.runBackup)}" data-link="run-backup">run a backup now</a>`
            : '',
        s.links.restore ? `<a href="${esc(s.links.restore)}" data-link="restore">restore…</a>` : '',
    ].join('');
    const newestFirst = [...s.backups].reverse();
    return page(`${s.name}: ${STATE_LABELS[s.state]} (Lifeboat)`, `<p><a href="../index.html">← all sets</a></p>
<h1>${esc(s.name)} ${stateBadge(s)}</h1>
<p data-field="reason">${esc(s.reason)}</p>
${links ? `<p class="actions">${links}</p>` : ''}
<dl class="facts">
<dt>newest good backup</dt><dd data-field="newest">${s.newestGood ? `<span class="id">${esc(s.newestGood.id)}</span>, ${timeHtml(s.newestGood.createdAt)}` : '<span class="bad">none</span>'}</dd>
<dt>age</dt><dd>${ageHtml(s)}</dd>
<dt>times</dt><dd>UTC</dd>
<dt>schedule</dt><dd>${s.schedule.length ? s.schedule.map((c) => `<code>${esc(c)}</code>`).join(', ') : '<span class="muted">none given</span>'}</dd>
<dt>next expected run</dt><dd data-field="next">${s.nextExpected ? timeHtml(s.nextExpected) : '<span class="muted">—</span>'}</dd>
<dt>last drill</dt><dd data-field="drill">${drillHtml(s)}</dd>
<dt>storage used</dt><dd>${storageHtml(s)}</dd>
<dt>backups</dt><dd data-field="count">${s.backups.length}</dd>
</dl>
<h2>Timeline</h2>
${renderTimeline(s, catalog.generatedAt)}
${gapsHtml(s)}
<h2>Retention preview</h2>
${retentionHtml(s)}
<h2>Backups</h2>
<div class="scroll">
<table class="cards" id="backups">
<caption class="muted">Newest first. Times are UTC.</caption>
<thead><tr><th scope="col">backup</th><th scope="col">status</th><th scope="col">size</th><th scope="col">duration</th><th scope="col">encryption</th><th scope="col">signature</th><th scope="col">drill</th><th scope="col">details</th><th scope="col">actions</th></tr></thead>
<tbody>
${newestFirst.map((b) => backupRow(b, s)).join('\n')}
</tbody>
</table>
</div>
<p class="muted">Generated ${esc((0,log/* formatTime */.fU)(catalog.generatedAt))} by ${esc(catalog.tool)}.</p>`);
}

;// CONCATENATED MODULE: ./build/src/report/html/site.js



function countsLine(catalog) {
    const counts = SET_STATES.map((st) => [st, catalog.sets.filter((s) => s.state === st).length]).filter(([, n]) => n > 0);
    if (counts.length === 0)
        return 'No backup sets found.';
    return `${catalog.sets.length} set${catalog.sets.length === 1 ? '' : 's'}: ${counts.map(([st, n]) => `${n} ${STATE_LABELS[st]}`).join(', ')}.`;
}
function renderIndex(catalog) {
    const sets = [...catalog.sets].sort((a, b) => SET_STATES.indexOf(a.state) - SET_STATES.indexOf(b.state) || (a.name < b.name ? -1 : 1));
    const destinations = catalog.destinations
        .map((d) => `<li>${esc(d.url)}${d.error ? ` <span class="bad">could not be read: ${esc(d.error)}</span>` : ''}</li>`)
        .join('');
    const many = catalog.destinations.length > 1;
    const links = catalog.sets[0]?.links ?? {};
    const actions = [
        links.runBackup
            ? `<a href="${esc(links.runBackup)}" data-link="run-backup">run a backup now</a>`
            : '',
        links.restore ? `<a href="${esc(links.restore)}" data-link="restore">restore…</a>` : '',
    ].join('');
    const rows = sets
        .map((s) => {
        return `<tr data-set="${esc(s.name)}">
<th scope="row" data-label="set"><a href="${esc(setPagePath(s.name))}">${esc(s.name)}</a></th>
<td data-label="state">${stateBadge(s)}<br><span class="muted reason" data-field="reason">${esc(s.reason)}</span></td>
<td data-label="newest good backup">${s.newestGood ? `${timeHtml(s.newestGood.createdAt)}<br><span class="id" data-field="newest">${esc(s.newestGood.id)}</span>` : '<span class="bad" data-field="newest">none</span>'}</td>
<td data-label="age">${ageHtml(s, false)}</td>
<td data-label="next expected run" data-field="next">${s.nextExpected ? timeHtml(s.nextExpected) : '<span class="muted">no schedule</span>'}</td>
<td data-label="last drill" data-field="drill">${drillHtml(s)}</td>
<td data-label="storage used">${storageHtml(s, many)}</td>
</tr>`;
    })
        .join('\n');
    const healthy = catalog.sets.length > 0 && catalog.sets.every((s) => s.state === 'fresh');
    return page(
    // The tab says it too: a pinned tab shows a problem without being opened.
    `Lifeboat backups: ${healthy
        ? 'all fresh'
        : countsLine(catalog)
            .replace(/^\d+ sets?: /, '')
            .replace(/\.$/, '')}`, `<h1>Lifeboat backups</h1>
<p data-field="verdict"><strong>${healthy ? 'All backups are fresh and drilled.' : catalog.sets.length ? 'Some backups need attention.' : 'No backups found.'}</strong> ${esc(countsLine(catalog))}</p>
${actions ? `<p class="actions">${actions}</p>` : ''}
<p class="muted">Generated ${timeHtml(catalog.generatedAt)} UTC by ${esc(catalog.tool)}. Data for machines: <a href="catalog.json">catalog.json</a>.</p>
<h2>Sets</h2>
<div class="scroll">
<table class="cards" id="sets">
<caption class="muted">One row per backup set, worst state first. Times are UTC.</caption>
<thead><tr><th scope="col">set</th><th scope="col">state</th><th scope="col">newest good backup</th><th scope="col">age</th><th scope="col">next expected run</th><th scope="col">last drill</th><th scope="col">storage used</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</div>
<h2>Destinations</h2>
<ul>${destinations}</ul>`);
}
/** Every file of the site by path: index.html, one page per set, catalog.json. */
function renderSite(catalog) {
    const files = new Map();
    files.set('index.html', renderIndex(catalog));
    for (const s of catalog.sets)
        files.set(setPagePath(s.name), renderSetPage(s, catalog));
    files.set('catalog.json', `${JSON.stringify(catalog)}\n`);
    return files;
}

// EXTERNAL MODULE: ./node_modules/cron-parser/dist/index.js
var dist = __webpack_require__(28628);
;// CONCATENATED MODULE: ./build/src/engine/report-state.js
/** A set's state from its backups, schedule and drills: pure functions, no storage. */



/** Scheduled runs looked at per set for the timeline's gaps (a 5-minute cron over a year is 100k). */
const MAX_SCHEDULED = 2000;
/** A set's state and the facts behind it (a pure function of its backups and schedule). */
function assessSet(input) {
    const { name, backups, cron, now } = input;
    const good = backups.filter((b) => !b.damaged && b.confirmed && (input.isSafety || !b.tags.includes('safety')));
    const newest = good.at(-1);
    const drilled = backups.filter((b) => b.drill);
    const lastDrill = drilled
        .map((b) => b.drill)
        .sort((a, b) => (a.finishedAt < b.finishedAt ? -1 : 1))
        .at(-1);
    const set = {
        name,
        state: 'fresh',
        reason: '',
        schedule: cron,
        storage: [],
        backups,
        gaps: [],
        retention: [],
        links: {},
    };
    if (newest) {
        set.newestGood = {
            id: newest.id,
            createdAt: newest.createdAt,
            ageMs: now.getTime() - Date.parse(newest.createdAt),
        };
    }
    if (lastDrill)
        set.lastDrill = lastDrill;
    let fresh;
    if (cron.length) {
        const input2 = { cron, now };
        if (newest)
            input2.newest = new Date(newest.createdAt);
        if (input.graceMs !== undefined)
            input2.graceMs = input.graceMs;
        fresh = (0,freshness/* checkFreshness */.IW)(input2);
        set.nextExpected = fresh.nextExpected.toISOString();
        set.lastExpected = fresh.lastExpected.toISOString();
        set.expectedIntervalMs = fresh.expectedIntervalMs;
        const first = backups[0] ? new Date(backups[0].createdAt) : undefined;
        const runs = first ? scheduledBetween(cron, first, fresh.lastExpected) : [];
        set.gaps = gapsIn(runs, good, now).map((t) => t.toISOString());
        if (newest) {
            set.missedRuns = scheduledBetween(cron, new Date(newest.createdAt), fresh.lastExpected).length;
        }
    }
    const damaged = backups.filter((b) => b.damaged);
    const [state, reason] = (() => {
        if (damaged.length) {
            const d = damaged.at(-1);
            const more = damaged.length > 1 ? ` (${damaged.length} damaged backups)` : '';
            return ['damaged', `backup ${d.id} cannot be used: ${d.damaged}${more}`];
        }
        if (input.isSafety && !cron.length) {
            return ['unscheduled', 'safety copies a restore took of the data it replaced'];
        }
        if (!newest)
            return ['failing', 'no good backup: nothing has been stored and confirmed'];
        if (lastDrill && !lastDrill.ok) {
            const failed = lastDrill.checks.filter((c) => !c.ok).map((c) => c.name);
            return [
                'failing',
                `the last drill (${(0,log/* formatTime */.fU)(lastDrill.finishedAt)}, backup ${lastDrill.backupId}) failed${failed.length ? `: ${failed.join(', ')}` : ''}`,
            ];
        }
        if (fresh && (set.missedRuns ?? 0) >= 2) {
            return [
                'failing',
                `${set.missedRuns} scheduled runs missed; the newest good backup is ${(0,log/* formatDuration */.a3)(set.newestGood.ageMs)} old`,
            ];
        }
        if (fresh && !fresh.ok) {
            return [
                'late',
                `the run expected at ${(0,log/* formatTime */.fU)(fresh.lastExpected)} left no backup; the newest good one is ${(0,log/* formatDuration */.a3)(set.newestGood.ageMs)} old`,
            ];
        }
        if (!lastDrill) {
            return [
                'never-drilled',
                `${fresh ? 'on schedule' : 'no schedule given, so freshness is not checked'}, but no restore drill has been recorded`,
            ];
        }
        if (!fresh)
            return ['unscheduled', 'no schedule given, so freshness is not checked'];
        return ['fresh', `on schedule; the last drill passed (RTO ${(0,log/* formatDuration */.a3)(lastDrill.rtoMs)})`];
    })();
    set.state = state;
    set.reason = reason;
    return set;
}
/**
 * Scheduled times in (from, to], oldest first, at most MAX_SCHEDULED (the newest ones).
 * cron-parser parses each line (it is the reference); walking its fields day by day is about a
 * hundred times faster than its prev(), which a 400-backup timeline would call 400 times per set.
 */
function scheduledBetween(cron, from, to) {
    if (to <= from)
        return [];
    const times = new Set();
    for (const line of cron) {
        const f = dist.CronExpressionParser.parse(line.trim(), { tz: 'UTC' }).fields;
        const minutes = [...f.minute.values].map(Number).sort((a, b) => b - a);
        const hours = [...f.hour.values].map(Number).sort((a, b) => b - a);
        const months = new Set(f.month.values.map(Number));
        const doms = new Set(f.dayOfMonth.values.map(Number));
        const dows = new Set(f.dayOfWeek.values.map((v) => Number(v) % 7));
        const domAny = f.dayOfMonth.isWildcard;
        const dowAny = f.dayOfWeek.isWildcard;
        const found = [];
        const day = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate()));
        while (found.length < MAX_SCHEDULED && day.getTime() + 86_400_000 > from.getTime()) {
            const domOk = doms.has(day.getUTCDate());
            const dowOk = dows.has(day.getUTCDay());
            // POSIX cron: with both day fields restricted, either one matching is enough.
            const dayOk = domAny && dowAny ? true : domAny ? dowOk : dowAny ? domOk : domOk || dowOk;
            if (months.has(day.getUTCMonth() + 1) && dayOk) {
                for (const h of hours) {
                    for (const m of minutes) {
                        const t = day.getTime() + h * 3_600_000 + m * 60_000;
                        if (t > from.getTime() && t <= to.getTime() && found.length < MAX_SCHEDULED)
                            found.push(t);
                    }
                }
            }
            day.setUTCDate(day.getUTCDate() - 1);
        }
        for (const t of found)
            times.add(t);
    }
    return [...times]
        .sort((a, b) => a - b)
        .slice(-MAX_SCHEDULED)
        .map((t) => new Date(t));
}
/** Scheduled runs with no good backup between them and the next run (or now, for the last). */
function gapsIn(runs, good, now) {
    const times = good.map((b) => Date.parse(b.createdAt));
    const gaps = [];
    let j = 0;
    runs.forEach((t, i) => {
        const end = runs[i + 1]?.getTime() ?? now.getTime();
        while (j < times.length && times[j] < t.getTime())
            j++;
        if (!(j < times.length && times[j] < end))
            gaps.push(t);
    });
    return gaps;
}

// EXTERNAL MODULE: ./build/src/core/limit.js
var limit = __webpack_require__(94166);
;// CONCATENATED MODULE: ./build/src/engine/report-gather.js
/** The report's reading side: every destination's sidecars, drill records and usage → one catalog. */










/** Newest backups per set whose drill record is asked for even when the listing shows none. */
const DRILL_PROBES = 3;
/** Reads every destination (unreadable ones are recorded, not fatal) into one catalog. */
async function gatherCatalog(destinations, only, settings, ctx) {
    const now = ctx.now();
    const catalog = {
        version: CATALOG_VERSION,
        generatedAt: now.toISOString(),
        tool: `lifeboat ${ctx.version}`,
        destinations: [],
        sets: [],
    };
    const found = [];
    const drills = new Map();
    const signed = new Set();
    const storage = new Map();
    const lifeboatSets = new Set();
    for (const d of destinations) {
        (0,log/* startPhase */.CJ)(ctx.log, `Read ${d.displayUrl}`);
        try {
            // Everything read from this destination joins the catalog only once all of it was read:
            // an unreadable destination is reported as such, never half-counted.
            const here = await readDestination(d, only, drills, ctx);
            found.push(...here.found);
            for (const [key, record] of here.drills)
                drills.set(key, record);
            for (const key of here.signed)
                signed.add(key);
            for (const set of here.sets)
                lifeboatSets.add(set);
            for (const [set, used] of here.used) {
                const perSet = storage.get(set) ?? new Map();
                perSet.set(d.displayUrl, used);
                storage.set(set, perSet);
            }
            catalog.destinations.push({ url: d.displayUrl });
        }
        catch (err) {
            // A cancel is the run's end, not one unreadable destination.
            if (ctx.signal?.aborted)
                throw ctx.signal.reason;
            catalog.destinations.push({ url: d.displayUrl, error: err.message });
        }
        (0,log/* endPhase */.zN)(ctx.log);
    }
    const bySet = groupBy(found, (g) => g.set);
    const names = [...new Set([...bySet.keys(), ...lifeboatSets, ...(only ? [only] : [])])].sort();
    for (const name of names) {
        const backups = mergeCopies(bySet.get(name) ?? [], drills, signed);
        const isSafety = name.endsWith('-safety');
        const cron = settings.perSet.get(name) ?? (isSafety ? [] : settings.schedule);
        const set = assessSet({ name, backups, cron, now, graceMs: settings.graceMs, isSafety });
        set.storage = [
            ...(storage.get(name) ?? new Map()),
        ].map(([destination, used]) => ({ destination, ...used }));
        const objects = set.storage.reduce((n, u) => n + u.objects, 0);
        if (backups.length === 0 && objects > 0) {
            set.reason = `no backup manifest found, though ${objects} object${objects === 1 ? ' is' : 's are'} stored: archives without their sidecar manifests are not restorable backups`;
        }
        set.retention = retentionPreview(bySet.get(name) ?? [], settings.policy);
        set.links = { ...settings.links };
        catalog.sets.push(set);
    }
    return catalog;
}
/** One destination's listing, sidecar manifests and drill records. */
async function readDestination(d, only, known, ctx) {
    const out = {
        found: [],
        drills: new Map(),
        signed: new Set(),
        sets: new Set(),
        used: new Map(),
    };
    const objects = await d.storage.list(only ? `${only}/` : '');
    const manifests = [];
    const drillKeys = [];
    for (const obj of objects) {
        const set = obj.key.split('/')[0];
        if (!obj.key.includes('/') || (only && set !== only))
            continue;
        const used = out.used.get(set) ?? { bytes: 0, objects: 0 };
        used.bytes += obj.size;
        used.objects++;
        out.used.set(set, used);
        // A folder with any object named by a backup id is a set, even with no readable
        // manifest left (archives whose sidecars are gone must not vanish from the page).
        if ((0,naming/* isBackupId */["if"])(obj.key.slice(set.length + 1).split('.')[0]))
            out.sets.add(set);
        const m = /^([^/]+)\/([^/]+?)\.(manifest\.json|drill\.json|sig)$/.exec(obj.key);
        if (!m || !(0,naming/* isBackupId */["if"])(m[2]))
            continue;
        if (m[3] === 'manifest.json')
            manifests.push({ set: m[1], id: m[2], key: obj.key });
        else if (m[3] === 'sig')
            out.signed.add(`${m[1]}/${m[2]}`);
        else
            drillKeys.push(obj.key);
    }
    await (0,limit/* eachLimited */.k)(manifests, limit/* STORE_READ_CONCURRENCY */.f, ctx.signal, async (m) => {
        try {
            out.found.push({
                ...m,
                destination: d.displayUrl,
                manifest: await (0,engine_destinations/* readSidecarManifest */.XT)(d, m.key),
            });
        }
        catch (err) {
            if ((0,errors/* isNotFound */.c4)(err))
                return;
            // A manifest that is not one is a damaged backup; a store that will not serve it is an
            // unreadable destination (the caller reports it).
            if (!(err instanceof errors/* IntegrityError */.cs))
                throw err;
            out.found.push({ ...m, destination: d.displayUrl, damaged: err.message });
        }
    });
    // Drill records the listing shows, and a probe of each set's newest backups for stores
    // whose listing may not show them; one found on an earlier destination is not read again.
    const newest = new Map();
    for (const m of [...manifests].sort((a, b) => (a.id < b.id ? 1 : -1))) {
        const ids = newest.get(m.set) ?? [];
        if (ids.length < DRILL_PROBES)
            newest.set(m.set, [...ids, m.id]);
    }
    const probes = [...newest].flatMap(([set, ids]) => ids.map((id) => `${set}/${id}.drill.json`));
    const keys = [...new Set([...drillKeys, ...probes])].filter((k) => !known.has(k.replace(/\.drill\.json$/, '')));
    await (0,limit/* eachLimited */.k)(keys, limit/* STORE_READ_CONCURRENCY */.f, ctx.signal, async (key) => {
        const record = await readDrill(d, key, ctx);
        if (record)
            out.drills.set(key.replace(/\.drill\.json$/, ''), record);
    });
    return out;
}
function groupBy(items, keyOf) {
    const groups = new Map();
    for (const item of items) {
        const key = keyOf(item);
        const group = groups.get(key);
        if (group)
            group.push(item);
        else
            groups.set(key, [item]);
    }
    return groups;
}
async function readDrill(d, key, ctx) {
    let body;
    try {
        body = await (0,consumers_.text)(await d.storage.get(key, { signal: ctx.signal }));
    }
    catch (err) {
        if ((0,errors/* isNotFound */.c4)(err) || ctx.signal?.aborted) {
            if (ctx.signal?.aborted)
                throw ctx.signal.reason;
            return undefined;
        }
        // A drill record only adds to a set's picture: one that cannot be read is said, not fatal.
        ctx.log.warn(`could not read ${key} on ${d.displayUrl}: ${err.message}; shown as never drilled`);
        return undefined;
    }
    try {
        const r = JSON.parse(body);
        if (typeof r === 'object' &&
            r !== null &&
            typeof r.ok === 'boolean' &&
            typeof r.backupId === 'string' &&
            typeof r.finishedAt === 'string' &&
            typeof r.rtoMs === 'number' &&
            Array.isArray(r.checks)) {
            return r;
        }
    }
    catch {
        // reported below
    }
    ctx.log.warn(`${key} on ${d.displayUrl} is not a drill record; shown as never drilled`);
    return undefined;
}
/** One backup per id, with a copy per destination; the first readable manifest describes it. */
function mergeCopies(gathered, drills, signed) {
    const byId = groupBy(gathered, (g) => g.id);
    const out = [];
    for (const [id, copies] of byId) {
        const good = copies.find((c) => c.manifest)?.manifest;
        const set = copies[0].set;
        const backup = good
            ? describeBackup(good, signed.has(`${set}/${id}`))
            : {
                id,
                createdAt: idTime(id),
                size: 0,
                sha256: '',
                encrypted: false,
                signed: signed.has(`${set}/${id}`),
                confirmed: false,
                tags: [],
                sources: [],
                copies: [],
                damaged: copies.map((c) => c.damaged).join('; '),
            };
        backup.copies = copies.map((c) => ({
            destination: c.destination,
            key: c.manifest?.archive.key ?? c.key,
            size: c.manifest?.archive.size ?? 0,
            ...(c.damaged ? { damaged: c.damaged } : {}),
        }));
        const drill = drills.get(`${set}/${id}`);
        if (drill)
            backup.drill = drill;
        out.push(backup);
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
function idTime(id) {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(id);
    return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`;
}
function describeBackup(m, hasSig) {
    // Encryption and signing land in the manifest in later formats; read whichever is there.
    const extra = m;
    const finished = m.finishedAt ? Date.parse(m.finishedAt) : NaN;
    const b = {
        id: m.id,
        createdAt: m.createdAt,
        size: m.archive.size,
        sha256: m.archive.sha256,
        compression: m.compression,
        encrypted: m.encrypted === true || Boolean(extra.encryption),
        signed: hasSig || extra.signed === true || Boolean(extra.signature),
        confirmed: isConfirmedBackup(m),
        ...(m.kind ? { kind: m.kind } : {}),
        ...(m.parent ? { parent: m.parent } : {}),
        ...(m.chainPosition !== undefined ? { chainPosition: m.chainPosition } : {}),
        tags: m.tags ?? [],
        sources: (m.sources ?? []).map((s) => {
            const inv = s.inventory ?? {};
            const src = {
                name: s.name,
                kind: s.kind,
                url: s.url,
                versions: s.versions ?? {},
            };
            if (inv.tables) {
                src.tables = inv.tables.length;
                src.rows = inv.tables.reduce((n, t) => n + t.rows, 0);
            }
            if (inv.files !== undefined)
                src.files = inv.files;
            if (inv.totalBytes !== undefined)
                src.totalBytes = inv.totalBytes;
            return src;
        }),
        copies: [],
    };
    if (m.tool)
        b.tool = `${m.tool.name} ${m.tool.version}`;
    if (m.finishedAt)
        b.finishedAt = m.finishedAt;
    if (!Number.isNaN(finished))
        b.durationMs = Math.max(0, finished - Date.parse(m.createdAt));
    if (m.verifiedAt)
        b.verifiedAt = m.verifiedAt;
    return b;
}
function retentionPreview(gathered, policy) {
    if ((0,retention_policy/* isEmptyPolicy */.kj)(policy))
        return [];
    const byDestination = groupBy(gathered.filter((g) => g.manifest), (g) => g.destination);
    return [...byDestination].map(([destination, entries]) => {
        const plan = (0,retention_policy/* planRetention */.SA)(entries.map((e) => ({
            id: e.id,
            time: new Date(e.manifest.createdAt),
            verified: isConfirmedBackup(e.manifest),
        })), policy);
        const pick = (d) => ({ id: d.id, reasons: d.reasons });
        return {
            destination,
            policy: (0,retention_policy/* describePolicy */.wy)(policy),
            keep: plan.keep.map(pick),
            remove: plan.remove.map(pick),
        };
    });
}

;// CONCATENATED MODULE: ./build/src/engine/report-command.js











/** Every option the report reads, checked before any storage is opened. */
function reportSettings(options, ctx) {
    const schedule = [];
    const perSet = new Map();
    for (const line of (0,parse/* lines */.Mn)(options, 'schedule')) {
        const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*=(.*)$/.exec(line);
        if (m)
            perSet.set(m[1], [...(perSet.get(m[1]) ?? []), m[2].trim()]);
        else
            schedule.push(line);
    }
    (0,freshness/* checkSchedule */.qB)([...schedule, ...[...perSet.values()].flat()], ctx.now());
    const settings = {
        schedule,
        perSet,
        policy: (0,retention_policy/* parseRetentionPolicy */.M$)(options.values),
        links: {},
    };
    const grace = (0,parse/* str */.gx)(options, 'grace');
    if (grace)
        settings.graceMs = (0,retention_policy/* parseDuration */.E9)('grace', grace).ms;
    const html = (0,parse/* str */.gx)(options, 'html');
    if (html !== undefined) {
        if (html.trim() === '') {
            throw new errors/* ConfigError */.xL('html', 'is empty', {
                hint: 'name the folder to write the site into, e.g. {{option:html=site}}',
            });
        }
        settings.html = (0,external_node_path_.resolve)(ctx.cwd, html);
    }
    const repository = (0,parse/* str */.gx)(options, 'repository') ?? ctx.github?.repository;
    if (repository !== undefined && !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository)) {
        throw new errors/* ConfigError */.xL('repository', `'${repository}' is not owner/repo`, {
            hint: 'give the repository as GitHub names it, e.g. {{option:repository=octo-org/app}}',
        });
    }
    const server = (ctx.github?.serverUrl ?? 'https://github.com').replace(/\/+$/, '');
    for (const [option, link] of [
        ['backup-workflow', 'runBackup'],
        ['restore-workflow', 'restore'],
    ]) {
        const file = (0,parse/* str */.gx)(options, option);
        if (file === undefined)
            continue;
        if (!/^[A-Za-z0-9_.-]+\.ya?ml$/.test(file)) {
            throw new errors/* ConfigError */.xL(option, `'${file}' is not a workflow file name`, {
                hint: `give the file name under .github/workflows, e.g. {{option:${option}=${option.replace('-workflow', '')}.yml}}`,
            });
        }
        if (!repository) {
            throw new errors/* ConfigError */.xL(option, 'needs the repository the workflow lives in', {
                hint: 'set {{option:repository=owner/repo}} (the action knows it; the CLI does not)',
            });
        }
        settings.links[link] = `${server}/${repository}/actions/workflows/${encodeURIComponent(file)}`;
    }
    return settings;
}
async function reportCommand(options, ctx, report) {
    const settings = reportSettings(options, ctx);
    if (settings.html)
        await checkSiteFolder(settings.html);
    const catalog = await (0,engine_destinations/* withDestinations */.cT)(options, ctx, (destinations) => gatherCatalog(destinations, (0,parse/* str */.gx)(options, 'name'), settings, ctx));
    for (const d of catalog.destinations)
        if (d.error)
            ctx.log.warn(`could not read ${d.url}: ${d.error}`);
    if (catalog.destinations.every((d) => d.error)) {
        throw new errors/* StorageError */.aq(`could not list backups: ${catalog.destinations.map((d) => `${d.url}: ${d.error}`).join('; ')}`);
    }
    (0,log/* startPhase */.CJ)(ctx.log, 'Report');
    ctx.log.info(reportText(catalog));
    (0,log/* endPhase */.zN)(ctx.log);
    // Warnings (annotations on a runner) only for what needs someone; the rest is in the table.
    for (const s of catalog.sets) {
        if (s.state === 'damaged' || s.state === 'failing' || s.state === 'late')
            ctx.log.warn(`${s.name} is ${STATE_LABELS[s.state]}: ${s.reason}`);
    }
    report.sections.push({ title: 'Backup sets', markdown: reportMarkdown(catalog) });
    report.outputs['sets'] = String(catalog.sets.length);
    report.outputs['healthy'] = String(catalog.sets.every((s) => s.state === 'fresh') && catalog.destinations.every((d) => !d.error));
    if (settings.html) {
        ctx.signal?.throwIfAborted();
        await writeSite(settings.html, catalog);
        report.outputs['html'] = settings.html;
        report.notes.push(`Dashboard written to ${(0,external_node_path_.join)(settings.html, 'index.html')}`);
        ctx.log.info(`Dashboard written to ${(0,external_node_path_.join)(settings.html, 'index.html')}`);
    }
}
/** The site goes into a folder: refuse a file in the way before reading any storage. */
async function checkSiteFolder(folder) {
    const info = await (0,external_node_fs_promises_.stat)(folder).catch(() => undefined);
    if (info && !info.isDirectory()) {
        throw new errors/* ConfigError */.xL('html', `${folder} exists and is not a folder`, {
            hint: 'name a new or existing folder for the site, e.g. {{option:html=site}}',
        });
    }
}
function drillText(s) {
    if (!s.lastDrill)
        return 'never drilled';
    return `${s.lastDrill.ok ? 'passed' : 'FAILED'} ${(0,log/* formatTime */.fU)(s.lastDrill.finishedAt)}, RTO ${(0,log/* formatDuration */.a3)(s.lastDrill.rtoMs)}`;
}
function usedText(s) {
    return s.storage.map((u) => `${(0,log/* formatBytes */.z3)(u.bytes)} on ${u.destination}`).join(', ') || '—';
}
function rows(catalog) {
    return catalog.sets.map((s) => [
        s.name,
        STATE_LABELS[s.state],
        s.newestGood ? s.newestGood.id : 'none',
        s.newestGood ? (0,log/* formatDuration */.a3)(s.newestGood.ageMs) : '—',
        s.nextExpected ? (0,log/* formatTime */.fU)(s.nextExpected) : 'no schedule',
        drillText(s),
        usedText(s),
    ]);
}
const HEADER = [
    'set',
    'state',
    'newest good backup',
    'age',
    'next expected run',
    'last drill',
    'storage used',
];
/** The overview as markdown, for the job summary (and the CLI's closing block). */
function reportMarkdown(catalog) {
    if (catalog.sets.length === 0)
        return '_no backup sets found_';
    const esc = (c) => c.replace(/\|/g, '\\|');
    return [
        `| ${HEADER.join(' | ')} |`,
        `|${HEADER.map(() => '---').join('|')}|`,
        ...rows(catalog).map((r) => `| ${r.map((c, i) => (i === 1 && c !== 'fresh' ? `**${esc(c)}**` : esc(c))).join(' | ')} |`),
    ].join('\n');
}
/** The overview as an aligned text table, for the log. */
function reportText(catalog) {
    if (catalog.sets.length === 0)
        return 'No backup sets found.';
    const table = [HEADER.map((h) => h.toUpperCase()), ...rows(catalog)];
    const widths = HEADER.map((_, i) => Math.max(...table.map((r) => r[i].length)));
    return table
        .map((r) => r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd())
        .join('\n');
}
/**
 * Writes the site: every file goes to a temporary name first and is renamed into place, so a
 * failed write never leaves a half page; pages of sets that are gone are removed.
 */
async function writeSite(folder, catalog) {
    const files = renderSite(catalog);
    await (0,external_node_fs_promises_.mkdir)((0,external_node_path_.join)(folder, 'sets'), { recursive: true });
    for (const [path, body] of files) {
        const target = (0,external_node_path_.join)(folder, path);
        const tmp = `${target}.${process.pid}.tmp`;
        try {
            await (0,external_node_fs_promises_.writeFile)(tmp, body);
            await (0,external_node_fs_promises_.rename)(tmp, target);
        }
        catch (err) {
            await (0,external_node_fs_promises_.rm)(tmp, { force: true });
            throw err;
        }
    }
    for (const f of await (0,external_node_fs_promises_.readdir)((0,external_node_path_.join)(folder, 'sets'))) {
        if (f.endsWith('.html') && !files.has(`sets/${f}`))
            await (0,external_node_fs_promises_.rm)((0,external_node_path_.join)(folder, 'sets', f));
    }
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
;// CONCATENATED MODULE: ./build/src/metrics/samples.js
/** The series of the issue, labelled by set, command and destination. */
function runSamples(f) {
    const samples = [];
    const destinations = f.destinations.length ? f.destinations : [{ url: '', ok: true }];
    for (const d of destinations) {
        const labels = { set: f.set, command: f.command, destination: d.url };
        const ok = f.ok && d.ok;
        const at = ok ? f.finishedAt : f.lastSuccessAt;
        samples.push({ name: 'lifeboat_last_run_success', labels, value: ok ? 1 : 0 });
        if (at)
            samples.push({
                name: 'lifeboat_last_success_timestamp_seconds',
                labels,
                value: seconds(at.getTime()),
            });
        samples.push({
            name: 'lifeboat_backup_duration_seconds',
            labels,
            value: seconds(f.durationMs),
        });
        const size = d.size ?? f.size;
        if (size !== undefined)
            samples.push({ name: 'lifeboat_backup_size_bytes', labels, value: size });
        if (f.backupTime && !Number.isNaN(f.backupTime.getTime())) {
            const age = Math.max(0, f.finishedAt.getTime() - f.backupTime.getTime());
            samples.push({ name: 'lifeboat_backup_age_seconds', labels, value: seconds(age) });
        }
        if (f.drill) {
            samples.push({ name: 'lifeboat_drill_rto_seconds', labels, value: seconds(f.drill.rtoMs) });
            samples.push({ name: 'lifeboat_drill_success', labels, value: f.drill.ok ? 1 : 0 });
        }
    }
    return samples;
}
function seconds(ms) {
    return Math.round(ms) / 1000;
}

;// CONCATENATED MODULE: ./build/src/metrics/prometheus.js
const METRICS = {
    lifeboat_last_success_timestamp_seconds: {
        type: 'gauge',
        help: 'Unix time the last successful run of this set and command finished.',
    },
    lifeboat_last_run_success: {
        type: 'gauge',
        help: '1 when the last run of this set and command succeeded, else 0.',
    },
    lifeboat_backup_duration_seconds: {
        type: 'gauge',
        help: 'Wall time of the last run of this set and command, in seconds.',
    },
    lifeboat_backup_size_bytes: {
        type: 'gauge',
        help: 'Size of the archive the last run made or read, in bytes.',
    },
    lifeboat_backup_age_seconds: {
        type: 'gauge',
        help: 'Age of the newest backup the last run made or read, in seconds, at the end of that run.',
    },
    lifeboat_drill_rto_seconds: {
        type: 'gauge',
        help: 'Time the last restore drill took to recover (download, restore and checks), in seconds.',
    },
    lifeboat_drill_success: {
        type: 'gauge',
        help: '1 when the last restore drill passed every check, else 0.',
    },
};
function isMetricName(name) {
    return Object.hasOwn(METRICS, name);
}
function escapeLabel(value) {
    return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
function unescapeLabel(value) {
    return value.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
}
function formatValue(v) {
    if (Number.isNaN(v))
        return 'NaN';
    if (v === Infinity)
        return '+Inf';
    if (v === -Infinity)
        return '-Inf';
    return String(v);
}
/** One block per metric (HELP, TYPE, then its samples), as the format requires. */
function renderMetrics(samples) {
    const out = [];
    for (const name of Object.keys(METRICS)) {
        const mine = samples.filter((s) => s.name === name);
        if (mine.length === 0)
            continue;
        out.push(`# HELP ${name} ${METRICS[name].help}`, `# TYPE ${name} ${METRICS[name].type}`);
        for (const s of mine) {
            const labels = Object.entries(s.labels)
                .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
                .join(',');
            out.push(`${name}${labels ? `{${labels}}` : ''} ${formatValue(s.value)}`);
        }
    }
    return out.length ? `${out.join('\n')}\n` : '';
}
/** Reads back the samples of a file this module wrote (other lines are not ours: dropped). */
function parseMetrics(textBody) {
    const samples = [];
    for (const line of textBody.split('\n')) {
        const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line.trim());
        if (!m || !isMetricName(m[1]))
            continue;
        const labels = {};
        for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
            labels[l[1]] = unescapeLabel(l[2]);
        const raw = m[3];
        const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
        if (raw !== 'NaN' && Number.isNaN(value))
            continue;
        samples.push({ name: m[1], labels, value });
    }
    return samples;
}

;// CONCATENATED MODULE: ./build/src/metrics/metrics-file.js




/**
 * Writes the run's samples to `path`, keeping the samples of other sets and commands already
 * there (one textfile can serve every set backed up from a machine). Written to a temporary
 * file in the same folder and renamed over the old one, so node_exporter never reads half a
 * file.
 */
async function writeMetricsFile(path, samples, ours) {
    let kept = [];
    try {
        kept = parseMetrics(await (0,external_node_fs_promises_.readFile)(path, 'utf8')).filter((s) => s.labels['set'] !== ours.set || s.labels['command'] !== ours.command);
    }
    catch (err) {
        if (err.code !== 'ENOENT')
            throw err;
    }
    // node_exporter's textfile collector reads only *.prom files: a temp name it skips.
    const temp = (0,external_node_path_.join)((0,external_node_path_.dirname)(path), `.${(0,external_node_path_.basename)(path)}.${(0,external_node_crypto_.randomBytes)(4).toString('hex')}.tmp`);
    try {
        await (0,external_node_fs_promises_.writeFile)(temp, renderMetrics([...kept, ...samples]), { mode: 0o644 });
        await (0,external_node_fs_promises_.rename)(temp, path);
    }
    catch (err) {
        await (0,external_node_fs_promises_.rm)(temp, { force: true });
        throw err;
    }
}

;// CONCATENATED MODULE: ./build/src/metrics/pushgateway.js

/**
 * PUTs the run's samples to a Pushgateway, grouped by set and command: a PUT replaces its
 * whole group, so a verify run must not wipe the series of the set's backups.
 */
async function pushMetrics(gateway, samples, group, signal) {
    const url = new URL(gateway);
    const headers = {
        'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
        'User-Agent': 'lifeboat',
    };
    // fetch refuses URLs with credentials: they travel as a Basic header instead.
    if (url.username || url.password) {
        const user = decodeURIComponent(url.username);
        const pass = decodeURIComponent(url.password);
        headers['Authorization'] = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
        url.username = '';
        url.password = '';
    }
    const base = url.href.replace(/\/+$/, '');
    const path = `/metrics/job/lifeboat/${groupLabel('set', group.set)}/${groupLabel('command', group.command)}`;
    const signals = [AbortSignal.timeout(15_000), ...(signal ? [signal] : [])];
    let res;
    try {
        res = await fetch(base + path, {
            method: 'PUT',
            headers,
            body: renderMetrics(samples),
            signal: AbortSignal.any(signals),
        });
    }
    catch (err) {
        const e = err;
        throw new Error(e.name === 'TimeoutError'
            ? 'no answer within 15 s'
            : (e.cause?.code ?? e.message ?? String(err)), { cause: err });
    }
    const text = await res.text().catch(() => '');
    if (!res.ok)
        throw new Error(`HTTP ${res.status}: ${text.replace(/\s+/g, ' ').trim().slice(0, 200)}`);
}
/** A grouping-key segment; an empty value must be written in base64 (`set@base64/=`). */
function groupLabel(name, value) {
    return value === '' ? `${name}@base64/=` : `${name}/${encodeURIComponent(value)}`;
}

;// CONCATENATED MODULE: ./build/src/notify/message.js

/** Splits the run's error into the error and its `fix:` line (describeError's layout). */
function splitError(error) {
    const at = error.indexOf('\n  fix: ');
    if (at < 0)
        return { error: error.trim() };
    return { error: error.slice(0, at).trim(), fix: error.slice(at + '\n  fix: '.length).trim() };
}
/** The error-kind output in words a person paged at night reads at a glance. */
const KIND_WORDS = {
    config: 'bad configuration',
    operational: 'operational failure',
    integrity: 'integrity failure: the backup cannot be trusted',
};
function buildMessage(outcome) {
    const what = `Lifeboat ${outcome.command} of set '${outcome.set}'`;
    const headline = outcome.ok
        ? `✅ ${what} succeeded`
        : `❌ ${what} failed (${KIND_WORDS[outcome.errorKind] ?? outcome.errorKind})`;
    const facts = [['set', outcome.set]];
    if (outcome.backupId)
        facts.push(['backup', outcome.backupId]);
    if (outcome.destinations.length)
        facts.push(['destination', outcome.destinations.join(', ')]);
    facts.push(['finished', (0,log/* formatTime */.fU)(outcome.finishedAt)]);
    facts.push(['duration', (0,log/* formatDuration */.a3)(outcome.durationMs)]);
    const message = { ok: outcome.ok, headline, facts, runUrl: outcome.runUrl };
    if (outcome.error)
        Object.assign(message, splitError(outcome.error));
    return message;
}
/** Plain text with light markdown, for chat services and issue bodies. */
function messageText(m, link) {
    const out = [m.headline];
    if (m.error)
        out.push(`Error: ${m.error}`);
    if (m.fix)
        out.push(`Fix: ${m.fix}`);
    for (const [k, v] of m.facts)
        out.push(`${k}: ${v}`);
    if (m.runUrl)
        out.push(link(m.runUrl, 'Open the run'));
    return out.join('\n');
}

;// CONCATENATED MODULE: ./build/src/notify/http.js
/** Notifications are small; a service that takes longer than this is treated as down. */
const TIMEOUT_MS = 15_000;
const RETRY_DELAY_MS = 2_000;
class HttpFailure extends Error {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
    }
}
/**
 * One request with a timeout and one retry on a network error, 429 or 5xx. Errors say what
 * went wrong without the URL (a webhook's URL is its secret).
 */
async function request(ctx, method, url, body, headers) {
    let last;
    for (let attempt = 0; attempt < 2; attempt++) {
        if (attempt > 0)
            await (ctx.sleep ?? delay)(RETRY_DELAY_MS);
        const signals = [AbortSignal.timeout(TIMEOUT_MS), ...(ctx.signal ? [ctx.signal] : [])];
        let res;
        try {
            res = await fetch(url, {
                method,
                headers,
                ...(body !== undefined && { body }),
                signal: AbortSignal.any(signals),
                redirect: 'error',
            });
        }
        catch (err) {
            last = new HttpFailure(networkProblem(err));
            if (ctx.signal?.aborted)
                throw last;
            continue;
        }
        const text = await res.text().catch(() => '');
        if (res.ok)
            return { status: res.status, body: text };
        last = new HttpFailure(`HTTP ${res.status}${summarise(text)}`, res.status);
        if (res.status !== 429 && res.status < 500)
            throw last;
    }
    throw last ?? new HttpFailure('no response');
}
function networkProblem(err) {
    const e = err;
    if (e?.name === 'TimeoutError')
        return `no answer within ${TIMEOUT_MS / 1000} s`;
    if (e?.name === 'AbortError')
        return 'cancelled';
    return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}
/** The start of a refusal's body (services say why there), on one line. */
function summarise(text) {
    const line = text.replace(/\s+/g, ' ').trim().slice(0, 200);
    return line ? `: ${line}` : '';
}
function delay(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

;// CONCATENATED MODULE: ./build/src/notify/github-issue.js


/** Every issue Lifeboat opens carries this label, so people can filter them and we find ours. */
const ISSUE_LABEL = 'lifeboat';
/** One issue per set and command: the stable title is how a repeat finds it. */
function issueTitle(outcome) {
    return `Lifeboat: ${outcome.command} of set '${outcome.set}' is failing`;
}
/**
 * Opens an issue on failure (or comments on the open one), and closes it with a comment on
 * the next success. Uses the REST endpoints: list repository issues (by label; unlike search,
 * it sees an issue the moment it exists), create an issue, create a comment, update an issue.
 */
async function updateGitHubIssue(outcome, message, ctx, repository, token) {
    const api = (ctx.github?.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
    const repo = `${api}/repos/${repository}`;
    const headers = {
        Accept: 'application/vnd.github+json',
        Authorization: `Bearer ${token}`,
        'X-GitHub-Api-Version': '2022-11-28',
        'User-Agent': 'lifeboat',
        'Content-Type': 'application/json',
    };
    const call = async (method, url, body) => JSON.parse((await request(ctx, method, url, body === undefined ? undefined : JSON.stringify(body), headers)).body || 'null');
    const title = issueTitle(outcome);
    const listed = (await call('GET', `${repo}/issues?state=open&labels=${encodeURIComponent(ISSUE_LABEL)}&per_page=100`));
    const open = (Array.isArray(listed) ? listed : []).find((i) => !i.pull_request && i.title === title);
    const text = messageText(message, (url, label) => `[${label}](${url})`);
    if (!outcome.ok) {
        if (open) {
            await call('POST', `${repo}/issues/${open.number}/comments`, {
                body: `Failed again.\n\n${text}`,
            });
            return `commented on issue #${open.number} in ${repository}`;
        }
        const created = (await call('POST', `${repo}/issues`, {
            title,
            body: `${text}\n\nLifeboat comments here while it keeps failing and closes this issue on the next success.`,
            labels: [ISSUE_LABEL],
        }));
        return `opened issue #${created.number} in ${repository}`;
    }
    if (!open)
        return `no open issue in ${repository}`;
    await call('POST', `${repo}/issues/${open.number}/comments`, {
        body: `Succeeded again.\n\n${text}`,
    });
    await call('PATCH', `${repo}/issues/${open.number}`, {
        state: 'closed',
        state_reason: 'completed',
    });
    return `closed issue #${open.number} in ${repository}`;
}

;// CONCATENATED MODULE: ./build/src/notify/slack.js

/** Slack incoming webhook payload: `text` in Slack's mrkdwn (links as <url|text>). */
function slackPayload(m) {
    const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const text = messageText({
        ...m,
        headline: `*${escape(m.headline)}*`,
        error: m.error && escape(m.error),
        fix: m.fix && escape(m.fix),
        facts: m.facts.map(([k, v]) => [k, escape(v)]),
    }, (url, label) => `<${url}|${label}>`);
    return { text };
}

;// CONCATENATED MODULE: ./build/src/notify/discord.js

const MAX_CONTENT = 2000;
/**
 * Discord webhook payload: `content` (at most 2000 characters) with mentions switched off, so
 * an error text holding "@everyone" pings nobody.
 */
function discordPayload(m) {
    let content = messageText({ ...m, headline: `**${m.headline}**` }, (url, label) => `[${label}](${url})`);
    if (content.length > MAX_CONTENT)
        content = `${content.slice(0, MAX_CONTENT - 1)}…`;
    return { content, allowed_mentions: { parse: [] } };
}

;// CONCATENATED MODULE: ./build/src/notify/teams.js
/**
 * Microsoft Teams workflow webhook payload ("Post to a channel when a webhook request is
 * received"): a message with one Adaptive Card attachment.
 */
function teamsPayload(m) {
    const body = [
        { type: 'TextBlock', text: m.headline, weight: 'Bolder', size: 'Medium', wrap: true },
    ];
    if (m.error)
        body.push({ type: 'TextBlock', text: m.error, wrap: true, color: 'Attention' });
    if (m.fix)
        body.push({ type: 'TextBlock', text: `Fix: ${m.fix}`, wrap: true });
    body.push({ type: 'FactSet', facts: m.facts.map(([title, value]) => ({ title, value })) });
    const card = {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: '1.4',
        body,
    };
    if (m.runUrl)
        card['actions'] = [{ type: 'Action.OpenUrl', title: 'Open the run', url: m.runUrl }];
    return {
        type: 'message',
        attachments: [
            { contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card },
        ],
    };
}

;// CONCATENATED MODULE: ./build/src/notify/targets.js

const EXPLICIT = ['slack', 'discord', 'teams', 'webhook'];
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
/** The payload a webhook URL takes, from its host; anything unknown is a generic webhook. */
function detectKind(url) {
    const host = url.hostname.toLowerCase();
    if (host === 'hooks.slack.com')
        return 'slack';
    if (/^(ptb\.|canary\.)?discord(app)?\.com$/.test(host) &&
        url.pathname.startsWith('/api/webhooks/'))
        return 'discord';
    // Teams workflow webhooks ("Post to a channel when a webhook request is received") are
    // Power Automate triggers: Logic Apps hosts, or the newer Power Platform ones.
    if (host.endsWith('.logic.azure.com') || host.endsWith('.api.powerplatform.com'))
        return 'teams';
    return 'webhook';
}
function isLoopback(host) {
    return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
/**
 * Parses the `notify` lines. Every URL is registered as a secret before anything can echo it,
 * and errors name the line by position and kind, never by its text.
 */
function parseNotifyTargets(lines, redactor) {
    // Each URL line is a secret on its own (the faces mask the input as a whole); the
    // github-issue keyword is not, or every mention of it in a log would read '***'.
    for (const line of lines)
        if (!isGitHubIssueLine(line))
            redactor.add(line);
    return lines.map((line, i) => parseTarget(line, i + 1, redactor));
}
function isGitHubIssueLine(line) {
    return line === 'github-issue' || line.startsWith('github-issue=');
}
function parseTarget(line, position, redactor) {
    const which = `line ${position}`;
    if (isGitHubIssueLine(line)) {
        const repository = line.startsWith('github-issue=')
            ? line.slice('github-issue='.length).trim()
            : undefined;
        if (repository !== undefined && !REPOSITORY.test(repository)) {
            throw new errors/* ConfigError */.xL('notify', `${which}: '${repository}' is not a repository`, {
                hint: 'write github-issue, or github-issue=owner/repo',
            });
        }
        return {
            kind: 'github-issue',
            repository,
            label: `GitHub issue (${repository ?? 'this repository'})`,
        };
    }
    let explicit;
    let rest = line;
    const prefix = /^([a-z]+)=(.*)$/.exec(line);
    if (prefix && !prefix[1].startsWith('http')) {
        const name = prefix[1];
        if (!EXPLICIT.includes(name)) {
            throw new errors/* ConfigError */.xL('notify', `${which}: unknown target kind '${name}'`, {
                hint: `use a URL, one of ${EXPLICIT.map((k) => `${k}=<url>`).join(', ')}, or github-issue`,
            });
        }
        explicit = name;
        rest = prefix[2].trim();
    }
    let url;
    try {
        url = new URL(rest);
    }
    catch {
        throw new errors/* ConfigError */.xL('notify', `${which} is not a URL`, {
            hint: 'give the webhook URL your chat service shows (https://…), or github-issue',
        });
    }
    redactor.add(url.href);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
        throw new errors/* ConfigError */.xL('notify', `${which}: ${url.protocol}// would send the webhook's secret in clear`, {
            hint: 'use the https:// URL (plain http:// is accepted only for localhost)',
        });
    }
    if (url.username || url.password) {
        redactor.add(decodeURIComponent(url.password));
    }
    const kind = explicit ?? detectKind(url);
    return { kind, url: url.href, label: `${kind} (${url.host})` };
}

;// CONCATENATED MODULE: ./build/src/notify/webhook.js

const SIGNATURE_HEADER = 'X-Lifeboat-Signature';
/** The generic webhook's JSON body: the run's result as data, plus the readable text. */
function webhookPayload(outcome, m) {
    return {
        event: 'lifeboat.run',
        ok: outcome.ok,
        command: outcome.command,
        set: outcome.set,
        backupId: outcome.backupId ?? null,
        errorKind: outcome.errorKind,
        error: m.error ?? null,
        fix: m.fix ?? null,
        durationMs: outcome.durationMs,
        finishedAt: outcome.finishedAt.toISOString(),
        destinations: outcome.destinations,
        runUrl: outcome.runUrl ?? null,
        text: m.headline,
    };
}
/** `sha256=<hex>` of the exact body bytes, as GitHub signs its own webhooks. */
function signBody(body, secret) {
    return `sha256=${(0,external_node_crypto_.createHmac)('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

;// CONCATENATED MODULE: ./build/src/notify/dispatch.js









/**
 * Checks the notify options before the command runs, so a typo fails the run before any work
 * (and not silently at 3 a.m. when the first failure should have been reported).
 */
function planNotifications(lines, on, ctx) {
    if (ctx.webhookSecret)
        ctx.redactor.add(ctx.webhookSecret);
    const targets = parseNotifyTargets(lines, ctx.redactor);
    if (targets.length === 0)
        return undefined;
    for (const t of targets) {
        if (t.kind !== 'github-issue')
            continue;
        if (!ctx.githubToken) {
            throw new errors/* ConfigError */.xL('notify', 'github-issue needs a token', {
                hint: 'set {{option:github-token}} (in a workflow the default github.token works with `permissions: issues: write`)',
            });
        }
        if (!t.repository && !ctx.github?.repository) {
            throw new errors/* ConfigError */.xL('notify', 'github-issue does not know the repository outside GitHub Actions', {
                hint: 'write github-issue=owner/repo',
            });
        }
    }
    return { targets, on: (on ?? 'failure') };
}
/** Whether chat and webhook targets hear about this run (github-issue follows the state itself). */
function shouldNotify(on, ok, previous) {
    if (on === 'always')
        return true;
    if (on === 'failure')
        return !ok;
    // change: a first run is news only when it failed (nobody needs "it works" on day one).
    return previous ? previous.ok !== ok : !ok;
}
/** Sends to every target that should hear about this run; never throws. */
async function sendNotifications(plan, outcome, previous, ctx) {
    const message = redactMessage(buildMessage(outcome), ctx);
    const chat = shouldNotify(plan.on, outcome.ok, previous);
    const results = [];
    for (const target of plan.targets) {
        if (target.kind !== 'github-issue' && !chat)
            continue;
        try {
            const detail = await sendOne(target, outcome, message, ctx);
            results.push({ target: target.label, ok: true, detail });
        }
        catch (err) {
            const why = ctx.redactor.redact(err.message ?? String(err));
            results.push({ target: target.label, ok: false, detail: why });
            ctx.log.warn(`notification to ${target.label} failed: ${why}; the run's own result stands`);
        }
    }
    return results;
}
async function sendOne(target, outcome, message, ctx) {
    if (target.kind === 'github-issue') {
        const repository = target.repository ?? ctx.github?.repository ?? '';
        return updateGitHubIssue(outcome, message, ctx, repository, ctx.githubToken ?? '');
    }
    const payload = payloadFor(target, outcome, message);
    const body = JSON.stringify(payload);
    const headers = {
        'Content-Type': 'application/json',
        'User-Agent': 'lifeboat',
    };
    if (target.kind === 'webhook' && ctx.webhookSecret)
        headers[SIGNATURE_HEADER] = signBody(body, ctx.webhookSecret);
    await request(ctx, 'POST', target.url, body, headers);
    return 'sent';
}
function payloadFor(target, outcome, message) {
    switch (target.kind) {
        case 'slack':
            return slackPayload(message);
        case 'discord':
            return discordPayload(message);
        case 'teams':
            return teamsPayload(message);
        case 'webhook':
            return webhookPayload(outcome, message);
    }
}
/** Whatever reached the message (an error quoting a URL), no secret leaves in it. */
function redactMessage(m, ctx) {
    const r = (s) => ctx.redactor.redact(s);
    return {
        ...m,
        headline: r(m.headline),
        ...(m.error !== undefined && { error: r(m.error) }),
        ...(m.fix !== undefined && { fix: r(m.fix) }),
        facts: m.facts.map(([k, v]) => [k, r(v)]),
    };
}

;// CONCATENATED MODULE: ./build/src/notify/last-run.js




/** The stored record, or undefined when there is none (a first run) or it is not ours. */
async function readLastRun(storage, set, command, signal) {
    let body;
    try {
        body = await (0,consumers_.text)(await storage.get((0,keys/* lastRunKey */.n$)(set, command), { signal }));
    }
    catch (err) {
        if ((0,errors/* isNotFound */.c4)(err))
            return undefined;
        throw err;
    }
    try {
        const r = JSON.parse(body);
        if (r && r.format === 1 && typeof r.ok === 'boolean' && typeof r.at === 'string')
            return r;
    }
    catch {
        // a damaged record is as good as none: the next write replaces it
    }
    return undefined;
}
async function writeLastRun(storage, record, signal) {
    const body = Buffer.from(`${JSON.stringify(record, null, 2)}\n`);
    await storage.put((0,keys/* lastRunKey */.n$)(record.set, record.command), external_node_stream_.Readable.from([body]), {
        size: body.length,
        contentType: 'application/json',
        signal,
    });
}
/** The record this run leaves, carrying the last success forward from the previous one. */
function nextLastRun(previous, run) {
    const at = run.at.toISOString();
    const record = {
        format: 1,
        set: run.set,
        command: run.command,
        ok: run.ok,
        errorKind: run.errorKind,
        at,
    };
    const lastSuccessAt = run.ok ? at : previous?.lastSuccessAt;
    if (lastSuccessAt)
        record.lastSuccessAt = lastSuccessAt;
    if (run.backupId)
        record.backupId = run.backupId;
    return record;
}

;// CONCATENATED MODULE: ./build/src/engine/announce.js













function prepareAnnouncements(options, ctx) {
    if (options.command === 'list' || options.command === 'report')
        return undefined;
    const nctx = {
        log: ctx.log,
        redactor: ctx.redactor,
        now: ctx.now,
        ...(ctx.signal && { signal: ctx.signal }),
        ...(ctx.sleep && { sleep: ctx.sleep }),
        ...(ctx.runUrl && { runUrl: ctx.runUrl }),
        ...(ctx.github && { github: ctx.github }),
    };
    const token = (0,parse/* str */.gx)(options, 'github-token');
    if (token)
        nctx.githubToken = token;
    const secret = (0,parse/* str */.gx)(options, 'notify-secret');
    if (secret)
        nctx.webhookSecret = secret;
    const plan = planNotifications((0,parse/* lines */.Mn)(options, 'notify'), (0,parse/* str */.gx)(options, 'notify-on'), nctx);
    const metricsFile = checkMetricsFile((0,parse/* str */.gx)(options, 'metrics-file'), ctx);
    const pushgateway = checkPushgateway((0,parse/* str */.gx)(options, 'pushgateway'), ctx);
    if (!plan && !metricsFile && !pushgateway)
        return undefined;
    return {
        ...(plan && { plan }),
        ...(metricsFile && { metricsFile }),
        ...(pushgateway && { pushgateway }),
        nctx,
    };
}
function checkMetricsFile(path, ctx) {
    if (!path)
        return undefined;
    const full = (0,external_node_path_.resolve)(ctx.cwd, path);
    const folder = (0,external_node_path_.dirname)(full);
    if (!(0,external_node_fs_.existsSync)(folder) || !(0,external_node_fs_.statSync)(folder).isDirectory()) {
        throw new errors/* ConfigError */.xL('metrics-file', `the folder ${folder} does not exist`, {
            hint: "point it at a file in an existing folder, e.g. node_exporter's textfile directory",
        });
    }
    if (!full.endsWith('.prom')) {
        ctx.log.warn(`${full}: node_exporter's textfile collector reads only files ending in .prom`);
    }
    return full;
}
function checkPushgateway(url, ctx) {
    if (!url)
        return undefined;
    (0,engine_destinations/* registerUrlSecrets */.AI)(url, ctx);
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        throw new errors/* ConfigError */.xL('pushgateway', 'is not a URL', { hint: 'e.g. http://pushgateway:9091' });
    }
    if (parsed.password)
        ctx.redactor.add(decodeURIComponent(parsed.password));
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new errors/* ConfigError */.xL('pushgateway', `${parsed.protocol}// is not an HTTP URL`, {
            hint: 'e.g. http://pushgateway:9091 or https://user:password@push.example.com',
        });
    }
    return url;
}
/**
 * After the command: store the run's record, notify, write metrics. Never throws: a failed
 * notification is a warning, never the reason a good run fails (or a failed one changes kind).
 */
async function announceRun(a, options, ctx, report, failure) {
    try {
        if (ctx.signal?.aborted) {
            ctx.log.info('the run was cancelled: no notification sent, no metrics written');
            return;
        }
        const ok = failure === undefined && !report.error;
        const set = setOf(options, report);
        const finishedAt = ctx.now();
        const needsRecord = a.plan?.on === 'change' || a.metricsFile || a.pushgateway;
        const exchanged = needsRecord && set && isSetName(set)
            ? await exchangeLastRun(options, ctx, report, set, ok, finishedAt)
            : undefined;
        const previous = exchanged?.previous;
        // Named as the storages name themselves, so a failed run's series are the good run's.
        const shown = exchanged?.displayUrls ?? (0,parse/* lines */.Mn)(options, 'destination').map(shownUrl);
        const destinations = report.destinations.length
            ? report.destinations.map((d) => ({
                url: d.url,
                ok: d.ok,
                ...(d.size !== undefined && { size: d.size }),
            }))
            : shown.map((url) => ({ url, ok: true }));
        const r = (s) => ctx.redactor.redact(s);
        if (a.plan) {
            const outcome = {
                ok,
                command: options.command,
                set: set ?? 'all sets',
                errorKind: report.outputs['error-kind'] ?? (ok ? 'none' : 'operational'),
                durationMs: report.durationMs,
                finishedAt,
                destinations: destinations.map((d) => r(d.url)),
                // A failed backup's id names nothing that was stored.
                ...(report.backupId &&
                    (ok || options.command !== 'backup') && { backupId: report.backupId }),
                ...(report.error && { error: r(report.error) }),
                ...(ctx.runUrl && { runUrl: ctx.runUrl }),
            };
            report.notifications = await sendNotifications(a.plan, outcome, previous, a.nctx);
        }
        if (a.metricsFile || a.pushgateway) {
            const samples = runSamples({
                set: set ?? '',
                command: options.command,
                ok,
                durationMs: report.durationMs,
                finishedAt,
                destinations: destinations.map((d) => ({ ...d, url: r(d.url) })),
                ...(report.size !== undefined && { size: report.size }),
                ...backupTimeOf(options, report, ok, finishedAt, previous),
                ...(previous?.lastSuccessAt && { lastSuccessAt: new Date(previous.lastSuccessAt) }),
                ...(report.drill && { drill: report.drill }),
            });
            const group = { set: set ?? '', command: options.command };
            if (a.metricsFile) {
                await writeMetricsFile(a.metricsFile, samples, group).then(() => ctx.log.info(`metrics written to ${a.metricsFile}`), (err) => ctx.log.warn(`could not write the metrics file ${a.metricsFile}: ${(0,errors/* describeErrorTemplate */.Qj)(err)}`));
            }
            if (a.pushgateway) {
                const where = (0,log/* redactUrl */.BO)(a.pushgateway);
                await pushMetrics(a.pushgateway, samples, group, ctx.signal).then(() => ctx.log.info(`metrics pushed to ${where}`), (err) => ctx.log.warn(`could not push metrics to ${where}: ${r((0,errors/* describeErrorTemplate */.Qj)(err))}`));
            }
        }
    }
    catch (err) {
        ctx.log.warn(`notifications and metrics: ${(0,errors/* describeErrorTemplate */.Qj)(err)}`);
    }
}
/** A set name that cannot be a backup set's (a `name` with a '/') gets no record. */
function isSetName(set) {
    try {
        (0,naming/* validateSetName */.wi)(set);
        return true;
    }
    catch {
        return false;
    }
}
/** A destination line as written, unless it holds a credential (then without it). */
function shownUrl(line) {
    const redacted = (0,log/* redactUrl */.BO)(line);
    try {
        return redacted === new URL(line).toString() ? line : redacted;
    }
    catch {
        return redacted;
    }
}
/** The set the run was about: as reported, as named, or as a backup derives it. */
function setOf(options, report) {
    if (report.name)
        return report.name;
    const named = (0,parse/* str */.gx)(options, 'name');
    if (named)
        return named;
    try {
        const first = (0,core_url/* parseNamedLines */.A5)((0,parse/* lines */.Mn)(options, 'source'))[0];
        return first ? (0,naming/* deriveSetName */.Fm)(first.url) : undefined;
    }
    catch {
        return undefined;
    }
}
function backupTimeOf(options, report, ok, finishedAt, previous) {
    const ageMs = Number(report.outputs['newest-age-ms']);
    if (options.command === 'status' && Number.isFinite(ageMs) && report.outputs['newest-age-ms'])
        return { backupTime: new Date(finishedAt.getTime() - ageMs) };
    // A failed backup made nothing: the newest backup is the last good one's.
    const id = options.command === 'backup' && !ok ? previous?.backupId : report.backupId;
    return id ? { backupTime: (0,naming/* backupTime */.a3)(id) } : {};
}
/**
 * Reads the set's previous record of this command from the first destination that has one,
 * and writes this run's to every destination. Failures are warnings.
 */
async function exchangeLastRun(options, ctx, report, set, ok, finishedAt) {
    let destinations;
    try {
        destinations = await (0,engine_destinations/* openDestinations */.uY)(options, ctx);
    }
    catch (err) {
        ctx.log.warn(`could not read the previous run's result: ${(0,errors/* describeErrorTemplate */.Qj)(err)}`);
        return undefined;
    }
    try {
        let previous;
        for (const d of destinations) {
            try {
                previous = await readLastRun(d.storage, set, options.command, ctx.signal);
            }
            catch (err) {
                ctx.log.warn(`${d.displayUrl}: could not read the previous run's result: ${(0,errors/* describeErrorTemplate */.Qj)(err)}`);
            }
            if (previous)
                break;
        }
        const backupId = options.command === 'backup' && !ok ? previous?.backupId : report.backupId;
        const record = nextLastRun(previous, {
            set,
            command: options.command,
            ok,
            errorKind: report.outputs['error-kind'] ?? (ok ? 'none' : 'operational'),
            at: finishedAt,
            ...(backupId && { backupId }),
        });
        // A dry run changes nothing at the destination, not even this small record.
        for (const d of (0,parse/* bool */.lc)(options, 'dry-run') ? [] : destinations) {
            try {
                await writeLastRun(d.storage, record, ctx.signal);
            }
            catch (err) {
                ctx.log.warn(`${d.displayUrl}: could not record this run's result: ${(0,errors/* describeErrorTemplate */.Qj)(err)}`);
            }
        }
        return { ...(previous && { previous }), displayUrls: destinations.map((d) => d.displayUrl) };
    }
    finally {
        await (0,engine_destinations/* closeDestinations */.W3)(destinations);
    }
}

;// CONCATENATED MODULE: ./build/src/engine/run.js




















const KIND_BY_EXIT_CODE = {
    0: 'none',
    1: 'operational',
    2: 'config',
    3: 'integrity',
};
/** The `error-kind` output: derived from the exit code so the two can never disagree. */
function errorKindOf(err) {
    if (err === undefined)
        return 'none';
    return KIND_BY_EXIT_CODE[(0,errors/* exitCodeFor */.Rr)(err)] ?? 'operational';
}
/**
 * Runs one command in its own session (the report, the abort signal, the cleanup stack and the
 * temporary folder). Throws typed errors; the report is filled in either way.
 */
async function runCommand(options, ctx, report) {
    await (0,temp/* sweepStaleTemp */.Ys)((0,temp/* runTempRoot */.a8)(ctx), ctx.log).catch(() => undefined);
    warnUnread(options, ctx);
    warnMisplaced(options, ctx);
    let announcements;
    let failure;
    try {
        announcements = prepareAnnouncements(options, ctx);
        await session/* RunSession */.m.run(options, ctx, report, dispatch);
    }
    catch (err) {
        // Whatever a cancelled step made of the abort (a killed tool, a broken stream), the run
        // was cancelled, and says so (error-kind operational: 130/143 are not config or integrity).
        const cause = err instanceof errors/* CancelledError */.cc ? err : (cancelledReason(ctx) ?? err);
        report.error = (0,errors/* describeError */.Uc)(cause);
        report.outputs['error-kind'] = errorKindOf(cause);
        failure = cause;
        throw cause;
    }
    finally {
        report.finishedMs = Date.now();
        if (report.backupId)
            report.outputs['backup-id'] = report.backupId;
        if (report.sha256)
            report.outputs['sha256'] = report.sha256;
        if (report.size !== undefined)
            report.outputs['size'] = String(report.size);
        report.outputs['duration-ms'] = String(report.durationMs);
        report.outputs['error-kind'] ??= 'none';
        // After every command, failed or not; never throws (a notification cannot fail a run).
        if (announcements)
            await announceRun(announcements, options, ctx, report, failure);
    }
}
async function dispatch(session) {
    const { options, ctx, report } = session;
    switch (options.command) {
        case 'backup':
            await backupCommand(session);
            return await checkWorkflowActivity(options, ctx, report);
        case 'restore':
            await restoreBackup(session);
            report.outputs['verified'] = 'true';
            return;
        case 'verify':
            return await (0,verify/* verifyCommand */.p0)(session);
        case 'list':
            return await listCommand(options, ctx, report);
        case 'prune':
            return await pruneCommand(options, ctx, report);
        case 'status':
            try {
                return await statusCommand(options, ctx, report);
            }
            finally {
                await checkWorkflowActivity(options, ctx, report);
            }
        case 'drill':
            return await drillCommand(session);
        case 'report':
            return await reportCommand(options, ctx, report);
    }
}
/** A set option the command ignores is usually a mistake (a keep-* on restore): say so. */
function warnUnread(options, ctx) {
    for (const name of options.unread ?? []) {
        const readers = schema/* OPTIONS */.lw.find((o) => o.name === name)?.commands;
        const by = Array.isArray(readers) ? ` (read by ${readers.join(', ')})` : '';
        ctx.log.warn(`${(0,option_ref/* optionRef */.$j)(name)} has no effect on '${options.command}'${by}; remove it from this step`);
    }
}
/**
 * A driver's option with no driver of that kind in the run is usually a mistake too (`jobs`
 * with only a sqlite source, `s3-region` with a file destination): name the kind it is for.
 */
function warnMisplaced(options, ctx) {
    for (const { name, owner, among } of options.misplaced ?? []) {
        const kinds = owner.kinds.join(', ').replace(/, ([^,]*)$/, ' and $1');
        const noun = among === 'destinations' ? 'destinations' : 'sources';
        const schemes = owner.schemes.map((s) => `${s}:`).join(' ');
        ctx.log.warn(`${(0,option_ref/* optionRef */.$j)(name)} is read only by ${kinds} ${noun} (${schemes}), and none of this run's ${among} is one; remove it from this step`);
    }
}
function cancelledReason(ctx) {
    const reason = ctx.signal?.aborted ? ctx.signal.reason : undefined;
    return reason instanceof errors/* LifeboatError */.H3 ? reason : undefined;
}
/**
 * Everything a backup will need later is parsed now, so a typo fails before the first byte is
 * dumped (a bad keep-within used to be found only after the backup was stored).
 */
function checkBackupOptions(options, ctx) {
    (0,encryption/* encryptionFor */.b0)(options, ctx);
    (0,signing/* signingKeyFor */.kC)(options, ctx);
    (0,retention_policy/* parseRetentionPolicy */.M$)(options.values);
    (0,freshness/* checkSchedule */.qB)((0,parse/* lines */.Mn)(options, 'schedule'), ctx.now());
    const grace = (0,parse/* str */.gx)(options, 'grace');
    if (grace)
        (0,retention_policy/* parseDuration */.E9)('grace', grace);
    return lockSettings(options);
}
async function backupCommand(session) {
    const { options, ctx, report } = session;
    const lock = checkBackupOptions(options, ctx);
    const set = (0,backup/* backupSetName */.yF)(options);
    const all = await (0,engine_destinations/* useDestinations */.ts)(session);
    // The lock is the first object written: a destination that cannot take it is reported
    // as failed before anything is dumped, and the rest go on.
    const locks = await lockSet(all, set, lock, ctx, 'backup');
    try {
        // Losing the lock aborts everything the locked part does.
        await session.step((locked) => backupLocked(locked, locks), {
            ctx: whileLocked(ctx, locks),
        });
    }
    catch (err) {
        // Whatever the abort broke along the way, the reason the run stopped is the lost lock.
        if (locks.lost.aborted)
            throw locks.lost.reason;
        throw err;
    }
    finally {
        // Reported in the order they were given, unwritable ones included.
        const order = all.map((d) => d.displayUrl);
        report.destinations.sort((a, b) => order.indexOf(a.url) - order.indexOf(b.url));
        await locks.release();
    }
}
async function backupLocked(session, locks) {
    const { options, ctx, report } = session;
    const outcome = await (0,backup/* createBackup */.dB)(session, {
        destinations: locks.held,
        unwritable: locks.failed,
    });
    const first = report.destinations.find((d) => d.ok);
    report.outputs['location'] = first
        ? `${first.url.replace(/\/$/, '')}/${outcome.manifest.archive.key}`
        : '';
    report.outputs['verified'] = String(report.destinations.every((d) => d.verified));
    // Retention and freshness only after a fully successful backup: a failed run deletes nothing.
    locks.assertHeld();
    // A cancel from here on finds the backup stored: the run still stops and says both.
    await afterStored(ctx, outcome.id, 'retention', () => pruneSet(options, ctx, report, outcome.stored, outcome.set, [outcome.id]));
    const explicitSchedule = (0,parse/* lines */.Mn)(options, 'schedule').length > 0;
    if (explicitSchedule || ctx.workflowSchedule) {
        await afterStored(ctx, outcome.id, 'the freshness check', async () => {
            try {
                const fresh = await statusCheck(options, ctx, report, outcome.stored, outcome.set);
                if (fresh && !fresh.ok)
                    ctx.log.warn(fresh.message);
            }
            catch (err) {
                if (!(err instanceof errors/* LifeboatError */.H3) || err instanceof errors/* CancelledError */.cc)
                    throw err;
                // Right after a good backup the set is fresh by definition, so a workflow that is not
                // checked out (the usual artifact: job) only loses a formality: say so, do not warn
                // every night. A schedule the user set and we cannot use is worth a warning.
                (explicitSchedule ? ctx.log.warn : ctx.log.info)(`freshness not checked: ${(0,errors/* describeErrorTemplate */.Qj)(err)}`);
            }
        });
    }
}
/**
 * Runs a step that follows a stored backup. A cancel during it (whether the step noticed it or
 * finished anyway) ends the run as cancelled, naming the stored backup so nobody takes the
 * 130/143 for a lost backup.
 */
async function afterStored(ctx, id, step, work) {
    let failure;
    try {
        await work();
    }
    catch (err) {
        failure = err;
    }
    const reason = cancelledReason(ctx);
    if (reason instanceof errors/* CancelledError */.cc) {
        throw new errors/* CancelledError */.cc(reason.signal, `backup ${id} was stored, but ${step} was cancelled before it finished`);
    }
    if (failure !== undefined)
        throw failure;
}


/***/ }),

/***/ 90388:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   m: () => (/* binding */ RunSession)
/* harmony export */ });
/* unused harmony export sourceContextOf */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var _core_temp_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(34563);


/**
 * One command's run: its options, its report, its abort signal, its cleanup stack and its
 * private temporary folder. A command takes the session instead of closing over a shared report,
 * and everything it opens (destinations, staged restores, the temp folder) goes on the cleanup
 * stack, which unwinds newest first however the run ends: success, error or cancel all clean up
 * the same way, in one place.
 *
 * A step that is a run of its own (the safety backup a restore takes before it replaces a
 * target) gets its own session: its own report, cleanups and temporary folder, the same context
 * and signal (a cancel stops both).
 */
class RunSession {
    options;
    ctx;
    report;
    cleanups = [];
    temp;
    closed = false;
    constructor(options, ctx, report) {
        this.options = options;
        this.ctx = ctx;
        this.report = report;
    }
    /** Runs `work` in a new session and unwinds its cleanup stack when it ends, however. */
    static async run(options, ctx, report, work) {
        const session = new RunSession(options, ctx, report);
        try {
            return await work(session);
        }
        finally {
            await session.close();
        }
    }
    /** Aborted when the run is cancelled (or, inside a locked backup, when the lock is lost). */
    get signal() {
        return this.ctx.signal;
    }
    /**
     * A nested step of this run (a drill's restore, the part of a backup that holds the set's
     * lock): the same report, its own cleanup stack and temporary folder, unwound when the step
     * ends, and optionally other options or a context with another signal.
     */
    step(work, change = {}) {
        return RunSession.run(change.options ?? this.options, change.ctx ?? this.ctx, this.report, work);
    }
    /** A run of its own inside this one (a safety backup): its own report, the same context. */
    runOwn(options, report, work) {
        return RunSession.run(options, this.ctx, report, work);
    }
    /** Registers a cleanup; cleanups run newest first when the session ends. */
    defer(what, run) {
        if (this.closed)
            throw new Error(`session already closed; cannot defer ${what}`);
        this.cleanups.push({ what, run });
    }
    /** This session's private temporary folder (0700), made on first use, removed at the end. */
    tempDir() {
        this.temp ??= (0,_core_temp_js__WEBPACK_IMPORTED_MODULE_1__/* .createRunTemp */ .cX)((0,_core_temp_js__WEBPACK_IMPORTED_MODULE_1__/* .runTempRoot */ .a8)(this.ctx)).then((dir) => {
            this.defer(`remove the temporary folder ${dir}`, () => (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(dir, { recursive: true, force: true }));
            return dir;
        });
        return this.temp;
    }
    /** What a source driver sees of this session, with its temporary folder. */
    async sourceContext() {
        return sourceContextOf(this.ctx, this.options, await this.tempDir());
    }
    /** Unwinds the cleanup stack, newest first; a failing cleanup is logged and the rest still run. */
    async close() {
        this.closed = true;
        while (this.cleanups.length) {
            const c = this.cleanups.pop();
            try {
                await c.run();
            }
            catch (err) {
                this.ctx.log.warn(`could not ${c.what}: ${err instanceof Error ? err.message : err}`);
            }
        }
    }
}
function sourceContextOf(ctx, options, tmpDir) {
    const sctx = {
        cwd: ctx.cwd,
        log: ctx.log,
        redactor: ctx.redactor,
        env: ctx.env,
        tmpDir,
        options: options.values,
    };
    if (ctx.provideTool)
        sctx.provideTool = ctx.provideTool;
    if (ctx.signal)
        sctx.signal = ctx.signal;
    return sctx;
}


/***/ }),

/***/ 5081:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  dk: () => (/* binding */ allowedSignersFor),
  jC: () => (/* binding */ checkSignature),
  Ld: () => (/* binding */ ownSigner),
  Mg: () => (/* binding */ requireSignature),
  kC: () => (/* binding */ signingKeyFor)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: external "node:stream/consumers"
var consumers_ = __webpack_require__(38321);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: ./build/src/archive/age/ssh.js
var ssh = __webpack_require__(81502);
// EXTERNAL MODULE: ./build/src/archive/age/keys.js + 1 modules
var keys = __webpack_require__(31247);
;// CONCATENATED MODULE: ./build/src/archive/sshsig.js



/** The SSHSIG namespace Lifeboat signs in: `ssh-keygen -Y verify -n lifeboat`. */
const SIGNATURE_NAMESPACE = 'lifeboat';
const MAGIC = Buffer.from('SSHSIG');
const HASH = 'sha512';
const ED25519_PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');
class SigningKeyError extends Error {
}
/** An ed25519 OpenSSH private key (unencrypted) for signing. */
function parseSigningKey(text) {
    let key;
    try {
        key = (0,ssh/* parseOpenSshPrivateKey */.CS)(text);
    }
    catch (err) {
        throw new SigningKeyError(err.message);
    }
    if (key.type !== 'ssh-ed25519')
        throw new SigningKeyError('the signing key must be an ssh-ed25519 key (ssh-keygen -t ed25519)');
    const privateKey = (0,external_node_crypto_.createPrivateKey)({
        key: Buffer.concat([ED25519_PKCS8, key.seed]),
        format: 'der',
        type: 'pkcs8',
    });
    const publicWire = key.publicWire;
    return {
        fingerprint: (0,keys/* sshFingerprint */.dN)(publicWire),
        publicLine: `ssh-ed25519 ${publicWire.toString('base64')}`,
        sign(message) {
            const signed = signedData(message, SIGNATURE_NAMESPACE);
            const sig = (0,external_node_crypto_.sign)(null, signed, privateKey);
            const blob = Buffer.concat([
                MAGIC,
                uint32(1),
                (0,ssh/* sshString */._G)(publicWire),
                (0,ssh/* sshString */._G)(SIGNATURE_NAMESPACE),
                (0,ssh/* sshString */._G)(''),
                (0,ssh/* sshString */._G)(HASH),
                (0,ssh/* sshString */._G)(Buffer.concat([(0,ssh/* sshString */._G)('ssh-ed25519'), (0,ssh/* sshString */._G)(sig)])),
            ]);
            const b64 = blob.toString('base64');
            const lines = [];
            for (let i = 0; i < b64.length; i += 70)
                lines.push(b64.slice(i, i + 70));
            return `-----BEGIN SSH SIGNATURE-----\n${lines.join('\n')}\n-----END SSH SIGNATURE-----\n`;
        },
    };
}
function uint32(n) {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
}
function signedData(message, namespace) {
    return Buffer.concat([
        MAGIC,
        (0,ssh/* sshString */._G)(namespace),
        (0,ssh/* sshString */._G)(''),
        (0,ssh/* sshString */._G)(HASH),
        (0,ssh/* sshString */._G)((0,external_node_crypto_.createHash)(HASH).update(message).digest()),
    ]);
}
/**
 * Parses an allowed-signers text (ssh-keygen's ALLOWED SIGNERS format: `principals [options]
 * ssh-ed25519 AAAA… [comment]`); a bare public key line is accepted too. Keys limited to other
 * namespaces are left out.
 */
function parseAllowedSigners(text) {
    const out = [];
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            continue;
        const tokens = line.split(/\s+/);
        const at = tokens.findIndex((t) => t === 'ssh-ed25519' || t === 'ssh-rsa' || t.startsWith('ecdsa-') || t.startsWith('sk-'));
        if (at === -1 || !tokens[at + 1])
            throw new SigningKeyError(`'${line.slice(0, 60)}' is not an allowed-signers line`);
        if (tokens[at] !== 'ssh-ed25519')
            throw new SigningKeyError(`only ssh-ed25519 signers are supported, not ${tokens[at]}`);
        const options = tokens.slice(1, at).join(' ');
        const ns = /namespaces="([^"]*)"/.exec(options);
        if (ns && !ns[1].split(',').includes(SIGNATURE_NAMESPACE))
            continue;
        let key;
        try {
            key = (0,ssh/* parseSshPublicLine */.Hb)(`${tokens[at]} ${tokens[at + 1]}`);
        }
        catch (err) {
            throw new SigningKeyError(err.message);
        }
        if (key.type !== 'ssh-ed25519')
            continue;
        out.push({
            principals: at === 0 ? '*' : tokens[0],
            fingerprint: (0,keys/* sshFingerprint */.dN)(key.wire),
            ed25519: key.ed25519,
        });
    }
    if (out.length === 0)
        throw new SigningKeyError('no ssh-ed25519 signer for the lifeboat namespace');
    return out;
}
/**
 * Checks an armored SSHSIG signature over `message` in the lifeboat namespace against the
 * allowed signers. Returns the signer, or a reason it is not valid.
 */
function verifySignature(armored, message, signers) {
    const m = /-----BEGIN SSH SIGNATURE-----([\s\S]*?)-----END SSH SIGNATURE-----/.exec(armored);
    if (!m)
        return { ok: false, reason: 'the signature file is not an SSH signature' };
    try {
        const r = new ssh/* SshReader */.o(Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
        if (!r.bytes(6).equals(MAGIC) || r.uint32() !== 1)
            return { ok: false, reason: 'the signature is not SSHSIG version 1' };
        const publicWire = r.string();
        const namespace = r.text();
        r.string();
        const hash = r.text();
        const sigBlob = new ssh/* SshReader */.o(r.string());
        if (namespace !== SIGNATURE_NAMESPACE)
            return {
                ok: false,
                reason: `the signature is for namespace '${namespace}', not '${SIGNATURE_NAMESPACE}'`,
            };
        if (hash !== 'sha512' && hash !== 'sha256')
            return { ok: false, reason: `unsupported signature hash ${hash}` };
        const fingerprint = (0,keys/* sshFingerprint */.dN)(publicWire);
        const signer = signers.find((s) => s.fingerprint === fingerprint);
        if (!signer)
            return {
                ok: false,
                reason: `it was signed by ${fingerprint}, which allowed-signers does not list`,
            };
        if (sigBlob.text() !== 'ssh-ed25519')
            return { ok: false, reason: 'not an ssh-ed25519 signature' };
        const sig = sigBlob.string();
        const publicKey = (0,external_node_crypto_.createPublicKey)({
            key: Buffer.concat([ED25519_SPKI, signer.ed25519]),
            format: 'der',
            type: 'spki',
        });
        const signed = Buffer.concat([
            MAGIC,
            (0,ssh/* sshString */._G)(namespace),
            (0,ssh/* sshString */._G)(''),
            (0,ssh/* sshString */._G)(hash),
            (0,ssh/* sshString */._G)((0,external_node_crypto_.createHash)(hash).update(message).digest()),
        ]);
        if (!(0,external_node_crypto_.verify)(null, signed, publicKey, sig))
            return { ok: false, reason: `the signature by ${fingerprint} does not match the index` };
        return { ok: true, signer };
    }
    catch (err) {
        return { ok: false, reason: `the signature is malformed (${err.message})` };
    }
}

// EXTERNAL MODULE: ./build/src/options/parse.js
var parse = __webpack_require__(85007);
// EXTERNAL MODULE: ./build/src/core/errors.js
var errors = __webpack_require__(43026);
// EXTERNAL MODULE: ./build/src/engine/naming.js
var naming = __webpack_require__(3994);
;// CONCATENATED MODULE: ./build/src/engine/signing.js







function keyText(option, value, ctx) {
    const t = value.trim();
    if (t.includes('\n') || t.startsWith('-----BEGIN') || /\bssh-(ed25519|rsa)\b/.test(t))
        return value;
    const path = (0,external_node_path_.isAbsolute)(t) ? t : (0,external_node_path_.resolve)(ctx.cwd, t);
    try {
        return (0,external_node_fs_.readFileSync)(path, 'utf8');
    }
    catch (err) {
        throw new errors/* ConfigError */.xL(option, `cannot read ${t}: ${err.message}`, {
            hint: option === 'signing-key'
                ? 'give the OpenSSH ed25519 private key itself from a secret, or the path of its file'
                : 'give allowed-signers lines (`principal ssh-ed25519 AAAA…`) or the path of such a file',
        });
    }
}
/** The key backups are signed with, or undefined when signing is off. */
function signingKeyFor(options, ctx) {
    const value = (0,parse/* str */.gx)(options, 'signing-key');
    if (!value)
        return undefined;
    ctx.redactor.add(value);
    const t = keyText('signing-key', value, ctx);
    ctx.redactor.add(t);
    for (const l of t.split(/\r?\n/))
        if (l.trim().length > 8 && !l.startsWith('-----'))
            ctx.redactor.add(l.trim());
    try {
        return parseSigningKey(t);
    }
    catch (err) {
        throw new errors/* ConfigError */.xL('signing-key', err.message, {
            hint: 'give an unencrypted ed25519 key made with `ssh-keygen -t ed25519 -N ""`, from a secret',
        });
    }
}
/** The signers a backup must be signed by, or undefined when signatures are not required. */
function allowedSignersFor(options, ctx) {
    const given = (0,parse/* lines */.Mn)(options, 'allowed-signers');
    if (given.length === 0)
        return undefined;
    try {
        return given.flatMap((l) => parseAllowedSigners(keyText('allowed-signers', l, ctx)));
    }
    catch (err) {
        if (err instanceof errors/* ConfigError */.xL)
            throw err;
        throw new errors/* ConfigError */.xL('allowed-signers', err.message, {
            hint: "give lines like `backups@example.org ssh-ed25519 AAAA…` (the signing key's .pub), or the path of such a file",
        });
    }
}
/** Reads `<id>.sig` and the index bytes it covers, and checks one against the other. */
async function checkSignature(d, entry, signers) {
    const keys = (0,naming/* backupKeys */.F1)(entry.set, entry.id, entry.manifest.compression, entry.manifest.encrypted);
    let sig;
    try {
        sig = await (0,consumers_.text)(await d.storage.get(keys.sig));
    }
    catch (err) {
        if ((0,errors/* isNotFound */.c4)(err))
            return { state: 'unsigned', reason: `${keys.sig} does not exist` };
        throw err;
    }
    const indexBytes = Buffer.from(await (0,consumers_.text)(await d.storage.get(keys.manifest)), 'utf8');
    const result = verifySignature(sig, indexBytes, signers);
    if (!result.ok)
        return { state: 'bad', reason: result.reason };
    let manifest;
    try {
        manifest = JSON.parse(indexBytes.toString('utf8'));
    }
    catch {
        return { state: 'bad', reason: 'the signed index is not JSON' };
    }
    if (manifest.id !== entry.id || manifest.name !== entry.set) {
        return { state: 'bad', reason: `the signed index is for ${manifest.name}/${manifest.id}` };
    }
    return {
        state: 'signed',
        signer: `${result.signer.principals} (${result.signer.fingerprint})`,
        manifest,
    };
}
/**
 * Restore, verify and drill with allowed-signers: the backup must carry a good signature, else
 * an IntegrityError before anything else is read. Returns the index exactly as signed.
 */
async function requireSignature(d, entry, signers, ctx) {
    const check = await checkSignature(d, entry, signers);
    const ref = `${entry.set}/${entry.id}`;
    if (check.state !== 'signed') {
        throw new errors/* IntegrityError */.cs(`backup ${ref} on ${d.displayUrl} is ${check.state === 'unsigned' ? 'not signed' : 'badly signed'}: ${check.reason}`, {
            hint: check.state === 'unsigned'
                ? 'allowed-signers requires signed backups: restore a signed one by id, or check who wrote this one to the store'
                : 'do not trust this backup: it was not signed by an allowed key, or its index was changed after signing',
        });
    }
    ctx.log.info(`Signature of ${ref}: good, by ${check.signer}`);
    return check.manifest;
}
/**
 * A backup run that signs (signing-key) without allowed-signers trusts its own key for
 * retention: backups it did not sign never count as the newest good one.
 */
function ownSigner(options, ctx) {
    const key = signingKeyFor(options, ctx);
    return key ? parseAllowedSigners(`self ${key.publicLine}`) : undefined;
}


/***/ }),

/***/ 50001:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  k: () => (/* binding */ checkStoredArchive),
  E: () => (/* binding */ readStoredArchive)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: external "node:stream/consumers"
var consumers_ = __webpack_require__(38321);
// EXTERNAL MODULE: ./build/src/archive/compression.js
var compression = __webpack_require__(29158);
// EXTERNAL MODULE: ./build/src/archive/hash.js
var hash = __webpack_require__(77482);
// EXTERNAL MODULE: ./build/src/archive/reader.js
var reader = __webpack_require__(90809);
// EXTERNAL MODULE: ./build/src/archive/types.js
var types = __webpack_require__(27317);
// EXTERNAL MODULE: ./build/src/archive/age/index.js + 1 modules
var age = __webpack_require__(96513);
// EXTERNAL MODULE: ./build/src/engine/encryption.js
var encryption = __webpack_require__(2971);
// EXTERNAL MODULE: ./build/src/core/errors.js
var errors = __webpack_require__(43026);
// EXTERNAL MODULE: ./build/src/core/log.js
var log = __webpack_require__(85491);
;// CONCATENATED MODULE: ./build/src/engine/members.js


/** Makes sure an entry's body was read to the end (or drains it) before the next entry is parsed. */
async function drain(entry) {
    const body = entry.body;
    if (!body || body.readableEnded || body.destroyed) {
        if (body?.errored)
            throw body.errored;
        return;
    }
    body.resume();
    await (0,promises_.finished)(body);
}
/**
 * Walks an archive, handing each source folder's members to `onSource` as an async iterable
 * (in archive order, one source at a time). Unconsumed bodies are drained; sources listed in the
 * header but with no members get an empty iterable at the end.
 */
async function walkArchive(items, onSource) {
    let next = await items.next();
    if (next.done || next.value.kind !== 'header')
        throw new errors/* IntegrityError */.cs('archive does not start with its header');
    const header = next.value.header;
    next = await items.next();
    const seen = [];
    while (!next.done && next.value.kind === 'member') {
        const source = next.value.source;
        if (seen.includes(source))
            throw new errors/* IntegrityError */.cs(`source folder '${source}' appears twice in the archive`);
        seen.push(source);
        let current = next;
        const members = async function* () {
            while (!current.done && current.value.kind === 'member' && current.value.source === source) {
                const entry = current.value.entry;
                yield entry;
                await drain(entry);
                current = await items.next();
            }
        };
        await onSource(source, members());
        // A consumer that stopped early leaves members behind: skip them so the walk can go on.
        while (!current.done && current.value.kind === 'member' && current.value.source === source) {
            await drain(current.value.entry);
            current = await items.next();
        }
        next = current;
    }
    for (const s of header.sources) {
        if (!seen.includes(s.name)) {
            seen.push(s.name);
            await onSource(s.name, (async function* () { })());
        }
    }
    if (next.done || next.value.kind !== 'manifest')
        throw new errors/* IntegrityError */.cs('archive ends without its manifest');
    const { manifest, observed } = next.value;
    const tail = await items.next();
    if (!tail.done)
        throw new errors/* IntegrityError */.cs('archive has entries after its manifest');
    return { header, manifest, observed, seen };
}

// EXTERNAL MODULE: ./build/src/engine/naming.js
var naming = __webpack_require__(3994);
;// CONCATENATED MODULE: ./build/src/engine/stored-archive.js














/**
 * Reads a stored archive once, end to end, handing each source folder to `read`: the one walk
 * verify, restore, drill and incremental chains share. Proven on the way: the sha256 and size of
 * the stored bytes against the sidecar, every chunk's sha256, the header and the inner manifest
 * against the sidecar manifest and against what was actually read. Anything that does not match
 * is an IntegrityError; when `read` fails, a damaged archive still wins over the reader's error.
 */
async function readStoredArchive(d, sidecar, ctx, sctx, read, options = {}) {
    checkReadable(sidecar);
    const ref = `${sidecar.name}/${sidecar.id}`;
    if (sidecar.encrypted && !options.identities) {
        throw new errors/* ConfigError */.xL('age-identity', `backup ${ref} is encrypted and no key was given`, {
            hint: 'give {{option:age-identity}} or {{option:passphrase}}',
        });
    }
    if (options.checkSha256Sidecar)
        await checkSha256Sidecar(d, sidecar);
    const stream = await d.storage.get(sidecar.archive.key, { signal: ctx.signal });
    const hasher = new hash/* HashingStream */.$K();
    const decryptor = sidecar.encrypted && options.identities
        ? new age/* AgeDecryptStream */.Rk(options.identities, (0,encryption/* keyErrors */.cs)(ref, options.identities))
        : undefined;
    const decompressor = (0,compression/* decompressStream */.Ct)(sidecar.compression);
    const readStages = [stream, hasher, decryptor, decompressor].filter((s) => s !== undefined);
    const decompressed = (0,external_node_stream_.pipeline)(...readStages, () => undefined);
    // Failures surface through the reader; this only keeps a late 'error' from crashing the process.
    for (const s of readStages)
        s.on('error', () => undefined);
    // A driver's own failure is rethrown as it is; a failure reading the archive (a damaged
    // chunk the driver was reading, say) wins over whatever the driver made of it.
    let driverFailure;
    let readFailure;
    async function* watched(members) {
        try {
            for await (const m of members) {
                m.body?.once('error', (err) => (readFailure ??= { err }));
                yield m;
            }
        }
        catch (err) {
            readFailure ??= { err };
            throw err;
        }
    }
    const guarded = async (source, members) => {
        const sm = sidecar.sources.find((s) => s.name === source);
        if (!sm)
            throw new errors/* IntegrityError */.cs(`archive holds a source '${source}' its manifest does not list`);
        // After a driver failed, the rest is only read to learn whether the archive is to blame.
        if (driverFailure)
            return;
        try {
            await read(sm, watched(members));
        }
        catch (err) {
            driverFailure ??= { err };
            // A refused target or a cancelled run needs no proof; a tool that failed on the data
            // might have been fed a tampered archive, which then is the error to report.
            if (err instanceof errors/* IntegrityError */.cs || err instanceof errors/* ConfigError */.xL || sctx.signal?.aborted)
                throw err;
        }
    };
    const items = (0,reader/* readArchive */.bL)(decompressed);
    let walk;
    try {
        walk = await walkArchive(items, guarded);
    }
    catch (err) {
        const failedRead = readFailure;
        // Tear the whole read side down (storage stream, hasher, decompressor child, reader) so
        // nothing is left running or waiting, whoever failed.
        const gone = new Error('the archive read was abandoned');
        for (const s of readStages)
            if (!s.destroyed)
                s.destroy(gone);
        await items.return(undefined).catch(() => undefined);
        // A driver that failed mid-member destroyed that member's body: the archive cannot be
        // read further, so the driver's own error is the one to report.
        const ownAbort = (e) => driverFailure !== undefined && isAbortError(e);
        if (failedRead && !ownAbort(failedRead.err))
            throw asIntegrity(failedRead.err, sidecar);
        if (driverFailure && (driverFailure.err === err || ownAbort(err)))
            throw driverFailure.err;
        throw asIntegrity(err, sidecar);
    }
    const failed = driverFailure;
    if (failed) {
        try {
            await proveRead(decompressed, hasher, walk, sidecar);
        }
        catch (err) {
            throw new errors/* IntegrityError */.cs(`${err.message} (the restore had failed: ${failed.err?.message ?? String(failed.err)})`, { cause: err, hint: err instanceof errors/* LifeboatError */.H3 ? err.hint : undefined });
        }
        throw failed.err;
    }
    await proveRead(decompressed, hasher, walk, sidecar);
    ctx.log.info(`Verified ${sidecar.archive.key}: ${(0,log/* formatBytes */.z3)(hasher.bytes)}, sha256 ${hasher.digest()}`);
}
/**
 * The checks once every member was read: the stored bytes' size and sha256, the inner manifest
 * against what was read and against the sidecar, and the header's id.
 */
async function proveRead(decompressed, hasher, walk, sidecar) {
    // The reader stops at the end blocks; read whatever padding follows so the hash covers every byte.
    if (!decompressed.readableEnded) {
        decompressed.resume();
        await (0,promises_.finished)(decompressed).catch((err) => {
            throw asIntegrity(err, sidecar);
        });
    }
    if (!hasher.writableFinished)
        await (0,promises_.finished)(hasher, { readable: false });
    if (hasher.bytes !== sidecar.archive.size || hasher.digest() !== sidecar.archive.sha256) {
        throw mismatch(sidecar.archive.key, hasher.bytes, hasher.digest(), sidecar);
    }
    (0,reader/* checkManifestConsistency */.ki)(walk.manifest, walk.observed);
    compareManifests(walk.manifest, sidecar);
    if (walk.header.id !== sidecar.id) {
        throw new errors/* IntegrityError */.cs(`archive header says backup ${walk.header.id}, the manifest says ${sidecar.id}`);
    }
}
/**
 * The quick proof (the read-back after a backup): the `.sha256`
 * sidecar agrees with the manifest (when asked) and the stored object has the manifest's size
 * and sha256, hashed as it streams, without decompressing. The chunk walk is verify's job.
 */
async function checkStoredArchive(d, sidecar, options = {}) {
    checkReadable(sidecar);
    if (options.checkSha256Sidecar)
        await checkSha256Sidecar(d, sidecar);
    const { key, size, sha256 } = sidecar.archive;
    const stream = await d.storage.get(key, { signal: options.signal });
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let bytes = 0;
    try {
        for await (const chunk of stream) {
            const b = chunk;
            bytes += b.length;
            // Longer than the manifest says: no need to read the rest.
            if (bytes > size)
                break;
            hash.update(b);
        }
    }
    catch (err) {
        stream.destroy();
        throw asIntegrity(err, sidecar);
    }
    if (bytes > size)
        throw mismatch(key, bytes, 'not computed (too long)', sidecar, true);
    const actual = hash.digest('hex');
    if (bytes !== size || actual !== sha256)
        throw mismatch(key, bytes, actual, sidecar);
}
function checkReadable(sidecar) {
    // An encrypted backup's public index is format 2; the manifest it seals is format 1.
    const readable = sidecar.encrypted ? types/* INDEX_FORMAT */.B7 : types/* FORMAT_VERSION */.Hp;
    if (sidecar.format > readable) {
        throw new errors/* IntegrityError */.cs(`backup ${sidecar.id} uses archive format ${sidecar.format}; this release reads up to ${readable}`, { hint: 'use a newer Lifeboat release to restore it' });
    }
}
function mismatch(key, bytes, sha256, sidecar, atLeast = false) {
    return new errors/* IntegrityError */.cs(`stored archive ${key} does not match its manifest: ${atLeast ? 'more than ' : ''}${bytes} bytes with sha256 ${sha256}, ` +
        `expected ${sidecar.archive.size} bytes with sha256 ${sidecar.archive.sha256}`, { hint: 'the stored copy is damaged: restore from another destination or another backup' });
}
async function checkSha256Sidecar(d, sidecar) {
    const key = (0,naming/* backupKeys */.F1)(sidecar.name, sidecar.id, sidecar.compression, sidecar.encrypted).sha256;
    let content;
    try {
        content = await (0,consumers_.text)(await d.storage.get(key));
    }
    catch (err) {
        if ((0,errors/* isNotFound */.c4)(err))
            throw new errors/* IntegrityError */.cs(`${key} is missing on ${d.displayUrl}`);
        throw err;
    }
    const line = (0,hash/* parseSha256sum */._f)(content);
    if (line.sha256 !== sidecar.archive.sha256 ||
        line.fileName !== sidecar.archive.key.split('/').pop()) {
        throw new errors/* IntegrityError */.cs(`${key} (${line.sha256} ${line.fileName}) disagrees with the manifest (${sidecar.archive.sha256})`);
    }
}
/** The inner manifest and the sidecar must describe the same backup. */
function compareManifests(inner, sidecar) {
    const strip = (m) => {
        const { archive: _a, verifiedAt: _v, ...rest } = m;
        return JSON.stringify(rest);
    };
    if (strip(inner) !== strip(sidecar)) {
        throw new errors/* IntegrityError */.cs(`the manifest inside archive ${sidecar.id} differs from its sidecar manifest`, {
            hint: 'the sidecar was altered or belongs to another archive: do not trust this backup',
        });
    }
}
function isAbortError(err) {
    const e = err;
    return e?.name === 'AbortError' || e?.code === 'ABORT_ERR';
}
/** Typed errors keep their meaning; anything else while reading the archive is an integrity failure. */
function asIntegrity(err, sidecar) {
    const keyed = (0,encryption/* asKeyError */.Cp)(err, `${sidecar.name}/${sidecar.id}`);
    if (keyed !== err)
        return keyed;
    if (err instanceof errors/* LifeboatError */.H3)
        return err;
    return new errors/* IntegrityError */.cs(`archive ${sidecar.archive.key} cannot be read: ${err?.message ?? err}`, {
        cause: err,
    });
}


/***/ }),

/***/ 12051:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   kA: () => (/* reexport safe */ _stored_archive_js__WEBPACK_IMPORTED_MODULE_3__.k),
/* harmony export */   p0: () => (/* binding */ verifyCommand)
/* harmony export */ });
/* unused harmony exports verifyStoredBackup, checkStructure, drainSource */
/* harmony import */ var _sources_registry_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(61482);
/* harmony import */ var _core_log_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(85491);
/* harmony import */ var _destinations_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(42121);
/* harmony import */ var _stored_archive_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(50001);
/* harmony import */ var _choose_backup_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(91470);
/* harmony import */ var _chain_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(85745);







/**
 * The verify command: the backup chosen as restore chooses it, its archive read end to end as
 * a restore reads it (every proof of `readStoredArchive`, and each source's structural check),
 * nothing staged. An encrypted backup without its key can only have its stored bytes proven,
 * and says so; an incremental one is proven link by link and its rebuilt state checked.
 */
async function verifyCommand(session) {
    const { ctx, report } = session;
    const keys = (0,_choose_backup_js__WEBPACK_IMPORTED_MODULE_4__/* .readKeysFor */ ._g)(session);
    const destinations = await (0,_destinations_js__WEBPACK_IMPORTED_MODULE_2__/* .useDestinations */ .ts)(session);
    const { entry, signed } = await (0,_choose_backup_js__WEBPACK_IMPORTED_MODULE_4__/* .chooseBackup */ .S1)(session, destinations, keys);
    (0,_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .startPhase */ .CJ)(ctx.log, `Verify ${entry.set}/${entry.id} on ${entry.destination.displayUrl}`);
    if (signed) {
        report.proofs.push('the index carries a good SSHSIG signature by a key allowed-signers lists');
    }
    const stored = entry.manifest.archive;
    const readFrom = {
        url: entry.destination.displayUrl,
        key: stored.key,
        ok: true,
        size: stored.size,
        sha256: stored.sha256,
        verified: true,
    };
    if (entry.manifest.encrypted && !keys.identities && entry.manifest.kind !== 'incremental') {
        // Without a key only the stored bytes can be proven; say plainly what was not checked.
        await (0,_stored_archive_js__WEBPACK_IMPORTED_MODULE_3__/* .checkStoredArchive */ .k)(entry.destination, entry.manifest, {
            checkSha256Sidecar: true,
            signal: session.signal,
        });
        report.destinations.push(readFrom);
        (0,_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .endPhase */ .zN)(ctx.log);
        const note = 'the backup is encrypted and no key was given: its stored size and sha256 were checked, its content was not (give age-identity or passphrase to check every chunk)';
        ctx.log.warn(note);
        report.notes.push(note);
        report.proofs.push(`the .sha256 sidecar agrees with the index, and the stored object's size (${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .formatBytes */ .z3)(stored.size)}) and sha256 match`);
        report.outputs['verified'] = 'true';
        return;
    }
    const manifest = await (0,_choose_backup_js__WEBPACK_IMPORTED_MODULE_4__/* .fullManifest */ .R4)(entry, keys.identities);
    const sctx = await session.sourceContext();
    if (manifest.kind === 'incremental') {
        // An incremental: every link opened (and its signature checked, with allowed-signers),
        // proven, and the final state rebuilt and checked like a full one.
        const { chain, proven } = await (0,_chain_js__WEBPACK_IMPORTED_MODULE_5__/* .proveChainAnywhere */ .bq)({ ...entry, manifest }, destinations, ctx, sctx, keys);
        const check = checkStructure(ctx, sctx, ' as rebuilt from the chain');
        for (const p of proven.values())
            await check(p.manifest, p.members);
        report.proofs.push(`every link of the chain (${chain.map((c) => c.id).join(' → ')}) was proven, and the state rebuilt from it matches the backup's record`);
    }
    else {
        await (0,_stored_archive_js__WEBPACK_IMPORTED_MODULE_3__/* .readStoredArchive */ .E)(entry.destination, manifest, ctx, sctx, checkStructure(ctx, sctx), {
            checkSha256Sidecar: true,
            ...(keys.identities ? { identities: keys.identities } : {}),
        });
    }
    report.destinations.push(readFrom);
    (0,_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .endPhase */ .zN)(ctx.log);
    report.proofs.push(`the .sha256 sidecar agrees with the manifest, and the stored object's size (${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .formatBytes */ .z3)(stored.size)}) and sha256 match`, "every chunk's sha256, the archive header and the inner manifest match the sidecar manifest", "each source's structure was checked where its kind has a check (SQLite integrity_check, dump table of contents, …)");
    report.outputs['verified'] = 'true';
}
/**
 * Verify: reads a stored archive end to end as a restore would (every proof of
 * `readStoredArchive`), staging nothing; with `structural`, each source's driver also checks
 * what it would restore (integrity_check, pg_restore --list, …).
 */
async function verifyStoredBackup(d, sidecar, ctx, sctx, options) {
    const read = options.structural ? checkStructure(ctx, sctx) : drainSource;
    await readStoredArchive(d, sidecar, ctx, sctx, read, options);
}
/** Each source's structural check where its driver has one; its members drained otherwise. */
function checkStructure(ctx, sctx, from = '') {
    return async (sm, members) => {
        const driver = await (0,_sources_registry_js__WEBPACK_IMPORTED_MODULE_0__/* .driverForKind */ .Ki)(sm.kind);
        if (!driver.verify)
            return drainSource(sm, members);
        ctx.log.info(`Checking the structure of ${sm.name} (${sm.kind})${from}…`);
        await driver.verify(members, sm, sctx);
    };
}
/** Reads every member body to its end, so its chunks are checked, and keeps nothing. */
async function drainSource(_sm, members) {
    for await (const m of members) {
        if (m.body)
            for await (const _ of m.body)
                void _;
    }
}


/***/ }),

/***/ 85007:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ac: () => (/* binding */ parseOptions),
/* harmony export */   Mn: () => (/* binding */ lines),
/* harmony export */   bu: () => (/* binding */ num),
/* harmony export */   gx: () => (/* binding */ str),
/* harmony export */   lc: () => (/* binding */ bool)
/* harmony export */ });
/* unused harmony export isCommand */
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(43026);
/* harmony import */ var _core_url_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(35708);
/* harmony import */ var _schema_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(43549);



function parseOptions(raw) {
    for (const key of Object.keys(raw)) {
        if (!_schema_js__WEBPACK_IMPORTED_MODULE_2__/* .OPTIONS */ .lw.some((o) => o.name === key)) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(key, `unknown option '${key}'`, {
                hint: `see the option table in the README`,
            });
        }
    }
    const values = {};
    for (const spec of _schema_js__WEBPACK_IMPORTED_MODULE_2__/* .OPTIONS */ .lw) {
        const value = parseValue(spec, raw[spec.name]);
        if (value !== undefined)
            values[spec.name] = value;
    }
    const command = values['command'];
    // The action receives every input, defaults included: a default is not a choice.
    const chosen = _schema_js__WEBPACK_IMPORTED_MODULE_2__/* .OPTIONS */ .lw.filter((spec) => !isBlank(raw[spec.name]) && String(raw[spec.name]).trim() !== (spec.default ?? ''));
    const unread = chosen
        .filter((spec) => spec.commands !== 'all' && !spec.commands.includes(command))
        .map((spec) => spec.name);
    const misplaced = misplacedOptions(chosen.filter((spec) => !unread.includes(spec.name)), command, values);
    return { command, values: values, unread, misplaced };
}
/**
 * The chosen driver options that no driver of this run reads. Judged only when every URL that
 * decides it has a scheme a registry knows: a bare path or a bad scheme is left to the command
 * (its own error), and the kinds of a verify's or drill's sources are in the backup, not here.
 */
function misplacedOptions(chosen, command, values) {
    const known = (urls, role) => {
        const schemes = (0,_core_url_js__WEBPACK_IMPORTED_MODULE_1__/* .parseNamedLines */ .A5)(Array.isArray(urls) ? urls : undefined).map((l) => (0,_core_url_js__WEBPACK_IMPORTED_MODULE_1__/* .schemeOf */ .dz)(l.url));
        if (schemes.length === 0)
            return undefined;
        const all = new Set(_schema_js__WEBPACK_IMPORTED_MODULE_2__/* .DRIVER_SCHEMES */ .a2[role]);
        return schemes.every((s) => s !== undefined && all.has(s)) ? schemes : undefined;
    };
    const among = {
        source: command === 'backup'
            ? ['sources', known(values['source'], 'source')]
            : command === 'restore'
                ? ['restore targets', known(values['target'], 'source')]
                : ['sources', undefined],
        destination: ['destinations', known(values['destination'], 'destination')],
    };
    const out = [];
    for (const spec of chosen) {
        const owner = (0,_schema_js__WEBPACK_IMPORTED_MODULE_2__/* .optionOwner */ .Hu)(spec.name);
        if (!owner)
            continue;
        const [where, schemes] = among[owner.role];
        if (schemes && !schemes.some((s) => owner.schemes.includes(s))) {
            out.push({ name: spec.name, owner, among: where });
        }
    }
    return out;
}
function isBlank(v) {
    if (v === undefined)
        return true;
    if (typeof v === 'boolean')
        return false;
    if (Array.isArray(v))
        return v.every((s) => s.trim() === '');
    return v.trim() === '';
}
function parseValue(spec, raw) {
    const input = isBlank(raw) ? spec.default : raw;
    if (input === undefined)
        return undefined;
    switch (spec.type) {
        case 'lines': {
            const list = Array.isArray(input) ? input : String(input).split(/\r?\n/);
            const lines = list
                .flatMap((s) => s.split(/\r?\n/))
                .map((s) => s.trim())
                .filter((s) => s && !s.startsWith('#'));
            return lines.length ? lines : undefined;
        }
        case 'boolean': {
            if (typeof input === 'boolean')
                return input;
            const v = String(input).trim().toLowerCase();
            if (['true', 'yes', '1', 'on'].includes(v))
                return true;
            if (['false', 'no', '0', 'off'].includes(v))
                return false;
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(spec.name, `'${v}' is not a boolean`, { hint: 'use true or false' });
        }
        case 'number': {
            const v = single(spec, input);
            if (!/^\d+$/.test(v)) {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(spec.name, `'${v}' is not a whole number`, {
                    hint: 'use a whole number such as 7',
                });
            }
            return Number(v);
        }
        case 'enum': {
            const v = single(spec, input);
            const allowed = spec.values ?? [];
            if (!allowed.includes(v)) {
                const shown = allowed.filter((a) => a !== '');
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(spec.name, `unknown value '${v}'`, {
                    hint: `use one of: ${shown.join(', ')}`,
                });
            }
            return v === '' ? undefined : v;
        }
        case 'string':
            return single(spec, input);
    }
}
function single(spec, input) {
    if (Array.isArray(input)) {
        if (input.length > 1)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(spec.name, 'given more than once', { hint: 'give it once' });
        return (input[0] ?? '').trim();
    }
    return String(input).trim();
}
function isCommand(v) {
    return COMMANDS.includes(v);
}
/** Accessors by option name; a name the schema does not declare does not compile. */
function str(o, name) {
    const v = o.values[name];
    return typeof v === 'string' ? v : undefined;
}
function lines(o, name) {
    const v = o.values[name];
    return Array.isArray(v) ? v : [];
}
function num(o, name) {
    const v = o.values[name];
    return typeof v === 'number' ? v : undefined;
}
function bool(o, name) {
    return o.values[name] === true;
}


/***/ }),

/***/ 43549:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   HE: () => (/* binding */ optionSpec),
/* harmony export */   Hu: () => (/* binding */ optionOwner),
/* harmony export */   Lo: () => (/* reexport safe */ _core_option_spec_js__WEBPACK_IMPORTED_MODULE_2__.L),
/* harmony export */   a2: () => (/* binding */ DRIVER_SCHEMES),
/* harmony export */   eo: () => (/* binding */ secretForms),
/* harmony export */   hW: () => (/* binding */ COMMAND_SUMMARIES),
/* harmony export */   lw: () => (/* binding */ OPTIONS)
/* harmony export */ });
/* unused harmony exports collectOptions, OUTPUTS */
/* harmony import */ var _core_option_spec_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(47422);
/* harmony import */ var _sources_registry_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(61482);
/* harmony import */ var _storage_registry_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(43101);
/**
 * The one option schema. The action's inputs (action.yml), the CLI's --flags and the README's
 * option table are all generated from or checked against OPTIONS: the options every run shares
 * (DECLARED_OPTIONS, below) and those each source and storage driver declares in the
 * `options.ts` beside its code, collected by the registries (one line per driver).
 */




/** One line per command, for `lifeboat --help` and each command's own help. */
const COMMAND_SUMMARIES = {
    backup: 'dump the sources into a checksummed archive at every destination',
    restore: 'prove a backup intact, then restore it into a new target',
    verify: 'read a stored backup end to end: checksums, every chunk, structure',
    list: 'show the backups at the destination',
    prune: 'apply the keep-* retention policy',
    status: 'fail when the newest backup is older than the schedule allows',
    drill: 'restore a backup into a scratch target, check it against its manifest and assertions',
    report: 'summarise every set at the destination; with --html, write the dashboard site',
};
const DATA = _core_option_spec_js__WEBPACK_IMPORTED_MODULE_2__/* .DATA_COMMANDS */ .S;
const RETENTION = ['backup', 'prune'];
/** Commands whose result is worth telling someone about (list only reads). */
const ANNOUNCED = ['backup', 'restore', 'verify', 'prune', 'status', 'drill'];
/** keep-* also drive the report's preview of what the next prune would delete. */
const RETENTION_PLAN = [...RETENTION, 'report'];
/**
 * The options every run shares, whatever its sources and destinations. An option only one kind
 * of source or storage reads is declared in that driver's `options.ts` instead
 * (src/sources/<kind>/options.ts, src/storage/<kind>/options.ts) and listed on its registry line.
 */
const DECLARED_OPTIONS = [
    {
        name: 'command',
        type: 'enum',
        values: _core_option_spec_js__WEBPACK_IMPORTED_MODULE_2__/* .COMMANDS */ .L,
        default: 'backup',
        commands: 'all',
        group: 'main',
        description: 'What to do: backup, restore, verify, list, prune, status, drill or report.',
    },
    {
        name: 'source',
        type: 'lines',
        commands: ['backup', 'drill'],
        group: 'main',
        description: 'Source URL(s), one per line, optionally `name=URL`: `sqlite:<path>`, `dir:<path or glob>`, `postgres://…`, `mysql://…`, `mariadb://…`, `redis://…`, `chroma://…`, `chroma+dir:<path>`, `qdrant://…`.',
    },
    {
        name: 'destination',
        type: 'lines',
        commands: DATA,
        group: 'main',
        description: 'Storage URL(s), one per line: `file:<path>`, `s3://bucket/prefix`, `gs://…`, `azblob://container/prefix`, `sftp://user@host/path`, `artifact:`. Backups go to every line; restores read the first that has the backup.',
    },
    {
        name: 'name',
        type: 'string',
        commands: DATA,
        group: 'main',
        description: 'Backup set name. Default: derived from the first source (file or database name).',
    },
    {
        name: 'compression',
        type: 'enum',
        values: ['zstd', 'gzip', 'none'],
        default: 'zstd',
        commands: ['backup'],
        group: 'main',
        description: "Archive compression. zstd uses the `zstd` executable when present (multi-threaded), Node's zlib otherwise.",
    },
    {
        name: 'backup',
        type: 'string',
        default: 'latest',
        commands: ['restore', 'verify', 'drill'],
        group: 'main',
        description: 'Which backup to restore, verify or drill: a backup id or `latest`.',
    },
    {
        name: 'target',
        type: 'lines',
        commands: ['restore', 'drill'],
        group: 'main',
        description: 'Where to restore, one per line (`name=URL` when the backup has several sources). Must be new or empty unless `overwrite` is set. For `drill`: the scratch server (PostgreSQL, MySQL), spare Redis database, or SQLite/dir path (default: a temporary one).',
    },
    {
        name: 'overwrite',
        type: 'boolean',
        default: 'false',
        commands: ['restore'],
        group: 'main',
        description: 'Allow restoring over an existing, non-empty target. The previous data is kept until the restored copy passes its checks, and put back if it does not.',
    },
    {
        name: 'verify-after-backup',
        type: 'boolean',
        default: 'true',
        commands: ['backup'],
        group: 'main',
        description: 'Read the stored archive back after the upload and check its size and sha256 against what was sent (chunk checksums and the manifest were checked while writing; `verify` walks every chunk again). When false, the checksum the store computed while receiving is the proof.',
    },
    {
        name: 'keep-last',
        type: 'number',
        commands: RETENTION_PLAN,
        group: 'retention',
        description: 'Keep the N newest backups.',
    },
    {
        name: 'keep-hourly',
        type: 'number',
        commands: RETENTION_PLAN,
        group: 'retention',
        description: 'Keep the newest backup of each of the last N hours that have one.',
    },
    {
        name: 'keep-daily',
        type: 'number',
        commands: RETENTION_PLAN,
        group: 'retention',
        description: 'Keep the newest backup of each of the last N days that have one (UTC).',
    },
    {
        name: 'keep-weekly',
        type: 'number',
        commands: RETENTION_PLAN,
        group: 'retention',
        description: 'Keep the newest backup of each of the last N ISO weeks that have one.',
    },
    {
        name: 'keep-monthly',
        type: 'number',
        commands: RETENTION_PLAN,
        group: 'retention',
        description: 'Keep the newest backup of each of the last N months that have one.',
    },
    {
        name: 'keep-yearly',
        type: 'number',
        commands: RETENTION_PLAN,
        group: 'retention',
        description: 'Keep the newest backup of each of the last N years that have one.',
    },
    {
        name: 'keep-within',
        type: 'string',
        commands: RETENTION_PLAN,
        group: 'retention',
        description: 'Keep every backup younger than this, relative to the newest (`7d`, `2w`, `1y6m`, `12h`).',
    },
    {
        name: 'dry-run',
        type: 'boolean',
        default: 'false',
        commands: ['prune'],
        group: 'retention',
        description: 'Show the retention plan without deleting anything.',
    },
    {
        name: 'lock-wait',
        type: 'string',
        default: '0s',
        commands: RETENTION,
        group: 'retention',
        description: "How long a backup or prune waits for another run's lock on the same set (`10m`, `1h`) before failing with a message naming the holder. `0s`: fail at once.",
    },
    {
        name: 'lock-ttl',
        type: 'string',
        default: '15m',
        commands: RETENTION,
        group: 'retention',
        description: "How long a set's lock lasts without being refreshed (a running holder refreshes it every third of this). A crashed run's lock expires after this and the next run takes it over.",
    },
    {
        name: 'break-lock',
        type: 'boolean',
        default: 'false',
        commands: RETENTION,
        group: 'retention',
        description: "Remove the set's lock, whoever holds it, before taking it. Only for a lock left by a run known to be dead: two runs of one set at once may delete each other's backups.",
    },
    {
        name: 'schedule',
        type: 'lines',
        commands: ['status', 'backup', 'report'],
        group: 'retention',
        description: "Cron line(s) the backups should follow (UTC). Default: the calling workflow's own `on.schedule`. For `report` there is no default (its own workflow's cron is not the backups'), and a line `set=cron` applies to that set only.",
    },
    {
        name: 'grace',
        type: 'string',
        commands: ['status', 'backup', 'report'],
        group: 'retention',
        description: 'How late the newest backup may be before `status` fails (`30m`, `2h`). Default: half the expected interval.',
    },
    {
        name: 'age-recipients',
        type: 'lines',
        commands: ['backup', 'restore'],
        group: 'encryption',
        description: 'Encrypt backups (age format) to these public keys, one per line: `age1…` (age-keygen), `ssh-ed25519 …` or `ssh-rsa …`, or the path of a file of them. Every recipient can decrypt. On `restore`: the recipients of the safety backup (default: those of the backup restored). See docs/encryption.md.',
    },
    {
        name: 'age-identity',
        type: 'string',
        secret: true,
        commands: ['restore', 'verify', 'drill', 'backup'],
        group: 'encryption',
        description: 'Key to decrypt encrypted backups with: `AGE-SECRET-KEY-1…` line(s) or an unencrypted OpenSSH ed25519/rsa private key, from a secret (or the path of such a file). Never needed by list, prune or status. On `backup` with `mode: incremental`: reads the encrypted parent (without it, a new full chain starts).',
    },
    {
        name: 'passphrase',
        type: 'string',
        secret: true,
        commands: DATA,
        group: 'encryption',
        description: 'Encrypt backups with this passphrase (age scrypt) instead of age-recipients, and decrypt with it. Prefer public keys: a passphrase must be known to every workflow that makes backups.',
    },
    {
        name: 'github-token',
        type: 'string',
        secret: true,
        commands: DATA,
        group: 'storage',
        actionDefault: '${{ github.token }}',
        description: 'GitHub artifacts: token to list, download and delete artifacts of other runs (needs `actions: read`, `actions: write` to prune).',
    },
    // --- notify ---
    {
        name: 'notify',
        type: 'lines',
        secret: true,
        publicLines: ['github-issue'],
        commands: ANNOUNCED,
        group: 'monitoring',
        description: 'Who to tell, one target per line: a Slack or Discord incoming webhook URL, a Microsoft Teams workflow webhook URL, any other `https://` URL (a generic JSON webhook), or `github-issue` (`github-issue=owner/repo` for another repository; uses `github-token`, which needs `issues: write`). Prefix a URL with `slack=`, `discord=`, `teams=` or `webhook=` to choose the payload when the host does not tell. Webhook URLs are secrets. A failed notification is a warning, never a failed run.',
    },
    {
        name: 'notify-on',
        type: 'enum',
        values: ['failure', 'always', 'change'],
        default: 'failure',
        commands: ANNOUNCED,
        group: 'monitoring',
        description: "When to notify: `failure`, `always`, or `change` (only when the result differs from the previous run of the same set and command, as recorded at the destination). `github-issue` follows the set's state whatever this says: opened on failure, commented on repeats, closed on the next success.",
    },
    {
        name: 'notify-secret',
        type: 'string',
        secret: true,
        commands: ANNOUNCED,
        group: 'monitoring',
        description: 'Generic webhooks: key for the `X-Lifeboat-Signature: sha256=<hex>` header, the HMAC-SHA256 of the request body.',
    },
    {
        name: 'metrics-file',
        type: 'string',
        commands: ANNOUNCED,
        group: 'monitoring',
        description: "Write the run's metrics in Prometheus text format to this file (for node_exporter's textfile collector), atomically. Series of other sets and commands already in the file are kept.",
    },
    {
        name: 'pushgateway',
        type: 'string',
        commands: ANNOUNCED,
        group: 'monitoring',
        description: "Prometheus Pushgateway URL: the run's metrics are PUT to `/metrics/job/lifeboat/set/<set>/command/<command>`.",
    },
    // --- toolkit ---
    {
        name: 'keep-alive',
        type: 'boolean',
        default: 'false',
        commands: ['status', 'backup'],
        group: 'main',
        description: 'GitHub disables scheduled workflows of public repositories after 60 days without activity, and backups stop silently. From day 45 `status` (and `backup`) warns; with `keep-alive: true` and `permissions: actions: write` it re-enables the calling workflow through the REST API, which restarts the count.',
    },
    // --- dashboard ---
    {
        name: 'html',
        type: 'string',
        commands: ['report'],
        group: 'main',
        description: '`report`: folder to write the dashboard into (a static site: `index.html`, a page per set, `catalog.json`; no script, works from `file://` and GitHub Pages).',
    },
    {
        name: 'repository',
        type: 'string',
        commands: ['report'],
        group: 'main',
        description: '`report`: `owner/repo` whose workflows the dashboard\'s "run a backup now" and "restore…" links open. Default in the action: this repository.',
    },
    {
        name: 'backup-workflow',
        type: 'string',
        commands: ['report'],
        group: 'main',
        description: '`report`: file name of the backup workflow (`backup.yml`), for the "run a backup now" link to its `workflow_dispatch` page.',
    },
    {
        name: 'restore-workflow',
        type: 'string',
        commands: ['report'],
        group: 'main',
        description: '`report`: file name of the restore workflow (`restore.yml`), for the "restore…" links to its `workflow_dispatch` page.',
    },
    // --- crypto ---
    {
        name: 'signing-key',
        type: 'string',
        secret: true,
        commands: ['backup', 'restore'],
        group: 'encryption',
        description: "Sign every backup: an unencrypted OpenSSH ssh-ed25519 private key, from a secret (or the path of the key file). Stores `<id>.sig` (SSHSIG, namespace `lifeboat`) over the backup's index, checkable with `ssh-keygen -Y verify`. On `restore`: signs the safety backup.",
    },
    {
        name: 'allowed-signers',
        type: 'lines',
        commands: DATA,
        group: 'encryption',
        description: 'Require signed backups: ssh-keygen allowed-signers lines (`principal ssh-ed25519 AAAA…`), or the path of such a file. verify, restore and drill then refuse an unsigned or badly signed backup (exit 3) before touching anything; list shows signed/unsigned/bad; retention and status count only well-signed backups as good.',
    },
    // --- vector ---
    {
        name: 'consistency',
        type: 'lines',
        commands: ['backup', 'drill'],
        group: 'sources',
        description: 'Cross-store checks, one per line: `<sql source>: <query returning ids> == <vector source>/<collection>`, e.g. `app: SELECT id::text FROM documents == vectors/docs`. Checked during backup, and by drill on the restored copies; differences beyond `consistency-tolerance` fail the run (exit 3).',
    },
    {
        name: 'consistency-tolerance',
        type: 'number',
        default: '0',
        commands: ['backup', 'drill'],
        group: 'sources',
        description: 'How many differences (ids missing from the vector store, orphan vectors, duplicates) a `consistency` check accepts before it fails the run.',
    },
    // --- drill ---
    {
        name: 'assert',
        type: 'lines',
        commands: ['drill'],
        group: 'main',
        description: "Drill assertions, one per line, checked on the scratch copy: SQL sources `<SELECT query> <op> <number or 'text'>` (op: `>=`, `>`, `<=`, `<`, `=`, `!=`; the first column of the first row is compared); Redis `keys <op> N`, `exists <key>`; `dir:` `files <op> N`, `file <path>`. Prefix a line with `@<source> ` when the backup has several sources.",
    },
    {
        name: 'max-rto',
        type: 'string',
        commands: ['drill'],
        group: 'main',
        description: 'Drill: the longest acceptable time to recover (download, restore and checks), e.g. `15m`. Longer fails the run.',
    },
    {
        name: 'max-age',
        type: 'string',
        commands: ['drill'],
        group: 'main',
        description: 'Drill: the oldest acceptable backup at drill time (the recovery point), e.g. `26h`. Older fails the run.',
    },
    {
        name: 'keep-scratch',
        type: 'boolean',
        default: 'false',
        commands: ['drill'],
        group: 'main',
        description: 'Drill: leave the scratch database, file or folder in place for inspection instead of removing it.',
    },
    // --- incremental ---
    {
        name: 'mode',
        type: 'enum',
        values: ['full', 'incremental'],
        default: 'full',
        commands: ['backup'],
        group: 'main',
        description: '`incremental`: `dir:` and `sqlite:` sources store only what changed since the newest backup of the set (files whose path, size, mode and mtime match are referenced; SQLite pages whose sha256 matches are referenced). The first backup, and one every `full-every`, is full. Restores read the whole chain back to its full backup.',
    },
    {
        name: 'full-every',
        type: 'string',
        default: '24',
        commands: ['backup'],
        group: 'main',
        description: "With `mode: incremental`: start a new chain with a full backup after this many backups (a count, e.g. `24`), or once the chain's full backup is older than a duration (e.g. `1d`, `7d`).",
    },
];
const GROUP_ORDER = [
    'main',
    'sources',
    'retention',
    'encryption',
    'storage',
    'monitoring',
];
/**
 * The one option list from the shared declarations and the registries' lines, in the order the
 * docs show them: by group, and within a group the drivers' options (in registry order) before
 * the shared ones; and which drivers read each driver option. Two lines may list one
 * declaration (collection-suffix); two declarations of one name are a mistake, refused here.
 */
function collectOptions(shared, sources, storage) {
    const owners = new Map();
    const declared = new Map();
    const lines = [
        ...sources.map((e) => ({ ...e, role: 'source' })),
        ...storage.map((e) => ({ ...e, role: 'destination' })),
    ];
    for (const line of lines) {
        for (const spec of line.options) {
            const seen = declared.get(spec.name);
            const owner = owners.get(spec.name);
            if ((seen && seen !== spec) || (owner && owner.role !== line.role)) {
                throw new Error(`option '${spec.name}' is declared twice (again by ${line.kind})`);
            }
            declared.set(spec.name, spec);
            if (owner) {
                owner.kinds.push(line.kind);
                owner.schemes.push(...line.schemes);
            }
            else {
                owners.set(spec.name, { role: line.role, kinds: [line.kind], schemes: [...line.schemes] });
            }
        }
    }
    for (const spec of shared) {
        if (declared.has(spec.name)) {
            throw new Error(`option '${spec.name}' is declared twice (shared, and by a driver)`);
        }
        declared.set(spec.name, spec);
    }
    const all = [...declared.values()];
    return { options: GROUP_ORDER.flatMap((g) => all.filter((o) => o.group === g)), owners };
}
const collected = collectOptions(DECLARED_OPTIONS, _sources_registry_js__WEBPACK_IMPORTED_MODULE_0__/* .sourceEntries */ .cz, _storage_registry_js__WEBPACK_IMPORTED_MODULE_1__/* .storageEntries */ .wY);
/** Every option, in the docs' order: action.yml, the README and `--help` agree. */
const OPTIONS = collected.options;
/** The URL schemes the registries know, by where a run names them. */
const DRIVER_SCHEMES = {
    source: _sources_registry_js__WEBPACK_IMPORTED_MODULE_0__/* .sourceEntries */ .cz.flatMap((e) => e.schemes),
    destination: _storage_registry_js__WEBPACK_IMPORTED_MODULE_1__/* .storageEntries */ .wY.flatMap((e) => e.schemes),
};
/** The drivers an option belongs to; undefined for the options every run shares. */
function optionOwner(name) {
    return collected.owners.get(name);
}
/**
 * What to mask of a secret option's raw value: the whole value, and for a `lines` option each
 * line on its own, except keyword lines (`github-issue`), which would otherwise turn every
 * mention of the word in the log into `***`.
 */
function secretForms(spec, value) {
    if (!spec.secret || value === '')
        return [];
    if (spec.type !== 'lines')
        return [value];
    const keywords = spec.publicLines ?? [];
    const lines = value
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '' && !keywords.includes(l));
    return lines.length ? [value, ...lines] : [];
}
function optionSpec(name) {
    return OPTIONS.find((o) => o.name === name);
}
/** Action outputs (and the CLI's --json `outputs`). */
const OUTPUTS = [
    {
        name: 'backup-id',
        description: 'Id of the backup made, restored or verified (`20261122T030000Z-abcdef`).',
    },
    {
        name: 'location',
        description: 'Where the archive was stored (backup) or restored to (restore).',
    },
    {
        name: 'safety-backup-id',
        description: '`restore` with overwrite: the safety backup(s) of the replaced data, as `set/id` (one per line).',
    },
    { name: 'size', description: 'Archive size in bytes.' },
    { name: 'sha256', description: 'sha256 of the archive as stored.' },
    { name: 'duration-ms', description: 'Wall time of the command in milliseconds.' },
    {
        name: 'error-kind',
        description: "How the run ended, set on every run: `none`, `config` (bad input; the CLI's exit code 2), `operational` (a source, storage or freshness failure; exit 1) or `integrity` (a checksum, size or structure mismatch: the backup cannot be trusted; exit 3). Branch on it with `if: failure() && steps.<id>.outputs.error-kind == 'integrity'`.",
    },
    {
        name: 'verified',
        description: '`true` when the stored archive was read back and its size and sha256 matched (backup), or proven before and while restoring (restore, verify).',
    },
    { name: 'count', description: '`list`: number of backups.' },
    { name: 'backups', description: '`list`: the backups as JSON.' },
    { name: 'removed', description: '`prune` (and backup with keep-*): backups removed.' },
    { name: 'kept', description: '`prune` (and backup with keep-*): backups kept.' },
    {
        name: 'fresh',
        description: '`status`: `true` when the newest backup is recent enough for the schedule.',
    },
    { name: 'newest-age-ms', description: '`status`: age of the newest verified backup.' },
    {
        name: 'next-expected',
        description: '`status`: next time a scheduled backup is expected (ISO 8601).',
    },
    {
        name: 'drill-ok',
        description: "`drill`: `true` when every check passed, `false` when one failed (`status`: the set's last drill).",
    },
    {
        name: 'rto-ms',
        description: '`drill`: time to recover (download, restore and checks) in milliseconds (`status`: of the last drill).',
    },
    {
        name: 'backup-age-ms',
        description: '`drill`: age of the drilled backup at drill time (the recovery point).',
    },
    // --- dashboard ---
    { name: 'sets', description: '`report`: number of backup sets reported.' },
    {
        name: 'healthy',
        description: '`report`: `true` when every set is fresh and drilled and every destination could be read.',
    },
    { name: 'html', description: '`report` with `html`: the folder the dashboard was written to.' },
];


/***/ }),

/***/ 18456:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   e: () => (/* binding */ RunReport)
/* harmony export */ });
class RunReport {
    startedAt = Date.now();
    command;
    name;
    backupId;
    sha256;
    size;
    finishedMs;
    sources = [];
    destinations = [];
    backups = [];
    /** Free-form sections (retention plan, freshness) as markdown. */
    sections = [];
    notes = [];
    /** Checks that passed, in order, as one line each (what a restore or verify proved). */
    proofs = [];
    outputs = {};
    error;
    /** Who was told about this run (notify targets), for the summary. */
    notifications = [];
    /** The drill's result, for the metrics (set by drill). */
    drill;
    /**
     * The safety backups a restore took before replacing its targets: each a run of its own with
     * its own report, so this one keeps the restored backup's facts.
     */
    safetyBackups = [];
    constructor(command) {
        this.command = command;
    }
    get durationMs() {
        return (this.finishedMs ?? Date.now()) - this.startedAt;
    }
}


/***/ }),

/***/ 73320:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Br: () => (/* binding */ renderSummary),
/* harmony export */   Lb: () => (/* binding */ renderDrillSection),
/* harmony export */   fr: () => (/* binding */ renderBackupTable),
/* harmony export */   nj: () => (/* binding */ describeDrill),
/* harmony export */   z2: () => (/* binding */ keyValueTable)
/* harmony export */ });
/* unused harmony export compareInventory */
/* harmony import */ var _core_log_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(85491);

const esc = (s) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
/**
 * A two-column table whose first pair is its header row: GitHub needs a header, and an empty
 * one shows as a blank bar above the facts.
 */
function keyValueTable(rows) {
    if (rows.length === 0)
        return '';
    const [[k0, v0], ...rest] = rows;
    return [
        `| ${esc(k0)} | ${esc(v0)} |`,
        '|---|---|',
        ...rest.map(([k, v]) => `| ${esc(k)} | ${esc(v)} |`),
    ].join('\n');
}
/** The job summary (and the CLI's closing block), as markdown. Works for failed runs too. */
function renderSummary(report) {
    const out = [];
    const ok = !report.error;
    out.push(`## Lifeboat ${report.command}: ${ok ? '✅ succeeded' : '❌ failed'}`);
    out.push('');
    if (report.error) {
        out.push('```');
        out.push(report.error);
        out.push('```');
        out.push('');
    }
    const facts = [];
    if (report.name)
        facts.push(['backup set', report.name]);
    if (report.backupId)
        facts.push(['backup id', `\`${report.backupId}\``]);
    if (report.size !== undefined)
        facts.push(['archive size', (0,_core_log_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(report.size)]);
    if (report.sha256)
        facts.push(['sha256', `\`${report.sha256}\``]);
    facts.push(['started', (0,_core_log_js__WEBPACK_IMPORTED_MODULE_0__/* .formatTime */ .fU)(new Date(report.startedAt))]);
    facts.push(['duration', (0,_core_log_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(report.durationMs)]);
    const restoring = report.command === 'restore' || report.command === 'drill';
    if (report.outputs['location'] && !restoring)
        facts.push(['location', report.outputs['location']]);
    out.push(keyValueTable(facts), '');
    if (restoring)
        out.push(...restoredSection(report));
    else if (report.sources.length)
        out.push(...sourcesSection(report.sources));
    if (report.proofs.length) {
        out.push(ok ? '### What was proven' : '### What was proven before the failure', '', ...report.proofs.map((p) => `- ${p}`), '');
    }
    if (report.destinations.length)
        out.push(...destinationsSection(report));
    if (report.backups.length || report.command === 'list') {
        out.push('### Backups', '');
        out.push(renderBackupTable(report, 'markdown'), '');
    }
    for (const s of report.sections)
        out.push(`### ${s.title}`, '', s.markdown, '');
    if (report.notifications.length)
        out.push(...notificationsSection(report));
    if (report.notes.length)
        out.push('### Notes', '', ...report.notes.map((n) => `- ${n}`), '');
    return out.join('\n');
}
/** Who was told about this run, and what each target answered. */
function notificationsSection(report) {
    const out = ['### Notified', '', '| target | result |', '|---|---|'];
    for (const n of report.notifications)
        out.push(`| ${esc(n.target)} | ${n.ok ? esc(n.detail) : `failed: ${esc(n.detail)}`} |`);
    out.push('');
    return out;
}
function destinationsSection(report) {
    // restore and verify read a stored backup; backup writes one.
    const reading = ['restore', 'verify', 'drill'].includes(report.command);
    const out = [
        reading ? '### Read from' : '### Destinations',
        '',
        reading
            ? '| storage | object | proof of the stored object |'
            : '| destination | object | result | proof of the stored object |',
        reading ? '|---|---|---|' : '|---|---|---|---|',
    ];
    for (const d of report.destinations) {
        if (reading) {
            const proof = d.verified
                ? 'size, sha256 and every chunk match the manifest'
                : 'not proven (the run failed first)';
            out.push(`| ${esc(d.url)} | ${esc(d.key ?? '')} | ${proof} |`);
            continue;
        }
        const proof = !d.ok
            ? ''
            : d.verified
                ? 'read back: size and sha256 match'
                : 'size and sha256 confirmed at upload (not read back)';
        out.push(`| ${esc(d.url)} | ${esc(d.key ?? '')} | ${d.ok ? 'stored' : `failed: ${esc(d.error ?? '')}`} | ${proof} |`);
    }
    out.push('');
    return out;
}
function describeInventory(inv) {
    const tables = inv?.tables;
    // Vector stores (Chroma, Qdrant) list collections; say when the URL named none and so every
    // collection was taken.
    if (tables && Array.isArray(inv?.extra?.['collections'])) {
        const every = inv?.extra?.['allCollections'] === true ? 'every collection: ' : '';
        const names = tables.map((t) => t.name).join(', ');
        return `${every}${tables.length} collection${tables.length === 1 ? '' : 's'} (${names}), ${tables.reduce((n, t) => n + t.rows, 0)} records`;
    }
    if (tables)
        return `${tables.length} tables, ${tables.reduce((n, t) => n + t.rows, 0)} rows`;
    if (inv?.files !== undefined)
        return `${inv.files} files`;
    return '';
}
function sourcesSection(sources) {
    const out = [
        '### Sources',
        '',
        '| source | kind | location | data | time | throughput | inventory |',
        '|---|---|---|---|---|---|---|',
    ];
    for (const s of sources) {
        const tp = s.bytes && s.durationMs
            ? `${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)((s.bytes / Math.max(s.durationMs, 1)) * 1000)}/s`
            : '';
        out.push(`| ${esc(s.name)} | ${s.kind} | ${esc(s.url)} | ${s.bytes !== undefined ? (0,_core_log_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(s.bytes) : ''} | ${s.durationMs !== undefined ? (0,_core_log_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(s.durationMs) : ''} | ${tp} | ${describeInventory(s.inventory)} |`);
    }
    out.push('');
    return out;
}
/** The restored data against the backup's inventory, as the summary states it. */
function compareInventory(expected, actual) {
    if (!actual)
        return 'not counted after the restore';
    const got = describeInventory(actual);
    if (!got)
        return 'not counted after the restore';
    if (!expected?.tables || !actual.tables) {
        if (expected?.files === undefined || actual.files === undefined)
            return got;
        return expected.files === actual.files
            ? `${got}; matches the backup's inventory`
            : `${got}; differs from the backup: it has ${expected.files} files`;
    }
    const want = new Map(expected.tables.map((t) => [t.name, t]));
    const differences = [];
    for (const t of actual.tables) {
        const w = want.get(t.name);
        if (!w)
            differences.push(`${t.name} not in the backup`);
        else if (!w.estimated && !t.estimated && w.rows !== t.rows)
            differences.push(`${t.name}: ${t.rows} rows, the backup has ${w.rows}`);
        want.delete(t.name);
    }
    for (const name of want.keys())
        differences.push(`${name} missing`);
    return differences.length
        ? `${got}; differs from the backup: ${differences.slice(0, 5).join('; ')}`
        : `${got}; matches the backup's inventory`;
}
function restoredSection(report) {
    if (report.sources.length === 0) {
        return report.error ? ['Nothing was restored.', ''] : [];
    }
    const out = [
        '### Restored',
        '',
        '| source | kind | restored to | tables / files |',
        '|---|---|---|---|',
    ];
    for (const s of report.sources) {
        out.push(`| ${esc(s.name)} | ${s.kind} | ${esc(s.target ?? s.url)} | ${esc(compareInventory(s.expectedInventory, s.inventory))} |`);
    }
    out.push('');
    return out;
}
function renderBackupTable(report, format) {
    // The signature column appears when allowed-signers was given (only then is a state known);
    // the drill column once a drill was recorded, so a set without drills reads as before.
    const signed = report.backups.some((b) => b.signature !== undefined);
    const drills = report.backups.some((b) => b.drill);
    const header = [
        'set',
        'id',
        'time',
        'size',
        'kind',
        'parent',
        'sources',
        'encrypted',
        ...(signed ? ['signature'] : []),
        'verified',
        ...(drills ? ['drill'] : []),
        'location',
    ];
    const rows = report.backups.map((b) => [
        b.set + (b.tags.length ? ` [${b.tags.join(',')}]` : ''),
        b.id,
        (0,_core_log_js__WEBPACK_IMPORTED_MODULE_0__/* .formatTime */ .fU)(b.time),
        (0,_core_log_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(b.size),
        b.kind === 'incremental' ? `incremental ${b.chainPosition ?? '?'}` : (b.kind ?? ''),
        b.parent ?? '',
        b.sources,
        b.encrypted ? 'yes' : 'no',
        ...(signed ? [b.signature ?? 'unsigned'] : []),
        b.damaged ? 'DAMAGED' : b.verified ? 'yes' : 'no',
        ...(drills ? [b.drill ? describeDrill(b.drill) : ''] : []),
        b.damaged ? `${b.location} (${b.damaged})` : b.location,
    ]);
    if (rows.length === 0)
        return format === 'markdown' ? '_no backups_' : 'no backups';
    if (format === 'markdown') {
        return [
            `| ${header.join(' | ')} |`,
            `|${header.map(() => '---').join('|')}|`,
            ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
        ].join('\n');
    }
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r) => r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd();
    return [line(header), ...rows.map(line)].join('\n');
}
/** The drill section: every check with its figures, then the recovery time and point. */
function renderDrillSection(record) {
    const out = [
        `**${record.ok ? '✅ drill passed' : '❌ drill failed'}**: RTO ${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(record.rtoMs)}, backup age (RPO) ${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(record.backupAgeMs)} at ${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_0__/* .formatTime */ .fU)(record.startedAt)}`,
        '',
        '| check | result | figures |',
        '|---|---|---|',
        ...record.checks.map((c) => `| ${esc(c.name)} | ${c.ok ? 'passed' : '**failed**'} | ${esc(c.detail)} |`),
    ];
    return out.join('\n');
}
/** One line about a backup's last drill, for `list` and `status`. */
function describeDrill(record) {
    if (!record)
        return 'never drilled';
    return `${record.ok ? 'passed' : 'FAILED'} ${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_0__/* .formatTime */ .fU)(record.finishedAt)}, RTO ${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(record.rtoMs)}`;
}


/***/ }),

/***/ 398:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E9: () => (/* binding */ parseDuration),
/* harmony export */   e0: () => (/* binding */ describeMs),
/* harmony export */   nj: () => (/* binding */ subtractDuration)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(43026);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const UNITS = {
    y: 'years',
    yr: 'years',
    year: 'years',
    years: 'years',
    mo: 'months',
    month: 'months',
    months: 'months',
    w: 'weeks',
    week: 'weeks',
    weeks: 'weeks',
    d: 'days',
    day: 'days',
    days: 'days',
    h: 'hours',
    hr: 'hours',
    hour: 'hours',
    hours: 'hours',
    min: 'minutes',
    mins: 'minutes',
    minute: 'minutes',
    minutes: 'minutes',
    s: 'seconds',
    sec: 'seconds',
    second: 'seconds',
    seconds: 'seconds',
};
const APPROX_MS = {
    years: 365 * DAY,
    months: 30 * DAY,
    weeks: 7 * DAY,
    days: DAY,
    hours: HOUR,
    minutes: MINUTE,
    seconds: 1000,
};
/**
 * Parses '30d', '2w', '1y6m', '12h', '1h30min', '90 minutes'. A bare `m` means months for
 * keep-within (restic's meaning, so '1y6m' works) and minutes for every other option
 * ('30m' grace); `mo` and `min` are never ambiguous.
 */
function parseDuration(option, text) {
    const trimmed = String(text).trim();
    const hint = option === 'keep-within'
        ? "use a number and a unit: y, m (months), w, d, h — e.g. '30d', '2w', '1y6m', '12h'"
        : "use a number and a unit: d, h, m (minutes), s — e.g. '30m', '2h', '1d'";
    if (!trimmed)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(option, 'empty duration', { hint });
    const bareM = option === 'keep-within' ? 'months' : 'minutes';
    const parts = {
        years: 0,
        months: 0,
        weeks: 0,
        days: 0,
        hours: 0,
        minutes: 0,
        seconds: 0,
    };
    const token = /\s*(\d+)\s*([a-z]+)\s*/giy;
    let pos = 0;
    let matched = 0;
    while (pos < trimmed.length) {
        token.lastIndex = pos;
        const m = token.exec(trimmed);
        if (!m) {
            const bare = /^\d+$/.test(trimmed);
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(option, `'${trimmed}' is not a duration${bare ? ' (no unit)' : ''}`, {
                hint,
            });
        }
        const word = m[2].toLowerCase();
        const unit = word === 'm' ? bareM : UNITS[word];
        if (!unit)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(option, `unknown unit '${m[2]}' in '${trimmed}'`, { hint });
        parts[unit] += Number(m[1]);
        pos = token.lastIndex;
        matched++;
    }
    if (matched === 0)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(option, `'${trimmed}' is not a duration`, { hint });
    let ms = 0;
    for (const [unit, n] of Object.entries(parts))
        ms += n * APPROX_MS[unit];
    if (!Number.isFinite(ms))
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(option, `'${trimmed}' is too long`, { hint });
    const exactMs = parts.hours * HOUR + parts.minutes * MINUTE + parts.seconds * 1000;
    return {
        ms,
        text: trimmed,
        calendar: {
            years: parts.years,
            months: parts.months,
            days: parts.weeks * 7 + parts.days,
            ms: exactMs,
        },
    };
}
/** The instant `d` before `from`, on the UTC calendar when the duration has calendar parts. */
function subtractDuration(from, d) {
    if (!d.calendar)
        return new Date(from.getTime() - d.ms);
    const t = new Date(from.getTime());
    const { years, months, days, ms } = d.calendar;
    t.setUTCFullYear(t.getUTCFullYear() - years, t.getUTCMonth() - months, t.getUTCDate() - days);
    return new Date(t.getTime() - ms);
}
/** '2 d 3 h', '45 min', '12 s': coarse, for messages about ages and intervals. */
function describeMs(ms) {
    const neg = ms < 0;
    let rest = Math.round(Math.abs(ms) / 1000);
    const d = Math.floor(rest / 86_400);
    rest -= d * 86_400;
    const h = Math.floor(rest / 3600);
    rest -= h * 3600;
    const m = Math.floor(rest / 60);
    const s = rest - m * 60;
    const out = [];
    if (d)
        out.push(`${d} d`);
    if (h)
        out.push(`${h} h`);
    if (m && d === 0)
        out.push(`${m} min`);
    if (s && d === 0 && h === 0)
        out.push(`${s} s`);
    const text = out.length ? out.join(' ') : '0 s';
    return neg ? `-${text}` : text;
}


/***/ }),

/***/ 10991:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   IW: () => (/* binding */ checkFreshness),
/* harmony export */   qB: () => (/* binding */ checkSchedule)
/* harmony export */ });
/* unused harmony export MIN_GRACE_MS */
/* harmony import */ var cron_parser__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(28628);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(43026);
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(398);
/* harmony import */ var _core_log_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(85491);




/** Default grace floor; see FreshnessInput.graceMs. */
const MIN_GRACE_MS = 15 * 60_000;
const SCHEDULE_HINT = "GitHub schedules use 5 fields in UTC: minute hour day-of-month month day-of-week, e.g. '0 3 * * *'";
// One field of POSIX cron as GitHub accepts it: lists of *, n, n-m, names, each with an
// optional /step. Extensions some parsers accept (L, W, #, ?, H, @daily) are refused so a
// schedule that GitHub would reject is not silently accepted here.
const FIELD = /^(?:\*|[0-9]+|[a-z]{3})(?:-(?:[0-9]+|[a-z]{3}))?(?:\/[0-9]+)?(?:,(?:\*|[0-9]+|[a-z]{3})(?:-(?:[0-9]+|[a-z]{3}))?(?:\/[0-9]+)?)*$/i;
/** Checks every line before any work starts; throws ConfigError naming `schedule`. */
function checkSchedule(lines, now = new Date()) {
    for (const l of lines)
        parseCron(l, now);
}
/** Validates one cron line the way GitHub's `on.schedule` would and parses it in UTC. */
function parseCron(expr, currentDate) {
    const text = expr.trim();
    if (!text)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL('schedule', 'empty cron expression', { hint: SCHEDULE_HINT });
    const fields = text.split(/\s+/);
    if (fields.length === 6) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL('schedule', `'${text}' has 6 fields (with seconds); GitHub only accepts 5-field cron`, {
            hint: `drop the seconds field: '${fields.slice(1).join(' ')}'`,
        });
    }
    if (fields.length !== 5) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL('schedule', `'${text}' has ${fields.length} field${fields.length === 1 ? '' : 's'}, not 5`, {
            hint: SCHEDULE_HINT,
        });
    }
    const bad = fields.find((f) => !FIELD.test(f));
    if (bad !== undefined) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL('schedule', `invalid cron expression '${text}': '${bad}' is not supported by GitHub schedules`, {
            hint: `${SCHEDULE_HINT}; each field is *, a number, a range a-b, a list a,b or a step */n`,
        });
    }
    try {
        return cron_parser__WEBPACK_IMPORTED_MODULE_0__.CronExpressionParser.parse(text, { currentDate, tz: 'UTC' });
    }
    catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL('schedule', `invalid cron expression '${text}': ${reason}`, {
            hint: SCHEDULE_HINT,
            cause: err,
        });
    }
}
/** Every line's scheduled times, merged, from the latest at or before `now` going back. */
function* scheduledBackwards(lines, now) {
    // prev() is strictly before currentDate; one ms later makes a run exactly at `now` count.
    const iterators = lines.map((l) => parseCron(l, new Date(now.getTime() + 1)));
    const heads = iterators.map((it) => it.prev().toDate());
    for (;;) {
        let best = 0;
        for (let i = 1; i < heads.length; i++)
            if (heads[i].getTime() > heads[best].getTime())
                best = i;
        const t = heads[best];
        yield t;
        // Several lines firing at the same minute are one expected run.
        for (let i = 0; i < heads.length; i++) {
            if (heads[i].getTime() === t.getTime())
                heads[i] = iterators[i].prev().toDate();
        }
    }
}
function nextAfter(lines, now) {
    let next;
    for (const l of lines) {
        const t = parseCron(l, now).next().toDate();
        if (!next || t < next)
            next = t;
    }
    return next;
}
function first(it) {
    return it.next().value;
}
const iso = (t) => (0,_core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .formatTime */ .fU)(t);
/** The latest scheduled run whose grace is over, and that grace. */
function lastExpectedRun(lines, now, nextExpected, explicitGraceMs) {
    if (explicitGraceMs !== undefined) {
        const target = new Date(now.getTime() - explicitGraceMs);
        return { expected: first(scheduledBackwards(lines, target)), graceMs: explicitGraceMs };
    }
    // The default grace depends on the gap after each run, so walk back until one's grace is
    // over; a grace of max(15 min, half the gap) ends within a few runs.
    let following = nextExpected;
    for (const t of scheduledBackwards(lines, now)) {
        const graceMs = Math.max(MIN_GRACE_MS, Math.round((following.getTime() - t.getTime()) / 2));
        if (t.getTime() + graceMs <= now.getTime())
            return { expected: t, graceMs };
        following = t;
    }
    throw new Error('unreachable: a cron schedule has no end');
}
/**
 * Compares the newest verified backup with the schedule. The run that must be covered is the
 * latest scheduled time whose grace period has passed; the check passes when the newest backup
 * is at or after it. With several cron lines the most recent expected run across all counts.
 */
function checkFreshness(input) {
    const { now, newest } = input;
    const lines = input.cron.map((l) => l.trim()).filter((l) => l !== '');
    if (lines.length === 0) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL('schedule', 'no cron expression given', {
            hint: "set the cron line(s) your backups follow, e.g. {{option:schedule='0 3 * * *'}}",
        });
    }
    if (input.graceMs !== undefined && !(input.graceMs >= 0)) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL('grace', `grace must not be negative`, {
            hint: "use a duration such as '30m' or '2h'",
        });
    }
    for (const l of lines)
        parseCron(l, now); // every line is checked, not only the ones reached
    const nextExpected = nextAfter(lines, now);
    const lastScheduled = first(scheduledBackwards(lines, now));
    const { expected, graceMs } = lastExpectedRun(lines, now, nextExpected, input.graceMs);
    const intervalMs = nextAfter(lines, expected).getTime() - expected.getTime();
    const ageMs = newest ? now.getTime() - newest.getTime() : undefined;
    const ok = newest !== undefined && newest.getTime() >= expected.getTime();
    const every = `expected every ${(0,_duration_js__WEBPACK_IMPORTED_MODULE_2__/* .describeMs */ .e0)(intervalMs)}`;
    const nextText = `next expected run ${iso(nextExpected)}`;
    let message;
    if (!newest) {
        message = `No verified backup found; a backup was expected at ${iso(expected)} (${every}, grace ${(0,_duration_js__WEBPACK_IMPORTED_MODULE_2__/* .describeMs */ .e0)(graceMs)}); ${nextText}.`;
    }
    else if (ok) {
        message = `Fresh: newest verified backup is ${(0,_duration_js__WEBPACK_IMPORTED_MODULE_2__/* .describeMs */ .e0)(ageMs)} old (${iso(newest)}); ${every}, last expected run ${iso(expected)}, ${nextText}.`;
    }
    else {
        message =
            `Stale: newest verified backup is ${(0,_duration_js__WEBPACK_IMPORTED_MODULE_2__/* .describeMs */ .e0)(ageMs)} old (${iso(newest)}), but a backup was expected at ` +
                `${iso(expected)} (${every}, grace ${(0,_duration_js__WEBPACK_IMPORTED_MODULE_2__/* .describeMs */ .e0)(graceMs)}, missed or failed runs); ${nextText}.`;
    }
    const report = {
        ok,
        lastExpected: expected,
        nextExpected,
        expectedIntervalMs: intervalMs,
        message,
        lastScheduled,
        graceMs,
    };
    if (ageMs !== undefined)
        report.ageMs = ageMs;
    return report;
}


/***/ }),

/***/ 71428:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E9: () => (/* reexport safe */ _duration_js__WEBPACK_IMPORTED_MODULE_1__.E9),
/* harmony export */   M$: () => (/* binding */ parseRetentionPolicy),
/* harmony export */   SA: () => (/* binding */ planRetention),
/* harmony export */   e9: () => (/* binding */ keepChains),
/* harmony export */   kj: () => (/* binding */ isEmptyPolicy),
/* harmony export */   nT: () => (/* binding */ formatPlan),
/* harmony export */   wy: () => (/* binding */ describePolicy)
/* harmony export */ });
/* unused harmony exports isoWeek, periodLabel */
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(43026);
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(398);
/* harmony import */ var _core_log_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(85491);




const PERIODS = ['last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'];
const pad = (n, width = 2) => String(n).padStart(width, '0');
/** ISO 8601 week of a UTC instant: the week belongs to the year that holds its Thursday. */
function isoWeek(t) {
    const day = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate());
    const weekday = (t.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
    const thursday = new Date(day + (3 - weekday) * 86_400_000);
    const year = thursday.getUTCFullYear();
    const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
    return { year, week };
}
/** The period a backup falls in, as a label that is also its identity ('2026-11-21'). */
function periodLabel(period, t) {
    const y = pad(t.getUTCFullYear(), 4);
    const mo = pad(t.getUTCMonth() + 1);
    const d = pad(t.getUTCDate());
    switch (period) {
        case 'hourly':
            return `${y}-${mo}-${d}T${pad(t.getUTCHours())}`;
        case 'daily':
            return `${y}-${mo}-${d}`;
        case 'weekly': {
            const w = isoWeek(t);
            return `${pad(w.year, 4)}-W${pad(w.week)}`;
        }
        case 'monthly':
            return `${y}-${mo}`;
        case 'yearly':
            return y;
    }
}
function isEmptyPolicy(p) {
    const anyCount = PERIODS.some((k) => (p[k] ?? 0) > 0);
    return !anyCount && !hasWithin(p);
}
function hasWithin(p) {
    if (!p.within)
        return false;
    const c = p.within.calendar;
    return p.within.ms > 0 || (c !== undefined && c.years + c.months + c.days + c.ms > 0);
}
function newestFirst(a, b) {
    const dt = b.time.getTime() - a.time.getTime();
    if (dt !== 0)
        return dt;
    return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
const hasTime = (b) => b.time instanceof Date && !Number.isNaN(b.time.getTime());
/**
 * Pure. Semantics of restic's `forget`, in UTC: backups are walked newest first; each
 * `keep-<period> N` keeps the first (newest) backup it meets in each new period until it has
 * kept N, so periods without a backup never count, and when a rule runs out of backups before
 * N it also keeps the oldest one. `keep-within` keeps everything strictly newer than the newest
 * backup minus the duration. Rules are ORed. On top of that: an empty policy keeps everything,
 * the newest verified backup and the newest drilled one are always kept, and a backup without a
 * valid time is kept.
 */
function planRetention(backups, policy, 
/** Ids that must stay whatever the policy says: the backup the current run just made. */
protect = []) {
    const sorted = backups.filter(hasTime).sort(newestFirst);
    const reasons = new Map(sorted.map((b) => [b, []]));
    const reasonsOf = (b) => reasons.get(b);
    if (isEmptyPolicy(policy)) {
        for (const b of sorted)
            reasonsOf(b).push('no retention policy');
    }
    else if (sorted.length > 0) {
        const newest = sorted[0];
        const cutoff = hasWithin(policy)
            ? (0,_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .subtractDuration */ .nj)(newest.time, policy.within).getTime()
            : undefined;
        const buckets = PERIODS.map((period) => ({
            period,
            left: policy[period] ?? 0,
            last: undefined,
        }));
        sorted.forEach((b, nr) => {
            const isOldest = nr === sorted.length - 1;
            if (cutoff !== undefined && b.time.getTime() > cutoff)
                reasonsOf(b).push(`within ${policy.within.text}`);
            for (const bucket of buckets) {
                if (!(bucket.left > 0))
                    continue;
                const label = bucket.period === 'last' ? String(nr + 1) : periodLabel(bucket.period, b.time);
                if (label !== bucket.last) {
                    bucket.last = label;
                    bucket.left--;
                    reasonsOf(b).push(`${bucket.period} ${label}`);
                }
                else if (isOldest) {
                    // restic keeps the oldest backup while a rule still has counts left: the longest history.
                    reasonsOf(b).push(`oldest ${bucket.period} ${label}`);
                }
            }
        });
    }
    const newestVerified = sorted.find((b) => b.verified);
    if (newestVerified)
        reasonsOf(newestVerified).push('newest verified');
    // The last backup known to restore is worth more than any number of untested ones.
    const newestDrilled = sorted.find((b) => b.drilled);
    if (newestDrilled)
        reasonsOf(newestDrilled).push('newest drilled');
    // An overlapping run may have made newer backups; this run's own is never its victim.
    for (const b of sorted)
        if (protect.includes(b.id))
            reasonsOf(b).push('made by this run');
    const decide = (b, why) => ({
        id: b.id,
        time: b.time,
        verified: b.verified,
        keep: why.length > 0,
        reasons: why,
    });
    const decisions = sorted.map((b) => decide(b, reasonsOf(b)));
    // A backup whose time cannot be read is never removed: nothing says it is old.
    const undated = backups.filter((b) => !hasTime(b)).map((b) => decide(b, ['unknown time']));
    return {
        keep: [...decisions.filter((d) => d.keep), ...undated],
        remove: decisions.filter((d) => !d.keep),
        policy,
    };
}
/**
 * Pure. Keeps whole chains: every backup a kept incremental needs (its parent, and so on back
 * to the full backup) is kept too, with the reason 'needed by <id>'. Every decision of a set
 * that has chains is labelled with its chain; an incremental whose parent is not listed is
 * labelled broken (it is kept or removed by the policy as it is: it cannot be restored anyway).
 */
function keepChains(plan, links) {
    if (![...links.values()].some((l) => l.kind !== undefined))
        return plan;
    const all = new Map([...plan.keep, ...plan.remove].map((d) => [d.id, d]));
    const label = (id) => {
        let cur = id;
        for (let guard = 0; guard < 100_000; guard++) {
            const l = links.get(cur);
            if (l?.kind !== 'incremental')
                break;
            if (!l.parent || !all.has(l.parent))
                return `incremental ${links.get(id)?.chainPosition ?? '?'}, broken: parent ${l.parent ?? '(none)'} missing`;
            cur = l.parent;
        }
        const own = links.get(id);
        return own?.kind === 'incremental'
            ? `incremental ${own.chainPosition ?? '?'} of ${cur}`
            : `full ${id}`;
    };
    for (const d of all.values())
        d.chain = label(d.id);
    const keepIds = new Set(plan.keep.map((d) => d.id));
    for (const kept of plan.keep.slice()) {
        let cur = links.get(kept.id);
        while (cur?.kind === 'incremental' && cur.parent) {
            const parent = all.get(cur.parent);
            if (!parent)
                break;
            if (!keepIds.has(parent.id)) {
                keepIds.add(parent.id);
                parent.keep = true;
                parent.reasons.push(`needed by ${kept.id}`);
            }
            cur = links.get(parent.id);
        }
    }
    const order = (a, b) => b.time.getTime() - a.time.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
    return {
        ...plan,
        keep: [...all.values()].filter((d) => keepIds.has(d.id)).sort(order),
        remove: [...all.values()].filter((d) => !keepIds.has(d.id)).sort(order),
    };
}
const COUNT_HINT = 'use a whole number such as 7 (0 turns the rule off), or unlimited';
function single(option, value) {
    if (!Array.isArray(value))
        return value;
    if (value.length > 1)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(option, 'given more than once', { hint: 'give it once' });
    return value[0];
}
function parseCount(option, raw) {
    const value = single(option, raw);
    if (value === undefined || value === null)
        return undefined;
    if (typeof value === 'number') {
        if (Number.isInteger(value) && value >= 0)
            return value;
        if (value === -1 || value === Infinity)
            return Infinity;
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(option, `${value} is not a whole number`, { hint: COUNT_HINT });
    }
    if (typeof value !== 'string')
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(option, `expected a whole number`, { hint: COUNT_HINT });
    const text = value.trim();
    if (text === '')
        return undefined;
    if (/^\d+$/.test(text))
        return Number(text);
    if (/^(unlimited|all|-1)$/i.test(text))
        return Infinity;
    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(option, `'${text}' is not a whole number`, { hint: COUNT_HINT });
}
/** From option values (strings as typed, or numbers). Throws ConfigError naming the option. */
function parseRetentionPolicy(values) {
    const policy = {};
    for (const period of PERIODS) {
        const n = parseCount(`keep-${period}`, values[`keep-${period}`]);
        if (n !== undefined)
            policy[period] = n;
    }
    const within = single('keep-within', values['keep-within']);
    if (within !== undefined && within !== null && String(within).trim() !== '') {
        if (typeof within !== 'string') {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL('keep-within', `'${String(within)}' has no unit`, {
                hint: "use a number and a unit: y, m (months), w, d, h — e.g. '30d', '2w', '1y6m', '12h'",
            });
        }
        const d = (0,_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .parseDuration */ .E9)('keep-within', within);
        if (d.ms <= 0) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL('keep-within', `'${d.text}' is zero`, {
                hint: "give a positive duration such as '7d', or leave {{option:keep-within}} unset",
            });
        }
        policy.within = d;
    }
    return policy;
}
/** 'keep-last 3, keep-daily 7, keep-within 30d' — or 'none'. */
function describePolicy(p) {
    const parts = [];
    for (const period of PERIODS) {
        const n = p[period];
        if (n !== undefined && n > 0)
            parts.push(`keep-${period} ${n === Infinity ? 'unlimited' : n}`);
    }
    if (hasWithin(p))
        parts.push(`keep-within ${p.within.text}`);
    return parts.length ? parts.join(', ') : 'none';
}
const showTime = (t) => (Number.isNaN(t.getTime()) ? 'unknown' : (0,_core_log_js__WEBPACK_IMPORTED_MODULE_2__/* .formatTime */ .fU)(t));
/** Plain-text table of the plan for logs, or markdown for the job summary. Newest first. */
function formatPlan(plan, format) {
    const rows = [...plan.keep, ...plan.remove].sort((a, b) => {
        const ta = Number.isNaN(a.time.getTime()) ? Infinity : a.time.getTime();
        const tb = Number.isNaN(b.time.getTime()) ? Infinity : b.time.getTime();
        return tb - ta || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
    });
    const summary = `keep ${plan.keep.length}, remove ${plan.remove.length}`;
    const policyText = plan.policy ? ` (policy: ${describePolicy(plan.policy)})` : '';
    if (format === 'markdown') {
        const cell = (s) => s
            .replace(/\\/g, '\\\\')
            .replace(/\|/g, '\\|')
            .replace(/[\r\n]+/g, ' ');
        const code = (s) => `\`${cell(s).replace(/`/g, "'")}\``;
        const lines = [`**Retention: ${summary}**${policyText}`, ''];
        if (rows.length === 0)
            return [...lines, 'No backups.'].join('\n');
        const chains = rows.some((r) => r.chain);
        lines.push(`| action | backup | time (UTC) |${chains ? ' chain |' : ''} reasons |`, `|---|---|---|${chains ? '---|' : ''}---|`);
        for (const r of rows) {
            lines.push(`| ${r.keep ? 'keep' : '**remove**'} | ${code(r.id)} | ${showTime(r.time)} |${chains ? ` ${cell(r.chain ?? '—')} |` : ''} ${cell(r.reasons.join(', ') || '—')} |`);
        }
        return lines.join('\n');
    }
    const header = `Retention: ${summary}${policyText}`;
    if (rows.length === 0)
        return `${header}\nNo backups.`;
    const chains = rows.some((r) => r.chain);
    const table = [
        ['ACTION', 'BACKUP', 'TIME (UTC)', ...(chains ? ['CHAIN'] : []), 'REASONS'],
        ...rows.map((r) => [
            r.keep ? 'keep' : 'remove',
            r.id,
            showTime(r.time),
            ...(chains ? [r.chain ?? '-'] : []),
            r.reasons.join(', ') || '-',
        ]),
    ];
    const padded = chains ? 4 : 3;
    const widths = [...Array(padded).keys()].map((i) => Math.max(...table.map((row) => row[i].length)));
    const lines = table.map((row) => row
        .map((c, i) => (i < padded ? c.padEnd(widths[i]) : c))
        .join('  ')
        .trimEnd());
    return [header, ...lines].join('\n');
}


/***/ }),

/***/ 2008:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   m7: () => (/* binding */ isCollectionName),
/* harmony export */   qy: () => (/* binding */ ChromaClient),
/* harmony export */   zq: () => (/* binding */ parseChromaUrl)
/* harmony export */ });
/* unused harmony exports DEFAULT_TENANT, DEFAULT_DATABASE, redactChroma, ChromaApiError */
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(43026);
/* harmony import */ var _core_url_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(35708);
/**
 * A small client for Chroma's HTTP API (v2), just what backup and restore need. Node's own fetch:
 * the chromadb npm client would pull an embedding-function registry into the bundle for nothing.
 */


const DEFAULT_TENANT = 'default_tenant';
const DEFAULT_DATABASE = 'default_database';
/** Chroma's collection names: 3-512 of [a-zA-Z0-9._-], starting and ending with a letter or digit. */
const COLLECTION_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{1,510})[A-Za-z0-9]$/;
function isCollectionName(name) {
    return COLLECTION_NAME.test(name) && !name.includes('..');
}
/**
 * `chroma://[token@]host[:port][/collection][?tenant=…&database=…]`, `chroma+https://…`. The
 * tenant and database come from the URL's query, else the `chroma-tenant` / `chroma-database`
 * options, else Chroma's defaults. The token (sent as `x-chroma-token`) from the URL's password
 * (or user), else CHROMA_API_KEY.
 */
function parseChromaUrl(url, option, ctx) {
    const u = (0,_core_url_js__WEBPACK_IMPORTED_MODULE_1__/* .parseUrl */ .Dl)(option, url.trim());
    const scheme = u.protocol.replace(/:$/, '').toLowerCase();
    if (scheme !== 'chroma' && scheme !== 'chroma+https' && scheme !== 'chroma+http') {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(option, `'${redactChroma(url)}' is not a chroma:// URL`, {
            hint: 'write chroma://host:8000[/collection] (chroma+https:// for TLS)',
        });
    }
    if (!u.hostname) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(option, `'${redactChroma(url)}' names no host`, {
            hint: 'write chroma://host:8000[/collection]',
        });
    }
    const path = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, ''));
    if (path && !isCollectionName(path)) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(option, `'${path}' is not a Chroma collection name`, {
            hint: 'collection names are 3-512 letters, digits, dots, dashes and underscores, starting and ending with a letter or digit',
        });
    }
    for (const key of u.searchParams.keys()) {
        if (key !== 'tenant' && key !== 'database') {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(option, `unknown parameter '${key}' in a chroma URL`, {
                hint: 'chroma URLs take ?tenant=…&database=… (or the chroma-tenant and chroma-database options)',
            });
        }
    }
    const optionText = (name) => {
        const v = ctx.options[name];
        return typeof v === 'string' && v.trim() ? v.trim() : undefined;
    };
    const tenant = u.searchParams.get('tenant') || optionText('chroma-tenant') || DEFAULT_TENANT;
    const database = u.searchParams.get('database') || optionText('chroma-database') || DEFAULT_DATABASE;
    const rawToken = u.password || u.username;
    const token = rawToken ? decodeURIComponent(rawToken) : ctx.env['CHROMA_API_KEY'] || undefined;
    ctx.redactor.add(token);
    const port = u.port ? `:${u.port}` : scheme === 'chroma+https' ? '' : ':8000';
    const host = u.hostname;
    const base = `${scheme === 'chroma+https' ? 'https' : 'http'}://${host}${port}`;
    const display = new URL(url.trim());
    display.username = '';
    display.password = '';
    return {
        base,
        tenant,
        database,
        collection: path || undefined,
        token,
        displayUrl: display.toString().replace(/\/$/, ''),
    };
}
/** The URL with any credentials removed. */
function redactChroma(url) {
    return url.replace(/\/\/[^/@]*@/, '//');
}
/** The error body Chroma sends: `{"error": "NotFoundError", "message": "…"}`. */
class ChromaApiError extends _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .SourceError */ .c8 {
    status;
    error;
    constructor(status, error, message, what) {
        super(`${what}: Chroma answered ${status} ${error}: ${message}`, {
            hint: status === 401 || status === 403
                ? 'check the token (the URL password or CHROMA_API_KEY)'
                : undefined,
        });
        this.status = status;
        this.error = error;
    }
}
class ChromaClient {
    target;
    option;
    signal;
    constructor(target, option, signal) {
        this.target = target;
        this.option = option;
        this.signal = signal;
    }
    dbPath() {
        const t = this.target;
        return `/api/v2/tenants/${encodeURIComponent(t.tenant)}/databases/${encodeURIComponent(t.database)}`;
    }
    async request(method, path, body) {
        const headers = { accept: 'application/json' };
        if (body !== undefined)
            headers['content-type'] = 'application/json';
        if (this.target.token)
            headers['x-chroma-token'] = this.target.token;
        const what = `${this.option}: ${method} ${this.target.displayUrl.replace(/^chroma(\+https?)?:\/\/([^/?]*).*$/, '$2')}${path}`;
        let res;
        try {
            const init = { method, headers };
            if (body !== undefined)
                init.body = typeof body === 'string' ? body : JSON.stringify(body);
            if (this.signal)
                init.signal = this.signal;
            res = await fetch(this.target.base + path, init);
        }
        catch (err) {
            if (err.name === 'AbortError')
                throw err;
            const cause = err.cause;
            const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .SourceError */ .c8(`${this.option}: cannot reach Chroma at ${this.target.base}${code}: ${String(cause?.message ?? err.message)}`, {
                cause: err,
                hint: `check the host and port in the ${this.option} URL and that Chroma is running (chroma+https:// for TLS)`,
            });
        }
        const text = await res.text();
        if (!res.ok) {
            let error = 'Error';
            let message = text.slice(0, 300);
            try {
                const j = JSON.parse(text);
                if (typeof j.error === 'string')
                    error = j.error;
                if (typeof j.message === 'string')
                    message = j.message;
            }
            catch {
                // not JSON: keep the text
            }
            throw new ChromaApiError(res.status, error, message, what);
        }
        if (!text)
            return undefined;
        try {
            return JSON.parse(text);
        }
        catch (err) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .SourceError */ .c8(`${what}: Chroma answered with something that is not JSON`, {
                cause: err,
            });
        }
    }
    async version() {
        return String(await this.request('GET', '/api/v2/version'));
    }
    async preflight() {
        return this.request('GET', '/api/v2/pre-flight-checks');
    }
    /** Fails with a clear message when the tenant or database does not exist. */
    async checkDatabase() {
        try {
            await this.request('GET', this.dbPath());
        }
        catch (err) {
            if (err instanceof ChromaApiError && err.status === 404) {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(this.option, `Chroma has no database '${this.target.database}' in tenant '${this.target.tenant}' at ${this.target.base}`, { hint: 'check ?tenant=…&database=… in the URL (or chroma-tenant / chroma-database)' });
            }
            throw err;
        }
    }
    /**
     * Creates the tenant and database when they do not exist (restore targets); true when the
     * database was created here.
     */
    async ensureDatabase() {
        const t = this.target;
        try {
            await this.request('GET', `/api/v2/tenants/${encodeURIComponent(t.tenant)}`);
        }
        catch (err) {
            if (!(err instanceof ChromaApiError && err.status === 404))
                throw err;
            await this.request('POST', '/api/v2/tenants', { name: t.tenant }).catch((e) => {
                throw this.refusedName(e, 'tenant', t.tenant);
            });
        }
        try {
            await this.request('GET', this.dbPath());
            return false;
        }
        catch (err) {
            if (!(err instanceof ChromaApiError && err.status === 404))
                throw err;
            await this.request('POST', `/api/v2/tenants/${encodeURIComponent(t.tenant)}/databases`, {
                name: t.database,
            }).catch((e) => {
                throw this.refusedName(e, 'database', t.database);
            });
            return true;
        }
    }
    /** A name Chroma refuses (400: too short, bad characters) is the option's fault: exit 2. */
    refusedName(err, what, name) {
        if (!(err instanceof ChromaApiError && err.status === 400))
            return err;
        const words = err.message.replace(/^.*?Chroma answered 400 \S+: /, '');
        return new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(this.option, `Chroma refused the ${what} name '${name}': ${words}`, {
            hint: `choose another ${what} (names are at least 3 characters: letters, digits, dots, dashes, underscores)`,
        });
    }
    /** Deletes the database when it holds no collection (one a failed restore created). */
    async deleteDatabaseIfEmpty() {
        if ((await this.listCollections()).length)
            return;
        await this.request('DELETE', this.dbPath());
    }
    async listCollections() {
        const out = [];
        const page = 100;
        for (let offset = 0;; offset += page) {
            const batch = await this.request('GET', `${this.dbPath()}/collections?limit=${page}&offset=${offset}`);
            out.push(...batch);
            if (batch.length < page)
                break;
        }
        return out;
    }
    /** The collection by name, or undefined when there is none. */
    async getCollection(name) {
        try {
            return await this.request('GET', `${this.dbPath()}/collections/${encodeURIComponent(name)}`);
        }
        catch (err) {
            if (err instanceof ChromaApiError && err.status === 404)
                return undefined;
            throw err;
        }
    }
    async createCollection(name, metadata, configuration) {
        const body = { name };
        if (metadata && Object.keys(metadata).length)
            body['metadata'] = metadata;
        if (configuration)
            body['configuration'] = configuration;
        return this.request('POST', `${this.dbPath()}/collections`, body);
    }
    async renameCollection(id, newName) {
        await this.request('PUT', `${this.dbPath()}/collections/${id}`, { new_name: newName });
    }
    /**
     * Deletes the collection called `name` (Chroma deletes by name), only when it is still the one
     * with id `id`: a collection someone else created under that name meanwhile is left alone.
     */
    async deleteCollection(name, id) {
        const c = await this.getCollection(name);
        if (!c || c.id !== id)
            return;
        await this.request('DELETE', `${this.dbPath()}/collections/${encodeURIComponent(name)}`);
    }
    async count(id) {
        return Number(await this.request('GET', `${this.dbPath()}/collections/${id}/count`));
    }
    async get(id, offset, limit, include) {
        return this.request('POST', `${this.dbPath()}/collections/${id}/get`, {
            include,
            offset,
            limit,
        });
    }
    /** Every record id of a collection, page by page. */
    async *ids(id, page = 10_000) {
        for (let offset = 0;; offset += page) {
            const r = await this.get(id, offset, page, []);
            yield r.ids;
            if (r.ids.length < page)
                return;
        }
    }
    /** `body` is the JSON text of an AddCollectionRecordsPayload. */
    async add(id, body) {
        await this.request('POST', `${this.dbPath()}/collections/${id}/add`, body);
    }
}


/***/ }),

/***/ 13920:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Rl: () => (/* binding */ consistencyFailure),
/* harmony export */   gL: () => (/* binding */ describeConsistency),
/* harmony export */   kG: () => (/* binding */ planConsistency),
/* harmony export */   vC: () => (/* binding */ runConsistencyChecks),
/* harmony export */   zV: () => (/* binding */ checkConsistency)
/* harmony export */ });
/* unused harmony exports SHOWN_IDS, compareIds */
/* harmony import */ var node_sqlite__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(80099);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(43026);
/* harmony import */ var _chroma_client_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2008);
/* harmony import */ var _qdrant_client_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(28336);
/**
 * Cross-store consistency: the ids a SQL query returns against the ids in a vector collection.
 *
 * A `consistency` line pairs them: `app: SELECT id::text FROM documents == vectors/docs`, where
 * `app` and `vectors` are source names (`name=URL` lines of `source`) and `docs` a collection
 * (optional when the vector source's URL names one). Both sides are read at the same moment
 * (concurrently) and compared as text: ids the SQL side has and the collection lacks (missing),
 * ids only the collection has (orphans), and ids listed more than once on either side
 * (duplicates). The stores are not snapshotted together: the check measures how far apart they
 * are when it runs, it does not make them agree.
 *
 * `checkConsistency` is the one function both backup (on the live sources) and drill (on the
 * restored copies) call.
 */




const SQL_KINDS = ['postgres', 'mysql', 'sqlite'];
const VECTOR_KINDS = ['chroma', 'qdrant'];
/** How many ids of each kind a report shows. */
const SHOWN_IDS = 5;
const LINE = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*:\s*(.+)\s+==\s+([A-Za-z0-9][A-Za-z0-9._-]*)(?:\/(\S+))?\s*$/s;
function vectorCollection(kind, url, ctx) {
    try {
        return kind === 'chroma'
            ? (0,_chroma_client_js__WEBPACK_IMPORTED_MODULE_2__/* .parseChromaUrl */ .zq)(url, 'source', ctx).collection
            : (0,_qdrant_client_js__WEBPACK_IMPORTED_MODULE_3__/* .parseQdrantUrl */ .R1)(url, 'source', ctx).collection;
    }
    catch {
        return undefined;
    }
}
/**
 * Parses the `consistency` lines against the run's sources; a ConfigError names the line and
 * the fix before anything runs.
 */
function planConsistency(lines, sources, ctx) {
    const out = [];
    const names = sources.map((s) => s.name).join(', ');
    for (const line of lines) {
        const m = LINE.exec(line.trim());
        if (!m) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL('consistency', `cannot read '${line}'`, {
                hint: 'write `<sql source>: <query returning ids> == <vector source>/<collection>`, e.g. `app: SELECT id::text FROM documents == vectors/docs`',
            });
        }
        const [, sqlName, query, vectorName, collectionPart] = m;
        const sql = sources.find((s) => s.name === sqlName);
        const vector = sources.find((s) => s.name === vectorName);
        for (const [n, s] of [
            [sqlName, sql],
            [vectorName, vector],
        ]) {
            if (!s) {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL('consistency', `'${line}' names source '${n}', which is not among this run's sources (${names})`, {
                    hint: 'name the sources with `name=URL` lines in {{option:source}} and use those names',
                });
            }
        }
        if (!SQL_KINDS.includes(sql.kind)) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL('consistency', `'${sqlName}' is a ${sql.kind} source; the left side must be SQL (${SQL_KINDS.join(', ')})`);
        }
        if (!VECTOR_KINDS.includes(vector.kind)) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL('consistency', `'${vectorName}' is a ${vector.kind} source; the right side must be a vector store (${VECTOR_KINDS.join(', ')})`);
        }
        const collection = collectionPart ?? vectorCollection(vector.kind, vector.url, ctx);
        if (!collection) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL('consistency', `'${line}' names no collection`, {
                hint: `write ${vectorName}/<collection> (the ${vectorName} source URL names none)`,
            });
        }
        out.push({
            line: line.trim(),
            sql: { name: sqlName, kind: sql.kind, url: sql.url, query: query.trim() },
            vector: { name: vectorName, kind: vector.kind, url: vector.url, collection },
        });
    }
    return out;
}
/** First column of every row of the query, as text. */
async function sqlIds(spec, ctx) {
    const what = `consistency: the query on ${spec.name}`;
    const fail = (err) => new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .SourceError */ .c8(`${what} failed: ${ctx.redactor.redact(err instanceof Error ? err.message : String(err))}`, {
        cause: err,
        hint: 'check the query in {{option:consistency}}; it must return one column of ids',
    });
    const text = (v) => (v instanceof Date ? v.toISOString() : String(v));
    if (spec.kind === 'postgres') {
        const [{ parsePgUrl }, { connectPg }] = await Promise.all([
            Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 73287)),
            Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 72308)),
        ]);
        const conn = parsePgUrl(spec.url, 'source', ctx.env);
        ctx.redactor.add(conn.password);
        const client = await connectPg(conn, 'source', ctx);
        try {
            const r = await client.query({ text: spec.query, rowMode: 'array' }).catch((e) => {
                throw fail(e);
            });
            return r.rows.map((row) => text(row[0]));
        }
        finally {
            await client.end().catch(() => { });
        }
    }
    if (spec.kind === 'mysql') {
        const { parseMysqlUrl } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 12512));
        const { connect: connectMysql } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 76881));
        const target = parseMysqlUrl(spec.url, 'source', ctx.env);
        const conn = await connectMysql(target, 'source', ctx, target.database);
        try {
            const [rows] = await conn
                .query({ sql: spec.query, rowsAsArray: true })
                .catch((e) => {
                throw fail(e);
            });
            return rows.map((row) => text(row[0]));
        }
        finally {
            await conn.end().catch(() => { });
        }
    }
    const { sqlitePath } = await __webpack_require__.e(/* import() */ 706).then(__webpack_require__.bind(__webpack_require__, 54706));
    const path = sqlitePath(spec.url, 'source', ctx.cwd ?? process.cwd());
    let db;
    try {
        db = new node_sqlite__WEBPACK_IMPORTED_MODULE_0__.DatabaseSync(path, { readOnly: true, timeout: 30_000 });
        const stmt = db.prepare(spec.query);
        stmt.setReturnArrays(true);
        return stmt.all().map((row) => text(row[0]));
    }
    catch (err) {
        throw fail(err);
    }
    finally {
        db?.close();
    }
}
async function vectorIds(spec, ctx) {
    const out = [];
    if (spec.kind === 'chroma') {
        const client = new _chroma_client_js__WEBPACK_IMPORTED_MODULE_2__/* .ChromaClient */ .qy((0,_chroma_client_js__WEBPACK_IMPORTED_MODULE_2__/* .parseChromaUrl */ .zq)(spec.url, 'source', ctx), 'source', ctx.signal);
        const c = await client.getCollection(spec.collection);
        if (!c) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL('consistency', `Chroma source '${spec.name}' has no collection '${spec.collection}'`);
        }
        for await (const page of client.ids(c.id))
            for (const id of page)
                out.push(id);
        return out;
    }
    const q = new _qdrant_client_js__WEBPACK_IMPORTED_MODULE_3__/* .Qdrant */ .fi((0,_qdrant_client_js__WEBPACK_IMPORTED_MODULE_3__/* .parseQdrantUrl */ .R1)(spec.url, 'source', ctx), 'source', ctx);
    if (!(await q.collection(spec.collection))) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL('consistency', `Qdrant source '${spec.name}' has no collection '${spec.collection}'`);
    }
    for await (const page of q.pointIds(spec.collection))
        for (const id of page)
            out.push(id);
    return out;
}
/** Ids seen more than once, and the set of all. */
function tally(ids) {
    const set = new Set();
    const dups = new Set();
    let dupCount = 0;
    for (const id of ids) {
        if (set.has(id)) {
            dupCount++;
            dups.add(id);
        }
        else
            set.add(id);
    }
    return { set, dups: [...dups], dupCount };
}
/** Compares two id lists (pure; exported for tests and drill). */
function compareIds(line, sql, vector, tolerance) {
    const a = tally(sql);
    const b = tally(vector);
    const missing = [];
    for (const id of a.set)
        if (!b.set.has(id))
            missing.push(id);
    const orphans = [];
    for (const id of b.set)
        if (!a.set.has(id))
            orphans.push(id);
    const dupIds = [...a.dups, ...b.dups.filter((d) => !a.dups.includes(d))];
    const duplicates = a.dupCount + b.dupCount;
    const differences = missing.length + orphans.length + duplicates;
    return {
        line,
        sqlCount: sql.length,
        vectorCount: vector.length,
        missing: { count: missing.length, first: missing.slice(0, SHOWN_IDS) },
        orphans: { count: orphans.length, first: orphans.slice(0, SHOWN_IDS) },
        duplicates: { count: duplicates, first: dupIds.slice(0, SHOWN_IDS) },
        differences,
        tolerance,
        ok: differences <= tolerance,
    };
}
/** Reads both sides at the same moment and compares them. */
async function checkConsistency(spec, tolerance, ctx) {
    const [sql, vector] = await Promise.all([sqlIds(spec.sql, ctx), vectorIds(spec.vector, ctx)]);
    return compareIds(spec.line, sql, vector, tolerance);
}
/** One line per kind of difference, for the log and the summary. */
function describeConsistency(r) {
    const ids = (x) => x.first.length ? ` (${x.first.join(', ')}${x.count > x.first.length ? ', …' : ''})` : '';
    return [
        `${r.line}: ${r.sqlCount} SQL ids, ${r.vectorCount} vectors; ${r.differences} difference${r.differences === 1 ? '' : 's'} (tolerance ${r.tolerance}) — ${r.ok ? 'ok' : 'FAILED'}`,
        `  missing from the vector store: ${r.missing.count}${ids(r.missing)}`,
        `  orphan vectors (no SQL row): ${r.orphans.count}${ids(r.orphans)}`,
        `  duplicates: ${r.duplicates.count}${ids(r.duplicates)}`,
    ];
}
/** The error a run fails with when any check exceeded its tolerance, or undefined. */
function consistencyFailure(results, stored) {
    const bad = results.filter((r) => !r.ok);
    if (!bad.length)
        return undefined;
    const parts = bad.map((r) => `'${r.line}' differs in ${r.differences} (tolerance ${r.tolerance}): ${r.missing.count} missing from the vector store${r.missing.first.length ? ` (${r.missing.first.join(', ')})` : ''}, ${r.orphans.count} orphan vectors${r.orphans.first.length ? ` (${r.orphans.first.join(', ')})` : ''}, ${r.duplicates.count} duplicates${r.duplicates.first.length ? ` (${r.duplicates.first.join(', ')})` : ''}`);
    return new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .IntegrityError */ .cs(`consistency: ${parts.join('; ')}${stored ? `. The backup ${stored} was stored and is intact: it holds both stores as they were read` : ''}`, {
        hint: 'repair the application data (re-embed the missing rows, delete the orphans), or raise {{option:consistency-tolerance}} if the stores are expected to drift',
    });
}
/**
 * Every `consistency` line, planned and checked in one call: what `drill` runs after restoring
 * into scratch targets. `sources` are the restored targets under the backup's source names;
 * `collectionName` maps a collection to its restored name (e.g. with a `collection-suffix`).
 * A source's `restored` URL, when given, is where it is read, while the lines are planned
 * against its `url` (the backed-up source, whose URL may name the collection a line leaves out).
 */
async function runConsistencyChecks(lines, sources, tolerance, ctx, collectionName = (_, c) => c) {
    const out = [];
    for (const spec of planConsistency(lines, sources, ctx)) {
        const readAt = (name, url) => sources.find((s) => s.name === name)?.restored ?? url;
        const restored = {
            ...spec,
            sql: { ...spec.sql, url: readAt(spec.sql.name, spec.sql.url) },
            vector: {
                ...spec.vector,
                url: readAt(spec.vector.name, spec.vector.url),
                collection: collectionName(spec.vector.name, spec.vector.collection),
            },
        };
        out.push(await checkConsistency(restored, tolerance, ctx));
    }
    return out;
}


/***/ }),

/***/ 73240:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ inventoryDifferences),
/* harmony export */   d: () => (/* binding */ sortKeys)
/* harmony export */ });
/**
 * A restored or live inventory against the one a backup recorded: tables and exact row counts
 * (estimated counts are not compared), files and bytes, PostgreSQL sequences and large objects,
 * Redis keys per type; a figure is compared only when both sides have it. `rename` maps a name
 * of the backup to the actual copy's (a drill's scratch database, Redis's spare database
 * index). `against` names the expected side in the messages: a drill compares with 'the
 * backup', a driver checking its own member with 'the manifest'. Returns the differences,
 * each naming what differs; empty when they agree.
 */
function inventoryDifferences(expected, actual, rename = (n) => n, against = 'backup') {
    const diffs = [];
    if (!expected)
        return diffs;
    const says = (v) => against === 'manifest' ? `the manifest says ${v}` : `the backup ${v}`;
    if (expected.tables) {
        const got = new Map((actual.tables ?? []).map((t) => [t.name, t]));
        const wanted = new Set();
        for (const t of expected.tables) {
            const name = rename(t.name);
            wanted.add(name);
            const g = got.get(name);
            if (!g)
                diffs.push(`table ${t.name} is missing`);
            else if (!t.estimated && !g.estimated && g.rows !== t.rows)
                diffs.push(`table ${t.name} has ${g.rows} rows, ${says(t.rows)}`);
        }
        for (const name of got.keys())
            if (!wanted.has(name))
                diffs.push(`table ${name} is not in the ${against}`);
    }
    if (typeof expected.files === 'number' && typeof actual.files === 'number') {
        if (expected.files !== actual.files)
            diffs.push(`${actual.files} files, ${says(expected.files)}`);
    }
    if (typeof expected.totalBytes === 'number' && typeof actual.totalBytes === 'number') {
        if (expected.totalBytes !== actual.totalBytes && expected.files !== undefined)
            diffs.push(`${actual.totalBytes} bytes of files, ${says(expected.totalBytes)}`);
    }
    const want = expected.extra ?? {};
    const have = actual.extra ?? {};
    for (const [key, label] of [
        ['sequences', 'sequence'],
        ['keysByType', 'keys of'],
    ]) {
        const w = want[key];
        const h = have[key];
        if (!w || !h)
            continue;
        const hv = new Map(Object.entries(h));
        for (const [name, value] of Object.entries(w)) {
            const got = hv.get(rename(name));
            // Key order carries no meaning: a Redis database restored elsewhere SCANs its keys, and so
            // counts their types, in another order than the source did.
            if (JSON.stringify(sortKeys(got)) !== JSON.stringify(sortKeys(value)))
                diffs.push(`${label} ${name}: ${JSON.stringify(got ?? null)}, ${says(JSON.stringify(value))}`);
        }
    }
    if (typeof want['largeObjects'] === 'number' && typeof have['largeObjects'] === 'number') {
        if (want['largeObjects'] !== have['largeObjects'])
            diffs.push(`${have['largeObjects']} large objects, ${says(want['largeObjects'])}`);
    }
    return diffs;
}
/** A JSON value with every object's keys sorted, for comparisons. */
function sortKeys(x) {
    if (Array.isArray(x))
        return x.map(sortKeys);
    if (x && typeof x === 'object') {
        return Object.fromEntries(Object.keys(x)
            .sort()
            .map((k) => [k, sortKeys(x[k])]));
    }
    return x;
}


/***/ }),

/***/ 76881:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L8: () => (/* binding */ classify),
/* harmony export */   Ym: () => (/* binding */ queryRows),
/* harmony export */   bD: () => (/* binding */ ident),
/* harmony export */   connect: () => (/* binding */ connect)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(43026);
/** A live connection (mysql2, loaded only when connecting) and the errors a person can act on. */

async function connect(target, option, ctx, database) {
    ctx.redactor.add(target.password);
    try {
        // Loaded here, not at the top: a run that only parses mysql URLs never needs mysql2.
        const mysql = (await __webpack_require__.e(/* import() */ 588).then(__webpack_require__.t.bind(__webpack_require__, 27588, 19))).default;
        return await mysql.createConnection({
            host: target.host,
            port: target.port,
            user: target.user,
            password: target.password ?? '',
            socketPath: target.socket,
            database,
            charset: 'utf8mb4',
            supportBigNumbers: true,
            bigNumberStrings: true,
            dateStrings: true,
        });
    }
    catch (err) {
        throw classify(err, option, target, ctx);
    }
}
/**
 * Turn a connection/query failure into the error a person can act on. A refused connection, a
 * timeout or a rejected password happens at or after connecting, so it is operational
 * (SourceError, exit 1) and names the server, the database, the option and the fix.
 */
function classify(err, option, target, ctx) {
    const e = err;
    const msg = ctx.redactor.redact(e.message ?? String(err));
    const where = target.socket ?? `${target.host}:${target.port}`;
    const what = `${option}: MySQL/MariaDB at ${where}${target.database ? `, database '${target.database}'` : ''}`;
    const fail = (text, hint) => new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .SourceError */ .c8(`${what}: ${text}`, { cause: err, hint });
    if (e.code === 'ER_ACCESS_DENIED_ERROR' || e.errno === 1045) {
        return fail(`access denied for user '${target.user}'`, `check the user and password in the ${option} URL (percent-encode special characters) or MYSQL_PWD`);
    }
    if (e.code === 'ER_BAD_DB_ERROR' || e.errno === 1049) {
        return fail(msg, `check the database name in the ${option} URL or the databases option`);
    }
    if (e.code === 'ECONNREFUSED' ||
        e.code === 'ENOTFOUND' ||
        e.code === 'EAI_AGAIN' ||
        e.code === 'ETIMEDOUT' ||
        e.code === 'EHOSTUNREACH' ||
        e.code === 'ENETUNREACH' ||
        e.code === 'ENOENT') {
        return fail(`cannot connect (${e.code}): ${msg}`, `check the host and port in the ${option} URL, that the server is running, and that this machine may connect to it`);
    }
    return new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .SourceError */ .c8(`${target.displayUrl}: ${msg}`, { cause: err });
}
async function queryRows(conn, sql, params = []) {
    const [rows] = await conn.query(sql, params);
    return rows;
}
const ident = (name) => `\`${name.replace(/`/g, '``')}\``;


/***/ }),

/***/ 12512:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   X: () => (/* binding */ SYSTEM_SCHEMAS),
/* harmony export */   parseMysqlUrl: () => (/* binding */ parseMysqlUrl)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(43026);
/* harmony import */ var _core_log_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(85491);
/* harmony import */ var _core_url_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(35708);
/** MySQL / MariaDB URLs: parsing only, so planning a drill or a consistency line loads no driver. */



/** Schemas that belong to the server, never dumped unless named explicitly. */
const SYSTEM_SCHEMAS = ['information_schema', 'performance_schema', 'mysql', 'sys'];
/** Parse a mysql:// or mariadb:// URL. Password: URL, else MYSQL_PWD / MYSQL_PASSWORD from the environment. */
function parseMysqlUrl(url, option, env = {}) {
    const u = (0,_core_url_js__WEBPACK_IMPORTED_MODULE_2__/* .parseUrl */ .Dl)(option, url);
    const scheme = u.protocol.replace(/:$/, '');
    if (scheme !== 'mysql' && scheme !== 'mariadb') {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(option, `'${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .redactUrl */ .BO)(url)}' is not a mysql:// or mariadb:// URL`);
    }
    const path = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, ''));
    if (path.includes('/')) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(option, `'${path}' is not a database name`, {
            hint: 'write one database: mysql://host:3306/dbname',
        });
    }
    const socket = u.searchParams.get('socket') ?? undefined;
    return {
        host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
        port: u.port ? Number(u.port) : 3306,
        user: u.username ? decodeURIComponent(u.username) : (env.MYSQL_USER ?? 'root'),
        password: u.password ? decodeURIComponent(u.password) : (env.MYSQL_PWD ?? env.MYSQL_PASSWORD),
        socket,
        database: path || undefined,
        displayUrl: (0,_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .redactUrl */ .BO)(url),
    };
}


/***/ }),

/***/ 72308:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   adminConnection: () => (/* binding */ adminConnection),
/* harmony export */   connect: () => (/* binding */ connect),
/* harmony export */   connectError: () => (/* binding */ connectError),
/* harmony export */   connectPg: () => (/* binding */ connect),
/* harmony export */   dbnameConninfo: () => (/* binding */ dbnameConninfo),
/* harmony export */   quoteIdent: () => (/* binding */ quoteIdent),
/* harmony export */   quoteLiteral: () => (/* binding */ quoteLiteral),
/* harmony export */   serverInfo: () => (/* binding */ serverInfo)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(43026);
/* harmony import */ var _url_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(73287);
/* harmony import */ var _tools_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(93737);
/**
 * Connecting with node-postgres (loaded only inside connect(), never at the top), one clear error
 * per failed connection, the maintenance connection, the server's version, and SQL quoting.
 */




function sslConfig(conn, mode) {
    if (!mode || mode === 'disable' || mode === 'allow' || mode === 'prefer')
        return false;
    if (mode === 'require')
        return { rejectUnauthorized: false };
    const ca = conn.params.sslrootcert;
    return {
        rejectUnauthorized: true,
        ...(ca ? { ca: readFileSyncText(ca) } : {}),
        ...(mode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
    };
}
const certCache = new Map();
function readFileSyncText(path) {
    // Read once, lazily; connect() awaits loadCerts() first so this is always a cache hit.
    const v = certCache.get(path);
    if (v === undefined)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL('source', `cannot read sslrootcert '${path}'`);
    return v;
}
async function loadCerts(conn, option) {
    const path = conn.params.sslrootcert;
    if (!path || certCache.has(path))
        return;
    try {
        certCache.set(path, await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(path, 'utf8'));
    }
    catch (err) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL(option, `cannot read sslrootcert '${path}': ${err.message}`);
    }
}
/**
 * One clear error for a failed connection, naming the server, the database, the option and the
 * fix. Everything here happened at or after connecting, so it is operational (SourceError, exit
 * 1): the URL parsed, and a down server, a timeout or a refused password can change between
 * runs. Exit 2 is for what parseConnection rejects before any connection.
 */
function connectError(err, conn, option, ctx) {
    const e = err;
    const where = `${conn.host}:${conn.port}`;
    const what = `${option}: PostgreSQL at ${where}, database "${conn.database}"`;
    const msg = ctx.redactor.redact(e.message ?? String(err));
    const fail = (text, hint) => new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .SourceError */ .c8(`${what}: ${text}`, { cause: err, hint });
    switch (e.code) {
        case '28P01':
        case '28000':
            if (/no encryption|SSL off/i.test(msg)) {
                return fail(`the server refused an unencrypted connection: ${msg}`, `add ?sslmode=require (or verify-full with sslrootcert) to the ${option} URL`);
            }
            return fail(`authentication failed for user "${conn.user}": ${msg}`, `check the user and password in the ${option} URL (percent-encode special characters) or PGPASSWORD`);
        case '3D000':
            return fail(`database "${conn.database}" does not exist on ${where}`, `check the database name at the end of the ${option} URL`);
        case 'ECONNREFUSED':
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
        case 'ETIMEDOUT':
        case 'ENOENT':
            return fail(`cannot reach PostgreSQL at ${where} (${e.code}): ${msg}`, `check the host and port in the ${option} URL, that the server is running, and that this machine may connect to it`);
        default:
            if (/timeout/i.test(msg)) {
                return fail(`cannot reach PostgreSQL at ${where} (timed out): ${msg}`, `check the host and port in the ${option} URL and any firewall between; connect_timeout=<seconds> sets the wait`);
            }
            return fail(`cannot connect to PostgreSQL at ${where}: ${msg}`, `check that the server at ${where} is running and accepts connections from this machine`);
    }
}
async function connect(conn, option, ctx) {
    await loadCerts(conn, option);
    const timeout = Number(conn.params.connect_timeout ?? 20);
    // pg is loaded here, not at the top: a run that only parses postgres URLs never needs it.
    const { Client } = (await __webpack_require__.e(/* import() */ 849).then(__webpack_require__.bind(__webpack_require__, 83849))).default;
    const attempt = async (ssl) => {
        const client = new Client({
            host: conn.host,
            port: conn.port,
            user: conn.user,
            database: conn.database,
            ...(conn.password !== undefined ? { password: conn.password } : {}),
            ssl,
            application_name: 'lifeboat',
            connectionTimeoutMillis: (timeout > 0 ? timeout : 20) * 1000,
            ...(conn.params.options ? { options: conn.params.options } : {}),
        });
        // A backend terminated while idle must not crash the process; queries report it.
        client.on('error', () => { });
        try {
            await client.connect();
            return client;
        }
        catch (err) {
            await client.end().catch(() => { });
            throw err;
        }
    };
    const mode = conn.params.sslmode;
    try {
        return await attempt(sslConfig(conn, mode));
    }
    catch (err) {
        const e = err;
        // libpq's default 'prefer' tries TLS first; node-postgres cannot, so retry with TLS.
        if ((mode === undefined || mode === 'prefer') &&
            e.code === '28000' &&
            /no encryption/i.test(e.message ?? '')) {
            try {
                return await attempt({ rejectUnauthorized: false });
            }
            catch (err2) {
                throw connectError(err2, conn, option, ctx);
            }
        }
        throw connectError(err, conn, option, ctx);
    }
}
function quoteIdent(name) {
    return `"${name.replace(/"/g, '""')}"`;
}
function quoteLiteral(value) {
    return `'${value.replace(/'/g, "''")}'`;
}
/** A libpq conninfo naming only the database (no secret), for the tools' --dbname. */
function dbnameConninfo(database) {
    return `dbname='${database.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
async function serverInfo(client) {
    const r = await client.query(`SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version,
            pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = current_database()`);
    const row = r.rows[0];
    const versionNum = Number(row.num);
    return {
        version: row.version.split(' ')[0],
        versionNum,
        major: (0,_tools_js__WEBPACK_IMPORTED_MODULE_3__/* .majorOfVersionNum */ .Np)(versionNum),
        encoding: row.encoding,
    };
}
async function adminConnection(target, ctx) {
    try {
        return await connect((0,_url_js__WEBPACK_IMPORTED_MODULE_2__.withDatabase)(target, 'postgres'), 'target', ctx);
    }
    catch (err) {
        if (err.cause?.code === '3D000') {
            return connect((0,_url_js__WEBPACK_IMPORTED_MODULE_2__.withDatabase)(target, 'template1'), 'target', ctx);
        }
        throw err;
    }
}
/** For other modules that need a connection (the consistency check). */



/***/ }),

/***/ 130:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   an: () => (/* binding */ GLOBALS_MEMBER),
/* harmony export */   j9: () => (/* binding */ GLOBALS_END),
/* harmony export */   nh: () => (/* binding */ PgSource)
/* harmony export */ });
/* unused harmony export memberBaseName */
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(43026);
/* harmony import */ var _url_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73287);
/* harmony import */ var _connection_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(72308);
/* harmony import */ var _inventory_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(83658);
/* harmony import */ var _tools_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(93737);
/* harmony import */ var _parallel_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(66575);






const GLOBALS_MEMBER = 'globals.sql';
const GLOBALS_END = '-- PostgreSQL database cluster dump complete';
/** A member-path-safe name for the database's dump. */
function memberBaseName(database) {
    const safe = database.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
    return safe || 'database';
}
async function runToBuffer(run, limit) {
    const chunks = [];
    let size = 0;
    run.child.stdout.on('data', (c) => {
        size += c.length;
        if (size > limit)
            run.process.stop();
        else
            chunks.push(c);
    });
    await run.exited;
    return Buffer.concat(chunks);
}
async function dumpGlobals(conn, dumpClient, ctx) {
    const tool = await (0,_tools_js__WEBPACK_IMPORTED_MODULE_4__/* .siblingTool */ .zC)(dumpClient, 'pg_dumpall', ctx.env);
    const env = (0,_url_js__WEBPACK_IMPORTED_MODULE_1__.childEnv)(conn, ctx, 'lifeboat pg_dumpall');
    const base = ['--globals-only', '--no-password', `--database=${(0,_connection_js__WEBPACK_IMPORTED_MODULE_2__.dbnameConninfo)(conn.database)}`];
    let run = (0,_tools_js__WEBPACK_IMPORTED_MODULE_4__/* .startTool */ .pQ)(tool, base, env, 'ignore', 'pipe', ctx);
    let sql = await runToBuffer(run, 64 << 20);
    let r = await run.exited;
    let note;
    if (r.code !== 0 && /permission denied/i.test(run.stderr.lines(ctx))) {
        // Not a superuser (managed services): roles can still be dumped without their passwords.
        note = 'globals dumped without role passwords (the user may not read pg_authid)';
        ctx.log.warn(note);
        run = (0,_tools_js__WEBPACK_IMPORTED_MODULE_4__/* .startTool */ .pQ)(tool, [...base, '--no-role-passwords'], env, 'ignore', 'pipe', ctx);
        sql = await runToBuffer(run, 64 << 20);
        r = await run.exited;
    }
    if (r.code !== 0 || !sql.toString('utf8').includes(GLOBALS_END)) {
        const tail = run.stderr.lines(ctx);
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .SourceError */ .c8(`pg_dumpall --globals-only failed (${(0,_tools_js__WEBPACK_IMPORTED_MODULE_4__/* .exitText */ .iJ)(r)})${tail ? `:\n${tail}` : ''}`, {
            hint: 'globals (roles, tablespaces) need a superuser or a role that may read pg_roles; turn globals off otherwise',
        });
    }
    return { sql, version: tool.version, ...(note ? { note } : {}) };
}
class PgSource {
    kind = 'postgres';
    displayUrl;
    conn;
    constructor(conn) {
        this.conn = conn;
        this.displayUrl = conn.displayUrl;
    }
    async dump(sink, ctx) {
        const conn = this.conn;
        ctx.redactor.add(conn.password);
        const filters = (0,_inventory_js__WEBPACK_IMPORTED_MODULE_3__/* .filtersOf */ .$l)(ctx.options);
        const rowCounts = (0,_inventory_js__WEBPACK_IMPORTED_MODULE_3__/* .rowCountsOption */ .S5)(ctx.options);
        const jobs = (0,_parallel_js__WEBPACK_IMPORTED_MODULE_5__/* .jobsOption */ .iI)(ctx.options, 1);
        const wantGlobals = ctx.options.globals === true;
        const started = Date.now();
        const client = await (0,_connection_js__WEBPACK_IMPORTED_MODULE_2__.connect)(conn, 'source', ctx);
        // This session holds the snapshot pg_dump reads: once it is gone the dump cannot be
        // consistent, whatever pg_dump itself reports.
        let sessionLost;
        let ending = false;
        client.on('error', (err) => (sessionLost ??= err));
        client.on('end', () => {
            if (!ending)
                sessionLost ??= new Error('the server closed the connection');
        });
        let backendPid;
        try {
            backendPid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0]
                .pid;
            const server = await (0,_connection_js__WEBPACK_IMPORTED_MODULE_2__.serverInfo)(client);
            ctx.log.info(`PostgreSQL ${server.version} at ${conn.host}:${conn.port}, database "${conn.database}"`);
            const dumpClient = await (0,_tools_js__WEBPACK_IMPORTED_MODULE_4__/* .resolveDumpClient */ .gE)(server.major, server.version, ctx);
            ctx.log.info(`using pg_dump ${dumpClient.version} (${dumpClient.path})`);
            const versions = {
                server: server.version,
                pg_dump: dumpClient.version,
            };
            const details = {
                database: conn.database,
                encoding: server.encoding,
                serverVersionNum: server.versionNum,
                rowCounts,
            };
            const notes = [];
            if (wantGlobals) {
                const g = await dumpGlobals(conn, dumpClient, ctx);
                versions.pg_dumpall = g.version;
                if (g.note)
                    notes.push(g.note);
                await sink.addFile(GLOBALS_MEMBER, g.sql, { mode: 0o600 });
                details.globals = GLOBALS_MEMBER;
            }
            // One snapshot for the inventory and the dump, so the row counts are the dumped ones.
            await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
            let snapshot;
            try {
                snapshot = (await client.query('SELECT pg_export_snapshot() AS s')).rows[0]
                    .s;
            }
            catch (err) {
                ctx.log.warn(`cannot export a snapshot (${err.message}); row counts are read separately from the dump`);
                await client.query('ROLLBACK');
                await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
            }
            details.roles = await (0,_inventory_js__WEBPACK_IMPORTED_MODULE_3__/* .referencedRoles */ .Vl)(client);
            const base = memberBaseName(conn.database);
            const env = (0,_url_js__WEBPACK_IMPORTED_MODULE_1__.childEnv)(conn, ctx, 'lifeboat pg_dump');
            const common = [
                '--no-password',
                ...(snapshot ? [`--snapshot=${snapshot}`] : []),
                ...(0,_inventory_js__WEBPACK_IMPORTED_MODULE_3__/* .filterArgs */ .et)(filters),
            ];
            let inventory;
            if (jobs > 1 && !snapshot) {
                ctx.log.warn(`jobs=${jobs} needs an exported snapshot to keep the workers consistent; dumping in one stream`);
            }
            if (jobs > 1 && snapshot) {
                inventory = await (0,_parallel_js__WEBPACK_IMPORTED_MODULE_5__/* .dumpParallel */ .U7)(sink, ctx, {
                    client,
                    dumpClient,
                    env,
                    snapshot,
                    jobs,
                    folder: `${base}.pgpar`,
                    database: conn.database,
                    filters,
                    rowCounts,
                    details,
                });
            }
            else {
                const member = `${base}.pgdump`;
                const run = (0,_tools_js__WEBPACK_IMPORTED_MODULE_4__/* .startTool */ .pQ)(dumpClient, ['--format=custom', '--compress=0', ...common], env, 'ignore', 'pipe', ctx, await (0,_tools_js__WEBPACK_IMPORTED_MODULE_4__/* .largeWriter */ .v_)(dumpClient, env));
                let header;
                const stream = (0,_tools_js__WEBPACK_IMPORTED_MODULE_4__/* .dumpStream */ .l3)(run, `pg_dump of database "${conn.database}"`, ctx, (h) => (header = h));
                // Counting runs beside the dump; if it fails the dump stream fails too.
                const counting = (0,_inventory_js__WEBPACK_IMPORTED_MODULE_3__/* .readInventory */ .zw)(client, filters, rowCounts).catch((err) => {
                    stream.destroy(new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .SourceError */ .c8(`reading the inventory of "${conn.database}" failed: ${ctx.redactor.redact(err.message)}`, {
                        cause: err,
                    }));
                    throw err;
                });
                counting.catch(() => { });
                try {
                    await sink.addFile(member, stream, { mode: 0o600 });
                }
                catch (err) {
                    run.process.stop();
                    await run.exited;
                    throw err;
                }
                inventory = await counting;
                const v = header ? (0,_tools_js__WEBPACK_IMPORTED_MODULE_4__/* .parseDumpHeader */ .RT)(header) : undefined;
                details.format = 'custom';
                details.member = member;
                if (v)
                    details.archiveVersion = (0,_tools_js__WEBPACK_IMPORTED_MODULE_4__/* .formatArchiveVersion */ .cF)(v);
            }
            await client.query('COMMIT');
            if (notes.length)
                details.notes = notes;
            ctx.log.info(`dumped ${inventory.tables?.length ?? 0} tables of "${conn.database}" in ${((Date.now() - started) / 1000).toFixed(1)} s`);
            return { versions, inventory, details };
        }
        catch (err) {
            // Our session may still be counting rows (or waiting on a lock): end it server-side so
            // closing the client cannot hang.
            if (sessionLost) {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .SourceError */ .c8(`source: lost the PostgreSQL session holding the snapshot of database "${conn.database}" ` +
                    `at ${conn.host}:${conn.port} (${ctx.redactor.redact(sessionLost.message)}); the dump was abandoned`, {
                    cause: err,
                    hint: 'the server ended the session (restart, pg_terminate_backend, idle_in_transaction_session_timeout or a network cut); run the backup again',
                });
            }
            if (backendPid !== undefined)
                await terminateBackend(conn, backendPid, ctx);
            throw err;
        }
        finally {
            ending = true;
            await client.end().catch(() => { });
        }
    }
}
async function terminateBackend(conn, pid, ctx) {
    try {
        const c = await (0,_connection_js__WEBPACK_IMPORTED_MODULE_2__.connect)(conn, 'source', ctx);
        try {
            await c.query('SELECT pg_terminate_backend($1)', [pid]);
        }
        finally {
            await c.end().catch(() => { });
        }
    }
    catch {
        // the server is gone or refuses: nothing left to end
    }
}


/***/ }),

/***/ 83658:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $l: () => (/* binding */ filtersOf),
/* harmony export */   S5: () => (/* binding */ rowCountsOption),
/* harmony export */   T5: () => (/* binding */ filterSql),
/* harmony export */   Vl: () => (/* binding */ referencedRoles),
/* harmony export */   a0: () => (/* binding */ USER_SCHEMA),
/* harmony export */   bm: () => (/* binding */ NOT_EXTENSION_MEMBER),
/* harmony export */   et: () => (/* binding */ filterArgs),
/* harmony export */   mq: () => (/* binding */ compareInventories),
/* harmony export */   zw: () => (/* binding */ readInventory)
/* harmony export */ });
/* unused harmony export patternToRegex */
/* harmony import */ var _connection_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(72308);

/** A `lines` option's patterns (the parser already split them), blanks dropped. */
function patterns(lines) {
    return (lines ?? []).map((x) => x.trim()).filter(Boolean);
}
function filtersOf(options) {
    return {
        includeSchemas: patterns(options['include-schemas']),
        excludeSchemas: patterns(options['exclude-schemas']),
        includeTables: patterns(options['include-tables']),
        excludeTables: patterns(options['exclude-tables']),
    };
}
function filterArgs(f) {
    return [
        ...f.includeSchemas.map((p) => `--schema=${p}`),
        ...f.excludeSchemas.map((p) => `--exclude-schema=${p}`),
        ...f.includeTables.map((p) => `--table=${p}`),
        ...f.excludeTables.map((p) => `--exclude-table=${p}`),
    ];
}
/**
 * A pg_dump name pattern (psql's rules: `*`, `?`, `.` between schema and name, unquoted letters
 * folded to lower case, double quotes for literal text) as anchored regexes.
 */
function patternToRegex(pattern) {
    const parts = [''];
    let inQuotes = false;
    for (let i = 0; i < pattern.length; i++) {
        const ch = pattern[i];
        if (ch === '"') {
            if (inQuotes && pattern[i + 1] === '"') {
                parts[parts.length - 1] += '"';
                i++;
            }
            else
                inQuotes = !inQuotes;
        }
        else if (!inQuotes && ch === '.')
            parts.push('');
        else if (!inQuotes && ch === '*')
            parts[parts.length - 1] += '.*';
        else if (!inQuotes && ch === '?')
            parts[parts.length - 1] += '.';
        else {
            const c = inQuotes ? ch : ch.toLowerCase();
            parts[parts.length - 1] += c.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
        }
    }
    const anchored = (s) => `^(${s})$`;
    if (parts.length === 1)
        return { name: anchored(parts[0]) };
    return { schema: anchored(parts[parts.length - 2]), name: anchored(parts[parts.length - 1]) };
}
const USER_SCHEMA = `n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'`;
const NOT_EXTENSION_MEMBER = `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
   AND d.objid = c.oid AND d.deptype = 'e')`;
/** SQL conditions (over n = pg_namespace, c = pg_class) selecting what pg_dump selects. */
function filterSql(f, which, params) {
    const add = (v) => {
        params.push(v);
        return `$${params.length}`;
    };
    const schemaMatch = (patterns) => patterns.map((p) => `n.nspname ~ ${add(patternToRegex(p).name)}`).join(' OR ');
    const tableMatch = (patterns) => patterns
        .map((p) => {
        const r = patternToRegex(p);
        return r.schema
            ? `(n.nspname ~ ${add(r.schema)} AND c.relname ~ ${add(r.name)})`
            : `(c.relname ~ ${add(r.name)} AND pg_catalog.pg_table_is_visible(c.oid))`;
    })
        .join(' OR ');
    const schemas = () => {
        let sql = USER_SCHEMA;
        if (f.includeSchemas.length)
            sql += ` AND (${schemaMatch(f.includeSchemas)})`;
        if (f.excludeSchemas.length)
            sql += ` AND NOT (${schemaMatch(f.excludeSchemas)})`;
        return sql;
    };
    if (which === 'schemas')
        return f.includeTables.length ? 'false' : schemas();
    // As pg_dump documents: with --table, --schema and --exclude-schema do not apply to tables.
    let tables = f.includeTables.length
        ? `${USER_SCHEMA} AND (${tableMatch(f.includeTables)})`
        : schemas();
    if (f.excludeTables.length)
        tables += ` AND NOT (${tableMatch(f.excludeTables)})`;
    return tables;
}
/** Schemas, tables with row counts, sequences and large objects, as pg_dump with these filters sees them. */
async function readInventory(client, f, rowCounts) {
    const params = [];
    const whereTables = filterSql(f, 'tables', params);
    const tables = await client.query(`SELECT n.nspname, c.relname, c.relkind,
            CASE WHEN c.relkind = 'p' THEN (SELECT coalesce(sum(greatest(p.reltuples, 0)), 0) FROM pg_partition_tree(c.oid) t
                 JOIN pg_class p ON p.oid = t.relid WHERE t.isleaf) ELSE greatest(c.reltuples, 0) END AS reltuples
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND ${NOT_EXTENSION_MEMBER} AND (${whereTables})
      ORDER BY n.nspname, c.relname`, params);
    const out = [];
    for (const t of tables.rows) {
        const name = `${t.nspname}.${t.relname}`;
        if (rowCounts === 'estimate') {
            out.push({ name, rows: Math.round(Number(t.reltuples)), estimated: true });
            continue;
        }
        const only = t.relkind === 'r' ? 'ONLY ' : '';
        const r = await client.query(`SELECT count(*) AS n FROM ${only}${(0,_connection_js__WEBPACK_IMPORTED_MODULE_0__.quoteIdent)(t.nspname)}.${(0,_connection_js__WEBPACK_IMPORTED_MODULE_0__.quoteIdent)(t.relname)}`);
        out.push({ name, rows: Number(r.rows[0].n) });
    }
    const tableSchemas = new Set(tables.rows.map((t) => t.nspname));
    const sp = [];
    const whereSchemas = filterSql(f, 'schemas', sp);
    const schemaRows = await client.query(`SELECT n.nspname FROM pg_namespace n WHERE (${whereSchemas}) ORDER BY 1`, sp);
    const schemas = [...new Set([...schemaRows.rows.map((r) => r.nspname), ...tableSchemas])].sort();
    const qp = [];
    const whereSeqs = filterSql(f, 'tables', qp);
    const seqs = await client.query(`SELECT n.nspname, c.relname,
            CASE WHEN has_sequence_privilege(c.oid, 'SELECT') THEN pg_sequence_last_value(c.oid)::text END AS last_value
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'S' AND ${NOT_EXTENSION_MEMBER} AND (${whereSeqs})
      ORDER BY 1, 2`, qp);
    const sequences = {};
    for (const s of seqs.rows)
        sequences[`${s.nspname}.${s.relname}`] = s.last_value;
    const lo = await client.query('SELECT count(*) AS n FROM pg_largeobject_metadata');
    return {
        tables: out,
        extra: { schemas, sequences, largeObjects: Number(lo.rows[0].n), rowCounts },
    };
}
/** Roles that own or are granted something in the dump: they must exist for ownership to be restored. */
async function referencedRoles(client) {
    const r = await client.query(`SELECT DISTINCT r FROM (
       SELECT pg_get_userbyid(c.relowner) AS r FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMA}
       UNION SELECT pg_get_userbyid(n.nspowner) FROM pg_namespace n WHERE ${USER_SCHEMA}
       UNION SELECT pg_get_userbyid(p.proowner) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${USER_SCHEMA}
       UNION SELECT pg_get_userbyid(t.typowner) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE ${USER_SCHEMA}
       UNION SELECT pg_get_userbyid(a.grantee) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
             aclexplode(c.relacl) a WHERE ${USER_SCHEMA} AND a.grantee <> 0
       UNION SELECT pg_get_userbyid(a.grantee) FROM pg_namespace n, aclexplode(n.nspacl) a WHERE ${USER_SCHEMA} AND a.grantee <> 0
       UNION SELECT pg_get_userbyid(l.lomowner) FROM pg_largeobject_metadata l
     ) x WHERE r IS NOT NULL ORDER BY 1`);
    return r.rows.map((x) => x.r);
}
function rowCountsOption(options) {
    return options['row-counts'] === 'estimate' ? 'estimate' : 'exact';
}
/** Differences between a restored inventory and the manifest's (table list, exact row counts). */
function compareInventories(expected, actual) {
    const diffs = [];
    const want = new Map((expected.tables ?? []).map((t) => [t.name, t]));
    const got = new Map((actual.tables ?? []).map((t) => [t.name, t]));
    for (const [name, t] of want) {
        const g = got.get(name);
        if (!g)
            diffs.push(`table ${name} is missing`);
        else if (!t.estimated && g.rows !== t.rows)
            diffs.push(`table ${name} has ${g.rows} rows, the backup ${t.rows}`);
    }
    for (const name of got.keys())
        if (!want.has(name))
            diffs.push(`table ${name} is not in the backup`);
    return diffs;
}


/***/ }),

/***/ 66575:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L8: () => (/* binding */ classify),
/* harmony export */   Tf: () => (/* binding */ SegmentFeeder),
/* harmony export */   U7: () => (/* binding */ dumpParallel),
/* harmony export */   aH: () => (/* binding */ layoutOf),
/* harmony export */   dD: () => (/* binding */ spoolSchema),
/* harmony export */   iI: () => (/* binding */ jobsOption)
/* harmony export */ });
/* unused harmony exports SEGMENT_SIZE, SCHEMA_MEMBER, parseJobs, exactPattern, planWorkers */
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(48161);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(51455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(76760);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(46466);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(43026);
/* harmony import */ var _core_log_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(85491);
/* harmony import */ var _inventory_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(83658);
/* harmony import */ var _tools_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(93737);
/**
 * Parallel streaming PostgreSQL dumps and restores (`jobs` > 1), without a temporary copy.
 *
 * Backup: the coordinating session (dump.ts) holds a REPEATABLE READ transaction and exports
 * its snapshot. From that one snapshot:
 *   - `schema.pgdump`: `pg_dump --section=pre-data --section=post-data` (small);
 *   - `data-<k>.pgdump`, k = 0…N-1: `pg_dump --section=data`, worker k ≥ 1 with `--table` for its
 *     share of the tables (largest first, balanced by size), worker 0 with everything else
 *     (`--exclude-table-data` for the others' tables): the small tables, sequence values and
 *     large objects.
 * Every data stream is cut into segments of SEGMENT_SIZE bytes, each one archive member
 * `data-<k>.pgdump.<nnnnnn>` (one tar entry, never chunked at the default chunk size), written as
 * soon as it is full, so N workers stream into the one archive at the same time and each holds
 * at most one segment in memory. `cat data-<k>.pgdump.* > data-<k>.pgdump` gives back worker k's
 * custom-format dump. The layout (which worker holds which tables, how many segments) is in the
 * manifest's source details (`details.parallel`).
 *
 * Restore: the schema member (the only thing written to disk) gets `pg_restore --section=pre-data`,
 * then every worker's segments are fed, as they come out of the archive, to one `pg_restore` per
 * worker at the same time, then `pg_restore --section=post-data --jobs=N` builds indexes,
 * constraints and triggers in parallel.
 */









/** Bytes per data segment: one tar entry at the default 4 MiB chunk size. */
const SEGMENT_SIZE = 4 * 1024 * 1024;
/** At most this many (the largest) tables are shared out by name; smaller ones stay with worker 0. */
const MAX_LISTED_TABLES = 2000;
const SCHEMA_MEMBER = 'schema.pgdump';
/** `jobs`: a whole number of 1 or more, or `auto` (this machine's cores). */
function parseJobs(value, dflt) {
    if (value === undefined || value === '')
        return dflt;
    if (value === 'auto')
        return Math.max(1, (0,node_os__WEBPACK_IMPORTED_MODULE_0__.availableParallelism)());
    const n = typeof value === 'number' ? value : Number(String(value).trim());
    if (!Number.isInteger(n) || n < 1) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigError */ .xL('jobs', `'${String(value)}' is not a whole number of 1 or more, nor auto`, {
            hint: 'use jobs: 4, or jobs: auto for one job per core of this machine',
        });
    }
    return n;
}
function jobsOption(options, dflt) {
    return parseJobs(options.jobs, dflt);
}
/** A pg_dump pattern that matches exactly this table (quoted: no wildcard, case kept). */
function exactPattern(t) {
    const q = (s) => `"${s.replace(/"/g, '""')}"`;
    return `${q(t.schema)}.${q(t.name)}`;
}
/**
 * Share tables out to `jobs` workers, largest first, each to the least loaded worker (ties: the
 * lowest number). Worker 0 starts with the tables beyond MAX_LISTED_TABLES (the smallest).
 */
function planWorkers(tables, jobs) {
    const sorted = [...tables].sort((a, b) => b.bytes - a.bytes || a.schema.localeCompare(b.schema) || a.name.localeCompare(b.name));
    const listedTables = sorted.slice(0, MAX_LISTED_TABLES);
    const unlisted = sorted.slice(MAX_LISTED_TABLES);
    const loads = new Array(jobs).fill(0);
    loads[0] = unlisted.reduce((s, t) => s + t.bytes, 0);
    const listed = Array.from({ length: jobs }, () => []);
    for (const t of listedTables) {
        // Worker 0 also dumps sequences and large objects: on a tie, another worker takes the table.
        let best = jobs > 1 ? 1 : 0;
        for (let k = 0; k < jobs; k++)
            if (loads[k] < loads[best])
                best = k;
        listed[best].push(t);
        loads[best] += Math.max(t.bytes, 8192);
    }
    return { listed, unlisted };
}
function tableName(t) {
    return `${t.schema}.${t.name}`;
}
/** Writes members one after another whoever calls, so every member is whole and in call order. */
function serialSink(sink) {
    let chain = Promise.resolve();
    return (path, body) => {
        const run = chain.then(() => sink.addFile(path, body, { mode: 0o600 }));
        chain = run.catch(() => undefined);
        return run.then(() => undefined);
    };
}
/** The last table pg_dump --verbose (or pg_restore --verbose) said it was working on. */
function lastTable(run) {
    const tail = run.process.stderrTail(400);
    const all = [...tail.matchAll(/(?:dumping contents of|processing data for) table "([^"]+)"/g)];
    return all.length ? all[all.length - 1][1] : undefined;
}
/** The tool's stderr tail without its --verbose progress lines. */
function problemLines(run) {
    return run.process
        .stderrTail(400)
        .split('\n')
        .filter((l) => !/^pg_(dump|restore): (?!error|warning|detail|hint)/.test(l))
        .slice(-12)
        .join('\n');
}
/**
 * The parallel dump. Fails (and stops every worker) when any worker fails, the coordinating
 * session is lost, or the sink fails; the error names the worker and the table it was dumping.
 */
async function dumpParallel(sink, ctx, input) {
    const { client, dumpClient, snapshot, jobs, folder, filters } = input;
    const params = [];
    const where = (0,_inventory_js__WEBPACK_IMPORTED_MODULE_7__/* .filterSql */ .T5)(filters, 'tables', params);
    const sizes = await client.query(`SELECT n.nspname, c.relname, pg_table_size(c.oid) AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
            AND d.objid = c.oid AND d.deptype = 'e') AND (${where})`, params);
    const tables = sizes.rows.map((r) => ({
        schema: r.nspname,
        name: r.relname,
        bytes: Number(r.bytes ?? 0),
    }));
    const { listed } = planWorkers(tables, jobs);
    const total = tables.reduce((s, t) => s + t.bytes, 0);
    // Workers 1… with no table have nothing to do; worker 0 always runs (sequences, large objects).
    const active = listed
        .map((l, k) => ({ k, tables: l }))
        .filter((w) => w.k === 0 || w.tables.length);
    const others = active.filter((w) => w.k !== 0).flatMap((w) => w.tables);
    ctx.log.info(`dumping with ${active.length} parallel pg_dump workers on one snapshot (${tables.length} tables, ${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_6__/* .formatBytes */ .z3)(total)} on the server)`);
    const add = serialSink(sink);
    const runs = [];
    let failure;
    const fail = (err) => {
        if (failure)
            return;
        failure = err;
        for (const r of runs)
            r.process.stop();
    };
    const onLost = (err) => fail(new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .SourceError */ .c8(`the coordinating session holding the snapshot of "${input.database}" was lost${err ? ` (${ctx.redactor.redact(err.message)})` : ''}; the parallel dump was stopped`));
    const onError = (err) => onLost(err);
    const onEnd = () => onLost();
    client.on('error', onError);
    client.on('end', onEnd);
    const base = ['--no-password', '--format=custom', '--compress=0', `--snapshot=${snapshot}`];
    const wrapper = await (0,_tools_js__WEBPACK_IMPORTED_MODULE_8__/* .largeWriter */ .v_)(dumpClient, input.env);
    const start = (name, args) => {
        const run = (0,_tools_js__WEBPACK_IMPORTED_MODULE_8__/* .startTool */ .pQ)(dumpClient, [...base, ...args], { ...input.env, PGAPPNAME: `lifeboat pg_dump ${name}` }, 'ignore', 'pipe', ctx, wrapper);
        runs.push(run);
        if (failure)
            run.process.stop();
        return run;
    };
    let header;
    const workers = [];
    /** Streams one worker's stdout into the archive, cut into segment members. */
    const pump = async (run, who, record) => {
        let parts = [];
        let len = 0;
        let bytes = 0;
        let seq = 0;
        let head = Buffer.alloc(0);
        const segmentName = () => `${folder}/${record.member}.${String(seq).padStart(6, '0')}`;
        const flush = async (n) => {
            const all = parts.length === 1 ? parts[0] : Buffer.concat(parts);
            const piece = all.subarray(0, n);
            const rest = all.subarray(n);
            parts = rest.length ? [rest] : [];
            len = rest.length;
            await add(segmentName(), piece);
            seq++;
        };
        try {
            for await (const c of run.child.stdout) {
                if (failure)
                    break;
                if (head.length < 8)
                    head = Buffer.concat([head, c]).subarray(0, 8);
                parts.push(c);
                len += c.length;
                bytes += c.length;
                while (len >= SEGMENT_SIZE && !failure)
                    await flush(SEGMENT_SIZE);
            }
            const r = await run.exited;
            if (failure)
                return;
            let problem;
            if (ctx.signal?.aborted)
                problem = 'the run was cancelled';
            else if (r.code !== 0)
                problem = (0,_tools_js__WEBPACK_IMPORTED_MODULE_8__/* .exitText */ .iJ)(r);
            else if (bytes === 0)
                problem = 'it wrote 0 bytes';
            else if (!(0,_tools_js__WEBPACK_IMPORTED_MODULE_8__/* .parseDumpHeader */ .RT)(head))
                problem = 'its output is not a custom-format dump';
            if (problem !== undefined) {
                const table = lastTable(run);
                const tail = problemLines(run);
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .SourceError */ .c8(`pg_dump ${who} of database "${input.database}" failed${table ? ` while dumping table "${table}"` : ''} (${problem}) after ${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_6__/* .formatBytes */ .z3)(bytes)}${tail ? `:\n${tail}` : ''}`, {
                    hint: 'the dump is incomplete and was not stored; the other workers were stopped; check the server log and the message above, then run again',
                });
            }
            if (len > 0)
                await flush(len);
            header ??= head;
            record.segments = seq;
            record.bytes = bytes;
        }
        catch (err) {
            fail(err);
            throw err;
        }
    };
    try {
        const jobsDone = [];
        // The schema first in the archive (a restore needs its pre-data before any table data).
        const schemaRun = start('schema', [
            '--section=pre-data',
            '--section=post-data',
            ...(0,_inventory_js__WEBPACK_IMPORTED_MODULE_7__/* .filterArgs */ .et)(filters),
        ]);
        const schemaStream = (0,_tools_js__WEBPACK_IMPORTED_MODULE_8__/* .dumpStream */ .l3)(schemaRun, `pg_dump of the schema of database "${input.database}"`, ctx, () => { });
        jobsDone.push(add(`${folder}/${SCHEMA_MEMBER}`, schemaStream).catch((err) => {
            fail(err);
            throw err;
        }));
        for (const w of active) {
            const member = `data-${w.k}.pgdump`;
            const args = w.k === 0
                ? [
                    '--section=data',
                    '--verbose',
                    ...(0,_inventory_js__WEBPACK_IMPORTED_MODULE_7__/* .filterArgs */ .et)(filters),
                    ...others.map((t) => `--exclude-table-data=${exactPattern(t)}`),
                ]
                : ['--section=data', '--verbose', ...w.tables.map((t) => `--table=${exactPattern(t)}`)];
            const record = {
                member,
                segments: 0,
                bytes: 0,
                tables: w.tables.map(tableName),
                ...(w.k === 0 ? { rest: true } : {}),
            };
            if (w.k === 0) {
                const known = new Set(others.map(tableName));
                const mine = tables.filter((t) => !known.has(tableName(t))).map(tableName);
                record.tables = mine.slice(0, MAX_LISTED_TABLES).sort();
                if (mine.length > MAX_LISTED_TABLES)
                    record.moreTables = mine.length - MAX_LISTED_TABLES;
            }
            workers.push(record);
            const shown = w.tables.slice(0, 5).map(tableName).join(', ');
            const who = `worker ${w.k} of ${active.length} (${w.k === 0 ? 'sequences, large objects and the other tables' : `tables ${shown}${w.tables.length > 5 ? ` and ${w.tables.length - 5} more` : ''}`})`;
            jobsDone.push(pump(start(`w${w.k}`, args), who, record));
        }
        // The inventory is read in the same snapshot, beside the workers; without parallel query
        // workers of its own, so its count(*) scans leave the cores to the dump workers.
        await client.query('SET LOCAL max_parallel_workers_per_gather = 0');
        const counting = (0,_inventory_js__WEBPACK_IMPORTED_MODULE_7__/* .readInventory */ .zw)(client, filters, input.rowCounts).catch((err) => {
            fail(new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .SourceError */ .c8(`reading the inventory of "${input.database}" failed: ${ctx.redactor.redact(err.message)}`, { cause: err }));
            return undefined;
        });
        await Promise.allSettled(jobsDone);
        const inventory = await counting;
        if (failure)
            throw failure;
        if (!inventory)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .SourceError */ .c8('the inventory was not read');
        const layout = {
            folder,
            schema: SCHEMA_MEMBER,
            segmentSize: SEGMENT_SIZE,
            workers,
        };
        input.details.format = 'parallel';
        input.details.member = folder;
        input.details.jobs = active.length;
        input.details.parallel = layout;
        const v = header ? (0,_tools_js__WEBPACK_IMPORTED_MODULE_8__/* .parseDumpHeader */ .RT)(header) : undefined;
        if (v)
            input.details.archiveVersion = (0,_tools_js__WEBPACK_IMPORTED_MODULE_8__/* .formatArchiveVersion */ .cF)(v);
        return inventory;
    }
    finally {
        for (const r of runs)
            r.process.stop();
        await Promise.all(runs.map((r) => r.exited));
        client.off('error', onError);
        client.off('end', onEnd);
    }
}
/** The layout of a parallel backup's details, checked enough to use safely. */
function layoutOf(details) {
    const p = details.parallel;
    if (!p ||
        typeof p.folder !== 'string' ||
        typeof p.schema !== 'string' ||
        !Array.isArray(p.workers) ||
        p.workers.some((w) => typeof w.member !== 'string' || !Number.isInteger(w.segments))) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .IntegrityError */ .cs('the manifest of this parallel PostgreSQL backup has no valid layout');
    }
    return p;
}
/** Which part of a parallel backup a member is. */
function classify(layout, path) {
    const prefix = `${layout.folder}/`;
    if (!path.startsWith(prefix))
        return undefined;
    const rel = path.slice(prefix.length);
    if (rel === layout.schema)
        return { kind: 'schema' };
    for (let k = 0; k < layout.workers.length; k++) {
        const m = layout.workers[k].member;
        if (rel.startsWith(`${m}.`) && /^\d{6,}$/.test(rel.slice(m.length + 1))) {
            return { kind: 'segment', worker: k, seq: Number(rel.slice(m.length + 1)) };
        }
    }
    return undefined;
}
/** Segments queued per worker on restore (each at most SEGMENT_SIZE bytes in memory). */
const QUEUE_DEPTH = 3;
async function readAll(body) {
    const chunks = [];
    for await (const c of body)
        chunks.push(c);
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}
/** Write into a tool's stdin without ending it; a tool that has gone (or stopped reading) is skipped. */
async function writeAll(run, data) {
    const stdin = run.child.stdin;
    if (stdin.destroyed || stdin.writableEnded || run.child.exitCode !== null)
        return;
    if (stdin.write(data))
        return;
    await new Promise((resolve) => {
        const done = () => {
            stdin.off('drain', done);
            stdin.off('close', done);
            stdin.off('error', done);
            resolve();
        };
        stdin.on('drain', done);
        stdin.on('close', done);
        stdin.on('error', done);
    });
}
/**
 * One tool per data worker, fed its segments as they come out of the archive (restore: pg_restore
 * into the staged database; verify: pg_restore --list).
 */
class SegmentFeeder {
    #layout;
    #start;
    #what;
    #runs = new Map();
    #next = new Map();
    /** Per worker: segments read but not yet written into its tool, and the write chain. */
    #queued = new Map();
    #chains = new Map();
    #freed = [];
    #failure;
    #stopping = false;
    constructor(layout, what, start) {
        this.#layout = layout;
        this.#what = what;
        this.#start = start;
    }
    #watch(k, run) {
        run.child.stdin.on('error', () => { });
        void run.exited.then((r) => {
            if (this.#stopping || r.code === 0 || this.#failure)
                return;
            this.#failure = this.#error(k, run, r);
            this.stop();
        });
    }
    #error(k, run, r) {
        const w = this.#layout.workers[k];
        const table = lastTable(run);
        const tail = problemLines(run);
        return new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .SourceError */ .c8(`${this.#what} of worker ${k} (${w.member}) failed${table ? ` at table "${table}"` : ''} (${(0,_tools_js__WEBPACK_IMPORTED_MODULE_8__/* .exitText */ .iJ)(r)})${tail ? `:\n${tail}` : ''}`);
    }
    async segment(k, seq, body) {
        if (this.#failure)
            throw this.#failure;
        const want = this.#next.get(k) ?? 0;
        const w = this.#layout.workers[k];
        if (seq !== want || seq >= w.segments) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .IntegrityError */ .cs(`segment ${seq} of ${w.member} comes where segment ${want} of ${w.segments} was expected`);
        }
        this.#next.set(k, want + 1);
        let run = this.#runs.get(k);
        if (!run) {
            run = this.#start(k);
            this.#runs.set(k, run);
            this.#watch(k, run);
        }
        // Read the whole segment (its checksums are checked as it is read), then queue it for this
        // worker's tool: the archive reader moves on to other workers' segments while this one loads,
        // so a slow worker does not hold up the others until its queue is full.
        const data = await readAll(body);
        while ((this.#queued.get(k) ?? 0) >= QUEUE_DEPTH && !this.#failure) {
            await new Promise((resolve) => this.#freed.push(resolve));
        }
        if (this.#failure)
            throw this.#failure;
        this.#queued.set(k, (this.#queued.get(k) ?? 0) + 1);
        const last = seq === w.segments - 1;
        const target = run;
        const next = (this.#chains.get(k) ?? Promise.resolve()).then(async () => {
            try {
                await writeAll(target, data);
                if (last && !target.child.stdin.destroyed)
                    target.child.stdin.end();
            }
            finally {
                this.#queued.set(k, this.#queued.get(k) - 1);
                for (const wake of this.#freed.splice(0))
                    wake();
            }
        });
        this.#chains.set(k, next);
    }
    /** Every segment arrived and every tool exited 0; otherwise the first failure. */
    async finish() {
        for (let k = 0; k < this.#layout.workers.length; k++) {
            const w = this.#layout.workers[k];
            const got = this.#next.get(k) ?? 0;
            if (got !== w.segments) {
                this.stop();
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .IntegrityError */ .cs(`the archive holds ${got} of the ${w.segments} segments of ${w.member}`);
            }
        }
        await Promise.all(this.#chains.values());
        for (const [k, run] of this.#runs) {
            const r = await run.exited;
            if (this.#failure)
                break;
            if (r.code !== 0)
                this.#failure = this.#error(k, run, r);
        }
        if (this.#failure) {
            this.stop();
            throw this.#failure;
        }
    }
    stop() {
        this.#stopping = true;
        for (const wake of this.#freed.splice(0))
            wake();
        for (const run of this.#runs.values()) {
            run.child.stdin?.destroy();
            run.process.stop();
        }
    }
    async stopped() {
        this.stop();
        await Promise.all([...this.#runs.values()].map((r) => r.exited));
        await Promise.all(this.#chains.values());
    }
}
/** Spool the schema member (small: no table data) to a private folder; returns the file. */
async function spoolSchema(body, tmpDir) {
    const dir = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdtemp)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(tmpDir, 'pgschema-'));
    const file = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, SCHEMA_MEMBER);
    try {
        await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_4__.pipeline)(body, (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createWriteStream)(file, { mode: 0o600 }));
    }
    catch (err) {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rm)(dir, { recursive: true, force: true });
        throw err;
    }
    return { dir, file };
}


/***/ }),

/***/ 5588:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BH: () => (/* binding */ stageInto),
/* harmony export */   Zi: () => (/* binding */ dropDatabase)
/* harmony export */ });
/* unused harmony exports tempSpace, copyMargin */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(51455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(76760);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(57075);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(46466);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(43026);
/* harmony import */ var _core_log_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(85491);
/* harmony import */ var _staging_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(80269);
/* harmony import */ var _url_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(73287);
/* harmony import */ var _connection_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(72308);
/* harmony import */ var _inventory_js__WEBPACK_IMPORTED_MODULE_11__ = __webpack_require__(83658);
/* harmony import */ var _tools_js__WEBPACK_IMPORTED_MODULE_12__ = __webpack_require__(93737);
/* harmony import */ var _dump_js__WEBPACK_IMPORTED_MODULE_13__ = __webpack_require__(130);
/* harmony import */ var _parallel_js__WEBPACK_IMPORTED_MODULE_14__ = __webpack_require__(66575);
/**
 * Restore: stage into a new database, compare it with the manifest's inventory, then swap it in
 * on commit (or drop it on roll back); staging databases a crashed run left behind are dropped.
 */















/** Connections to `database` other than ours, for a clear refusal. */
async function otherConnections(admin, database) {
    const r = await admin.query(`SELECT pid, usename, application_name, client_addr::text, state FROM pg_stat_activity
      WHERE datname = $1 AND pid <> pg_backend_pid() ORDER BY pid`, [database]);
    return r.rows.map((x) => `pid ${x.pid} (user ${x.usename ?? '?'}, application '${x.application_name}', from ${x.client_addr ?? 'local socket'}, ${x.state ?? 'unknown state'})`);
}
async function userTableCount(conn, ctx) {
    const c = await (0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.connect)(conn, 'target', ctx);
    try {
        const r = await c.query(`SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND ${_inventory_js__WEBPACK_IMPORTED_MODULE_11__/* .USER_SCHEMA */ .a0} AND ${_inventory_js__WEBPACK_IMPORTED_MODULE_11__/* .NOT_EXTENSION_MEMBER */ .bm}`);
        return Number(r.rows[0].n);
    }
    finally {
        await c.end().catch(() => { });
    }
}
async function createDatabase(admin, name, encoding, ctx) {
    const enc = encoding ? ` ENCODING ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.quoteLiteral)(encoding)}` : '';
    try {
        await admin.query(`CREATE DATABASE ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.quoteIdent)(name)} TEMPLATE template0${enc}`);
    }
    catch (err) {
        if (err.code === '22023' && enc) {
            // The server's default locale does not fit the dump's encoding: use the C locale.
            ctx.log.warn(`creating "${name}" with the C locale: ${err.message}`);
            await admin.query(`CREATE DATABASE ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.quoteIdent)(name)} TEMPLATE template0${enc} LC_COLLATE 'C' LC_CTYPE 'C'`);
        }
        else
            throw err;
    }
}
async function dropDatabase(admin, name, ctx) {
    try {
        await admin.query(`DROP DATABASE IF EXISTS ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.quoteIdent)(name)}`);
    }
    catch (err) {
        try {
            await admin.query(`DROP DATABASE IF EXISTS ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.quoteIdent)(name)} WITH (FORCE)`);
        }
        catch {
            ctx.log.warn(`could not drop the temporary database "${name}": ${err.message}; drop it by hand`);
        }
    }
}
function shortName(base, suffix) {
    // Database names are at most 63 bytes.
    let b = base;
    while (Buffer.byteLength(b + suffix) > 63)
        b = b.slice(0, -1);
    return b + suffix;
}
/** Give the restored database the old one's owner, settings and database-level grants. */
async function carryOverDatabaseProperties(admin, from, to, ctx) {
    try {
        const d = await admin.query('SELECT pg_get_userbyid(datdba) AS owner, datacl IS NOT NULL AS hasacl FROM pg_database WHERE datname = $1', [from]);
        const row = d.rows[0];
        if (!row)
            return;
        await admin.query(`ALTER DATABASE ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.quoteIdent)(to)} OWNER TO ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.quoteIdent)(row.owner)}`);
        const settings = await admin.query(`SELECT CASE WHEN s.setrole = 0 THEN NULL ELSE pg_get_userbyid(s.setrole) END AS role, s.setconfig
         FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = $1`, [from]);
        for (const s of settings.rows) {
            for (const item of s.setconfig) {
                const eq = item.indexOf('=');
                const key = item.slice(0, eq);
                const value = item.slice(eq + 1);
                const prefix = s.role ? `ALTER ROLE ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.quoteIdent)(s.role)} IN DATABASE` : 'ALTER DATABASE';
                await admin.query(`${prefix} ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.quoteIdent)(to)} SET ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.quoteIdent)(key)} = ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.quoteLiteral)(value)}`);
            }
        }
        if (row.hasacl) {
            const grants = await admin.query(`SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END AS grantee, a.privilege_type, a.is_grantable
           FROM pg_database d, aclexplode(d.datacl) a WHERE d.datname = $1`, [from]);
            await admin.query(`REVOKE ALL ON DATABASE ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.quoteIdent)(to)} FROM PUBLIC`);
            for (const g of grants.rows) {
                await admin.query(`GRANT ${g.privilege_type} ON DATABASE ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.quoteIdent)(to)} TO ${g.grantee ? (0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.quoteIdent)(g.grantee) : 'PUBLIC'}${g.is_grantable ? ' WITH GRANT OPTION' : ''}`);
            }
        }
    }
    catch (err) {
        ctx.log.warn(`could not carry over the owner/settings/grants of "${from}": ${err.message}`);
    }
}
/** Free bytes on the filesystem holding `dir` for this user; a property so tests can replace it. */
const tempSpace = {
    free: async (dir) => {
        const s = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.statfs)(dir);
        return s.bavail * s.bsize;
    },
};
/** Room to leave beside the copy of a dump: 64 MiB, or 5 % of the dump when that is more. */
function copyMargin(size) {
    return Math.max(64 * 1024 * 1024, Math.ceil(size / 20));
}
/**
 * Whether a single-stream dump of `size` bytes (the manifest's) fits in the temporary folder
 * for pg_restore --jobs. When it does not (or its size or the free space is unknown) it warns,
 * naming the numbers, and the restore reads the stream with one pg_restore instead.
 */
async function roomForCopy(size, jobs, ctx) {
    const instead = `restoring from the stream with one pg_restore instead of pg_restore --jobs=${jobs}`;
    if (size === undefined || !Number.isFinite(size) || size < 0) {
        ctx.log.warn(`the manifest gives no size for the dump; ${instead}`);
        return false;
    }
    let free;
    try {
        free = await tempSpace.free(ctx.tmpDir);
    }
    catch (err) {
        ctx.log.warn(`cannot read the free space of the temporary folder ${ctx.tmpDir} (${err.message}); ${instead}`);
        return false;
    }
    const need = size + copyMargin(size);
    if (free >= need)
        return true;
    ctx.log.warn(`not enough free space for a copy of the ${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_7__/* .formatBytes */ .z3)(size)} dump: the temporary folder ${ctx.tmpDir} has ${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_7__/* .formatBytes */ .z3)(free)} free, ${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_7__/* .formatBytes */ .z3)(need)} needed (the dump and a margin of ${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_7__/* .formatBytes */ .z3)(need - size)}); ${instead}`);
    return false;
}
async function restoreMembers(members, plan, manifest, ctx, ownerArgs) {
    const details = manifest.details ?? {};
    const format = details.format === 'directory' || details.format === 'parallel' ? details.format : 'custom';
    const prefix = typeof details.member === 'string' ? details.member : undefined;
    const env = (0,_url_js__WEBPACK_IMPORTED_MODULE_9__.childEnv)((0,_url_js__WEBPACK_IMPORTED_MODULE_9__.withDatabase)(plan.target, plan.into), ctx, 'lifeboat pg_restore');
    const jobs = (0,_parallel_js__WEBPACK_IMPORTED_MODULE_14__/* .jobsOption */ .iI)(ctx.options, typeof details.jobs === 'number' ? details.jobs : 1);
    const args = [
        '--no-password',
        '--exit-on-error',
        `--dbname=${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.dbnameConninfo)(plan.into)}`,
        ...ownerArgs,
    ];
    let used;
    let spool;
    let globals;
    const parallel = format === 'parallel' ? (0,_parallel_js__WEBPACK_IMPORTED_MODULE_14__/* .layoutOf */ .aH)(details) : undefined;
    let feeder;
    let schemaFile;
    let ok = false;
    const failed = (what, run, r) => {
        const tail = run.stderr.lines(ctx);
        return new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .SourceError */ .c8(`${what} into "${plan.into}" failed (${(0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .exitText */ .iJ)(r)})${tail ? `:\n${tail}` : ''}`);
    };
    try {
        for await (const entry of members) {
            if (entry.type !== 'file' || !entry.body) {
                await (0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .drain */ .Ze)(entry.body);
                continue;
            }
            if (entry.path === _dump_js__WEBPACK_IMPORTED_MODULE_13__/* .GLOBALS_MEMBER */ .an) {
                globals = await (0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .bufferOf */ .Kb)(entry.body);
                if (ctx.options.globals === true)
                    await applyGlobals(globals, plan.target, ctx);
                continue;
            }
            const part = parallel ? (0,_parallel_js__WEBPACK_IMPORTED_MODULE_14__/* .classify */ .L8)(parallel, entry.path) : undefined;
            if (parallel && part?.kind === 'schema') {
                const { head, stream } = await (0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .peekHead */ .mc)(entry.body);
                const client = await (0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .restoreClientFor */ .pI)(manifest, ctx, head);
                used = client;
                const spooled = await (0,_parallel_js__WEBPACK_IMPORTED_MODULE_14__/* .spoolSchema */ .dD)(stream, ctx.tmpDir);
                spool = spooled.dir;
                schemaFile = spooled.file;
                ctx.log.info(`restoring with ${client.path} ${client.version} into "${plan.into}": the schema, then ${parallel.workers.length} data streams at once, then indexes and constraints with ${jobs} jobs`);
                const run = (0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .startTool */ .pQ)(client, [...args, '--section=pre-data', schemaFile], env, 'ignore', 'ignore', ctx);
                const r = await run.exited;
                if (r.code !== 0)
                    throw failed('pg_restore of the schema (pre-data)', run, r);
                feeder = new _parallel_js__WEBPACK_IMPORTED_MODULE_14__/* .SegmentFeeder */ .Tf(parallel, 'pg_restore', (k) => (0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .startTool */ .pQ)(client, [...args, '--verbose'], { ...env, PGAPPNAME: `lifeboat pg_restore w${k}` }, 'pipe', 'ignore', ctx));
                continue;
            }
            if (parallel && part?.kind === 'segment') {
                if (!feeder)
                    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .IntegrityError */ .cs(`${entry.path} comes before the schema member of the backup`);
                await feeder.segment(part.worker, part.seq, entry.body);
                continue;
            }
            if (format === 'custom' &&
                (entry.path === prefix || (!prefix && entry.path.endsWith('.pgdump')))) {
                const { head, stream } = await (0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .peekHead */ .mc)(entry.body);
                used = await (0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .restoreClientFor */ .pI)(manifest, ctx, head);
                const size = manifest.members.find((m) => m.path === entry.path)?.size;
                if (jobs > 1 && (await roomForCopy(size, jobs, ctx))) {
                    // pg_restore --jobs reads a seekable file: copy the member (its chunks checked as
                    // they are read) to the run's temporary folder first, removed in the finally below.
                    ctx.log.info(`copying the ${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_7__/* .formatBytes */ .z3)(size)} dump to the temporary folder for pg_restore --jobs=${jobs}`);
                    spool = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdtemp)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(ctx.tmpDir, 'pgrestore-'));
                    const file = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(spool, 'single.pgdump');
                    const copying = Date.now();
                    const cancel = ctx.signal ? { signal: ctx.signal } : {};
                    const out = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createWriteStream)(file, { mode: 0o600 });
                    // Tell the file's own failure (a full disk) from the archive's, which passes as it is.
                    let bodyFailed = false;
                    let fileError;
                    stream.on('error', () => (bodyFailed = true));
                    out.on('error', (err) => {
                        if (!bodyFailed && !ctx.signal?.aborted)
                            fileError ??= err;
                    });
                    try {
                        await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_5__.pipeline)(stream, out, cancel);
                    }
                    catch (err) {
                        if (fileError && err === fileError)
                            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .SourceError */ .c8(`writing the copy of the dump for pg_restore --jobs=${jobs} to the temporary folder failed: ${fileError.message}`, {
                                cause: err,
                                hint: 'free space in the temporary folder (TMPDIR), or restore with jobs: 1, which reads the stream without a copy',
                            });
                        throw err;
                    }
                    ctx.log.info(`copied in ${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_7__/* .formatDuration */ .a3)(Date.now() - copying)}; restoring with ${used.path} ${used.version} (${jobs} jobs) into "${plan.into}" from the copy`);
                    const run = (0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .startTool */ .pQ)(used, [...args, `--jobs=${jobs}`, file], env, 'ignore', 'ignore', ctx);
                    const r = await run.exited;
                    if (r.code !== 0)
                        throw failed(`pg_restore --jobs=${jobs}`, run, r);
                    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rm)(spool, { recursive: true, force: true });
                    spool = undefined;
                    continue;
                }
                ctx.log.info(`restoring with ${used.path} ${used.version} into "${plan.into}"`);
                const run = (0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .startTool */ .pQ)(used, args, env, 'pipe', 'ignore', ctx);
                const r = await (0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .runOverBody */ .UT)(run, stream);
                if (r.code !== 0) {
                    const tail = run.stderr.lines(ctx);
                    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .SourceError */ .c8(`pg_restore into "${plan.into}" failed (${(0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .exitText */ .iJ)(r)})${tail ? `:\n${tail}` : ''}`);
                }
                continue;
            }
            if (format === 'directory' && prefix && entry.path.startsWith(`${prefix}/`)) {
                const rel = entry.path.slice(prefix.length + 1);
                if (rel.split('/').some((p) => p === '..' || p === '' || p === '.')) {
                    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .IntegrityError */ .cs(`refusing member path '${entry.path}'`);
                }
                spool ??= await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdtemp)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(ctx.tmpDir, 'pgrestore-'));
                const file = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(spool, rel);
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdir)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.dirname)(file), { recursive: true });
                await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_5__.pipeline)(entry.body, (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createWriteStream)(file, { mode: 0o600 }));
                continue;
            }
            await (0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .drain */ .Ze)(entry.body);
        }
        if (format === 'directory') {
            if (!spool)
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .IntegrityError */ .cs(`the archive holds no files of the directory-format dump '${prefix ?? '?'}'`);
            const head = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(spool, 'toc.dat')).then((b) => b.subarray(0, 8));
            used = await (0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .restoreClientFor */ .pI)(manifest, ctx, head);
            ctx.log.info(`restoring with ${used.path} ${used.version} (${jobs} jobs) into "${plan.into}"`);
            const run = (0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .startTool */ .pQ)(used, [...args, `--jobs=${jobs}`, '--format=directory', spool], env, 'ignore', 'ignore', ctx);
            const r = await run.exited;
            if (r.code !== 0) {
                const tail = run.stderr.lines(ctx);
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .SourceError */ .c8(`pg_restore into "${plan.into}" failed (${(0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .exitText */ .iJ)(r)})${tail ? `:\n${tail}` : ''}`);
            }
        }
        if (parallel) {
            if (!feeder || !schemaFile || !used)
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .IntegrityError */ .cs(`the archive holds no schema member of the parallel dump '${parallel.folder}'`);
            await feeder.finish();
            const run = (0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .startTool */ .pQ)(used, [...args, '--section=post-data', `--jobs=${jobs}`, schemaFile], env, 'ignore', 'ignore', ctx);
            const r = await run.exited;
            if (r.code !== 0)
                throw failed('pg_restore of indexes and constraints (post-data)', run, r);
        }
        if (!used)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .IntegrityError */ .cs('the archive holds no PostgreSQL dump for this source');
        ok = true;
        return { pgRestore: used.version };
    }
    finally {
        if (feeder && !ok)
            await feeder.stopped();
        if (spool)
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rm)(spool, { recursive: true, force: true });
    }
}
/** Apply globals.sql (roles, tablespaces) with psql; errors such as "role already exists" are reported, not fatal. */
async function applyGlobals(sql, target, ctx) {
    const psql = await (0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .resolveRestoreClient */ .eu)('psql', [1, 0], 'any', ctx);
    const run = (0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .startTool */ .pQ)(psql, [
        '--no-psqlrc',
        '--quiet',
        '--no-password',
        `--dbname=${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.dbnameConninfo)('postgres')}`,
        '--file=-',
    ], (0,_url_js__WEBPACK_IMPORTED_MODULE_9__.childEnv)((0,_url_js__WEBPACK_IMPORTED_MODULE_9__.withDatabase)(target, 'postgres'), ctx, 'lifeboat psql'), 'pipe', 'ignore', ctx);
    const r = await (0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .runOverBody */ .UT)(run, node_stream__WEBPACK_IMPORTED_MODULE_4__.Readable.from([sql]));
    const tail = run.stderr.lines(ctx);
    if (r.code !== 0)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .SourceError */ .c8(`applying globals.sql failed (${(0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .exitText */ .iJ)(r)})${tail ? `:\n${tail}` : ''}`);
    if (tail)
        ctx.log.warn(`globals.sql applied with messages:\n${tail}`);
}
async function stageInto(members, request, ctx) {
    if (!request.target) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ConfigError */ .xL('target', 'a restore needs a target database URL', {
            hint: 'set target to postgres://user@host:5432/new_database (a new database is created)',
        });
    }
    const target = (0,_url_js__WEBPACK_IMPORTED_MODULE_9__.parsePgUrl)(request.target, 'target', ctx.env);
    ctx.redactor.add(target.password);
    if (!target.databaseFromUrl) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ConfigError */ .xL('target', `'${target.displayUrl}' names no database`, {
            hint: 'add the database to restore into after the host: postgres://user@host:5432/new_database',
        });
    }
    const manifest = request.manifest;
    const name = target.database;
    const notes = [];
    // Refuse what cannot work before touching anything.
    await (0,_tools_js__WEBPACK_IMPORTED_MODULE_12__/* .restoreClientFor */ .pI)(manifest, ctx);
    const admin = await (0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.adminConnection)(target, ctx);
    let staged;
    let pgRestore;
    try {
        const state = await targetState(admin, target, request.overwrite, ctx);
        // The commit renames the target, which needs it unused: say so now, not after the restore.
        if (state !== 'create')
            await refuseOtherConnections(admin, name, 'replace');
        // Owners and grants need their roles; without them restore everything as the connecting user.
        const roles = Array.isArray(manifest.details?.roles)
            ? manifest.details.roles
            : [];
        const present = (await admin.query('SELECT rolname FROM pg_roles WHERE rolname = ANY($1)', [roles])).rows.map((r) => r.rolname);
        const missing = roles.filter((r) => !present.includes(r));
        const applyGlobalsFirst = ctx.options.globals === true && manifest.details?.globals === _dump_js__WEBPACK_IMPORTED_MODULE_13__/* .GLOBALS_MEMBER */ .an;
        const ownerArgs = [];
        if (missing.length && !applyGlobalsFirst) {
            ownerArgs.push('--no-owner', '--no-privileges');
            notes.push(`roles ${missing.join(', ')} do not exist on the target: objects are owned by "${target.user}" and grants were skipped (restore with globals to create the roles first)`);
            ctx.log.warn(notes[notes.length - 1]);
        }
        await dropAbandonedStaging(admin, ctx);
        staged = (0,_staging_js__WEBPACK_IMPORTED_MODULE_8__/* .stagedName */ .wp)(name, 63);
        const encoding = typeof manifest.details?.encoding === 'string' ? manifest.details.encoding : undefined;
        await createDatabase(admin, staged, encoding, ctx);
        try {
            await admin.query(`COMMENT ON DATABASE ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.quoteIdent)(staged)} IS ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.quoteLiteral)(JSON.stringify((0,_staging_js__WEBPACK_IMPORTED_MODULE_8__/* .stagingMarker */ .W2)(name)))}`);
            const plan = { target, into: staged };
            ({ pgRestore } = await restoreMembers(members, plan, manifest, ctx, ownerArgs));
            const c = await (0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.connect)((0,_url_js__WEBPACK_IMPORTED_MODULE_9__.withDatabase)(target, staged), 'target', ctx);
            let actual;
            try {
                // Counting rows costs a scan of every table: only when the backup has exact counts.
                const exact = (manifest.inventory.tables ?? []).some((t) => !t.estimated);
                actual = await (0,_inventory_js__WEBPACK_IMPORTED_MODULE_11__/* .readInventory */ .zw)(c, { includeSchemas: [], excludeSchemas: [], includeTables: [], excludeTables: [] }, exact ? 'exact' : 'estimate');
            }
            finally {
                await c.end().catch(() => { });
            }
            const diffs = (0,_inventory_js__WEBPACK_IMPORTED_MODULE_11__/* .compareInventories */ .mq)(manifest.inventory, actual);
            if (diffs.length) {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .IntegrityError */ .cs(`the restored database does not match the backup's inventory (${diffs.length} differences: ${diffs.slice(0, 5).join('; ')}); "${name}" was not changed`);
            }
        }
        catch (err) {
            await dropDatabase(admin, staged, ctx);
            throw err;
        }
    }
    finally {
        await admin.end().catch(() => { });
    }
    ctx.log.info(`staged the restore of "${name}" in "${staged}"`);
    let settled = false;
    const abort = async () => {
        if (settled)
            return;
        settled = true;
        const a = await (0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.adminConnection)(target, ctx);
        try {
            await dropDatabase(a, staged, ctx);
        }
        finally {
            await a.end().catch(() => { });
        }
    };
    const commit = async () => {
        const a = await (0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.adminConnection)(target, ctx);
        try {
            const state = await targetState(a, target, request.overwrite, ctx);
            let safetyId;
            if (state === 'overwrite') {
                await refuseOtherConnections(a, name, 'swap the restored database in');
                if (request.safetyBackup) {
                    ctx.log.info(`taking a safety backup of "${name}" before replacing it`);
                    safetyId = await request.safetyBackup(request.target);
                    notes.push(`safety backup of the previous "${name}": ${safetyId}`);
                }
            }
            else if (state === 'empty')
                await refuseOtherConnections(a, name, 'replace');
            const old = state === 'create'
                ? undefined
                : shortName(name, `_lifeboat_old_${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(4).toString('hex')}`);
            try {
                await a.query('BEGIN');
                await a.query(`COMMENT ON DATABASE ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.quoteIdent)(staged)} IS NULL`);
                if (old)
                    await a.query(`ALTER DATABASE ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.quoteIdent)(name)} RENAME TO ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.quoteIdent)(old)}`);
                await a.query(`ALTER DATABASE ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.quoteIdent)(staged)} RENAME TO ${(0,_connection_js__WEBPACK_IMPORTED_MODULE_10__.quoteIdent)(name)}`);
                await a.query('COMMIT');
            }
            catch (err) {
                await a.query('ROLLBACK').catch(() => { });
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .SourceError */ .c8(`moving the restored database into place failed: ${err.message}; "${name}" was not changed`, {
                    cause: err,
                    hint: safetyId ? `a safety backup of "${name}" was taken: ${safetyId}` : undefined,
                });
            }
            settled = true;
            if (old) {
                await carryOverDatabaseProperties(a, old, name, ctx);
                if (safetyId || state === 'empty') {
                    await dropDatabase(a, old, ctx);
                }
                else {
                    notes.push(`the previous "${name}" was kept as "${old}" (no safety backup was taken); drop it when no longer needed`);
                }
            }
        }
        finally {
            await a.end().catch(() => { });
        }
        const location = target.displayUrl;
        ctx.log.info(`restored into ${location}`);
        return { location, notes: [...notes, `pg_restore ${pgRestore}`] };
    };
    return { location: target.displayUrl, commit, abort };
}
/**
 * What restoring into the target means now: a new database, an existing one without tables
 * (replaced), or one with tables (refused unless overwrite is set).
 */
async function targetState(admin, target, overwrite, ctx) {
    const name = target.database;
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount > 0;
    if (!exists)
        return 'create';
    const tables = await userTableCount(target, ctx);
    if (tables === 0)
        return 'empty';
    if (!overwrite) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ConfigError */ .xL('overwrite', `the target database "${name}" already has ${tables} tables; nothing was changed`, {
            hint: 'restore into a new database (another name in {{option:target}}), or set {{option:overwrite=true}} to replace it (a safety backup is taken first)',
        });
    }
    return 'overwrite';
}
async function refuseOtherConnections(admin, name, doing) {
    const others = await otherConnections(admin, name);
    if (others.length) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .SourceError */ .c8(`cannot ${doing} "${name}": it has ${others.length} other connection(s): ${others.join('; ')}; nothing was changed`, {
            hint: 'stop the applications using the database (or pg_terminate_backend them), then restore again',
        });
    }
}
/** Drops staged databases an interrupted restore left on this server, when provably abandoned. */
async function dropAbandonedStaging(admin, ctx) {
    const r = await admin.query(`SELECT datname, shobj_description(oid, 'pg_database') AS marker FROM pg_database
      WHERE strpos(datname, $1) > 0`, [_staging_js__WEBPACK_IMPORTED_MODULE_8__/* .STAGED_INFIX */ .Sn]);
    for (const row of r.rows) {
        const why = (0,_staging_js__WEBPACK_IMPORTED_MODULE_8__/* .abandonedBecause */ .f3)((0,_staging_js__WEBPACK_IMPORTED_MODULE_8__/* .parseMarker */ .gY)(row.marker));
        if (!why)
            continue;
        if ((await otherConnections(admin, row.datname)).length)
            continue;
        ctx.log.info(`dropping the staged database "${row.datname}" an interrupted restore left: ${why}`);
        await dropDatabase(admin, row.datname, ctx);
    }
}


/***/ }),

/***/ 93737:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Kb: () => (/* binding */ bufferOf),
/* harmony export */   Np: () => (/* binding */ majorOfVersionNum),
/* harmony export */   RT: () => (/* binding */ parseDumpHeader),
/* harmony export */   UT: () => (/* binding */ runOverBody),
/* harmony export */   Ze: () => (/* binding */ drain),
/* harmony export */   cF: () => (/* binding */ formatArchiveVersion),
/* harmony export */   eu: () => (/* binding */ resolveRestoreClient),
/* harmony export */   gE: () => (/* binding */ resolveDumpClient),
/* harmony export */   iJ: () => (/* binding */ exitText),
/* harmony export */   l3: () => (/* binding */ dumpStream),
/* harmony export */   mc: () => (/* binding */ peekHead),
/* harmony export */   pI: () => (/* binding */ restoreClientFor),
/* harmony export */   pQ: () => (/* binding */ startTool),
/* harmony export */   v_: () => (/* binding */ largeWriter),
/* harmony export */   zC: () => (/* binding */ siblingTool)
/* harmony export */ });
/* unused harmony exports parseToolVersion, archiveVersionWrittenBy, archiveVersionReadBy, compareArchiveVersions, candidateDirs, findClients, pickDumpClient, pickRestoreClient */
/* harmony import */ var _core_process_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(15816);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(57075);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(43026);
/* harmony import */ var _core_log_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(85491);






/** Parse `pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)` → { version, major }. */
function parseToolVersion(output) {
    const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?(?:\.(\d+))?([a-z]+\d*)?/.exec(output);
    if (!m)
        return undefined;
    const a = Number(m[1]);
    const b = m[2] === undefined ? undefined : Number(m[2]);
    const version = [m[1], m[2], m[3]].filter((x) => x !== undefined).join('.') + (m[4] ?? '');
    const major = a >= 10 ? a : a + (b ?? 0) / 10;
    return { version, major };
}
/** Major version from `server_version_num` (150020 → 15, 90624 → 9.6). */
function majorOfVersionNum(num) {
    return num >= 100000
        ? Math.floor(num / 10000)
        : Math.floor(num / 10000) + (Math.floor(num / 100) % 100) / 10;
}
/** The archive format version (major, minor) pg_dump of a given major writes. */
function archiveVersionWrittenBy(major) {
    if (major >= 17)
        return [1, 16];
    if (major >= 16)
        return [1, 15];
    if (major >= 12)
        return [1, 14];
    if (major >= 9)
        return [1, 13];
    return [1, 12];
}
/** The newest archive format version pg_restore of a given major reads (its own). */
function archiveVersionReadBy(major) {
    return archiveVersionWrittenBy(major);
}
function compareArchiveVersions(a, b) {
    return a[0] - b[0] || a[1] - b[1];
}
function formatArchiveVersion(v) {
    return `${v[0]}.${v[1]}${v[2] === undefined ? '' : `.${v[2]}`}`;
}
/**
 * Read the header of a custom-format dump: 'PGDMP' then the archive version bytes
 * (major, minor, revision). Undefined when the bytes are not a custom-format dump.
 */
function parseDumpHeader(head) {
    if (head.length < 8 || head.subarray(0, 5).toString('latin1') !== 'PGDMP')
        return undefined;
    return [head[5], head[6], head[7]];
}
/** Folders where client programs usually live, most specific first (pg-bin, PATH, per-version installs). */
async function candidateDirs(env, pgBin) {
    const dirs = [];
    if (pgBin)
        dirs.push(pgBin);
    for (const d of (env.PATH ?? '').split(node_path__WEBPACK_IMPORTED_MODULE_2__.delimiter))
        if (d)
            dirs.push(d);
    const versioned = [
        ['/usr/lib/postgresql', /^\d+(\.\d+)?$/, (v) => `/usr/lib/postgresql/${v}/bin`],
        ['/usr', /^pgsql-\d+(\.\d+)?$/, (v) => `/usr/${v}/bin`],
        ['/opt/homebrew/opt', /^postgresql@\d+(\.\d+)?$/, (v) => `/opt/homebrew/opt/${v}/bin`],
        ['/usr/local/opt', /^postgresql@\d+(\.\d+)?$/, (v) => `/usr/local/opt/${v}/bin`],
    ];
    for (const [parent, pattern, bin] of versioned) {
        const names = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(parent).catch(() => []);
        for (const n of names.filter((x) => pattern.test(x)).sort())
            dirs.push(bin(n));
    }
    return dirs;
}
function versionOf(path, env) {
    return (0,_core_process_js__WEBPACK_IMPORTED_MODULE_0__/* .runProcess */ .R3)({
        tool: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.basename)(path),
        command: path,
        args: ['--version'],
        env,
        signal: AbortSignal.timeout(15_000),
    }).catch(() => undefined);
}
/** Every distinct program named `tool` in the candidate folders, with its version. */
async function findClients(tool, env, pgBin) {
    const found = [];
    const seen = new Set();
    for (const dir of await candidateDirs(env, pgBin)) {
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, tool);
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.access)(path, node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.constants.X_OK);
        }
        catch {
            continue;
        }
        let real = path;
        try {
            real = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.realpath)(path);
        }
        catch {
            // keep the path as given
        }
        const out = await versionOf(path, env);
        const parsed = out ? parseToolVersion(out) : undefined;
        if (!parsed)
            continue;
        // Debian's /usr/bin wrappers and the versioned folders can resolve to the same program.
        const key = `${real}|${parsed.version}`;
        if (seen.has(key))
            continue;
        seen.add(key);
        found.push({ tool, path, dir, ...parsed, fromPgBin: pgBin !== undefined && dir === pgBin });
    }
    return found;
}
/**
 * The client to dump a server of `serverMajor` with: one from pg-bin when it is new enough,
 * otherwise the oldest client whose major is at least the server's.
 */
function pickDumpClient(clients, serverMajor) {
    const fit = clients.filter((c) => c.major >= serverMajor);
    const own = fit.find((c) => c.fromPgBin);
    if (own)
        return own;
    return [...fit].sort((a, b) => a.major - b.major)[0];
}
/** The client to read a dump of archive version `archive` with: pg-bin when it can, else the newest that can. */
function pickRestoreClient(clients, archive) {
    const fit = clients.filter((c) => compareArchiveVersions(archiveVersionReadBy(c.major), archive) >= 0);
    const own = fit.find((c) => c.fromPgBin);
    if (own)
        return own;
    return [...fit].sort((a, b) => b.major - a.major)[0];
}
function listClients(clients) {
    return clients.length ? clients.map((c) => `${c.version} (${c.path})`).join(', ') : 'none';
}
function pgBinOption(ctx) {
    const v = ctx.options['pg-bin'];
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}
/** A program of the same folder as `client` (pg_dumpall beside pg_dump), checked to exist. */
async function siblingTool(client, tool, env) {
    const path = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(client.dir, tool);
    const out = await versionOf(path, env);
    const parsed = out ? parseToolVersion(out) : undefined;
    if (!parsed) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigError */ .xL('pg-bin', `${tool} was not found beside ${client.path}`, {
            hint: `install the full PostgreSQL ${client.major} client package, or set {{option:pg-bin}} to a folder holding both`,
        });
    }
    return { ...client, tool, path, ...parsed };
}
/**
 * The pg_dump to use for a server of `serverMajor` (`serverVersion` for messages). Looks in
 * pg-bin, PATH and the per-version install folders; when none is new enough and the face can
 * install one (ctx.provideTool, on GitHub-hosted runners) asks it; otherwise fails with a
 * ConfigError naming the server version, the clients found and the fix.
 */
async function resolveDumpClient(serverMajor, serverVersion, ctx) {
    const pgBin = pgBinOption(ctx);
    const clients = await findClients('pg_dump', ctx.env, pgBin);
    const picked = pickDumpClient(clients, serverMajor);
    if (picked)
        return picked;
    if (ctx.provideTool) {
        ctx.log.info(`no pg_dump ${serverMajor} or newer found (found: ${listClients(clients)}); installing one`);
        const dir = await ctx.provideTool('pg_dump', String(serverMajor));
        if (dir) {
            const provided = (await findClients('pg_dump', { ...ctx.env, PATH: '' }, dir)).filter((c) => c.major >= serverMajor);
            if (provided[0])
                return provided[0];
        }
    }
    const newer = Math.floor(serverMajor);
    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigError */ .xL('pg-bin', `the server runs PostgreSQL ${serverVersion}, but no pg_dump of major ${newer} or newer was found (found: ${listClients(clients)}); pg_dump cannot dump a server newer than itself`, {
        hint: `install the PostgreSQL ${newer} client (Debian/Ubuntu: postgresql-client-${newer} from apt.postgresql.org; RHEL: postgresql${newer}; macOS: brew install postgresql@${newer}) or set {{option:pg-bin}} to the folder holding pg_dump ${newer} or newer`,
    });
}
/**
 * The pg_restore (or psql) able to read a dump of archive version `archive`, written by
 * `dumpedWith` (a pg_dump version, for messages). Fails with a ConfigError reporting versions.
 */
async function resolveRestoreClient(tool, archive, dumpedWith, ctx) {
    const pgBin = pgBinOption(ctx);
    const clients = await findClients(tool, ctx.env, pgBin);
    const picked = pickRestoreClient(clients, archive);
    if (picked)
        return picked;
    const needed = archive[1] >= 16 ? 17 : archive[1] >= 15 ? 16 : archive[1] >= 14 ? 12 : 11;
    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigError */ .xL('pg-bin', `the dump was written by pg_dump ${dumpedWith} (archive format ${formatArchiveVersion(archive)}), which no ${tool} found here can read (found: ${listClients(clients)})`, {
        hint: `install a PostgreSQL ${needed} or newer client, or set {{option:pg-bin}} to the folder holding ${tool} ${needed} or newer`,
    });
}
const STDERR_TAIL_LINES = 12;
/** What pg_dump gathers before each write to its stdout when run through stdbuf. */
const DUMP_WRITE_BUFFER = '1M';
const largeWriters = new Map();
/**
 * pg_dump writes its archive through C stdio, 4 KB per write, and every write that reaches
 * Lifeboat on its own costs the node process a wake-up, a read, a buffer and a stream event
 * (reading the stdout of a 188 MiB dump took 48,000 writes and about 0.34 s of CPU). Run
 * through coreutils' `stdbuf -o 1M`, which sets the size of pg_dump's stdout buffer, pg_dump
 * writes 1 MiB at a time and Node reads it in pieces of 32-64 KB, for less than half that CPU; the
 * bytes are the same. Used where `stdbuf` is on PATH and runs this client (`--version`, once
 * per process); otherwise pg_dump runs as it is.
 */
function largeWriter(client, env) {
    const key = `${client.path}\0${env.PATH ?? ''}`;
    let found = largeWriters.get(key);
    if (!found) {
        found = findLargeWriter(client, env);
        largeWriters.set(key, found);
    }
    return found;
}
async function findLargeWriter(client, env) {
    if (process.platform === 'win32')
        return undefined;
    for (const dir of (env.PATH ?? '').split(node_path__WEBPACK_IMPORTED_MODULE_2__.delimiter)) {
        if (!dir)
            continue;
        const command = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, 'stdbuf');
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.access)(command, node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.constants.X_OK);
        }
        catch {
            continue;
        }
        const args = ['-o', DUMP_WRITE_BUFFER];
        const works = await (0,_core_process_js__WEBPACK_IMPORTED_MODULE_0__/* .runProcess */ .R3)({
            tool: 'stdbuf',
            command,
            args: [...args, client.path, '--version'],
            env,
            signal: AbortSignal.timeout(15_000),
        }).then((out) => out.trim() !== '', () => false);
        return works ? { command, args } : undefined;
    }
    return undefined;
}
function startTool(client, args, env, stdin, stdout, ctx, wrapper) {
    const command = wrapper ? [wrapper.command, ...wrapper.args, client.path] : [client.path];
    ctx.log.debug(`running ${[...command, ...args].join(' ')}`);
    const run = (0,_core_process_js__WEBPACK_IMPORTED_MODULE_0__/* .startProcess */ .kp)({
        tool: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.basename)(client.path),
        command: command[0],
        args: [...command.slice(1), ...args],
        env,
        stdin,
        stdout,
        signal: ctx.signal,
        redact: (t) => ctx.redactor.redact(t),
    });
    const exited = run.exited.then((r) => ({
        code: r.spawnError ? -1 : r.code,
        signal: r.signal,
    }));
    const lines = () => {
        const tail = run.stderrTail(STDERR_TAIL_LINES);
        return [tail, run.spawnError?.message].filter(Boolean).join('\n');
    };
    return { child: run.child, process: run, stderr: { lines }, exited };
}
function exitText(r) {
    return r.signal ? `killed by ${r.signal}` : `exit code ${r.code}`;
}
/**
 * pg_dump's stdout as a stream that only ends cleanly when pg_dump exited 0 after writing a
 * custom-format dump; otherwise it errors with a SourceError (so the member, and the archive,
 * is never finished). `header` receives the first bytes (the archive version).
 */
function dumpStream(run, what, ctx, onHeader) {
    const out = new node_stream__WEBPACK_IMPORTED_MODULE_3__.PassThrough({ highWaterMark: 1 << 20 });
    let bytes = 0;
    let head = Buffer.alloc(0);
    const src = run.child.stdout;
    src.on('data', (c) => {
        if (head.length < 8) {
            head = Buffer.concat([head, c]).subarray(0, 8);
            if (head.length >= 8)
                onHeader(head);
        }
        bytes += c.length;
    });
    src.pipe(out, { end: false });
    // The consumer gave up (storage failed, archive aborted): stop pg_dump.
    out.on('close', () => {
        run.process.stop();
    });
    void run.exited.then((r) => {
        if (out.destroyed)
            return;
        let problem;
        if (ctx.signal?.aborted)
            problem = 'the run was cancelled';
        else if (r.code !== 0)
            problem = exitText(r);
        else if (bytes === 0)
            problem = 'it wrote 0 bytes';
        else if (!parseDumpHeader(head))
            problem = 'its output is not a custom-format dump';
        if (problem === undefined) {
            out.end();
            return;
        }
        const tail = run.stderr.lines(ctx);
        out.destroy(new _core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .SourceError */ .c8(`${what} failed (${problem}) after ${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_5__/* .formatBytes */ .z3)(bytes)}${tail ? `:\n${tail}` : ''}`, {
            hint: 'the dump is incomplete and was not stored; check the server log and the message above, then run again',
        }));
    });
    return out;
}
/** Drain a member body we do not need (its chunk checksums are still checked). */
async function drain(body) {
    if (!body)
        return;
    for await (const chunk of body)
        void chunk;
}
/** Read the first 8 bytes of a stream and hand back a stream with all of it. */
async function peekHead(body) {
    const it = body[Symbol.asyncIterator]();
    const first = [];
    let len = 0;
    while (len < 8) {
        const n = await it.next();
        if (n.done)
            break;
        const b = Buffer.from(n.value);
        first.push(b);
        len += b.length;
    }
    const head = Buffer.concat(first).subarray(0, 8);
    async function* all() {
        for (const b of first)
            yield b;
        for (;;) {
            const n = await it.next();
            if (n.done)
                return;
            yield Buffer.from(n.value);
        }
    }
    return { head, stream: node_stream__WEBPACK_IMPORTED_MODULE_3__.Readable.from(all(), { objectMode: false }) };
}
/**
 * Feed `body` to a tool's stdin. The tool may stop reading early (pg_restore --list reads only
 * the table of contents); the rest of the body is still read, so its checksums are checked.
 */
async function feed(body, run) {
    const stdin = run.child.stdin;
    let open = true;
    stdin.on('error', () => {
        open = false;
    });
    stdin.on('close', () => {
        open = false;
    });
    for await (const chunk of body) {
        if (!open)
            continue;
        if (!stdin.write(chunk)) {
            await new Promise((resolve) => {
                const done = () => {
                    stdin.off('drain', done);
                    stdin.off('close', done);
                    resolve();
                };
                stdin.on('drain', done);
                stdin.on('close', done);
            });
        }
    }
    if (open)
        stdin.end();
}
/** Run a tool over a member's body; a body error (IntegrityError) wins over the tool's complaint. */
async function runOverBody(run, body) {
    let bodyError;
    try {
        await feed(body, run);
    }
    catch (err) {
        bodyError = err;
        run.child.stdin.destroy();
        run.process.stop();
    }
    const r = await run.exited;
    if (bodyError !== undefined)
        throw bodyError;
    return r;
}
function archiveVersionOf(manifest) {
    const v = manifest.details?.archiveVersion;
    if (typeof v !== 'string')
        return undefined;
    const m = /^(\d+)\.(\d+)/.exec(v);
    return m ? [Number(m[1]), Number(m[2])] : undefined;
}
function dumpedWith(manifest) {
    return manifest.versions.pg_dump ?? 'unknown';
}
async function restoreClientFor(manifest, ctx, head) {
    let archive = archiveVersionOf(manifest);
    if (head) {
        const v = parseDumpHeader(head);
        if (!v)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs('the PostgreSQL dump member does not start with a custom-format header (PGDMP)');
        archive = [v[0], v[1]];
    }
    const major = Number(/^(\d+)/.exec(dumpedWith(manifest))?.[1] ?? 0);
    return resolveRestoreClient('pg_restore', archive ?? archiveVersionWrittenBy(major || 12), dumpedWith(manifest), ctx);
}
async function bufferOf(body) {
    const chunks = [];
    for await (const c of body)
        chunks.push(Buffer.from(c));
    return Buffer.concat(chunks);
}


/***/ }),

/***/ 73287:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   childEnv: () => (/* binding */ childEnv),
/* harmony export */   parsePgUrl: () => (/* binding */ parsePgUrl),
/* harmony export */   withDatabase: () => (/* binding */ withDatabase)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(43026);
/* harmony import */ var _core_log_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(85491);
/* harmony import */ var _core_url_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(35708);
/**
 * Parsing postgres:// URLs into connection parameters (resolved against the PG* environment),
 * and the environment the client tools run with. Imports nothing heavy: no pg.
 */



/** URL query parameters understood, with the environment variable that carries each to the tools. */
const PARAM_ENV = {
    sslmode: 'PGSSLMODE',
    sslrootcert: 'PGSSLROOTCERT',
    sslcert: 'PGSSLCERT',
    sslkey: 'PGSSLKEY',
    sslcrl: 'PGSSLCRL',
    sslnegotiation: 'PGSSLNEGOTIATION',
    connect_timeout: 'PGCONNECT_TIMEOUT',
    options: 'PGOPTIONS',
    target_session_attrs: 'PGTARGETSESSIONATTRS',
    gssencmode: 'PGGSSENCMODE',
    channel_binding: 'PGCHANNELBINDING',
};
/**
 * Parse a postgres URL. Missing parts come from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE
 * (and PGSSLMODE…) of `env`; `?host=/run/postgresql` selects a Unix socket folder.
 */
function parsePgUrl(url, option, env = {}) {
    const u = (0,_core_url_js__WEBPACK_IMPORTED_MODULE_2__/* .parseUrl */ .Dl)(option, url);
    const scheme = u.protocol.replace(/:$/, '').toLowerCase();
    if (scheme !== 'postgres' && scheme !== 'postgresql') {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(option, `'${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .redactUrl */ .BO)(url)}' is not a postgres:// URL`);
    }
    const q = new Map();
    for (const [k, v] of u.searchParams)
        q.set(k, v);
    const take = (k) => {
        const v = q.get(k);
        q.delete(k);
        return v === '' ? undefined : v;
    };
    const qHost = take('host');
    const qPort = take('port');
    const qUser = take('user');
    const qPassword = take('password');
    const qDb = take('dbname');
    const params = {};
    for (const [k, v] of q) {
        if (!(k in PARAM_ENV)) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(option, `unknown connection parameter '${k}' in '${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .redactUrl */ .BO)(url)}'`, {
                hint: `use only ${Object.keys(PARAM_ENV).join(', ')}, host, port, user, dbname`,
            });
        }
        params[k] = v;
    }
    for (const [k, envName] of Object.entries(PARAM_ENV)) {
        if (params[k] === undefined && env[envName])
            params[k] = env[envName];
    }
    const hostname = decodeURIComponent(u.hostname.replace(/^\[|\]$/g, ''));
    const host = qHost ?? (hostname || env.PGHOST || 'localhost');
    const portText = qPort ?? (u.port || env.PGPORT || '5432');
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(option, `port '${portText}' is not a number between 1 and 65535`);
    }
    const user = qUser ?? (u.username ? decodeURIComponent(u.username) : env.PGUSER || env.USER || 'postgres');
    const password = qPassword ?? (u.password ? decodeURIComponent(u.password) : env.PGPASSWORD || undefined);
    const pathDb = decodeURIComponent(u.pathname.replace(/^\/+/, ''));
    if (pathDb.includes('/')) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(option, `'/${pathDb}' is not a database name`, {
            hint: 'write the database after the host: postgres://user@host:5432/dbname',
        });
    }
    const fromUrl = qDb ?? (pathDb || undefined);
    const database = fromUrl ?? env.PGDATABASE ?? user;
    const shown = new URL(url);
    shown.password = '';
    if (shown.searchParams.has('password'))
        shown.searchParams.delete('password');
    return {
        host,
        port,
        user,
        password,
        database,
        params,
        displayUrl: (0,_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .redactUrl */ .BO)(shown.toString()),
        databaseFromUrl: fromUrl !== undefined,
    };
}
/** The same connection, another database (for a restore's maintenance and temporary databases). */
function withDatabase(conn, database) {
    return { ...conn, database };
}
/** The environment of a child tool: the run's environment plus the connection, password included. */
function childEnv(conn, ctx, appName) {
    const env = { ...ctx.env };
    env.PGHOST = conn.host;
    env.PGPORT = String(conn.port);
    env.PGUSER = conn.user;
    env.PGDATABASE = conn.database;
    if (conn.password !== undefined)
        env.PGPASSWORD = conn.password;
    else
        delete env.PGPASSWORD;
    for (const [k, v] of Object.entries(conn.params))
        env[PARAM_ENV[k]] = v;
    env.PGAPPNAME = appName;
    // Output the tools parse or show must not depend on the user's locale.
    env.LC_MESSAGES = 'C';
    return env;
}


/***/ }),

/***/ 28336:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   C4: () => (/* binding */ isQdrantCollectionName),
/* harmony export */   R1: () => (/* binding */ parseQdrantUrl),
/* harmony export */   fi: () => (/* binding */ Qdrant)
/* harmony export */ });
/* unused harmony exports redactQdrant, QdrantApiError */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(57075);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(43026);
/* harmony import */ var _core_url_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(35708);
/**
 * Qdrant's REST API for backups: `@qdrant/js-client-rest` for the JSON calls (collections,
 * creating and deleting snapshots), Node's fetch for what the client cannot stream: downloading a
 * snapshot and uploading one (multipart, from a file, never whole in memory).
 */




/** Qdrant's collection names: no '/', not empty, at most 255 bytes. */
function isQdrantCollectionName(name) {
    return (name.length > 0 &&
        Buffer.byteLength(name) <= 255 &&
        !/[/\\\0]/.test(name) &&
        name !== '.' &&
        name !== '..');
}
/**
 * `qdrant://[api-key@]host[:6333][/collection]`, `qdrant+https://…`. The API key from the URL's
 * password (or user), else QDRANT_API_KEY; masked wherever it could appear.
 */
function parseQdrantUrl(url, option, ctx) {
    const u = (0,_core_url_js__WEBPACK_IMPORTED_MODULE_3__/* .parseUrl */ .Dl)(option, url.trim());
    const scheme = u.protocol.replace(/:$/, '').toLowerCase();
    if (scheme !== 'qdrant' && scheme !== 'qdrant+https' && scheme !== 'qdrant+http') {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigError */ .xL(option, `'${redactQdrant(url)}' is not a qdrant:// URL`, {
            hint: 'write qdrant://host:6333[/collection] (qdrant+https:// for TLS)',
        });
    }
    if (!u.hostname) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigError */ .xL(option, `'${redactQdrant(url)}' names no host`, {
            hint: 'write qdrant://host:6333[/collection]',
        });
    }
    if ([...u.searchParams.keys()].length) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigError */ .xL(option, 'qdrant URLs take no parameters', {
            hint: 'write qdrant://host:6333[/collection]; the API key goes in QDRANT_API_KEY',
        });
    }
    const path = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, ''));
    if (path && !isQdrantCollectionName(path)) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigError */ .xL(option, `'${path}' is not a Qdrant collection name`, {
            hint: 'name one collection after the host: qdrant://host:6333/collection',
        });
    }
    const raw = u.password || u.username;
    const apiKey = raw ? decodeURIComponent(raw) : ctx.env['QDRANT_API_KEY'] || undefined;
    ctx.redactor.add(apiKey);
    const https = scheme === 'qdrant+https';
    const port = u.port ? `:${u.port}` : ':6333';
    const display = new URL(url.trim());
    display.username = '';
    display.password = '';
    return {
        base: `${https ? 'https' : 'http'}://${u.hostname}${port}`,
        collection: path || undefined,
        apiKey,
        displayUrl: display.toString().replace(/\/$/, ''),
    };
}
function redactQdrant(url) {
    return url.replace(/\/\/[^/@]*@/, '//');
}
/**
 * The HTTP status of a failed call: the client's ApiError carries `status` (and the parsed body
 * in `data`); its "Unexpected Response: 404 (Not Found)" errors carry it in the message.
 */
function statusOf(err) {
    const status = err?.status;
    if (typeof status === 'number')
        return status;
    const m = /Unexpected Response: (\d{3})/.exec(err instanceof Error ? err.message : '');
    return m ? Number(m[1]) : undefined;
}
/** Qdrant's own words from an error body `{"status": {"error": "…"}}`, when there is one. */
function qdrantError(err) {
    const data = err?.data;
    if (typeof data?.status?.error === 'string')
        return data.status.error;
    const text = err instanceof Error ? err.message : String(err);
    const m = /"error":\s*"((?:[^"\\]|\\.)*)"/.exec(text);
    if (m) {
        try {
            return JSON.parse(`"${m[1]}"`);
        }
        catch {
            return m[1];
        }
    }
    return text.split('\n')[0] ?? text;
}
class QdrantApiError extends _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SourceError */ .c8 {
    status;
    constructor(status, message, hint) {
        super(message, hint === undefined ? undefined : { hint });
        this.status = status;
    }
}
class Qdrant {
    target;
    headerSet;
    clientP;
    option;
    signal;
    redact;
    constructor(target, option, ctx) {
        this.target = target;
        this.option = option;
        this.signal = ctx.signal;
        this.redact = (s) => ctx.redactor.redact(s);
        const headers = {};
        // As a header, not `apiKey`: the client warns on stdout about keys over plain http.
        if (target.apiKey)
            headers['api-key'] = target.apiKey;
        this.headerSet = headers;
    }
    /**
     * The REST client, loaded on first use: `@qdrant/js-client-rest` brings undici (~30 MB of
     * RSS), which a run that only parses a qdrant URL (consistency lines, drill planning) never
     * needs.
     */
    client() {
        this.clientP ??= Promise.all(/* import() */[__webpack_require__.e(752), __webpack_require__.e(94)]).then(__webpack_require__.bind(__webpack_require__, 96094)).then(({ QdrantClient }) => 
        // Snapshots of large collections take long: an hour before the client gives up.
        new QdrantClient({
            url: this.target.base,
            headers: this.headerSet,
            checkCompatibility: false,
            timeout: 3_600_000,
        }));
        return this.clientP;
    }
    headers() {
        return this.target.apiKey ? { 'api-key': this.target.apiKey } : {};
    }
    /** Turns anything a call threw into a SourceError naming the call and Qdrant's words. */
    failure(err, what) {
        if (err.name === 'AbortError')
            return err;
        if (err instanceof QdrantApiError || err instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .IntegrityError */ .cs)
            return err;
        const status = statusOf(err);
        if (status === undefined) {
            const cause = err.cause;
            const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
            return new QdrantApiError(undefined, `${this.option}: cannot reach Qdrant at ${this.target.base}${code}: ${this.redact(String(cause?.message ?? err.message))}`, `check the host and port in the ${this.option} URL and that Qdrant is running (qdrant+https:// for TLS)`);
        }
        return new QdrantApiError(status, `${this.option}: ${what}: Qdrant answered ${status}: ${this.redact(qdrantError(err))}`, status === 401 || status === 403
            ? 'check the API key (QDRANT_API_KEY or the URL password)'
            : undefined);
    }
    async call(what, fn) {
        try {
            return await fn();
        }
        catch (err) {
            throw this.failure(err, what);
        }
    }
    async version() {
        const v = await this.call('GET /', async () => (await this.client()).versionInfo());
        return String(v.version);
    }
    async collections() {
        const r = await this.call('list collections', async () => (await this.client()).getCollections());
        return r.collections.map((c) => c.name).sort();
    }
    /** The collection's info, or undefined when it does not exist. */
    async collection(name) {
        try {
            return (await (await this.client()).getCollection(name));
        }
        catch (err) {
            if (statusOf(err) === 404)
                return undefined;
            throw this.failure(err, `collection ${name}`);
        }
    }
    /** Every point id of a collection, as text, page by page (`POST /points/scroll`). */
    async *pointIds(name) {
        let offset;
        for (;;) {
            const page = await this.call(`read the point ids of ${name}`, async () => (await this.client()).scroll(name, {
                limit: 10_000,
                with_payload: false,
                with_vector: false,
                ...(offset !== undefined && offset !== null ? { offset } : {}),
            }));
            yield page.points.map((p) => String(p.id));
            offset = page.next_page_offset;
            if (offset === undefined || offset === null)
                return;
        }
    }
    async deleteCollection(name) {
        await this.call(`delete collection ${name}`, async () => (await this.client()).deleteCollection(name));
    }
    async createSnapshot(name) {
        const d = await this.call(`create a snapshot of ${name}`, async () => (await this.client()).createSnapshot(name, { wait: true }));
        if (!d || typeof d.name !== 'string') {
            throw new QdrantApiError(undefined, `${this.option}: Qdrant accepted the snapshot of ${name} but did not describe it`);
        }
        return d;
    }
    async deleteSnapshot(collection, snapshot) {
        await this.call(`delete snapshot ${snapshot}`, async () => (await this.client()).deleteSnapshot(collection, snapshot, { wait: true }));
    }
    /** The snapshot file as a stream. */
    async download(collection, snapshot) {
        const what = `download snapshot ${snapshot}`;
        let res;
        try {
            const init = { headers: this.headers() };
            if (this.signal)
                init.signal = this.signal;
            res = await fetch(`${this.target.base}/collections/${encodeURIComponent(collection)}/snapshots/${encodeURIComponent(snapshot)}`, init);
        }
        catch (err) {
            throw this.failure(err, what);
        }
        if (!res.ok || !res.body) {
            const text = await res.text().catch(() => '');
            throw this.failure(new Error(`Unexpected Response: ${res.status} (${res.statusText})\n${text}`), what);
        }
        return node_stream__WEBPACK_IMPORTED_MODULE_1__.Readable.fromWeb(res.body);
    }
    /**
     * `POST /collections/{name}/snapshots/upload?wait=true&priority=snapshot&checksum=…`: the
     * collection is created from (or replaced by) the snapshot file, streamed from disk.
     */
    async upload(name, file, sha256) {
        const what = `upload the snapshot into ${name}`;
        const form = new FormData();
        form.append('snapshot', await (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openAsBlob)(file), `${name}.snapshot`);
        let res;
        try {
            const init = { method: 'POST', headers: this.headers(), body: form };
            if (this.signal)
                init.signal = this.signal;
            res = await fetch(`${this.target.base}/collections/${encodeURIComponent(name)}/snapshots/upload?wait=true&priority=snapshot&checksum=${sha256}`, init);
        }
        catch (err) {
            throw this.failure(err, what);
        }
        const text = await res.text().catch(() => '');
        if (!res.ok) {
            throw this.failure(new Error(`Unexpected Response: ${res.status}\n${text}`), what);
        }
    }
}


/***/ }),

/***/ 92670:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G7: () => (/* binding */ RedisReplyError),
/* harmony export */   QB: () => (/* binding */ RedisConnection),
/* harmony export */   YL: () => (/* binding */ parseInfo),
/* harmony export */   e1: () => (/* binding */ asText),
/* harmony export */   rz: () => (/* binding */ BulkStream)
/* harmony export */ });
/* unused harmony exports RespParser, encodeCommand */
/* harmony import */ var node_events__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(78474);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(77030);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(57075);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(41692);
/**
 * A minimal RESP2 client: enough for AUTH, SELECT, SCAN, TYPE, DUMP, PTTL, RESTORE, INFO and the
 * replication handshake (SYNC), over TCP, TLS or a unix socket. Commands are pipelined: every
 * reply is matched to its command in order, so a batch costs one round trip.
 *
 * Large values never have to be held whole: `replies()` hands a long bulk string reply (a DUMP
 * of a big key) on as its bytes arrive, and `callStreaming()` writes a command whose argument
 * (a RESTORE payload) is read piece by piece, both with backpressure on the socket.
 */




/** An error reply from the server (`-ERR …`, `-NOPERM …`, `-BUSYKEY …`). */
class RedisReplyError extends Error {
    /** First word of the reply: ERR, NOPERM, WRONGPASS, BUSYKEY, … */
    code;
    constructor(message) {
        super(message);
        this.name = 'RedisReplyError';
        this.code = message.split(' ')[0] ?? 'ERR';
    }
}
/**
 * A bulk string reply longer than the caller's threshold, handed on as it arrives: `length` from
 * its `$<len>` line, then its bytes from `body`, which must be read to the end before the next
 * reply on the connection can arrive. `body` fails if the connection drops before the end.
 */
class BulkStream {
    length;
    body;
    constructor(length, body) {
        this.length = length;
        this.body = body;
    }
}
/** Bytes a streamed bulk string's body buffers before the socket is paused. */
const BODY_HIGH_WATER = 1024 * 1024;
/**
 * Incremental RESP2 parser. Bulk strings come back as Buffers (binary safe).
 *
 * Linear in the reply's size, however it is cut into socket chunks: arrays are built up on a
 * stack as their elements arrive (an element is never parsed twice), and while a bulk string is
 * incomplete the arriving chunks are only collected, then joined once when enough bytes are
 * there. A 512 MB value costs one copy, not one copy of everything so far per 64 KiB chunk.
 */
class RespParser {
    buf = Buffer.alloc(0);
    pos = 0;
    /** Chunks that arrived while the value being read still needed more bytes than they bring. */
    pending = [];
    pendingBytes = 0;
    /** Bytes the incomplete value needs from `pos` before parsing it again can succeed. */
    need = 0;
    /** Arrays whose elements are still arriving, outermost first. */
    open = [];
    /** Bytes (payload and the final CRLF) of a bulk string being streamed; 0 when none is. */
    streamLeft = 0;
    /** Top-level bulk strings longer than this are streamed (set for each `next()`). */
    streamAbove;
    /** Bytes copied to join chunks (a test holds this linear in the reply size). */
    copiedBytes = 0;
    push(data) {
        const available = this.buf.length - this.pos + this.pendingBytes + data.length;
        if (available < this.need) {
            this.pending.push(data);
            this.pendingBytes += data.length;
            return;
        }
        if (this.pos >= this.buf.length && this.pending.length === 0) {
            this.buf = data;
        }
        else {
            this.buf = Buffer.concat([this.buf.subarray(this.pos), ...this.pending, data]);
            this.copiedBytes += this.buf.length;
        }
        this.pending = [];
        this.pendingBytes = 0;
        this.pos = 0;
        this.need = 0;
    }
    /** Unparsed bytes left over (the start of a raw payload after SYNC). */
    takeRest() {
        const rest = Buffer.concat([this.buf.subarray(this.pos), ...this.pending]);
        this.buf = Buffer.alloc(0);
        this.pos = 0;
        this.pending = [];
        this.pendingBytes = 0;
        this.need = 0;
        return rest;
    }
    next(streamAbove) {
        if (this.streamLeft > 0)
            throw new Error('a streamed bulk string is still being read');
        if (this.pending.length)
            return undefined;
        this.streamAbove = streamAbove;
        for (;;) {
            const start = this.pos;
            const item = this.item();
            if (item === undefined) {
                this.pos = start;
                return undefined;
            }
            if ('bulk' in item)
                return item;
            let value;
            if ('array' in item) {
                if (item.array > 0) {
                    this.open.push({ items: [], remaining: item.array });
                    continue;
                }
                value = item.array < 0 ? null : [];
            }
            else {
                value = item.value;
            }
            // Hand the value to the array it belongs to; a full array is itself a value.
            for (;;) {
                const top = this.open.at(-1);
                if (!top)
                    return { value };
                top.items.push(value);
                if (--top.remaining > 0)
                    break;
                this.open.pop();
                value = top.items;
            }
        }
    }
    /**
     * The next bytes of the bulk string being streamed (a view of the received chunk, not a
     * copy); null once it and its CRLF have been read; undefined when more bytes are needed.
     */
    piece() {
        const avail = this.buf.length - this.pos;
        if (this.streamLeft > 2) {
            if (avail === 0)
                return undefined;
            const n = Math.min(avail, this.streamLeft - 2);
            const out = this.buf.subarray(this.pos, this.pos + n);
            this.pos += n;
            this.streamLeft -= n;
            return out;
        }
        // The CRLF after the payload, which may itself be cut by a chunk boundary.
        const n = Math.min(avail, this.streamLeft);
        this.pos += n;
        this.streamLeft -= n;
        return this.streamLeft === 0 ? null : undefined;
    }
    line() {
        const end = this.buf.indexOf('\r\n', this.pos);
        if (end < 0)
            return undefined;
        const s = this.buf.toString('utf8', this.pos, end);
        this.pos = end + 2;
        return s;
    }
    /** One scalar, or an array's header; undefined (pos anywhere) when more bytes are needed. */
    item() {
        const start = this.pos;
        if (this.pos >= this.buf.length)
            return undefined;
        const type = String.fromCharCode(this.buf[this.pos]);
        this.pos++;
        const line = this.line();
        if (line === undefined)
            return undefined;
        switch (type) {
            case '+':
                return { value: line };
            case '-':
                return { value: new RedisReplyError(line) };
            case ':':
                return { value: Number(line) };
            case '$': {
                const len = Number(line);
                if (len < 0)
                    return { value: null };
                if (this.streamAbove !== undefined && len > this.streamAbove && this.open.length === 0) {
                    this.streamLeft = len + 2;
                    return { bulk: len };
                }
                if (this.pos + len + 2 > this.buf.length) {
                    this.need = this.pos + len + 2 - start;
                    return undefined;
                }
                const value = Buffer.from(this.buf.subarray(this.pos, this.pos + len));
                this.pos += len + 2;
                return { value };
            }
            case '*':
                return { array: Number(line) };
            default:
                throw new Error(`unexpected RESP type byte '${type}'`);
        }
    }
}
const CRLF = Buffer.from('\r\n');
/** Bytes a reply holds (for the budget of `replies()`); a streamed one holds none itself. */
function replySize(v) {
    if (Buffer.isBuffer(v))
        return v.length;
    if (typeof v === 'string')
        return v.length;
    if (Array.isArray(v))
        return v.reduce((a, x) => a + replySize(x), 16);
    return 16;
}
function encodeCommand(args) {
    const parts = [Buffer.from(`*${args.length}\r\n`)];
    for (const a of args) {
        const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'utf8');
        parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
    }
    return Buffer.concat(parts);
}
class RedisConnection {
    socket;
    parser = new RespParser();
    pending = [];
    failure;
    detached = false;
    /** The body of the bulk string reply being streamed, if any. */
    body;
    /** Parsing stopped and the socket paused: a reader is behind (see hold()). */
    held = false;
    draining = false;
    constructor(socket) {
        this.socket = socket;
        socket.on('data', (d) => this.onData(d));
        socket.on('error', (err) => this.fail(err));
        socket.on('close', () => this.fail(new Error('connection closed by the server')));
    }
    static async connect(opts) {
        const socket = await new Promise((resolve, reject) => {
            const onError = (err) => reject(err);
            let s;
            if (opts.path)
                s = node_net__WEBPACK_IMPORTED_MODULE_1__.connect({ path: opts.path }, () => done());
            else if (opts.tls) {
                const host = opts.host ?? '127.0.0.1';
                s = node_tls__WEBPACK_IMPORTED_MODULE_3__.connect({ host, port: opts.port ?? 6379, servername: node_net__WEBPACK_IMPORTED_MODULE_1__.isIP(host) ? undefined : host }, () => done());
            }
            else
                s = node_net__WEBPACK_IMPORTED_MODULE_1__.connect({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 6379 }, () => done());
            function done() {
                s.off('error', onError);
                resolve(s);
            }
            s.once('error', onError);
            opts.signal?.addEventListener('abort', () => s.destroy(new Error('aborted')), { once: true });
        });
        socket.setNoDelay(true);
        const conn = new RedisConnection(socket);
        try {
            if (opts.password !== undefined && opts.password !== '') {
                const args = opts.username
                    ? ['AUTH', opts.username, opts.password]
                    : ['AUTH', opts.password];
                await conn.call(...args);
            }
            if (opts.db !== undefined && opts.db !== 0)
                await conn.call('SELECT', opts.db);
        }
        catch (err) {
            conn.close();
            throw err;
        }
        return conn;
    }
    onData(d) {
        if (this.detached)
            return;
        this.parser.push(d);
        this.drain();
    }
    /** Hands parsed replies (and pieces of a streamed one) to their commands until held or short of bytes. */
    drain() {
        if (this.draining)
            return;
        this.draining = true;
        try {
            while (!this.held && !this.failure) {
                if (this.body) {
                    const piece = this.parser.piece();
                    if (piece === undefined)
                        return;
                    if (piece === null) {
                        const done = this.body;
                        this.body = undefined;
                        done.push(null);
                    }
                    else if (!this.body.push(piece))
                        this.hold();
                    continue;
                }
                const head = this.pending[0];
                if (!head)
                    return;
                const out = this.parser.next(head.streamAbove);
                if (!out)
                    return;
                this.pending.shift();
                if ('bulk' in out) {
                    this.body = new node_stream__WEBPACK_IMPORTED_MODULE_2__.Readable({ highWaterMark: BODY_HIGH_WATER, read: () => this.release() });
                    head.resolve(new BulkStream(out.bulk, this.body));
                }
                else
                    head.resolve(out.value);
            }
        }
        catch (err) {
            this.fail(err);
            this.socket.destroy();
        }
        finally {
            this.draining = false;
        }
    }
    /** Stop reading: the socket is paused, and TCP flow control holds the server back. */
    hold() {
        if (this.held)
            return;
        this.held = true;
        this.socket.pause();
    }
    release() {
        if (!this.held)
            return;
        this.held = false;
        if (!this.detached)
            this.socket.resume();
        this.drain();
    }
    fail(err) {
        this.failure ??= err;
        while (this.pending.length)
            this.pending.shift().reject(err);
        const body = this.body;
        this.body = undefined;
        body?.destroy(this.failure);
    }
    /** Send commands in one write; replies (error replies included, as RedisReplyError) in order. */
    pipeline(commands) {
        if (this.failure)
            return Promise.reject(this.failure);
        const replies = commands.map(() => new Promise((resolve, reject) => this.pending.push({ resolve: resolve, reject })));
        this.socket.write(Buffer.concat(commands.map(encodeCommand)));
        return Promise.all(replies);
    }
    /**
     * Send commands in one write and yield their replies in order as they arrive, with bounded
     * memory whatever the replies' sizes: a top-level bulk string longer than `streamAbove` comes
     * as a BulkStream (its body must be read to the end before the next reply is yielded), and
     * while more than `budget` bytes of whole replies wait to be taken the socket is paused.
     * Abandoning the generator early leaves the connection unusable: close it.
     */
    async *replies(commands, opts) {
        if (this.failure)
            throw this.failure;
        const queue = [];
        let queued = 0;
        let wake;
        const settle = (s) => {
            queue.push(s);
            if ('size' in s) {
                queued += s.size;
                if (queued > opts.budget)
                    this.hold();
            }
            wake?.();
        };
        for (let i = 0; i < commands.length; i++) {
            this.pending.push({
                resolve: (value) => settle({ value, size: replySize(value) }),
                reject: (error) => settle({ error }),
                streamAbove: opts.streamAbove,
            });
        }
        this.socket.write(Buffer.concat(commands.map(encodeCommand)));
        for (let i = 0; i < commands.length; i++) {
            while (!queue.length)
                await new Promise((resolve) => (wake = resolve));
            wake = undefined;
            const s = queue.shift();
            if ('error' in s)
                throw s.error;
            queued -= s.size;
            if (queued <= opts.budget && !this.body)
                this.release();
            yield s.value;
        }
    }
    /** One command; an error reply rejects with RedisReplyError. */
    async call(...args) {
        const [reply] = await this.pipeline([args]);
        if (reply instanceof RedisReplyError)
            throw reply;
        return reply;
    }
    /**
     * One command with arguments whose bytes are read as they are sent (a RESTORE payload):
     * written piece by piece, waiting for the socket to drain, never built whole. An error reply
     * rejects with RedisReplyError; a source that fails or brings the wrong number of bytes
     * closes the connection (the server is left mid-command).
     */
    async callStreaming(...args) {
        if (this.failure)
            throw this.failure;
        const reply = new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
        // A failed write below rejects `reply` too; that rejection is reported from here instead.
        reply.catch(() => undefined);
        try {
            let head = [Buffer.from(`*${args.length}\r\n`)];
            for (const a of args) {
                if (typeof a === 'object' && !Buffer.isBuffer(a)) {
                    head.push(Buffer.from(`$${a.length}\r\n`));
                    await this.write(Buffer.concat(head));
                    head = [];
                    let sent = 0;
                    for await (const piece of a.pieces) {
                        sent += piece.length;
                        if (sent > a.length)
                            break;
                        await this.write(piece);
                    }
                    if (sent !== a.length)
                        throw new Error(`an argument of ${a.length} bytes brought ${sent}`);
                    head.push(CRLF);
                }
                else {
                    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'utf8');
                    head.push(Buffer.from(`$${b.length}\r\n`), b, CRLF);
                }
            }
            await this.write(Buffer.concat(head));
        }
        catch (err) {
            this.fail(err);
            this.socket.destroy();
            throw err;
        }
        const r = await reply;
        if (r instanceof RedisReplyError)
            throw r;
        return r;
    }
    /** Write with backpressure: waits for 'drain' when the socket's buffer is full. */
    async write(buf) {
        if (this.failure)
            throw this.failure;
        if (this.socket.write(buf))
            return;
        const ac = new AbortController();
        try {
            await Promise.race([
                (0,node_events__WEBPACK_IMPORTED_MODULE_0__.once)(this.socket, 'drain', { signal: ac.signal }),
                (0,node_events__WEBPACK_IMPORTED_MODULE_0__.once)(this.socket, 'close', { signal: ac.signal }),
            ]);
        }
        finally {
            ac.abort();
        }
        if (this.failure)
            throw this.failure;
    }
    /**
     * Send a command whose answer is a raw byte stream (SYNC) and take over the socket: returns
     * the socket and the bytes already received past any parsed replies.
     */
    detach(args) {
        this.detached = true;
        this.socket.removeAllListeners('data');
        this.socket.removeAllListeners('close');
        this.socket.removeAllListeners('error');
        const head = this.parser.takeRest();
        this.socket.write(encodeCommand(args));
        return { socket: this.socket, head };
    }
    close() {
        this.detached = true;
        this.socket.destroy();
    }
}
function asText(v) {
    if (Buffer.isBuffer(v))
        return v.toString('utf8');
    if (v === null)
        return '';
    if (v instanceof RedisReplyError)
        throw v;
    return String(v);
}
/** Parse `INFO` output into key → value. */
function parseInfo(text) {
    const out = {};
    for (const line of text.split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i > 0 && !line.startsWith('#'))
            out[line.slice(0, i)] = line.slice(i + 1);
    }
    return out;
}


/***/ }),

/***/ 99249:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CI: () => (/* binding */ parseRedisUrl),
/* harmony export */   Mq: () => (/* binding */ mode),
/* harmony export */   Pw: () => (/* binding */ LOGICAL_MEMBER),
/* harmony export */   Y: () => (/* binding */ RDB_MEMBER)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(43026);
/* harmony import */ var _core_log_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(85491);
/* harmony import */ var _core_url_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(35708);
/** Redis URLs, the `redis-mode` option and the member names: nothing here opens a connection. */



const RDB_MEMBER = 'dump.rdb';
const LOGICAL_MEMBER = 'keys.lbr';
/** Parse and validate a redis:// URL. Credentials: URL, else REDISCLI_AUTH / REDIS_PASSWORD. */
function parseRedisUrl(url, option, env = {}) {
    const u = (0,_core_url_js__WEBPACK_IMPORTED_MODULE_2__/* .parseUrl */ .Dl)(option, url);
    const scheme = u.protocol.replace(/:$/, '');
    if (scheme !== 'redis' && scheme !== 'rediss') {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(option, `'${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .redactUrl */ .BO)(url)}' is not a redis:// or rediss:// URL`);
    }
    const path = u.pathname.replace(/^\/+|\/+$/g, '');
    let db;
    if (path !== '') {
        if (!/^\d+$/.test(path)) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(option, `'/${path}' is not a database number`, {
                hint: 'write the database as a number after the host, e.g. redis://host:6379/2',
            });
        }
        db = Number(path);
    }
    const password = u.password
        ? decodeURIComponent(u.password)
        : (env.REDISCLI_AUTH ?? env.REDIS_PASSWORD);
    const username = u.username ? decodeURIComponent(u.username) : undefined;
    const conn = {
        host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
        port: u.port ? Number(u.port) : 6379,
        tls: scheme === 'rediss',
    };
    if (password)
        conn.password = password;
    if (username)
        conn.username = username;
    return { conn, db, displayUrl: (0,_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .redactUrl */ .BO)(url) };
}
function mode(ctx) {
    const m = ctx.options['redis-mode'] ?? 'auto';
    if (m !== 'auto' && m !== 'rdb' && m !== 'logical') {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL('redis-mode', `'${String(m)}' is not a Redis mode`, {
            hint: 'use auto, rdb or logical',
        });
    }
    return m;
}


/***/ }),

/***/ 61482:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  xl: () => (/* binding */ acceptedSourceSchemes),
  Ki: () => (/* binding */ driverForKind),
  hB: () => (/* binding */ driverForUrl),
  cz: () => (/* binding */ sourceEntries)
});

// EXTERNAL MODULE: ./build/src/core/errors.js
var errors = __webpack_require__(43026);
// EXTERNAL MODULE: ./build/src/core/url.js
var core_url = __webpack_require__(35708);
;// CONCATENATED MODULE: ./build/src/sources/chroma/options.js
/** Read by Chroma and Qdrant restores alike: both registry lines list this one declaration. */
const collectionSuffixOption = {
    name: 'collection-suffix',
    type: 'string',
    commands: ['restore', 'drill'],
    group: 'sources',
    description: 'Chroma and Qdrant restores: appended to every restored collection name (e.g. `_restored`), so the copies sit beside the originals. A drill always uses `_drill_<short id>`.',
};
/** The Chroma source's options (`chroma://`; `chroma+dir:` reads only collection-suffix). */
const chromaOptions = [
    {
        name: 'chroma-tenant',
        type: 'string',
        commands: ['backup', 'restore', 'verify', 'drill'],
        group: 'sources',
        description: 'Chroma: tenant of `chroma://` sources and targets (default `default_tenant`); `?tenant=` in a URL wins.',
    },
    {
        name: 'chroma-database',
        type: 'string',
        commands: ['backup', 'restore', 'verify', 'drill'],
        group: 'sources',
        description: 'Chroma: database of `chroma://` sources and targets (default `default_database`); `?database=` in a URL wins.',
    },
    collectionSuffixOption,
];

;// CONCATENATED MODULE: ./build/src/sources/dir/options.js
/** The `dir:` source's options. Imports nothing but the spec type: the schema loads this at start-up. */
const dirOptions = [
    {
        name: 'exclude',
        type: 'lines',
        commands: ['backup'],
        group: 'sources',
        description: '`dir:` sources: glob patterns (relative to the source folder) to leave out, one per line.',
    },
    {
        name: 'incremental-rehash',
        type: 'boolean',
        default: 'false',
        commands: ['backup'],
        group: 'sources',
        description: 'With `mode: incremental`, `dir:` sources: read and hash every file instead of trusting size, mode and mtime; unchanged content is still referenced, not stored.',
    },
];

;// CONCATENATED MODULE: ./build/src/sources/mysql/options.js
/** The MySQL/MariaDB source's options. Imports nothing but the spec type: the schema loads this at start-up. */
const mysqlOptions = [
    {
        name: 'databases',
        type: 'lines',
        commands: ['backup', 'restore'],
        group: 'sources',
        description: 'MySQL/MariaDB: databases to dump (default: the one in the URL, or all); on restore, which of them goes to a target URL naming one database.',
    },
];

;// CONCATENATED MODULE: ./build/src/sources/postgres/options.js
/**
 * The PostgreSQL source's options. Imports nothing but the spec type: the schema loads this at
 * start-up. A new PostgreSQL-only option (the parallel-dump ones, say) is one more entry here;
 * the registry line already lists this array, so the schema, action.yml, the CLI flags, the
 * README table, OptionValues and the "no postgres source" warning all follow.
 */
const postgresOptions = [
    {
        name: 'include-schemas',
        type: 'lines',
        commands: ['backup'],
        group: 'sources',
        description: 'PostgreSQL: only these schemas.',
    },
    {
        name: 'exclude-schemas',
        type: 'lines',
        commands: ['backup'],
        group: 'sources',
        description: 'PostgreSQL: leave out these schemas.',
    },
    {
        name: 'include-tables',
        type: 'lines',
        commands: ['backup'],
        group: 'sources',
        description: 'PostgreSQL: only these tables (`schema.table`, patterns as pg_dump).',
    },
    {
        name: 'exclude-tables',
        type: 'lines',
        commands: ['backup'],
        group: 'sources',
        description: 'PostgreSQL: leave out these tables.',
    },
    {
        name: 'globals',
        type: 'boolean',
        default: 'false',
        commands: ['backup', 'restore'],
        group: 'sources',
        description: 'PostgreSQL: also dump roles and tablespaces (`pg_dumpall --globals-only`).',
    },
    {
        name: 'jobs',
        type: 'string',
        commands: ['backup', 'restore'],
        group: 'sources',
        description: 'PostgreSQL: parallel jobs, a whole number or `auto` (one per core). Backup: more than 1 streams N `pg_dump` workers on one snapshot into the archive (no temporary copy). Restore: a parallel backup loads its data with as many streams as it has workers and builds indexes and constraints with `jobs`; a single-stream backup is copied to the temporary folder (when it has room for it) and restored with `pg_restore --jobs`.',
    },
    {
        name: 'row-counts',
        type: 'enum',
        values: ['exact', 'estimate'],
        default: 'exact',
        commands: ['backup'],
        group: 'sources',
        description: 'PostgreSQL: exact row counts in the inventory, or planner estimates for very large tables.',
    },
    {
        name: 'pg-bin',
        type: 'string',
        commands: ['backup', 'restore', 'verify', 'drill'],
        group: 'sources',
        description: 'PostgreSQL: folder holding pg_dump/pg_restore to use instead of searching PATH and the standard install folders.',
    },
];

;// CONCATENATED MODULE: ./build/src/sources/qdrant/options.js

/** The Qdrant source's options: only the restore suffix it shares with Chroma. */
const qdrantOptions = [collectionSuffixOption];

;// CONCATENATED MODULE: ./build/src/sources/redis/options.js
/** The Redis source's options. Imports nothing but the spec type: the schema loads this at start-up. */
const redisOptions = [
    {
        name: 'redis-mode',
        type: 'enum',
        values: ['auto', 'rdb', 'logical'],
        default: 'auto',
        commands: ['backup'],
        group: 'sources',
        description: 'Redis: `rdb` snapshot through replication, `logical` SCAN+DUMP (for managed services), or `auto`.',
    },
];

;// CONCATENATED MODULE: ./build/src/sources/sqlite/options.js
/** The SQLite source has no options of its own; it declares its options here when it does. */
const sqliteOptions = [];

;// CONCATENATED MODULE: ./build/src/sources/registry.js









/**
 * Every source kind. Adding a source is one folder in src/sources (its driver and its
 * `options.ts`) and one line here. Not annotated as SourceEntry[], only checked against it, so
 * each line's option names and types reach the schema's typed OptionValues.
 */
const sourceEntries = [
    {
        kind: 'sqlite',
        schemes: ['sqlite'],
        options: sqliteOptions,
        load: () => __webpack_require__.e(/* import() */ 949).then(__webpack_require__.bind(__webpack_require__, 2949)).then((m) => m.sqliteDriver),
    },
    {
        kind: 'dir',
        schemes: ['dir'],
        options: dirOptions,
        load: () => Promise.all(/* import() */[__webpack_require__.e(336), __webpack_require__.e(469)]).then(__webpack_require__.bind(__webpack_require__, 34469)).then((m) => m.dirDriver),
    },
    {
        kind: 'postgres',
        schemes: ['postgres', 'postgresql'],
        options: postgresOptions,
        load: () => __webpack_require__.e(/* import() */ 781).then(__webpack_require__.bind(__webpack_require__, 71781)).then((m) => m.pgDriver),
    },
    {
        kind: 'mysql',
        schemes: ['mysql', 'mariadb'],
        options: mysqlOptions,
        load: () => __webpack_require__.e(/* import() */ 233).then(__webpack_require__.bind(__webpack_require__, 41233)).then((m) => m.mysqlDriver),
    },
    {
        kind: 'redis',
        schemes: ['redis', 'rediss'],
        options: redisOptions,
        load: () => __webpack_require__.e(/* import() */ 980).then(__webpack_require__.bind(__webpack_require__, 12980)).then((m) => m.redisDriver),
    },
    {
        kind: 'chroma',
        schemes: ['chroma', 'chroma+https', 'chroma+http'],
        options: chromaOptions,
        load: () => __webpack_require__.e(/* import() */ 836).then(__webpack_require__.bind(__webpack_require__, 91836)).then((m) => m.chromaDriver),
    },
    {
        kind: 'chroma-dir',
        schemes: ['chroma+dir'],
        options: [collectionSuffixOption],
        load: () => Promise.all(/* import() */[__webpack_require__.e(336), __webpack_require__.e(264)]).then(__webpack_require__.bind(__webpack_require__, 95264)).then((m) => m.chromaDirDriver),
    },
    {
        kind: 'qdrant',
        schemes: ['qdrant', 'qdrant+https', 'qdrant+http'],
        options: qdrantOptions,
        load: () => __webpack_require__.e(/* import() */ 99).then(__webpack_require__.bind(__webpack_require__, 35099)).then((m) => m.qdrantDriver),
    },
];
function acceptedSourceSchemes() {
    return sourceEntries.flatMap((d) => d.schemes.map((s) => `${s}:`));
}
async function driverForUrl(url, option = 'source') {
    const scheme = (0,core_url/* schemeOf */.dz)(url);
    const entry = scheme ? sourceEntries.find((d) => d.schemes.includes(scheme)) : undefined;
    if (!entry) {
        throw new errors/* ConfigError */.xL(option, scheme
            ? `unknown scheme '${scheme}:' in '${url.split('@').pop()}'`
            : `'${url.split('@').pop()}' has no scheme`, { hint: `use one of ${acceptedSourceSchemes().join(' ')}` });
    }
    return entry.load();
}
async function driverForKind(kind) {
    const entry = sourceEntries.find((d) => d.kind === kind);
    if (!entry)
        throw new errors/* ConfigError */.xL(undefined, `this release cannot restore sources of kind '${kind}'`);
    return entry.load();
}


/***/ }),

/***/ 80269:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Sn: () => (/* binding */ STAGED_INFIX),
/* harmony export */   W2: () => (/* binding */ stagingMarker),
/* harmony export */   f3: () => (/* binding */ abandonedBecause),
/* harmony export */   gY: () => (/* binding */ parseMarker),
/* harmony export */   lg: () => (/* binding */ removeAbandonedBeside),
/* harmony export */   lh: () => (/* binding */ stagedPathName),
/* harmony export */   wp: () => (/* binding */ stagedName)
/* harmony export */ });
/* unused harmony export STALE_AFTER_MS */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(48161);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(76760);
/* harmony import */ var _core_process_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(15816);
/**
 * Names and markers of what a restore stages: a new database called
 * `<target>_lifeboat_new_<UTC time>_<hex>` marked with who made it (host, pid, start time), or a
 * file or folder beside the target whose name carries the host and pid. A restore killed with
 * SIGKILL leaves them behind; the next restore into the same server or folder removes the ones it
 * can prove abandoned: made on this host by a process that no longer runs, or older than a day.
 */





const STAGED_INFIX = '_lifeboat_new_';
/** After this long a staged database is abandoned whoever made it: no restore stages for a day. */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;
function utcStamp(d) {
    return d
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
}
/** `<base>_lifeboat_new_<UTC time>_<hex>`, the base shortened to fit `maxBytes` (63 for PostgreSQL, 64 for MySQL). */
function stagedName(base, maxBytes, now = new Date()) {
    const suffix = `${STAGED_INFIX}${utcStamp(now)}_${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(3).toString('hex')}`;
    let b = base;
    while (Buffer.byteLength(b + suffix) > maxBytes)
        b = b.slice(0, -1);
    return b + suffix;
}
function stagingMarker(target, now = new Date()) {
    return {
        lifeboat: 'staging',
        host: (0,node_os__WEBPACK_IMPORTED_MODULE_2__.hostname)(),
        pid: process.pid,
        started: now.toISOString(),
        target,
    };
}
function parseMarker(text) {
    if (!text)
        return undefined;
    try {
        const m = JSON.parse(text);
        if (m?.lifeboat !== 'staging' ||
            typeof m.host !== 'string' ||
            typeof m.pid !== 'number' ||
            typeof m.started !== 'string' ||
            Number.isNaN(Date.parse(m.started)))
            return undefined;
        return m;
    }
    catch {
        return undefined;
    }
}
/**
 * Why a staged database with this marker is abandoned, or undefined when it may still be in use
 * (or is not provably ours: no marker, no drop).
 */
function abandonedBecause(marker, now = Date.now()) {
    if (!marker)
        return undefined;
    if (marker.host === (0,node_os__WEBPACK_IMPORTED_MODULE_2__.hostname)() && marker.pid !== process.pid && !(0,_core_process_js__WEBPACK_IMPORTED_MODULE_4__/* .isProcessRunning */ .DL)(marker.pid))
        return `its restore (pid ${marker.pid} on ${marker.host}, started ${marker.started}) no longer runs`;
    if (now - Date.parse(marker.started) > STALE_AFTER_MS)
        return `it was staged at ${marker.started}, more than a day ago`;
    return undefined;
}
/** A short, fixed tag of this host for names on disk (host names may hold any character). */
function hostTag(host = (0,node_os__WEBPACK_IMPORTED_MODULE_2__.hostname)()) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(host).digest('hex').slice(0, 8);
}
const STAGED_PATH = /^\.(.+)\.lifeboat-(tmp|staging)-([0-9a-f]{8})-(\d+)-[0-9a-f]+(-wal|-shm|-journal)?$/;
/**
 * The name of a file or folder staged beside a target: `.<base>.lifeboat-<kind>-<host>-<pid>-<hex>`,
 * so that a later restore into the same place can tell who left it.
 */
function stagedPathName(base, kind) {
    return `.${base}.lifeboat-${kind}-${hostTag()}-${process.pid}-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(6).toString('hex')}`;
}
/**
 * Removes what interrupted restores staged beside `base` in `dir`: made on this host by a process
 * that no longer runs, or untouched for more than a day. Returns the lines to log.
 */
async function removeAbandonedBeside(dir, base) {
    const removed = [];
    const names = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(dir).catch(() => []);
    for (const name of names) {
        const m = STAGED_PATH.exec(name);
        if (!m || m[1] !== base)
            continue;
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, name);
        const pid = Number(m[4]);
        const here = m[3] === hostTag();
        let why;
        if (here && pid !== process.pid && !(0,_core_process_js__WEBPACK_IMPORTED_MODULE_4__/* .isProcessRunning */ .DL)(pid))
            why = `its restore (pid ${pid} on this host) no longer runs`;
        else if (!here) {
            const st = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(path).catch(() => undefined);
            if (st && Date.now() - st.mtimeMs > STALE_AFTER_MS)
                why = 'another host staged it more than a day ago';
        }
        if (!why)
            continue;
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(path, { recursive: true, force: true });
        removed.push(`removed ${path}, left by an interrupted restore: ${why}`);
    }
    return removed;
}


/***/ }),

/***/ 97145:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cz: () => (/* binding */ detailsOf),
/* harmony export */   vm: () => (/* binding */ workingDir)
/* harmony export */ });
/* unused harmony export restoreNow */
/** Relative paths are relative to the run's working directory, when the engine passes one. */
function workingDir(ctx) {
    const cwd = ctx.cwd;
    return typeof cwd === 'string' && cwd ? cwd : process.cwd();
}
/** Both phases at once, for callers that have already proven the archive (and for tests). */
async function restoreNow(driver, members, request, ctx) {
    const staged = await driver.stage(members, request, ctx);
    try {
        return await staged.commit();
    }
    finally {
        await staged.abort();
    }
}
/** A backup's `details` as its kind wrote them; every field may be missing (untrusted JSON). */
function detailsOf(manifest, _kind) {
    // `_kind` only names the view: the engine picked the driver by manifest.kind already.
    return (manifest.details ?? {});
}


/***/ }),

/***/ 4315:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AV: () => (/* binding */ checkAnnounced),
/* harmony export */   Hj: () => (/* binding */ BodyDigest),
/* harmony export */   OU: () => (/* binding */ expectLength),
/* harmony export */   U_: () => (/* binding */ chunksOf),
/* harmony export */   Vc: () => (/* binding */ TruncatedRead)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(57075);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(43026);



/**
 * The chunks of a put body as Buffers (bodies built with `Readable.from(['text'])` yield
 * strings). An abort of `signal` destroys the body, which ends the loop with an error.
 */
async function* chunksOf(body, signal) {
    signal?.throwIfAborted();
    if (signal)
        (0,node_stream__WEBPACK_IMPORTED_MODULE_1__.addAbortSignal)(signal, body);
    for await (const chunk of body) {
        yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    }
}
/** sha256 and size of the bytes as they pass, so put can report them without a second read. */
class BodyDigest {
    hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    size = 0;
    update(chunk) {
        this.hash.update(chunk);
        this.size += chunk.length;
    }
    result() {
        return { size: this.size, sha256: this.hash.digest('hex') };
    }
}
/** A caller that announced the sha256 or size up front gets a failed put, not a wrong object. */
function checkAnnounced(key, where, options, got) {
    if (options?.sha256 !== undefined && options.sha256.toLowerCase() !== got.sha256) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .IntegrityError */ .cs(`${key} on ${where}: received bytes have sha256 ${got.sha256}, but ${options.sha256} was announced`);
    }
    if (options?.size !== undefined && options.size !== got.size) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .IntegrityError */ .cs(`${key} on ${where}: received ${got.size} bytes, but ${options.size} were announced`);
    }
}
/**
 * The object's bytes from `stream`, failing with a classified StorageError (reason
 * 'truncated', transient so a retried read resumes at the byte it reached) when the stream
 * ends before `expected` bytes, and classifying any error the stream itself raises with
 * `classify`. Every backend's get() returns its stream through this once it knows the size, so
 * a cut-off read is never mistaken for a short object.
 */
function expectLength(stream, expected, where, classify, 
/** The byte of the object the stream starts at (a ranged read). */
start = 0) {
    let seen = 0;
    const truncated = (message) => new TruncatedRead(message, expected === undefined ? undefined : start + expected);
    const out = new node_stream__WEBPACK_IMPORTED_MODULE_1__.Transform({
        transform(chunk, _enc, done) {
            const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
            seen += buf.length;
            done(null, buf);
        },
        flush(done) {
            if (expected !== undefined && seen < expected) {
                done(truncated(`${where}: the read ended after ${seen} of ${expected} bytes (truncated)`));
                return;
            }
            done();
        },
    });
    stream.on('error', (err) => out.destroy(classify(err)));
    // A reader that stops early (or is destroyed) releases the store's stream too.
    out.on('close', () => {
        if (!stream.destroyed)
            stream.destroy();
    });
    // A source that closes without 'end' and without an error was cut off.
    stream.on('close', () => {
        if (!stream.readableEnded && !out.destroyed && !stream.errored) {
            out.destroy(truncated(`${where}: the read was cut off after ${seen} bytes (truncated)`));
        }
    });
    stream.pipe(out);
    return out;
}
/**
 * A read that ended before the object's end, which it names (`end`, the object's size when the
 * read was opened), so a retry that resumes it can tell a complete resumed read from one that
 * stops at the same place again.
 */
class TruncatedRead extends _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .StorageError */ .aq {
    end;
    constructor(message, end) {
        super(message, { transient: true, reason: 'truncated' });
        this.end = end;
    }
}


/***/ }),

/***/ 31851:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EM: () => (/* binding */ DRILL_SUFFIX),
/* harmony export */   NC: () => (/* binding */ drillKey),
/* harmony export */   by: () => (/* binding */ checkPrefix),
/* harmony export */   n$: () => (/* binding */ lastRunKey),
/* harmony export */   yR: () => (/* binding */ checkKey)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(43026);

/**
 * Object keys come from our own naming and from manifests read back from storage, which may be
 * hostile. Every backend checks them here before touching anything, so a key can never name a
 * place outside the storage URL's prefix.
 */
const MAX_KEY_BYTES = 1024;
function checkKey(key, where) {
    const problem = keyProblem(key, false);
    if (problem) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .StorageError */ .aq(`invalid object key ${JSON.stringify(key)} for ${where}: ${problem}`, {
            hint: "keys are relative paths like 'set/20261122T030000Z-abc.tar.zst' without '.' or '..' segments",
        });
    }
    return key;
}
/** A list prefix is a key prefix: '' lists everything, 'set/' one set. */
function checkPrefix(prefix, where) {
    const problem = prefix === '' ? undefined : keyProblem(prefix, true);
    if (problem) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .StorageError */ .aq(`invalid list prefix ${JSON.stringify(prefix)} for ${where}: ${problem}`, {
            hint: "prefixes are relative paths like 'set/' without '.' or '..' segments",
        });
    }
    return prefix;
}
function keyProblem(key, isPrefix) {
    if (typeof key !== 'string' || key === '')
        return 'it is empty';
    if (key.startsWith('/'))
        return "it starts with '/'";
    if (key.includes('\\'))
        return "it contains '\\'";
    if (key.includes('\0'))
        return 'it contains a NUL character';
    if (Buffer.byteLength(key) > MAX_KEY_BYTES)
        return `it is longer than ${MAX_KEY_BYTES} bytes`;
    const segments = key.split('/');
    // A prefix may end with '/', which leaves one empty last segment.
    if (isPrefix && segments.at(-1) === '')
        segments.pop();
    for (const s of segments) {
        if (s === '')
            return 'it has an empty path segment';
        if (s === '.' || s === '..')
            return `it has a '${s}' segment`;
    }
    return undefined;
}
/**
 * The small record of a set's last run of one command (result, time, last success), which
 * `notify-on: change` and the metrics read back on the next run. Not a backup: listing,
 * retention and restore match `<id>.manifest.json` only.
 */
function lastRunKey(set, command) {
    return `${set}/lifeboat-last-run.${command}.json`;
}
const DRILL_SUFFIX = '.drill.json';
/**
 * A drill's result, beside the backup it drilled: its own object, so a drill never rewrites the
 * backup's (possibly immutable) archive or sidecars. Retention deletes it with the backup;
 * listing and restore never take it for a backup.
 */
function drillKey(set, id) {
    return `${set}/${id}${DRILL_SUFFIX}`;
}


/***/ }),

/***/ 43101:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Nb: () => (/* binding */ acceptedStorageSchemes),
  Gz: () => (/* binding */ openStorage),
  wY: () => (/* binding */ storageEntries)
});

// UNUSED EXPORTS: TEST_MEMORY_STORAGE_ENV

// EXTERNAL MODULE: ./build/src/core/errors.js
var errors = __webpack_require__(43026);
// EXTERNAL MODULE: ./build/src/core/log.js
var log = __webpack_require__(85491);
// EXTERNAL MODULE: ./build/src/core/url.js
var core_url = __webpack_require__(35708);
// EXTERNAL MODULE: ./build/src/core/option-spec.js
var option_spec = __webpack_require__(47422);
;// CONCATENATED MODULE: ./build/src/storage/artifact/options.js

/** The GitHub artifacts storage backend's options. Imports nothing but the spec type: the schema loads this at start-up. */
const artifactOptions = [
    {
        name: 'retention-days',
        type: 'number',
        commands: ['backup'],
        group: 'storage',
        description: 'GitHub artifacts: days to keep each artifact (capped by the repository setting).',
    },
    {
        name: 'artifact-repository',
        type: 'string',
        commands: option_spec/* DATA_COMMANDS */.S,
        group: 'storage',
        description: 'GitHub artifacts: `owner/repo` holding the backups (default: this repository).',
    },
];

;// CONCATENATED MODULE: ./build/src/storage/azblob/options.js

/** The Azure Blob storage backend's options. Imports nothing but the spec type: the schema loads this at start-up. */
const azblobOptions = [
    {
        name: 'azure-account',
        type: 'string',
        commands: option_spec/* DATA_COMMANDS */.S,
        group: 'storage',
        description: 'Azure Blob: storage account (default from AZURE_STORAGE_ACCOUNT or the connection string).',
    },
    {
        name: 'azure-endpoint',
        type: 'string',
        commands: option_spec/* DATA_COMMANDS */.S,
        group: 'storage',
        description: 'Azure Blob: blob service endpoint (Azurite, sovereign clouds).',
    },
];

;// CONCATENATED MODULE: ./build/src/storage/file/options.js
/** The `file:` storage backend has no options of its own; it declares its options here when it does. */
const fileOptions = [];

;// CONCATENATED MODULE: ./build/src/storage/s3/options.js

/** The S3 storage backend's options. Imports nothing but the spec type: the schema loads this at start-up. */
const s3Options = [
    {
        name: 's3-endpoint',
        type: 'string',
        commands: option_spec/* DATA_COMMANDS */.S,
        group: 'storage',
        description: 'S3: endpoint URL for S3-compatible stores (MinIO, R2, B2, Spaces).',
    },
    {
        name: 's3-region',
        type: 'string',
        commands: option_spec/* DATA_COMMANDS */.S,
        group: 'storage',
        description: 'S3: region (default from AWS_REGION, else us-east-1).',
    },
    {
        name: 's3-force-path-style',
        type: 'boolean',
        default: 'false',
        commands: option_spec/* DATA_COMMANDS */.S,
        group: 'storage',
        description: 'S3: path-style addressing (MinIO and most self-hosted stores).',
    },
    {
        name: 's3-sse',
        type: 'enum',
        values: ['', 'AES256', 'aws:kms'],
        commands: ['backup'],
        group: 'storage',
        description: 'S3: server-side encryption.',
    },
    {
        name: 's3-sse-kms-key-id',
        type: 'string',
        commands: ['backup'],
        group: 'storage',
        description: 'S3: KMS key for `aws:kms` encryption.',
    },
    {
        name: 's3-storage-class',
        type: 'string',
        commands: ['backup'],
        group: 'storage',
        description: 'S3: storage class (STANDARD_IA, GLACIER_IR, …).',
    },
    {
        name: 'expected-size',
        type: 'string',
        commands: ['backup'],
        group: 'storage',
        description: 'S3: the largest archive you expect (`500GiB`, `5TiB`). Without it parts are 8 MiB, enough for archives up to about 78 GiB; with it parts grow to fit 10,000 parts, at the cost of memory.',
    },
];

;// CONCATENATED MODULE: ./build/src/storage/sftp/options.js

/** The SFTP storage backend's options. Imports nothing but the spec type: the schema loads this at start-up. */
const sftpOptions = [
    {
        name: 'sftp-private-key',
        type: 'string',
        secret: true,
        commands: option_spec/* DATA_COMMANDS */.S,
        group: 'storage',
        description: 'SFTP: private key (pass a secret).',
    },
    {
        name: 'sftp-private-key-passphrase',
        type: 'string',
        secret: true,
        commands: option_spec/* DATA_COMMANDS */.S,
        group: 'storage',
        description: 'SFTP: passphrase of the private key.',
    },
    {
        name: 'sftp-password',
        type: 'string',
        secret: true,
        commands: option_spec/* DATA_COMMANDS */.S,
        group: 'storage',
        description: 'SFTP: password (prefer a key).',
    },
    {
        name: 'sftp-host-fingerprint',
        type: 'string',
        commands: option_spec/* DATA_COMMANDS */.S,
        group: 'storage',
        description: "SFTP: the server's host key fingerprint (`SHA256:…`, as `ssh-keygen -lf` prints).",
    },
    {
        name: 'sftp-known-hosts',
        type: 'string',
        commands: option_spec/* DATA_COMMANDS */.S,
        group: 'storage',
        description: 'SFTP: known_hosts content to check the server against.',
    },
    {
        name: 'sftp-accept-unknown-host',
        type: 'boolean',
        default: 'false',
        commands: option_spec/* DATA_COMMANDS */.S,
        group: 'storage',
        description: 'SFTP: accept a server whose host key is not pinned (not recommended).',
    },
];

;// CONCATENATED MODULE: ./build/src/storage/registry.js








/**
 * Every storage backend. Adding one is one folder in src/storage (its code and its
 * `options.ts`) and one line here. Checked against StorageEntry[], not annotated, so each
 * line's option names and types reach the schema's typed OptionValues.
 */
const storageEntries = [
    {
        kind: 'file',
        schemes: ['file'],
        options: fileOptions,
        load: () => __webpack_require__.e(/* import() */ 618).then(__webpack_require__.bind(__webpack_require__, 34618)).then((m) => m.fileStorage),
    },
    {
        kind: 's3',
        schemes: ['s3', 'gs'],
        options: s3Options,
        load: () => Promise.all(/* import() */[__webpack_require__.e(358), __webpack_require__.e(614)]).then(__webpack_require__.bind(__webpack_require__, 99614)).then((m) => m.s3Storage),
    },
    {
        kind: 'azblob',
        schemes: ['azblob'],
        options: azblobOptions,
        load: () => Promise.all(/* import() */[__webpack_require__.e(941), __webpack_require__.e(747), __webpack_require__.e(20)]).then(__webpack_require__.bind(__webpack_require__, 99020)).then((m) => m.azblobStorage),
    },
    {
        kind: 'sftp',
        schemes: ['sftp'],
        options: sftpOptions,
        load: () => Promise.all(/* import() */[__webpack_require__.e(472), __webpack_require__.e(26)]).then(__webpack_require__.bind(__webpack_require__, 18026)).then((m) => m.sftpStorage),
    },
    {
        kind: 'artifact',
        schemes: ['artifact'],
        options: artifactOptions,
        load: () => __webpack_require__.e(/* import() */ 268).then(__webpack_require__.bind(__webpack_require__, 53268)).then((m) => m.artifactStorage),
    },
];
/**
 * `memory:` keeps backups in the process, gone when it exits: for tests only, so a user can
 * never choose it. Test files turn it on with this environment variable.
 */
const TEST_MEMORY_STORAGE_ENV = 'LIFEBOAT_TEST_MEMORY_STORAGE';
const memoryEntry = {
    kind: 'memory',
    schemes: ['memory'],
    options: [],
    load: () => __webpack_require__.e(/* import() */ 736).then(__webpack_require__.bind(__webpack_require__, 30736)).then((m) => m.memoryStorage),
};
function acceptedStorageSchemes() {
    return storageEntries.flatMap((f) => f.schemes.map((s) => `${s}:`));
}
async function openStorage(url, ctx, option = 'destination') {
    const scheme = (0,core_url/* schemeOf */.dz)(url);
    const entry = scheme === 'memory' && process.env[TEST_MEMORY_STORAGE_ENV] === '1'
        ? memoryEntry
        : scheme
            ? storageEntries.find((f) => f.schemes.includes(scheme))
            : undefined;
    if (!entry) {
        throw new errors/* ConfigError */.xL(option, scheme
            ? `unknown scheme '${scheme}:' in '${(0,log/* redactUrl */.BO)(url)}'`
            : `'${(0,log/* redactUrl */.BO)(url)}' has no scheme`, { hint: `use one of ${acceptedStorageSchemes().join(' ')}` });
    }
    const factory = await entry.load();
    return factory.create(url, ctx);
}


/***/ }),

/***/ 28069:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fn: () => (/* binding */ classifyNodeError),
/* harmony export */   JK: () => (/* binding */ toStorageError),
/* harmony export */   bD: () => (/* binding */ withRetry)
/* harmony export */ });
/* harmony import */ var node_timers_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(58500);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(57075);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(43026);
/* harmony import */ var _core_log_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(85491);
/* harmony import */ var _body_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4315);





/**
 * Wraps a backend so operations that fail with a transient StorageError are tried again with
 * exponential backoff and full jitter (restic's RetryBackend); permanent errors fail at once.
 *
 * - stat, list, delete and createExclusive are retried whole.
 * - get retries opening the object, and a read cut off by a transient error (a reset
 *   connection) is resumed where it stopped with a ranged get (`offset`), so the reader sees
 *   one unbroken stream. Any other failure while reading reaches the reader as a classified
 *   StorageError, the same on every backend; checksums stay the reader's to verify.
 * - put cannot read a consumed stream twice, so it is retried only when the failed attempt had
 *   not taken a single byte of the body (a refused connection, a failed auth round trip
 *   before the upload). Once bytes have flowed the error is final: streaming backends retry
 *   their own parts (the S3 SDK resends each multipart part it holds in memory).
 */
function withRetry(storage, options = {}) {
    const attempts = Math.max(1, Math.floor(options.attempts ?? 5));
    const baseDelayMs = options.baseDelayMs ?? 500;
    const maxDelayMs = options.maxDelayMs ?? 20_000;
    const log = options.log ?? _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .silentLogger */ .qq;
    const sleep = options.sleep ?? ((ms) => (0,node_timers_promises__WEBPACK_IMPORTED_MODULE_0__.setTimeout)(ms));
    const random = options.random ?? Math.random;
    async function retrying(what, operation, mayRetry = () => true, signal) {
        for (let attempt = 1;; attempt++) {
            try {
                return await operation();
            }
            catch (err) {
                if (!(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .isTransient */ .dg)(err) || signal?.aborted || !mayRetry())
                    throw err;
                if (attempt >= attempts)
                    throw gaveUp(err, attempts);
                const wait = Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
                log.warn(`${storage.displayUrl}: ${what} failed (${safeMessage(err)}); ` +
                    `retry ${attempt} of ${attempts - 1} in ${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .formatDuration */ .a3)(wait)}`);
                await sleep(wait);
            }
        }
    }
    const wrapped = {
        displayUrl: storage.displayUrl,
        capabilities: storage.capabilities,
        put(key, body, putOptions) {
            const source = new UntouchedBody(body);
            return retrying(`put ${key}`, async () => {
                try {
                    return await storage.put(key, source.attempt(), putOptions);
                }
                finally {
                    source.release();
                }
            }, () => !source.consumed, putOptions?.signal);
        },
        async get(key, getOptions) {
            const signal = getOptions?.signal;
            const open = (offset) => retrying(`get ${key}`, () => storage.get(key, offset ? { ...getOptions, offset } : getOptions), undefined, signal);
            const start = getOptions?.offset ?? 0;
            const first = await open(start);
            const where = `${storage.displayUrl}: reading ${key}`;
            async function* resuming() {
                let offset = start;
                let current = first;
                let lastFailureAt = -1;
                // Where the object ends, once a truncated read has said: a resumed read must get there.
                let end;
                for (let failures = 0;;) {
                    try {
                        for await (const chunk of current) {
                            offset += chunk.length;
                            yield chunk;
                        }
                        if (end !== undefined && offset < end) {
                            throw new _body_js__WEBPACK_IMPORTED_MODULE_4__/* .TruncatedRead */ .Vc(`${where}: the object now ends at byte ${offset}, not ${end} (truncated)`, end);
                        }
                        return;
                    }
                    catch (err) {
                        if (err instanceof _body_js__WEBPACK_IMPORTED_MODULE_4__/* .TruncatedRead */ .Vc && err.end !== undefined)
                            end ??= err.end;
                        const failure = toStorageError(err, `${where} failed at byte ${offset}`);
                        if (!(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .isTransient */ .dg)(failure) || signal?.aborted)
                            throw failure;
                        // Each cut that made progress since the last one starts a fresh count.
                        if (offset > lastFailureAt)
                            failures = 0;
                        lastFailureAt = offset;
                        if (++failures >= attempts)
                            throw gaveUp(failure, attempts);
                        const wait = Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (failures - 1)));
                        log.warn(`${where} was cut off at byte ${offset} (${safeMessage(err)}); ` +
                            `resuming from there, retry ${failures} of ${attempts - 1} in ${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .formatDuration */ .a3)(wait)}`);
                        await sleep(wait);
                        current = await open(offset);
                    }
                }
            }
            return node_stream__WEBPACK_IMPORTED_MODULE_1__.Readable.from(resuming(), { objectMode: false });
        },
        createExclusive(key, body) {
            return retrying(`create ${key}`, () => storage.createExclusive(key, body));
        },
        stat(key) {
            return retrying(`stat ${key}`, () => storage.stat(key));
        },
        list(prefix) {
            return retrying(`list ${prefix || '(all)'}`, () => storage.list(prefix));
        },
        delete(key, options) {
            return retrying(`delete ${key}`, () => storage.delete(key, options), undefined, options?.signal);
        },
    };
    if (storage.close)
        wrapped.close = () => storage.close();
    if (storage.beginGroup)
        wrapped.beginGroup = (group) => storage.beginGroup(group);
    return wrapped;
}
function gaveUp(err, attempts) {
    return new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .StorageError */ .aq(`${err.message} (gave up after ${attempts} attempts)`, {
        cause: err,
        transient: true,
        notFound: err.notFound,
        reason: err.reason,
        hint: err.hintTemplate ?? 'the store kept failing; check its status and run again',
    });
}
/** Error text for a log line: URLs lose passwords and signature/credential query values. */
function safeMessage(err) {
    const message = err instanceof Error ? err.message : String(err);
    return message.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, (url) => (0,_core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .redactUrl */ .BO)(url));
}
/**
 * Hands one body to successive put attempts for as long as none of them has read a byte of
 * it. Each attempt gets a fresh stream that pulls from the body only when read, so a failed
 * attempt that never read leaves the body as it was for the next one.
 */
class UntouchedBody {
    consumed = false;
    source;
    detach;
    constructor(source) {
        this.source = source;
    }
    attempt() {
        this.release();
        const source = this.source;
        let wanted = false;
        const pump = () => {
            while (wanted) {
                const chunk = source.read();
                if (chunk === null)
                    return;
                this.consumed = true;
                wanted = out.push(chunk);
            }
        };
        const onEnd = () => {
            detach();
            out.push(null);
        };
        const onError = (err) => {
            detach();
            out.destroy(err);
        };
        const detach = () => {
            source.off('readable', pump);
            source.off('end', onEnd);
            source.off('error', onError);
        };
        const out = new node_stream__WEBPACK_IMPORTED_MODULE_1__.Readable({
            read() {
                wanted = true;
                pump();
            },
            destroy(err, callback) {
                detach();
                callback(err);
            },
        });
        this.detach = detach;
        // The body may fail before the backend starts reading (a dump that fails at once); the
        // backend still sees the error when it reads, so an unheard 'error' must not crash the run.
        out.on('error', () => undefined);
        if (source.errored) {
            out.destroy(source.errored);
        }
        else if (source.readableEnded) {
            out.push(null);
        }
        else if (source.destroyed) {
            out.destroy(new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .StorageError */ .aq('the body stream was destroyed before the upload'));
        }
        else {
            source.on('readable', pump);
            source.on('end', onEnd);
            source.on('error', onError);
        }
        return out;
    }
    release() {
        this.detach?.();
        this.detach = undefined;
    }
}
const TRANSIENT_CODES = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'ECONNABORTED',
    'ETIMEDOUT',
    'ESOCKETTIMEDOUT',
    'EPIPE',
    'EAI_AGAIN',
    'ENETUNREACH',
    'ENETDOWN',
    'EHOSTUNREACH',
    'EHOSTDOWN',
    'EBUSY',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
    'ERR_HTTP2_STREAM_ERROR',
]);
const TRANSIENT_NAMES = new Set([
    'TimeoutError',
    'RequestTimeout',
    'RequestTimeoutException',
    'SlowDown',
    'Throttling',
    'ThrottlingException',
    'ThrottledException',
    'RequestThrottled',
    'RequestLimitExceeded',
    'TooManyRequestsException',
    'ServiceUnavailable',
    'InternalError',
]);
const NOT_FOUND_CODES = new Set(['ENOENT', 'NoSuchKey', 'NotFound', 'BlobNotFound']);
const DENIED_CODES = new Set([
    'EACCES',
    'EPERM',
    'EROFS',
    'AccessDenied',
    'Forbidden',
    'InvalidAccessKeyId',
    'SignatureDoesNotMatch',
    'ExpiredToken',
    'AuthorizationFailure',
    'AuthorizationPermissionMismatch',
    'AuthenticationFailed',
    'InvalidAuthenticationInfo',
]);
/** A response or stream that ended before its announced length. */
const TRUNCATED_CODES = new Set([
    'ERR_STREAM_PREMATURE_CLOSE',
    'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
    'ECONNABORTED',
]);
const UNAVAILABLE_NAMES = new Set([
    'SlowDown',
    'Throttling',
    'ThrottlingException',
    'ThrottledException',
    'RequestThrottled',
    'RequestLimitExceeded',
    'TooManyRequestsException',
    'ServiceUnavailable',
    'InternalError',
]);
const PERMANENT = { transient: false, notFound: false, reason: 'other' };
/**
 * Sorts an error from Node, an HTTP client or an SDK into "retry it", "it is not there" and a
 * StorageFailure class, so every backend maps failures the same way. Looks through `cause`
 * chains. Not found: ENOENT, HTTP 404. Denied: HTTP 401/403, EACCES/EPERM/EROFS, the SDKs'
 * credential and permission codes (permanent). Truncated: a stream or response that ended
 * early (transient: a read resumes). Network: network errnos (ECONNRESET, ETIMEDOUT, EPIPE,
 * EAI_AGAIN, …) and timeouts (transient). Unavailable: HTTP 408, 429 and 5xx (but 501), SDK
 * throttling (transient). All else: permanent 'other'.
 */
function classifyNodeError(err) {
    if (err instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .StorageError */ .aq)
        return { transient: err.transient, notFound: err.notFound, reason: err.reason };
    let current = err;
    for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
        const e = current;
        const status = httpStatusOf(e);
        const code = typeof e['code'] === 'string' ? e['code'] : undefined;
        const name = typeof e['name'] === 'string' ? e['name'] : undefined;
        if (name === 'AbortError')
            return PERMANENT;
        if (status === 404 ||
            (code && NOT_FOUND_CODES.has(code)) ||
            (name && NOT_FOUND_CODES.has(name))) {
            return { transient: false, notFound: true, reason: 'not-found' };
        }
        if (status === 401 ||
            status === 403 ||
            (code && DENIED_CODES.has(code)) ||
            (name && DENIED_CODES.has(name))) {
            return { transient: false, notFound: false, reason: 'denied' };
        }
        if ((code && TRUNCATED_CODES.has(code)) || (name && TRUNCATED_CODES.has(name))) {
            return { transient: true, notFound: false, reason: 'truncated' };
        }
        if (status === 408 ||
            status === 429 ||
            (status !== undefined && status >= 500 && status !== 501) ||
            (name && UNAVAILABLE_NAMES.has(name))) {
            return { transient: true, notFound: false, reason: 'unavailable' };
        }
        if ((code && TRANSIENT_CODES.has(code)) || (name && TRANSIENT_NAMES.has(name))) {
            return { transient: true, notFound: false, reason: 'network' };
        }
        const retryable = e['$retryable'];
        if (retryable && typeof retryable === 'object')
            return { transient: true, notFound: false, reason: 'unavailable' };
        current = e['cause'];
    }
    return PERMANENT;
}
function httpStatusOf(e) {
    const metadata = e['$metadata'];
    const response = e['$response'];
    for (const v of [metadata?.httpStatusCode, e['statusCode'], e['status'], response?.statusCode]) {
        if (typeof v === 'number' && v >= 100 && v < 600)
            return v;
    }
    return undefined;
}
/**
 * Wraps any failure as a StorageError classified by classifyNodeError. Lifeboat's own errors
 * (an IntegrityError, a SourceError from the body) pass through unchanged.
 */
function toStorageError(err, doing, hint) {
    if (err instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .LifeboatError */ .H3)
        return err;
    const message = err instanceof Error ? err.message : String(err);
    return new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .StorageError */ .aq(`${doing}: ${message}`, { cause: err, ...classifyNodeError(err), hint });
}


/***/ })

};
