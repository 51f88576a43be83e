/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+([\x21-\x7e]{1,4096})$/i.exec(header.trim());
  return match?.[1] ?? null;
}
