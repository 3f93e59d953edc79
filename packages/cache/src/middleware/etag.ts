// Strong entity-tags for stored responses: a digest of the exact body bytes, so two responses get
// the same tag only when their bytes are equal (RFC 9110 section 8.8.3). Web Crypto, available in
// Node 20 and every Web runtime Hono runs on; computed once per stored response, never on a hit.

/** A strong ETag (`"<27 base64url characters>"`) of `body`: the first 160 bits of SHA-256. */
export async function strongEtag(body: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body as Uint8Array<ArrayBuffer>));
  let binary = "";
  for (let i = 0; i < 20; i++) binary += String.fromCharCode(digest[i] as number);
  const base64 = btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  return `"${base64}"`;
}

/** Whether an ETag field value is a strong entity-tag (`"x"`, not `W/"x"`). */
export function isStrongEtag(value: string | undefined): value is string {
  return value !== undefined && value.length >= 2 && value.startsWith('"') && value.endsWith('"');
}
