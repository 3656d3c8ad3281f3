import ssh2 from 'ssh2';

// ssh2 is CommonJS; Node's named-export detection misses `utils`, so take both from the default.
export const { Client, utils } = ssh2;

/** Uploads go to `<name>.lifeboat-tmp-<hex>` beside the final name; listings never show these. */
export const TEMP_MARK = '.lifeboat-tmp-';
export const TEMP_NAME = /\.lifeboat-tmp-[0-9a-f]{16}$/;
/** 32 KiB fits every server's packet limit; 64 requests in flight keep a long link busy. */
export const PIECE_BYTES = 32 * 1024;
export const WINDOW = 64;

// SFTP status codes (draft-ietf-secsh-filexfer-02), as ssh2 reports them in err.code.
export const NO_SUCH_FILE = 2;
export const PERMISSION_DENIED = 3;
export const NO_CONNECTION = 6;
export const CONNECTION_LOST = 7;
