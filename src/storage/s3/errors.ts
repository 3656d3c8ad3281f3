import { type S3Settings } from './settings.ts';

export const CREDENTIAL_CODES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AccessDenied',
  'Forbidden',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'InvalidClientTokenId',
  'AllAccessDisabled',
  'AccountProblem',
]);

export function credentialsHint(s: S3Settings): string {
  const vars =
    s.scheme === 'gs'
      ? 'GOOGLE_HMAC_ACCESS_KEY_ID / GOOGLE_HMAC_SECRET (HMAC keys of a service account)'
      : 'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or a role via aws-actions/configure-aws-credentials)';
  return `check the credentials in ${vars}, that they may read and write bucket '${s.bucket}', and that this machine's clock is right`;
}

export function httpReason(status: number): string | undefined {
  return (
    {
      301: 'Moved Permanently',
      400: 'Bad Request',
      403: 'Forbidden',
      404: 'Not Found',
      500: 'Internal Server Error',
      503: 'Service Unavailable',
    } as Record<number, string>
  )[status];
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
