/**
 * Whether a PostgreSQL / pg error means the server or the connection is gone (not that the statement
 * was wrong): 08xxx connection exceptions, 57P01–57P03 (shutdown, cannot connect now), 53300 (too
 * many connections), a refused or reset socket; without a code, pg's messages for a connection that
 * died mid-query or could not be opened in time. One definition for the error handler (→ 503) and the
 * database (→ the connection is not handed out again).
 */
export function isConnectionFailure(err: { code?: string; message?: string } | undefined): boolean {
  const code = err?.code;
  if (code) return /^08/.test(code) || /^57P0[1-3]$/.test(code) || code === '53300' || code === 'ECONNREFUSED' || code === 'ECONNRESET';
  return /Connection terminated|connection ended|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
    err?.message ?? '',
  );
}
