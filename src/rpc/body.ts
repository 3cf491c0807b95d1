/**
 * Reading a request body with a size limit, without buffering more than the limit.
 * @module
 */

/** The body as text, or `tooLarge` once it passes `maxBytes` (by header or while streaming). */
export async function readBodyLimited(req: Request, maxBytes: number): Promise<{ text: string } | { tooLarge: true }> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) return { tooLarge: true };
  if (!req.body) return { text: "" };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return { tooLarge: true };
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) {
    all.set(c, o);
    o += c.length;
  }
  return { text: new TextDecoder().decode(all) };
}
