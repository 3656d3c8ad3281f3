export const id = 26;
export const ids = [26];
export const modules = {

/***/ 18026:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  knownHostMatches: () => (/* reexport */ knownHostMatches),
  openSftp: () => (/* reexport */ openSftp),
  parseKnownHosts: () => (/* reexport */ parseKnownHosts),
  parseSftpSettings: () => (/* reexport */ parseSftpSettings),
  sftpStorage: () => (/* reexport */ sftpStorage),
  sshFingerprint: () => (/* reexport */ sshFingerprint)
});

// EXTERNAL MODULE: ./build/src/core/errors.js
var errors = __webpack_require__(43026);
// EXTERNAL MODULE: ./build/src/storage/retry.js
var retry = __webpack_require__(28069);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./build/src/storage/sftp/host-keys.js

function parseKnownHosts(text) {
    const out = [];
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.trim();
        if (!line || line.startsWith('#'))
            continue;
        const fields = line.split(/\s+/);
        let marker;
        if (fields[0] === '@revoked' || fields[0] === '@cert-authority')
            marker = fields.shift().slice(1);
        const [hosts, type, b64] = fields;
        if (!hosts || !type || !b64)
            continue;
        const key = Buffer.from(b64, 'base64');
        if (key.length === 0)
            continue;
        out.push({ ...(marker ? { marker } : {}), patterns: hosts.split(','), type, key });
    }
    return out;
}
/** Whether a known_hosts host field matches, as OpenSSH does: `[host]:port` for other ports, hashed names, wildcards, negation. */
function knownHostMatches(patterns, host, port) {
    const names = [port === 22 ? host : `[${host}]:${port}`];
    let matched = false;
    for (const pattern of patterns) {
        const negated = pattern.startsWith('!');
        const p = negated ? pattern.slice(1) : pattern;
        const hit = names.some((name) => {
            const hashed = /^\|1\|([^|]+)\|([^|]+)$/.exec(p);
            if (hashed) {
                return ((0,external_node_crypto_.createHmac)('sha1', Buffer.from(hashed[1], 'base64')).update(name).digest('base64') ===
                    hashed[2]);
            }
            const re = new RegExp(`^${p
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '.*')
                .replace(/\?/g, '.')}$`, 'i');
            return re.test(name);
        });
        if (hit && negated)
            return false;
        if (hit)
            matched = true;
    }
    return matched;
}
/** The fingerprint ssh-keygen -l prints: SHA256:<unpadded base64 of sha256(key blob)>. */
function sshFingerprint(key) {
    return `SHA256:${(0,external_node_crypto_.createHash)('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}
/** The key type named at the start of an SSH public key blob. */
function keyType(key) {
    if (key.length < 4)
        return 'unknown';
    const len = key.readUInt32BE(0);
    return len > 0 && len < 64 && 4 + len <= key.length
        ? key.subarray(4, 4 + len).toString('latin1')
        : 'unknown';
}
/** Host key algorithms ssh2 may negotiate for a known_hosts key type, best first. */
function algorithmsFor(type) {
    if (type === 'ssh-rsa')
        return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
    if (type === 'ssh-ed25519' || type.startsWith('ecdsa-sha2-') || type === 'ssh-dss')
        return [type];
    return [];
}

;// CONCATENATED MODULE: ./build/src/storage/sftp/connect.js



/**
 * The ssh2 connection settings for `s`: credentials, and a host key check against the pinned
 * fingerprints and known_hosts lines (offering only the pinned key types). `verdict` tells,
 * after a refused connection, why the host key was refused.
 */
function connectConfig(s, acceptedUnknown) {
    let verdict;
    const pinnedForHost = s.knownHosts.filter((e) => e.marker !== 'cert-authority' && knownHostMatches(e.patterns, s.host, s.port));
    const trusted = pinnedForHost.filter((e) => !e.marker);
    const revoked = pinnedForHost.filter((e) => e.marker === 'revoked');
    const pinned = s.fingerprints.length > 0 || trusted.length > 0;
    const hostVerifier = (key) => {
        const type = keyType(key);
        const fingerprint = sshFingerprint(key);
        if (revoked.some((e) => e.key.equals(key))) {
            verdict = { kind: 'revoked', type, fingerprint };
            return false;
        }
        if (s.fingerprints.includes(fingerprint) || trusted.some((e) => e.key.equals(key)))
            return true;
        if (pinned) {
            verdict = { kind: 'mismatch', type, fingerprint };
            return false;
        }
        if (s.acceptUnknownHost) {
            acceptedUnknown(type, fingerprint);
            return true;
        }
        verdict = { kind: 'unknown', type, fingerprint };
        return false;
    };
    const config = {
        host: s.host,
        port: s.port,
        username: s.username,
        readyTimeout: 20_000,
        keepaliveInterval: 15_000,
        keepaliveCountMax: 4,
        hostVerifier,
        ...(s.privateKey ? { privateKey: s.privateKey } : {}),
        ...(s.passphrase ? { passphrase: s.passphrase } : {}),
        ...(s.password ? { password: s.password, tryKeyboard: true } : {}),
    };
    // Offer only the key types known_hosts pins, so the server presents one we can check.
    const hostKeyAlgorithms = [...new Set(trusted.flatMap((e) => algorithmsFor(e.type)))];
    if (hostKeyAlgorithms.length > 0 && s.fingerprints.length === 0) {
        config.algorithms = {
            serverHostKey: hostKeyAlgorithms,
        };
    }
    return { config, verdict: () => verdict };
}
/** Why a connection failed, for a person: host key verdicts, credentials, timeouts, network. */
function connectError(displayUrl, s, err, verdict) {
    const where = displayUrl;
    if (verdict) {
        const short = verdict.type.replace(/^ssh-|^ecdsa-sha2-nistp\d+$/, (m) => m.startsWith('ecdsa') ? 'ecdsa' : '');
        const check = `ssh-keygen -lf /etc/ssh/ssh_host_${short}_key.pub on the server, or ssh-keyscan -p ${s.port} ${s.host} | ssh-keygen -lf -`;
        if (verdict.kind === 'unknown') {
            return new errors/* StorageError */.aq(`${where}: refusing to connect: the server's host key ${verdict.type} ${verdict.fingerprint} is not pinned` +
                (s.knownHosts.length > 0
                    ? ` (sftp-known-hosts has no line for ${s.port === 22 ? s.host : `[${s.host}]:${s.port}`})`
                    : ''), {
                cause: err,
                hint: `check that ${verdict.fingerprint} is the server's key (${check}), then pin it with {{option:sftp-host-fingerprint=${verdict.fingerprint}}} ` +
                    `or pass its known_hosts line as {{option:sftp-known-hosts}}; {{option:sftp-accept-unknown-host=true}} skips the check (not recommended)`,
            });
        }
        return new errors/* StorageError */.aq(`${where}: refusing to connect: the server's host key ${verdict.type} ${verdict.fingerprint} ` +
            (verdict.kind === 'revoked'
                ? 'is marked @revoked in sftp-known-hosts'
                : 'does not match the pinned host key'), {
            cause: err,
            hint: `if the server's key was changed on purpose, check the new one (${check}) and update {{option:sftp-host-fingerprint}} / {{option:sftp-known-hosts}} ` +
                `(several fingerprints may be given, comma-separated); otherwise someone may be intercepting the connection`,
        });
    }
    if (err.level === 'client-authentication') {
        return new errors/* StorageError */.aq(`${where}: the server rejected the credentials for user '${s.username}'`, {
            cause: err,
            reason: 'denied',
            hint: s.privateKey
                ? `check sftp-private-key is the private half of a key listed in ~${s.username}/.ssh/authorized_keys on the server`
                : 'check sftp-password, or use a key (sftp-private-key); the server may not allow password logins',
        });
    }
    if (err.level === 'client-timeout') {
        return new errors/* StorageError */.aq(`${where}: timed out connecting to ${s.host}:${s.port}`, {
            cause: err,
            transient: true,
            hint: 'check the host and port, and that a firewall lets this runner reach the server',
        });
    }
    if (err.level === 'protocol' || err.level === 'handshake') {
        return new errors/* StorageError */.aq(`${where}: SSH handshake failed: ${err.message}`, {
            cause: err,
            hint: 'the server may not be an SSH server, or offers no algorithm in common',
        });
    }
    const node = (0,retry/* classifyNodeError */.Fn)(err);
    const code = typeof err.code === 'string' ? err.code : '';
    return new errors/* StorageError */.aq(`${where}: cannot connect to ${s.host}:${s.port}: ${err.message}`, {
        cause: err,
        transient: node.transient,
        reason: node.transient ? 'network' : node.reason,
        hint: code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? 'check the host name in the destination URL'
            : node.transient
                ? undefined
                : 'check the host and port in the destination URL, and that this runner can reach the server',
    });
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: ./node_modules/ssh2/lib/index.js
var lib = __webpack_require__(85472);
// EXTERNAL MODULE: ./build/src/core/log.js
var log = __webpack_require__(85491);
// EXTERNAL MODULE: ./build/src/storage/body.js
var storage_body = __webpack_require__(4315);
// EXTERNAL MODULE: ./build/src/storage/keys.js
var keys = __webpack_require__(31851);
;// CONCATENATED MODULE: ./build/src/storage/sftp/protocol.js

// ssh2 is CommonJS; Node's named-export detection misses `utils`, so take both from the default.
const { Client, utils } = lib;
/** Uploads go to `<name>.lifeboat-tmp-<hex>` beside the final name; listings never show these. */
const TEMP_MARK = '.lifeboat-tmp-';
const TEMP_NAME = /\.lifeboat-tmp-[0-9a-f]{16}$/;
/** 32 KiB fits every server's packet limit; 64 requests in flight keep a long link busy. */
const PIECE_BYTES = 32 * 1024;
const WINDOW = 64;
// SFTP status codes (draft-ietf-secsh-filexfer-02), as ssh2 reports them in err.code.
const NO_SUCH_FILE = 2;
const PERMISSION_DENIED = 3;
const NO_CONNECTION = 6;
const CONNECTION_LOST = 7;

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./build/src/core/url.js
var core_url = __webpack_require__(35708);
;// CONCATENATED MODULE: ./build/src/storage/sftp/settings.js






function optionString(ctx, name) {
    const v = ctx.options[name];
    return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}
function envString(ctx, name) {
    const v = ctx.env[name];
    return v && v.trim() !== '' ? v : undefined;
}
/** A value that is a single line naming an existing file is read from that file (CLI use). */
function contentOrFile(value) {
    const v = value.trim();
    if (!v.includes('\n') && !v.includes(' ') && !v.startsWith('-----') && (0,external_node_fs_.existsSync)(v))
        return (0,external_node_fs_.readFileSync)(v, 'utf8');
    return value;
}
function parseSftpSettings(url, ctx) {
    const u = (0,core_url/* parseUrl */.Dl)('destination', url);
    const display = (0,log/* redactUrl */.BO)(url);
    const username = decodeURIComponent(u.username);
    if (!username) {
        throw new errors/* ConfigError */.xL('destination', `'${display}' names no user`, {
            hint: 'write sftp://user@host[:port]/path',
        });
    }
    if (!u.hostname) {
        throw new errors/* ConfigError */.xL('destination', `'${display}' names no host`, {
            hint: 'write sftp://user@host[:port]/path',
        });
    }
    const urlPassword = u.password ? decodeURIComponent(u.password) : undefined;
    ctx.redactor.add(urlPassword);
    let path = decodeURIComponent(u.pathname);
    let fromHome = false;
    if (path === '/~' || path.startsWith('/~/')) {
        fromHome = true;
        path = path.slice(2);
    }
    path = path.replace(/\/+$/, '').replace(/^\/+/, fromHome ? '' : '/');
    if (!fromHome && path === '')
        path = '/';
    const rawKey = optionString(ctx, 'sftp-private-key') ?? envString(ctx, 'LIFEBOAT_SFTP_PRIVATE_KEY');
    const passphrase = optionString(ctx, 'sftp-private-key-passphrase') ??
        envString(ctx, 'LIFEBOAT_SFTP_PRIVATE_KEY_PASSPHRASE');
    const password = optionString(ctx, 'sftp-password') ?? envString(ctx, 'LIFEBOAT_SFTP_PASSWORD') ?? urlPassword;
    ctx.redactor.add(passphrase);
    ctx.redactor.add(password);
    let privateKey;
    if (rawKey) {
        privateKey = contentOrFile(rawKey).replace(/\r\n/g, '\n').trim() + '\n';
        ctx.redactor.add(privateKey.trim());
        // Logs are redacted line by line, so mask each line of the key body too.
        for (const line of privateKey.split('\n'))
            if (!line.startsWith('-----') && line.trim().length >= 16)
                ctx.redactor.add(line.trim());
        const parsed = utils.parseKey(privateKey, passphrase);
        if (parsed instanceof Error) {
            const encrypted = /encrypted|passphrase/i.test(parsed.message);
            throw new errors/* ConfigError */.xL(encrypted ? 'sftp-private-key-passphrase' : 'sftp-private-key', encrypted
                ? `the private key needs a passphrase or the one given is wrong (${parsed.message})`
                : `could not be read: ${parsed.message}`, {
                hint: encrypted
                    ? "set {{option:sftp-private-key-passphrase}} (from a secret) to the key's passphrase"
                    : 'pass the whole private key file (OpenSSH or PEM format, from -----BEGIN to -----END) from a secret',
            });
        }
    }
    if (!privateKey && !password) {
        throw new errors/* ConfigError */.xL('sftp-private-key', `no credentials for ${display}`, {
            hint: 'set {{option:sftp-private-key}} to a private key from a secret, or {{option:sftp-password}}',
        });
    }
    const fingerprints = [];
    for (const f of (optionString(ctx, 'sftp-host-fingerprint') ?? '')
        .split(/[\s,]+/)
        .filter(Boolean)) {
        const m = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(f);
        if (!m) {
            throw new errors/* ConfigError */.xL('sftp-host-fingerprint', `'${f}' is not a SHA256 host key fingerprint`, {
                hint: 'give it as ssh-keygen -lf prints it, e.g. SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s (separate several with commas)',
            });
        }
        fingerprints.push(`SHA256:${m[1]}`);
    }
    const knownHostsText = optionString(ctx, 'sftp-known-hosts');
    const knownHosts = knownHostsText ? parseKnownHosts(contentOrFile(knownHostsText)) : [];
    if (knownHostsText && knownHosts.length === 0) {
        throw new errors/* ConfigError */.xL('sftp-known-hosts', 'holds no host keys', {
            hint: `give {{option:sftp-known-hosts}} known_hosts lines such as ssh-keyscan -p ${u.port || 22} ${u.hostname} prints them`,
        });
    }
    const accept = ctx.options['sftp-accept-unknown-host'];
    return {
        host: u.hostname.replace(/^\[|\]$/g, ''),
        port: u.port ? Number(u.port) : 22,
        username,
        path,
        fromHome,
        ...(privateKey ? { privateKey } : {}),
        ...(passphrase ? { passphrase } : {}),
        ...(password ? { password } : {}),
        fingerprints,
        knownHosts,
        acceptUnknownHost: accept === true,
    };
}

;// CONCATENATED MODULE: ./build/src/storage/sftp/session.js



/**
 * One SSH connection with its SFTP channel. ssh2 never calls back requests sent after the
 * connection died, so every request goes through run(), which fails them all when it closes.
 */
class Session {
    client;
    sftp;
    root;
    lost;
    pending = new Set();
    constructor(client, sftp, root) {
        this.client = client;
        this.sftp = sftp;
        this.root = root;
    }
    markLost(err) {
        this.lost ??= err;
        for (const reject of this.pending)
            reject(this.lost);
        this.pending.clear();
    }
    run(fn) {
        if (this.lost)
            return Promise.reject(this.lost);
        return new Promise((resolve, reject) => {
            const fail = (err) => reject(err);
            this.pending.add(fail);
            try {
                fn((err, value) => {
                    this.pending.delete(fail);
                    if (err)
                        reject(err);
                    else
                        resolve(value);
                });
            }
            catch (err) {
                this.pending.delete(fail);
                reject(err);
            }
        });
    }
}

;// CONCATENATED MODULE: ./build/src/storage/sftp/read-stream.js




/** Reads a remote file with up to WINDOW requests in flight, delivering bytes in order. */
class SftpReadStream extends external_node_stream_.Readable {
    session;
    handle;
    size;
    label;
    mapError;
    queue = [];
    next = 0;
    pumping = false;
    wake;
    constructor(session, handle, size, label, mapError, start) {
        super({ highWaterMark: 1 << 20 });
        this.next = start;
        this.label = label;
        this.session = session;
        this.handle = handle;
        this.size = size;
        this.mapError = mapError;
    }
    request(position, length) {
        const h = this.handle;
        const result = this.session.run((cb) => this.session.sftp.read(h, Buffer.allocUnsafe(length), 0, length, position, (err, bytesRead, buffer) => err ? cb(err, Buffer.alloc(0)) : cb(undefined, buffer.subarray(0, bytesRead))));
        result.catch(() => undefined);
        return { position, length, result };
    }
    _read() {
        if (this.wake) {
            const w = this.wake;
            this.wake = undefined;
            w();
        }
        if (this.pumping)
            return;
        this.pumping = true;
        this.pump().catch((err) => this.destroy(this.mapError(err)));
    }
    async pump() {
        for (;;) {
            while (this.queue.length < WINDOW && this.next < this.size) {
                const length = Math.min(PIECE_BYTES, this.size - this.next);
                this.queue.push(this.request(this.next, length));
                this.next += length;
            }
            const head = this.queue.shift();
            if (!head)
                break;
            const data = await head.result;
            if (this.destroyed)
                return;
            if (data.length === 0) {
                throw new errors/* StorageError */.aq(`${this.label}: file ended at byte ${head.position} of ${this.size} (changed while reading?)`, { transient: true, reason: 'truncated' });
            }
            if (data.length < head.length) {
                // A short read: fetch the rest of this piece before anything after it.
                this.queue.unshift(this.request(head.position + data.length, head.length - data.length));
            }
            if (!this.push(data))
                await new Promise((resolve) => (this.wake = resolve));
            if (this.destroyed)
                return;
        }
        await this.release();
        if (!this.destroyed)
            this.push(null);
    }
    async release() {
        const h = this.handle;
        this.handle = undefined;
        if (h)
            await this.session.run((cb) => this.session.sftp.close(h, cb)).catch(() => undefined);
    }
    _destroy(err, cb) {
        this.wake?.();
        this.release().then(() => cb(err), () => cb(err));
    }
}

;// CONCATENATED MODULE: ./build/src/storage/sftp/storage.js














/**
 * `sftp://user@host[:port]/path` (absolute path; `/~/path` is relative to the login directory).
 * Credentials come from sftp-private-key / sftp-password (or LIFEBOAT_SFTP_PRIVATE_KEY /
 * LIFEBOAT_SFTP_PASSWORD), the host key is checked against sftp-host-fingerprint or
 * sftp-known-hosts, and each put writes a temporary name and renames it into place.
 * SFTP keeps no object metadata: stat carries no sha256, verification is the engine's (sidecar).
 */
const sftpStorage = {
    schemes: ['sftp'],
    create(url, ctx) {
        return openSftp(url, ctx);
    },
};
function openSftp(url, ctx) {
    return new SftpStorage((0,log/* redactUrl */.BO)(url), parseSftpSettings(url, ctx), ctx);
}
class SftpStorage {
    displayUrl;
    /**
     * Temp file + rename; exclusive creates (open with O_EXCL); positioned reads; one SSH
     * connection whose channel serves a few requests at once.
     */
    capabilities = {
        atomicPut: true,
        conditionalCreate: true,
        rangeReads: true,
        listing: 'strong',
        maxConnections: 4,
        groupCommit: 'in-order',
    };
    settings;
    ctx;
    session;
    madeDirs = new Set();
    warnedUnknownHost = false;
    constructor(displayUrl, settings, ctx) {
        this.displayUrl = displayUrl;
        this.settings = settings;
        this.ctx = ctx;
    }
    open() {
        if (!this.session) {
            const p = this.connect();
            this.session = p;
            p.catch(() => {
                if (this.session === p)
                    this.session = undefined;
            });
        }
        return this.session;
    }
    connect() {
        const s = this.settings;
        const client = new Client();
        const { config, verdict: verdictOf } = connectConfig(s, (type, fingerprint) => {
            if (this.warnedUnknownHost)
                return;
            this.warnedUnknownHost = true;
            this.ctx.log.warn(`${this.displayUrl}: accepting the server's unpinned host key ${type} ${fingerprint} ({{option:sftp-accept-unknown-host=true}}); ` +
                `pin it with {{option:sftp-host-fingerprint=${fingerprint}}}`);
        });
        if (s.password) {
            client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
                finish(prompts.map(() => s.password));
            });
        }
        return new Promise((resolve, reject) => {
            let ready = false;
            client.on('error', (err) => {
                if (ready) {
                    this.ctx.log.debug(`${this.displayUrl}: connection error: ${err.message}`);
                    return;
                }
                client.end();
                reject(connectError(this.displayUrl, this.settings, err, verdictOf()));
            });
            client.on('close', () => {
                if (!ready)
                    reject(new errors/* StorageError */.aq(`${this.displayUrl}: the server closed the connection`, {
                        transient: true,
                    }));
                this.session = undefined;
            });
            // Request/response traffic stalls on Nagle + delayed ACK (~40 ms a round trip) otherwise.
            client.on('connect', () => client.setNoDelay(true));
            client.on('ready', () => {
                ready = true;
                client.sftp((err, sftp) => {
                    if (err) {
                        client.end();
                        reject(new errors/* StorageError */.aq(`${this.displayUrl}: the server refused the SFTP subsystem: ${err.message}`, {
                            cause: err,
                            hint: 'enable SFTP on the server (Subsystem sftp internal-sftp in sshd_config) or check the account is not restricted to a shell',
                        }));
                        return;
                    }
                    const rootOf = (home) => (s.fromHome ? external_node_path_.posix.join(home, s.path) : s.path);
                    if (!s.fromHome) {
                        resolve(this.track(new Session(client, sftp, rootOf(''))));
                        return;
                    }
                    sftp.realpath('.', (e, home) => {
                        if (e) {
                            client.end();
                            reject(this.mapError(e, 'finding the login directory'));
                        }
                        else
                            resolve(this.track(new Session(client, sftp, rootOf(home))));
                    });
                });
            });
            client.connect(config);
        });
    }
    /** Fails the session's outstanding and future requests once its connection goes away. */
    track(session) {
        const lost = () => {
            session.markLost(new errors/* StorageError */.aq(`${this.displayUrl}: the connection to the server was lost`, {
                transient: true,
            }));
            if (this.session) {
                const current = this.session;
                void current.then((s) => {
                    if (s === session && this.session === current)
                        this.session = undefined;
                });
            }
        };
        session.client.once('close', lost);
        session.sftp.once('close', lost);
        return session;
    }
    mapError(err, what) {
        if (err instanceof errors/* StorageError */.aq)
            return err;
        const where = `${this.displayUrl}: ${what} failed`;
        const e = err;
        const message = e instanceof Error ? e.message : String(err);
        if (typeof e?.code === 'number') {
            if (e.code === NO_SUCH_FILE)
                return new errors/* StorageError */.aq(`${where}: no such file`, { cause: err, notFound: true });
            if (e.code === PERMISSION_DENIED) {
                return new errors/* StorageError */.aq(`${where}: permission denied`, {
                    cause: err,
                    reason: 'denied',
                    hint: `give user '${this.settings.username}' write access to ${this.settings.path || 'the login directory'} on the server`,
                });
            }
            if (e.code === NO_CONNECTION || e.code === CONNECTION_LOST) {
                return new errors/* StorageError */.aq(`${where}: ${message}`, { cause: err, transient: true });
            }
            return new errors/* StorageError */.aq(`${where}: ${message}`, { cause: err });
        }
        if (message === 'No response from server' ||
            /not connected|channel .*closed|No SFTP/i.test(message)) {
            return new errors/* StorageError */.aq(`${where}: the connection was lost`, { cause: err, transient: true });
        }
        const node = (0,retry/* classifyNodeError */.Fn)(err);
        return new errors/* StorageError */.aq(`${where}: ${message}`, {
            cause: err,
            transient: node.transient,
            notFound: node.notFound,
            reason: node.reason,
        });
    }
    remotePath(root, key) {
        (0,keys/* checkKey */.yR)(key, this.displayUrl);
        return root === '' ? key : external_node_path_.posix.join(root, key);
    }
    async mkdirs(session, dir) {
        const sftp = session.sftp;
        if (dir === '' || dir === '.' || dir === '/' || this.madeDirs.has(dir))
            return;
        const st = await session
            .run((cb) => sftp.stat(dir, cb))
            .catch((err) => {
            if (err?.code === NO_SUCH_FILE)
                return undefined;
            throw err;
        });
        if (st) {
            if (!st.isDirectory())
                throw new errors/* StorageError */.aq(`${this.displayUrl}: ${dir} exists and is not a directory`);
        }
        else {
            await this.mkdirs(session, external_node_path_.posix.dirname(dir));
            await session
                .run((cb) => sftp.mkdir(dir, cb))
                .catch(async (err) => {
                // Another writer may have made it between our stat and mkdir.
                const again = await session.run((cb) => sftp.stat(dir, cb)).catch(() => undefined);
                if (!again?.isDirectory())
                    throw err;
            });
        }
        this.madeDirs.add(dir);
    }
    async put(key, body, options = {}) {
        (0,keys/* checkKey */.yR)(key, this.displayUrl);
        const signal = options.signal;
        let bodyError;
        body.once('error', (err) => {
            bodyError ??= err;
        });
        let session;
        let target;
        try {
            signal?.throwIfAborted();
            session = await this.open();
            target = this.remotePath(session.root, key);
            await this.mkdirs(session, external_node_path_.posix.dirname(target));
        }
        catch (err) {
            // The body is left unread, so withRetry may hand it to another attempt.
            throw this.mapError(err, `upload of ${key}`);
        }
        const { sftp } = session;
        const temp = `${target}${TEMP_MARK}${(0,external_node_crypto_.randomBytes)(8).toString('hex')}`;
        const hash = (0,external_node_crypto_.createHash)('sha256');
        let handle;
        let size = 0;
        try {
            handle = await session.run((cb) => sftp.open(temp, 'w', { mode: 0o600 }, cb));
            const h = handle;
            const inFlight = new Set();
            let failure;
            let offset = 0;
            for await (const chunk of (0,storage_body/* chunksOf */.U_)(body, signal)) {
                hash.update(chunk);
                size += chunk.length;
                for (let at = 0; at < chunk.length; at += PIECE_BYTES) {
                    const piece = chunk.subarray(at, Math.min(at + PIECE_BYTES, chunk.length));
                    const position = offset;
                    offset += piece.length;
                    const p = session
                        .run((cb) => sftp.write(h, piece, 0, piece.length, position, cb))
                        .then(() => undefined, (err) => {
                        failure ??= err;
                    })
                        .finally(() => inFlight.delete(p));
                    inFlight.add(p);
                    while (inFlight.size >= WINDOW)
                        await Promise.race(inFlight);
                    if (failure)
                        throw failure;
                }
                signal?.throwIfAborted();
            }
            await Promise.all(inFlight);
            if (failure)
                throw failure;
            signal?.throwIfAborted();
            const stored = await session.run((cb) => sftp.fstat(h, cb));
            if (stored.size !== size) {
                throw new errors/* StorageError */.aq(`${this.displayUrl}: upload of ${key} stored ${stored.size} of ${size} bytes`, { transient: true });
            }
            await session.run((cb) => sftp.ext_openssh_fsync(h, cb)).catch(() => undefined);
            handle = undefined;
            await session.run((cb) => sftp.close(h, cb));
            const sha256 = hash.digest('hex');
            (0,storage_body/* checkAnnounced */.AV)(key, this.displayUrl, options, { size, sha256 });
            await this.renameIntoPlace(session, temp, target);
            return { size, sha256 };
        }
        catch (err) {
            if (handle) {
                const h = handle;
                await session.run((cb) => sftp.close(h, cb)).catch(() => undefined);
            }
            await session.run((cb) => sftp.unlink(temp, cb)).catch(() => undefined);
            if (bodyError !== undefined && err === bodyError)
                throw err;
            if (err instanceof errors/* IntegrityError */.cs)
                throw err;
            throw this.mapError(err, `upload of ${key}`);
        }
    }
    /** posix-rename@openssh.com replaces atomically; plain SFTP rename refuses an existing target. */
    async renameIntoPlace(session, temp, target) {
        const sftp = session.sftp;
        try {
            await session.run((cb) => sftp.ext_openssh_rename(temp, target, cb));
            return;
        }
        catch (err) {
            if (!(err instanceof Error) || !/does not support/.test(err.message))
                throw err;
        }
        try {
            await session.run((cb) => sftp.rename(temp, target, cb));
        }
        catch {
            this.ctx.log.debug(`${this.displayUrl}: server lacks posix-rename; replacing ${target} in two steps`);
            await session.run((cb) => sftp.unlink(target, cb)).catch(() => undefined);
            await session.run((cb) => sftp.rename(temp, target, cb));
        }
    }
    /**
     * open with O_CREAT|O_EXCL ('wx'), which the server refuses when the file exists. The content
     * is written after the create, so a reader may briefly see an empty file.
     */
    async createExclusive(key, body) {
        (0,keys/* checkKey */.yR)(key, this.displayUrl);
        let session;
        let path;
        try {
            session = await this.open();
            path = this.remotePath(session.root, key);
            await this.mkdirs(session, external_node_path_.posix.dirname(path));
        }
        catch (err) {
            throw this.mapError(err, `create of ${key}`);
        }
        const { sftp } = session;
        let handle;
        try {
            handle = await session.run((cb) => sftp.open(path, 'wx', { mode: 0o600 }, cb));
        }
        catch (err) {
            const exists = await session
                .run((cb) => sftp.stat(path, cb))
                .then(() => true, () => false);
            if (exists)
                return false;
            throw this.mapError(err, `create of ${key}`);
        }
        try {
            await session.run((cb) => sftp.write(handle, body, 0, body.length, 0, cb));
            await session.run((cb) => sftp.close(handle, cb));
            return true;
        }
        catch (err) {
            await session.run((cb) => sftp.close(handle, cb)).catch(() => undefined);
            await session.run((cb) => sftp.unlink(path, cb)).catch(() => undefined);
            throw this.mapError(err, `create of ${key}`);
        }
    }
    async get(key, options = {}) {
        (0,keys/* checkKey */.yR)(key, this.displayUrl);
        try {
            options.signal?.throwIfAborted();
            const session = await this.open();
            const { sftp, root } = session;
            const path = this.remotePath(root, key);
            const handle = await session.run((cb) => sftp.open(path, 'r', cb));
            let size;
            try {
                const st = await session.run((cb) => sftp.fstat(handle, cb));
                if (!st.isFile()) {
                    throw new errors/* StorageError */.aq(`${this.displayUrl}: ${key} is not a regular file`, {
                        notFound: true,
                    });
                }
                size = st.size;
            }
            catch (err) {
                await session.run((cb) => sftp.close(handle, cb)).catch(() => undefined);
                throw err;
            }
            const stream = new SftpReadStream(session, handle, size, `${this.displayUrl} ${key}`, (err) => this.mapError(err, `download of ${key}`), options.offset ?? 0);
            options.signal?.addEventListener('abort', () => stream.destroy(options.signal.reason), { once: true });
            return stream;
        }
        catch (err) {
            throw this.mapError(err, `download of ${key}`);
        }
    }
    async stat(key) {
        (0,keys/* checkKey */.yR)(key, this.displayUrl);
        try {
            const session = await this.open();
            const { sftp, root } = session;
            const st = await session.run((cb) => sftp.stat(this.remotePath(root, key), cb));
            if (!st.isFile())
                return undefined;
            return { key, size: st.size, modified: new Date(st.mtime * 1000) };
        }
        catch (err) {
            const mapped = this.mapError(err, `stat of ${key}`);
            if (mapped.notFound)
                return undefined;
            throw mapped;
        }
    }
    async list(prefix) {
        (0,keys/* checkPrefix */.by)(prefix, this.displayUrl);
        try {
            const session = await this.open();
            const { sftp, root } = session;
            const out = [];
            const startRel = prefix.slice(0, prefix.lastIndexOf('/') + 1);
            const walk = async (rel) => {
                const dir = rel === '' ? root || '.' : external_node_path_.posix.join(root || '.', rel);
                let entries;
                try {
                    entries = await session.run((cb) => sftp.readdir(dir, cb));
                }
                catch (err) {
                    if (err.code === NO_SUCH_FILE)
                        return;
                    throw err;
                }
                for (const entry of entries) {
                    const name = entry.filename;
                    if (name === '.' || name === '..' || TEMP_NAME.test(name))
                        continue;
                    const key = rel + name;
                    if (entry.attrs.isDirectory()) {
                        if ((key + '/').startsWith(prefix) || prefix.startsWith(key + '/'))
                            await walk(key + '/');
                    }
                    else if (entry.attrs.isFile() && key.startsWith(prefix)) {
                        out.push({ key, size: entry.attrs.size, modified: new Date(entry.attrs.mtime * 1000) });
                    }
                }
            };
            await walk(startRel);
            return out;
        }
        catch (err) {
            throw this.mapError(err, `listing of '${prefix}'`);
        }
    }
    async delete(key) {
        (0,keys/* checkKey */.yR)(key, this.displayUrl);
        try {
            const session = await this.open();
            const { sftp, root } = session;
            const path = this.remotePath(root, key);
            try {
                await session.run((cb) => sftp.unlink(path, cb));
            }
            finally {
                await this.removeEmptyDirs(session, external_node_path_.posix.dirname(path));
            }
        }
        catch (err) {
            const mapped = this.mapError(err, `delete of ${key}`);
            if (!mapped.notFound)
                throw mapped;
        }
    }
    /** A set folder emptied by a delete goes too, so a failed first backup leaves nothing. */
    async removeEmptyDirs(session, dir) {
        const root = session.root.replace(/\/+$/, '');
        // Below the storage root only: a relative root is the login folder ('' → paths like 'set').
        const inside = (d) => session.root === ''
            ? d !== '.' && d !== '' && !d.startsWith('/')
            : d.startsWith(`${root}/`) && d !== root;
        for (let d = dir; inside(d); d = external_node_path_.posix.dirname(d)) {
            const removed = await session
                .run((cb) => session.sftp.rmdir(d, cb))
                .then(() => true, () => false);
            if (!removed)
                return;
            this.madeDirs.delete(d);
        }
    }
    async close() {
        const current = this.session;
        this.session = undefined;
        if (!current)
            return;
        const s = await current.catch(() => undefined);
        if (!s)
            return;
        await new Promise((resolve) => {
            s.client.once('close', () => resolve());
            s.client.end();
        });
    }
}

;// CONCATENATED MODULE: ./build/src/storage/sftp/index.js
/**
 * `sftp://`: one folder by concern. settings.ts (URL, credentials, options), host-keys.ts
 * (known_hosts, fingerprints), session.ts (one SSH connection and its SFTP channel),
 * read-stream.ts (pipelined reads), storage.ts (the Storage), protocol.ts (ssh2 and SFTP
 * constants).
 */





/***/ })

};
