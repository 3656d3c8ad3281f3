export {
  AgeKeyError,
  WrongPassphraseError,
  X25519Identity,
  X25519Recipient,
  ScryptIdentity,
  ScryptRecipient,
  SshIdentity,
  parseIdentities,
  parseRecipient,
  parseRecipients,
  sshFingerprint,
  type Identity,
  type Recipient,
  type Stanza,
} from './keys.ts';
export { AgeDecryptStream, AgeEncryptStream, NoIdentityMatchError } from './stream.ts';
