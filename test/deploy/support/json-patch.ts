/** The JSON Patch (RFC 6902) "add" operation, the one skaffold.yaml's profiles use. */
export interface JsonPatch {
  op: string;
  path: string;
  value?: unknown;
}

const unescape = (token: string) => token.replace(/~1/g, '/').replace(/~0/g, '~');

export function applyPatches<T>(document: T, patches: readonly JsonPatch[]): T {
  const result = structuredClone(document) as unknown;
  for (const patch of patches) {
    if (patch.op !== 'add') throw new Error(`unsupported JSON patch op ${patch.op} (only "add")`);
    const tokens = patch.path.split('/').slice(1).map(unescape);
    const last = tokens.pop();
    if (last === undefined) throw new Error('cannot add at the document root');
    let parent = result as Record<string, unknown> | unknown[];
    for (const token of tokens) {
      const next = Array.isArray(parent) ? parent[Number(token)] : parent[token];
      if (typeof next !== 'object' || next === null)
        throw new Error(`${patch.path}: ${token} does not exist`);
      parent = next as Record<string, unknown> | unknown[];
    }
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (!Number.isInteger(index) || index > parent.length)
        throw new Error(`${patch.path}: bad array index`);
      parent.splice(index, 0, structuredClone(patch.value));
    } else {
      parent[last] = structuredClone(patch.value);
    }
  }
  return result as T;
}
